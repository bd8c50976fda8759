"""What a reconciliation run decides: the difference between a listing and our records.

The run itself (``app.reconcile.runner``) owns the transactions; this module
holds the rules and changes nothing.

A run has four steps, and only two of them hold a database transaction, both
short:

1. *start* (write): the account's run state — a platform that answered with
   a throttle earlier set ``resume_after``, and until then nothing is asked
   of it (on demand or scheduled alike);
2. *list* (no transaction): the platform's API, page by page.  A throttle
   or quota answer ends the listing where it is: what was read still counts,
   the rest waits for ``resume_after``;
3. *compare* (read): what we have stored of the listed posts and comments;
4. *store* (write): the difference as deliveries of source ``polled`` in the
   inbox, the run state and one ``reconcile.run`` entry in the moderation log,
   committed together.  The worker's pipeline then treats them like webhooks.

What counts as a difference (``observations``): a listed comment we do not
have (*added*), one whose text is not the text we show (*edited*), and one of
ours, still visible, that a post listed to its last page no longer has
(*removed*) — never on a post the listing did not finish, never for a
comment older than the run's window, and, for a reply, only when its thread
was listed, so a partial listing can never delete anything.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from app.logging import get_logger
from app.models import Account
from app.platforms import text_sha256
from app.platforms.capabilities import label
from app.platforms.listing import ListedComment, Listing
from app.platforms.polled import SCHEMA
from app.reconcile.repository import Known

log = get_logger("app.reconcile")

#: The platforms a run can list.
POLLED_PLATFORMS = ("facebook", "instagram", "linkedin", "youtube")
#: Observations per inbox delivery: a first run over a busy account stays in batches the
#: worker processes like any webhook delivery.
DELIVERY_CHUNK = 200
#: A throttle answer that does not say how long: wait this long before asking again.
DEFAULT_PAUSE_S = 900.0
LOG_ACTION = "reconcile.run"

REASON_NO_TOKEN = "kontot saknar åtkomsttoken (uppsikt account set-token)"  # noqa: S105


@dataclass(slots=True)
class RunSummary:
    account_id: int
    platform: str
    display_name: str
    since: datetime
    listed: int = 0
    added: int = 0
    edited: int = 0
    removed: int = 0
    complete_posts: int = 0
    calls: int = 0
    delivery_ids: list[int] = field(default_factory=list)
    #: Why the run stopped early or did not run (Swedish), if it did.
    stopped: str | None = None
    stopped_code: str | None = None
    resume_after: datetime | None = None

    def counts(self) -> dict[str, Any]:
        return {
            "since": self.since.isoformat(),
            "listed": self.listed,
            "added": self.added,
            "edited": self.edited,
            "removed": self.removed,
            "complete_posts": self.complete_posts,
            "calls": self.calls,
            "deliveries": self.delivery_ids,
            "stopped": self.stopped_code,
            "resume_after": self.resume_after.isoformat() if self.resume_after else None,
        }

    def line_sv(self) -> str:
        """One Swedish line for the operator."""
        name = f"{label(self.platform)}-kontot {self.display_name} (id {self.account_id})"
        if self.stopped_code == "paused":
            return f"{name}: inte avstämt – {self.stopped}."
        found = (
            f"{self.listed} kommentarer lästa, {self.added} saknades, {self.edited} ändrade, "
            f"{self.removed} borttagna"
        )
        queued = " – lagda i inkorgen" if self.delivery_ids else ""
        if self.stopped is not None:
            return f"{name}: {found}{queued}; avbröts: {self.stopped}."
        return f"{name}: {found}{queued}."


# -- comparing (pure) -----------------------------------------------------------------------


def observations(listing: Listing, known: dict[str, Known], *, since: datetime) -> list[dict[str, Any]]:
    """What the platform shows that our records do not: the body items of a ``polled`` delivery."""
    out: list[dict[str, Any]] = []
    listed: dict[str, ListedComment] = {}
    for comment in listing.comments:
        if comment.id:
            listed.setdefault(comment.id, comment)
    for comment in listed.values():
        ours = known.get(comment.id)
        if ours is None:
            out.append(_item(comment, "added"))
        elif (
            comment.text is not None
            and ours.state in ("visible", "hidden")
            and text_sha256(comment.text) != ours.text_sha256
        ):
            out.append(_item(comment, "edited"))
    for ours in known.values():
        if (
            ours.external_id not in listed
            and ours.state == "visible"
            and ours.post_id in listing.complete_posts
            and (ours.created_at is None or ours.created_at >= since)
            and (ours.parent_id is None or ours.parent_id in listed)
        ):
            out.append({"id": ours.external_id, "kind": "removed", "post_id": ours.post_id})
    return out


def _item(comment: ListedComment, kind: str) -> dict[str, Any]:
    item: dict[str, Any] = {
        "id": comment.id,
        "kind": kind,
        "text": comment.text,
        "created_at": comment.created_at,
        "version_at": comment.version_at,
        "author_id": comment.author_id,
        "author_name": comment.author_name,
        "post_id": comment.post_id,
        "parent_id": comment.parent_id,
    }
    if comment.media_urls:
        item["media_urls"] = list(comment.media_urls)
    return {k: v for k, v in item.items() if v is not None}


def delivery_bodies(
    account: Account, items: Sequence[dict[str, Any]], *, observed_at: datetime
) -> list[bytes]:
    return [
        json.dumps(
            {
                "schema": SCHEMA,
                "platform": account.platform,
                "account": account.external_id,
                "observed_at": observed_at.isoformat(),
                "comments": list(items[start : start + DELIVERY_CHUNK]),
            },
            ensure_ascii=False,
            sort_keys=True,
            separators=(",", ":"),
        ).encode("utf-8", "surrogatepass")
        for start in range(0, len(items), DELIVERY_CHUNK)
    ]


def summary_line_sv(tenant: str, summaries: Sequence[RunSummary]) -> str:
    """One line for a run over one or several accounts."""
    if len(summaries) == 1:
        return summaries[0].line_sv()
    total = {k: sum(getattr(s, k) for s in summaries) for k in ("listed", "added", "edited", "removed")}
    line = (
        f"Avstämning av {tenant}: {len(summaries)} konton, {total['listed']} kommentarer lästa, "
        f"{total['added']} saknades, {total['edited']} ändrade, {total['removed']} borttagna"
    )
    if any(s.delivery_ids for s in summaries):
        line += " – lagda i inkorgen"
    stopped = [s for s in summaries if s.stopped is not None]
    if stopped:
        line += "; " + "; ".join(
            f"{label(s.platform)}-kontot {s.display_name} (id {s.account_id}): {s.stopped}" for s in stopped
        )
    return line + "."
