"""What each platform can do: the one place that says it.

Policies ask it which recommended actions a platform can carry out, decision
validation which actions an editor may choose, the outbox which calls it may
make, the PDF and the CLI how to name a platform.  Facts from the platforms'
API documentation as the project recorded them when this was written:

* Facebook Pages: hide/unhide, delete and reply to a comment through the
  Graph API.
* Instagram professional accounts: hide/unhide, delete and reply.  A reply
  cannot be posted to a comment once it is hidden or removed.  Comments on a
  live broadcast (``live_comments``) can be none of these: the ig-comment
  reference says "live-video comments not supported" for hide, delete and
  reply (shared/platforms.md §3.3, §7.8), so such a comment is offered nothing.
* LinkedIn organisations: delete and reply (Community Management API); there
  is no way to hide a comment.
* YouTube channels: hide (``comments.setModerationStatus`` to
  ``heldForReview``; unhide sets ``published`` again), delete
  (``comments.delete``) and reply (``comments.insert``) through the Data API
  v3.  YouTube has no comment webhooks: its comments are polled
  (``app.reconcile``).
* ``web``: comments posted to ``/v1/comments`` by a website or an import.
  Uppsikt has no way to change them where they are shown: the site's own
  tools do, so no platform action is offered.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any


@dataclass(frozen=True, slots=True)
class PlatformCapabilities:
    platform: str
    #: How people read the platform's name (Swedish where it is not a brand).
    label: str
    hide: bool
    delete: bool
    reply: bool
    #: Replies must be posted before a hide or removal (the platform refuses them afterwards).
    reply_before_remove: bool
    #: Comments on live broadcasts arrive too (Instagram ``live_comments``).
    live_comments: bool

    def can(self, action: str) -> bool:
        """Whether a decision or policy action can be carried out here.

        Actions that never touch the platform (registering, forwarding, a
        police review, ``none``) are always possible.
        """
        needs = PLATFORM_NEEDS.get(action)
        return needs is None or bool(getattr(self, needs))

    def cannot(self, actions: list[str] | tuple[str, ...] | set[str]) -> list[str]:
        return [a for a in actions if not self.can(a)]


#: The platform capability each decision or policy action needs; absent = none.
PLATFORM_NEEDS: dict[str, str] = {
    "hide": "hide",
    "unhide": "hide",
    "remove": "delete",
    "refer": "reply",
    "answer": "reply",
    "notify_author": "reply",
}

CAPABILITIES: dict[str, PlatformCapabilities] = {
    c.platform: c
    for c in (
        PlatformCapabilities(
            "facebook",
            "Facebook",
            hide=True,
            delete=True,
            reply=True,
            reply_before_remove=True,
            live_comments=False,
        ),
        PlatformCapabilities(
            "instagram",
            "Instagram",
            hide=True,
            delete=True,
            reply=True,
            reply_before_remove=True,
            live_comments=True,
        ),
        PlatformCapabilities(
            "linkedin",
            "LinkedIn",
            hide=False,
            delete=True,
            reply=True,
            reply_before_remove=True,
            live_comments=False,
        ),
        PlatformCapabilities(
            "youtube",
            "YouTube",
            hide=True,
            delete=True,
            reply=True,
            reply_before_remove=True,
            live_comments=False,
        ),
        PlatformCapabilities(
            "web",
            "webbplatsen",
            hide=False,
            delete=False,
            reply=False,
            reply_before_remove=False,
            live_comments=False,
        ),
    )
}

#: Every platform Uppsikt knows, in the registry's order.
PLATFORMS: tuple[str, ...] = tuple(CAPABILITIES)

#: What a platform lacks, said to an editor.
MISSING_SV = {
    "hide": "{label} saknar dölj-funktion",
    "delete": "{label} kan inte ta bort kommentarer via Uppsikt",
    "reply": "{label} kan inte ta emot svar via Uppsikt",
}


def capabilities(platform: str, *, live: bool = False) -> PlatformCapabilities:
    """The platform's capabilities; an unknown platform can do nothing on a platform.

    ``live``: for a comment on a live broadcast, where the platform refuses every action.
    """
    caps = CAPABILITIES.get(platform.lower()) or PlatformCapabilities(
        platform,
        platform,
        hide=False,
        delete=False,
        reply=False,
        reply_before_remove=False,
        live_comments=False,
    )
    if live:
        return replace(
            caps,
            label=f"{caps.label} (livesändning)",
            hide=False,
            delete=False,
            reply=False,
            reply_before_remove=False,
        )
    return caps


def is_live_comment(metadata: Mapping[str, Any] | None) -> bool:
    """A comment on a live broadcast: Instagram's ``live_comments`` field, or media of type ``LIVE``."""
    if not metadata:
        return False
    if metadata.get("field") == "live_comments":
        return True
    media = metadata.get("media")
    return isinstance(media, dict) and str(media.get("media_product_type") or "").upper() == "LIVE"


def comment_capabilities(platform: str, metadata: Mapping[str, Any] | None) -> PlatformCapabilities:
    """What can be done to one comment: its platform's capabilities, none on a live broadcast."""
    return capabilities(platform, live=is_live_comment(metadata))


def label(platform: str) -> str:
    return capabilities(platform).label


MISSING_LIVE_SV = "{label} tillåter varken att dölja, ta bort eller svara på kommentarer i en livesändning"


def missing_sv(platform: str, action: str, *, live: bool = False) -> str:
    """One Swedish sentence: why ``action`` cannot be carried out on ``platform``."""
    caps = capabilities(platform)
    name = caps.label[:1].upper() + caps.label[1:]
    if live and caps.can(action):
        return MISSING_LIVE_SV.format(label=name)
    return MISSING_SV[PLATFORM_NEEDS[action]].format(label=name)
