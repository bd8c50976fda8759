"""What each platform can do: the one place that says it.

Policies ask it which recommended actions a platform can carry out, decision
validation which actions an editor may choose, the outbox which calls it may
make, the PDF and the CLI how to name a platform.  Facts from the platforms'
API documentation as the project recorded them when this was written:

* Facebook Pages: hide/unhide, delete and reply to a comment through the
  Graph API.
* Instagram professional accounts: hide/unhide, delete and reply.  A reply
  cannot be posted to a comment once it is hidden or removed.
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

from dataclasses import dataclass


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


def capabilities(platform: str) -> PlatformCapabilities:
    """The platform's capabilities; an unknown platform can do nothing on a platform."""
    return CAPABILITIES.get(platform.lower()) or PlatformCapabilities(
        platform,
        platform,
        hide=False,
        delete=False,
        reply=False,
        reply_before_remove=False,
        live_comments=False,
    )


def label(platform: str) -> str:
    return capabilities(platform).label


def missing_sv(platform: str, action: str) -> str:
    """One Swedish sentence: why ``action`` cannot be carried out on ``platform``."""
    caps = capabilities(platform)
    return MISSING_SV[PLATFORM_NEEDS[action]].format(label=caps.label[:1].upper() + caps.label[1:])
