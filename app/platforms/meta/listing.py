"""Listing a Page's or an Instagram account's recent posts and their comments (Graph API).

Webhooks are the fast path; this is the safety net a reconciliation run
reads (``app.reconcile``).  Calls, from Meta's documentation as recorded in
``shared/platforms.md`` §3:

* Facebook: ``GET /{page-id}/posts?since=…`` (the Page's posts, newest first,
  time-based ``since``), then ``GET /{post-id}/comments?filter=stream`` — every
  comment and reply in one chronological stream, "useful for comment moderation
  tools"; ids are returned only to a token that can MODERATE the Page (§3.2).
* Instagram: ``GET /{ig-user-id}/media`` (newest first) and
  ``GET /{ig-media-id}/comments`` with the ``replies`` field expanded (the
  comments edge lists top-level comments only; §3.3).
* Paging follows the cursor answers: ``paging.cursors.after`` while
  ``paging.next`` is present.

It subclasses the action client, so every Graph call goes through the same
``_call`` (token in the header, the same error classification, usage headers):
a throttle answer is a ``PlatformTransientError`` with the platform's wait,
which the reconciler turns into "stop and resume later".
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Any

from app.platforms.errors import REASON_UNEXPECTED, PlatformTransientError
from app.platforms.listing import ListedComment, Listing, obj
from app.platforms.meta.client import MetaGraphClient, _path
from app.platforms.polled import utc_time

FACEBOOK_COMMENT_FIELDS = "id,message,created_time,from,parent{id},attachment{type,media,url}"
INSTAGRAM_COMMENT_FIELDS = (
    "id,text,timestamp,from,username,parent_id,replies{id,text,timestamp,from,username,parent_id}"
)
PAGE_SIZE = "100"


class MetaListingClient(MetaGraphClient):
    """Read-only listing calls; one call is one request, paging is the caller's loop here."""

    def list_facebook(
        self, page_id: str, *, access_token: str, since: datetime, max_posts: int, listing: Listing
    ) -> None:
        """Comments on the Page's posts created since ``since`` (at most ``max_posts`` posts),
        into ``listing`` (which keeps what was read if a call fails half-way)."""
        posts = self._pages(
            f"{_path(page_id)}/posts",
            {"fields": "id,created_time", "since": str(int(since.timestamp())), "limit": "25"},
            access_token,
            listing,
        )
        for count, post in enumerate(posts):
            if count >= max_posts:
                break
            post_id = str(post.get("id") or "")
            if not post_id:
                continue
            for item in self._pages(
                f"{_path(post_id)}/comments",
                {"filter": "stream", "fields": FACEBOOK_COMMENT_FIELDS, "limit": PAGE_SIZE},
                access_token,
                listing,
            ):
                listing.comments.append(_facebook_comment(item, post_id))
            listing.complete_posts.add(post_id)

    def list_instagram(
        self, ig_user_id: str, *, access_token: str, since: datetime, max_posts: int, listing: Listing
    ) -> None:
        """Comments (and their replies) on the account's media published since ``since``."""
        media = self._pages(
            f"{_path(ig_user_id)}/media", {"fields": "id,timestamp", "limit": "25"}, access_token, listing
        )
        for count, item in enumerate(media):
            published = utc_time(item.get("timestamp"))
            if count >= max_posts or (published is not None and published < since):
                break  # newest first: everything after this is older
            media_id = str(item.get("id") or "")
            if not media_id:
                continue
            for comment in self._pages(
                f"{_path(media_id)}/comments",
                {"fields": INSTAGRAM_COMMENT_FIELDS, "limit": PAGE_SIZE},
                access_token,
                listing,
            ):
                listing.comments.append(_instagram_comment(comment, media_id, None))
                replies = comment.get("replies")
                for reply in replies.get("data", []) if isinstance(replies, dict) else []:
                    if isinstance(reply, dict):
                        listing.comments.append(_instagram_comment(reply, media_id, str(comment.get("id"))))
            listing.complete_posts.add(media_id)

    def _pages(
        self, path: str, params: dict[str, str], access_token: str, listing: Listing
    ) -> Iterator[dict[str, Any]]:
        """Every item of an edge, page by page (``paging.cursors.after`` while ``next`` is given)."""
        query = dict(params)
        for _ in range(1000):  # a bound, in case a platform ever pages in a circle
            listing.calls += 1
            body = self._call("GET", path, access_token, params=query)
            data = body.get("data") if isinstance(body, dict) else None
            if not isinstance(data, list):
                raise PlatformTransientError(REASON_UNEXPECTED, None, code="unexpected_response")
            yield from (item for item in data if isinstance(item, dict))
            paging = obj(body.get("paging"))
            cursors = obj(paging.get("cursors"))
            after = cursors.get("after")
            if not paging.get("next") or not isinstance(after, str) or not after:
                return
            query["after"] = after


def _facebook_comment(item: dict[str, Any], post_id: str) -> ListedComment:
    sender = obj(item.get("from"))
    parent = obj(item.get("parent"))
    attachment = obj(item.get("attachment"))
    media = obj(attachment.get("media"))
    image = obj(media.get("image"))
    src = image.get("src")
    return ListedComment(
        id=str(item.get("id") or ""),
        post_id=post_id,
        text=item.get("message") if isinstance(item.get("message"), str) else None,
        created_at=str(item["created_time"]) if item.get("created_time") is not None else None,
        author_id=str(sender["id"]) if sender.get("id") is not None else None,
        author_name=str(sender["name"]) if sender.get("name") is not None else None,
        parent_id=str(parent["id"]) if parent.get("id") is not None else None,
        media_urls=(src,) if isinstance(src, str) and src else (),
    )


def _instagram_comment(item: dict[str, Any], media_id: str, parent_id: str | None) -> ListedComment:
    sender = obj(item.get("from"))
    return ListedComment(
        id=str(item.get("id") or ""),
        post_id=media_id,
        text=item.get("text") if isinstance(item.get("text"), str) else None,
        created_at=str(item["timestamp"]) if item.get("timestamp") is not None else None,
        author_id=str(sender["id"]) if sender.get("id") is not None else None,
        author_name=str(sender.get("username") or item.get("username") or "") or None,
        parent_id=str(item.get("parent_id") or parent_id or "") or None,
    )
