"""Listing an organization's recent posts and their comments (Community Management API).

The reconciler's read side for LinkedIn (``app.reconcile``).  Calls, with the
sources recorded in ``shared/platforms.md`` §4.6 (Microsoft Learn, *Posts API*
"Find Posts by Authors" and *Comments API*):

* ``GET /rest/posts?q=author&author={organization URN}&sortBy=LAST_MODIFIED``
  — the organization's posts, most recently changed first, paged with
  ``start``/``count``;
* ``GET /rest/socialActions/{post URN}/comments`` — the comments on a post,
  paged the same way; a comment whose ``commentsSummary`` counts replies is
  listed in turn with its own URN as the path object (the documented way to
  read replies).

URNs go percent-encoded into paths and queries (Rest.li 2.0).  Whether a
comment URN read here is spelt with the same post URN kind (``activity``,
``share``, ``ugcPost``) as the one webhooks give needs a live check; both
spellings of the comment URN itself are normalised to the long form.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

from app.platforms.errors import REASON_UNEXPECTED, PlatformTransientError
from app.platforms.linkedin.client import LinkedInClient, _check_organization, _json, encode_urn
from app.platforms.linkedin.webhook import normalise_comment_urn
from app.platforms.listing import ListedComment, Listing, obj

PAGE_SIZE = 50


class LinkedInListingClient(LinkedInClient):
    def list_organization(
        self, organization_urn: str, *, access_token: str, since: datetime, max_posts: int, listing: Listing
    ) -> None:
        """Comments on the organization's posts changed since ``since`` (at most ``max_posts``),
        into ``listing``."""
        actor = _check_organization(organization_urn)
        since_ms = int(since.timestamp() * 1000)
        posts = self._elements(
            f"/rest/posts?q=author&author={encode_urn(actor)}&sortBy=LAST_MODIFIED", access_token, listing
        )
        for count, post in enumerate(posts):
            changed = post.get("lastModifiedAt") or post.get("createdAt")
            if count >= max_posts or (isinstance(changed, int) and changed < since_ms):
                break  # most recently changed first: the rest are older
            post_urn = str(post.get("id") or "")
            if not post_urn:
                continue
            self._comments_of(post_urn, post_urn, access_token, listing, depth=0)
            listing.complete_posts.add(post_urn)

    def _comments_of(
        self, post_urn: str, object_urn: str, access_token: str, listing: Listing, *, depth: int
    ) -> None:
        for item in self._elements(
            f"/rest/socialActions/{encode_urn(object_urn)}/comments?", access_token, listing
        ):
            comment = _comment(item, post_urn, object_urn if depth else None)
            if comment is None:
                continue
            listing.comments.append(comment)
            summary = obj(item.get("commentsSummary"))
            replies = summary.get("aggregatedTotalComments") or summary.get("totalFirstLevelComments")
            if depth == 0 and isinstance(replies, int) and replies > 0:
                # LinkedIn threads two levels deep: replies hang under the top-level comment.
                self._comments_of(post_urn, comment.id, access_token, listing, depth=1)

    def _elements(self, path: str, access_token: str, listing: Listing) -> Iterator[dict[str, Any]]:
        separator = "" if path.endswith("?") else "&"
        start = 0
        for _ in range(1000):
            listing.calls += 1
            body = _json(self._call("GET", f"{path}{separator}start={start}&count={PAGE_SIZE}", access_token))
            elements = body.get("elements") if isinstance(body, dict) else None
            if not isinstance(elements, list):
                raise PlatformTransientError(REASON_UNEXPECTED, None, code="unexpected_response")
            yield from (e for e in elements if isinstance(e, dict))
            paging = obj(body.get("paging"))
            total = paging.get("total")
            start += len(elements)
            if len(elements) < PAGE_SIZE or (isinstance(total, int) and start >= total):
                return


def _comment(item: dict[str, Any], post_urn: str, parent_urn: str | None) -> ListedComment | None:
    urn = item.get("commentUrn") or item.get("$URN")
    if not isinstance(urn, str) or not urn.startswith("urn:li:comment:"):
        return None
    message = obj(item.get("message"))
    created = obj(item.get("created"))
    modified = obj(item.get("lastModified"))
    created_ms, modified_ms = created.get("time"), modified.get("time")
    parent = item.get("parentComment") if isinstance(item.get("parentComment"), str) else parent_urn
    return ListedComment(
        id=normalise_comment_urn(urn),
        post_id=post_urn,
        text=message.get("text") if isinstance(message.get("text"), str) else None,
        created_at=_iso_ms(created_ms),
        author_id=str(item["actor"]) if isinstance(item.get("actor"), str) else None,
        parent_id=normalise_comment_urn(parent) if parent else None,
        # Two runs that see the same edit give the same event key (``app.platforms.polled``).
        version_at=_iso_ms(modified_ms) if modified_ms != created_ms else None,
    )


def _iso_ms(value: Any) -> str | None:
    """LinkedIn's epoch milliseconds as ISO-8601 UTC."""
    if not isinstance(value, int) or isinstance(value, bool):
        return None
    try:
        return datetime.fromtimestamp(value / 1000, UTC).isoformat()
    except (OverflowError, OSError, ValueError):
        return None
