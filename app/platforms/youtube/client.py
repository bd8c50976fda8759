"""YouTube Data API v3 client: list a channel's comments, moderate, delete and reply.

YouTube sends no comment webhooks, so its comments are polled by the
reconciler (``app.reconcile``) and land in the same inbox as everything else.
Calls and costs, from Google's reference (developers.google.com/youtube/v3/docs,
pages ``commentThreads/list``, ``comments/list``, ``comments/setModerationStatus``,
``comments/delete``, ``comments/insert`` and the quota calculator
``determine_quota_cost``):

=============================================  ======  ===========================================
call                                           units   what for
=============================================  ======  ===========================================
``GET commentThreads?allThreadsRelatedTo…``       1    the channel's threads (top-level + replies)
``GET comments?parentId=…``                       1    the rest of a thread's replies
``POST comments/setModerationStatus``            50    hide (``heldForReview``), unhide (``published``)
``DELETE comments?id=…``                         50    delete
``POST comments?part=snippet``                   50    reply (``snippet.parentId``)
=============================================  ======  ===========================================

The quota is per Google Cloud project and day (reset at midnight Pacific
time), 10,000 units by default.  Every call first asks ``spend`` for its
units; when the day's budget would be exceeded the call is not made and a
``PlatformTransientError`` (``quota_exhausted``) says when the next day
starts.  As for the other platforms, one call is one request and retries
belong to the caller.  Google's errors carry a ``reason`` (``quotaExceeded``,
``commentNotFound``, ``insufficientPermissions`` …) that decides the class.

Replies: YouTube threads are one level deep and a reply's id is
``{thread id}.{reply id}``, so a reply to a reply is posted to the thread.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta, timezone
from types import TracebackType
from typing import Any, Self
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import httpx

from app.platforms.errors import (
    REASON_CONNECTION,
    REASON_GONE,
    REASON_INVALID_ID,
    REASON_TIMEOUT,
    REASON_UNEXPECTED,
    PlatformError,
    PlatformPermanentError,
    PlatformTransientError,
    reason_permission,
    reason_rate_limited,
    reason_rejected,
    reason_server_error,
    reason_token,
    retry_after_from_headers,
)
from app.platforms.listing import ListedComment, Listing, obj
from app.platforms.polled import utc_time

#: Units per call (Google's quota calculator).
COST_LIST = 1
COST_WRITE = 50


def _pacific() -> Any:
    """Pacific time; without the system's time-zone data, its standard offset (an hour early
    in summer, which only makes the budget reset late, never early)."""
    try:
        return ZoneInfo("America/Los_Angeles")
    except ZoneInfoNotFoundError:
        return timezone(timedelta(hours=-8))


QUOTA_ZONE = _pacific()
REASON_QUOTA = "YouTubes dagskvot för Uppsikt är förbrukad; nästa försök när den nya kvotdagen börjar."
_RATE_REASONS = frozenset({"rateLimitExceeded", "userRateLimitExceeded"})
_TOKEN_REASONS = frozenset({"authError", "unauthorized", "invalidCredentials"})
_PERMISSION_REASONS = frozenset({"forbidden", "insufficientPermissions", "commentsDisabled"})
_GONE_REASONS = frozenset({"commentNotFound", "parentCommentNotFound", "notFound"})

#: Called with the units a request costs before it is made; raises to refuse it.
Spend = Callable[[int], None]


def quota_day(now: datetime) -> str:
    """The quota day a moment belongs to (YouTube resets quotas at midnight Pacific time)."""
    return now.astimezone(QUOTA_ZONE).date().isoformat()


def seconds_to_next_quota_day(now: datetime) -> float:
    local = now.astimezone(QUOTA_ZONE)
    midnight = datetime.combine(local.date() + timedelta(days=1), datetime.min.time(), QUOTA_ZONE)
    return max(1.0, (midnight - local).total_seconds())


class QuotaExhausted(PlatformTransientError):
    def __init__(self, now: datetime | None = None) -> None:
        super().__init__(
            REASON_QUOTA, seconds_to_next_quota_day(now or datetime.now(UTC)), code="quota_exhausted"
        )


def _no_budget(units: int) -> None:
    """Without a budget every call is allowed (tests of the client alone)."""


class YouTubeClient:
    def __init__(
        self,
        *,
        base_url: str,
        timeout: float = 10.0,
        spend: Spend = _no_budget,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self.spend = spend
        self._http = httpx.Client(
            base_url=base_url.rstrip("/"),
            timeout=httpx.Timeout(timeout),
            transport=transport,
            follow_redirects=False,
            headers={"Accept": "application/json"},
        )

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    # --- moderation ---------------------------------------------------------------------------

    def set_moderation_status(self, comment_id: str, *, status: str, access_token: str) -> None:
        """``heldForReview`` hides a comment from the public, ``published`` shows it again,
        ``rejected`` hides it for good."""
        if status not in ("heldForReview", "published", "rejected"):
            raise ValueError(status)
        self._call(
            "POST",
            "/comments/setModerationStatus",
            access_token,
            COST_WRITE,
            params={"id": _id(comment_id), "moderationStatus": status},
        )

    def delete_comment(self, comment_id: str, *, access_token: str) -> None:
        self._call("DELETE", "/comments", access_token, COST_WRITE, params={"id": _id(comment_id)})

    def reply(self, comment_id: str, *, message: str, access_token: str) -> str:
        """Reply in the comment's thread; returns the new comment's id."""
        thread_id = _id(comment_id).split(".", 1)[0]
        body = self._call(
            "POST",
            "/comments",
            access_token,
            COST_WRITE,
            params={"part": "snippet"},
            json={"snippet": {"parentId": thread_id, "textOriginal": message}},
        )
        new_id = body.get("id") if isinstance(body, dict) else None
        if not isinstance(new_id, str) or not new_id:
            raise PlatformPermanentError(
                "Svaret publicerades troligen men plattformen returnerade inget id; kontrollera på "
                "plattformen innan du svarar igen.",
                "reply_id_missing",
            )
        return new_id

    # --- listing ------------------------------------------------------------------------------

    def list_channel(
        self, channel_id: str, *, access_token: str, since: datetime, max_threads: int, listing: Listing
    ) -> None:
        """The channel's comment threads with activity since ``since``, newest first, into ``listing``.

        A video counts as completely listed (``complete_posts``) when the run
        reached the end of the channel's threads or threads older than ``since``.
        """
        videos: set[str] = set()
        seen = 0
        for thread in self._pages(
            "/commentThreads",
            {
                "part": "snippet,replies",
                "allThreadsRelatedToChannelId": _id(channel_id),
                "maxResults": "100",
                "order": "time",
                "textFormat": "plainText",
            },
            access_token,
            listing,
        ):
            snippet = obj(thread.get("snippet"))
            top = obj(snippet.get("topLevelComment"))
            comment = _comment(top, None)
            if comment is None:
                continue
            changed = utc_time(comment.version_at or comment.created_at)
            if seen >= max_threads or (changed is not None and changed < since):
                break
            seen += 1
            videos.add(comment.post_id)
            listing.comments.append(comment)
            replies = obj(thread.get("replies"))
            included = [r for r in replies.get("comments", []) if isinstance(r, dict)]
            total = snippet.get("totalReplyCount")
            if isinstance(total, int) and total > len(included):
                # commentThreads carries only some replies; comments.list has them all.
                included = list(
                    self._pages(
                        "/comments",
                        {
                            "part": "snippet",
                            "parentId": comment.id,
                            "maxResults": "100",
                            "textFormat": "plainText",
                        },
                        access_token,
                        listing,
                    )
                )
            for reply in included:
                found = _comment(reply, comment.id, video_id=comment.post_id)
                if found is not None:
                    listing.comments.append(found)
        listing.complete_posts |= videos

    def _pages(
        self, path: str, params: dict[str, str], access_token: str, listing: Listing
    ) -> Iterator[dict[str, Any]]:
        query = dict(params)
        for _ in range(1000):
            listing.calls += 1
            body = self._call("GET", path, access_token, COST_LIST, params=query)
            items = body.get("items") if isinstance(body, dict) else None
            if not isinstance(items, list):
                raise PlatformTransientError(REASON_UNEXPECTED, None, code="unexpected_response")
            yield from (i for i in items if isinstance(i, dict))
            token = body.get("nextPageToken")
            if not isinstance(token, str) or not token:
                return
            query["pageToken"] = token

    # --- transport ----------------------------------------------------------------------------

    def _call(
        self,
        method: str,
        path: str,
        access_token: str,
        units: int,
        *,
        params: dict[str, str] | None = None,
        json: dict[str, Any] | None = None,
    ) -> Any:
        self.spend(units)
        try:
            response = self._http.request(
                method, path, params=params, json=json, headers={"Authorization": f"Bearer {access_token}"}
            )
        except httpx.TimeoutException as exc:
            raise PlatformTransientError(REASON_TIMEOUT, None, code="timeout") from exc
        except httpx.TransportError as exc:
            raise PlatformTransientError(REASON_CONNECTION, None, code="connection_error") from exc
        try:
            body = response.json() if response.content else None
        except ValueError:
            body = None
        if response.is_success:
            return body
        raise classify_youtube_error(response.status_code, body, response.headers, access_token)


def classify_youtube_error(
    status: int, body: Any, headers: httpx.Headers | dict[str, str], access_token: str = ""
) -> PlatformError:
    """Google's ``error.errors[].reason`` first, then the HTTP status."""
    retry_after = retry_after_from_headers(headers)
    error = obj(obj(body).get("error"))
    details: list[Any] = error["errors"] if isinstance(error.get("errors"), list) else []
    reasons = {str(d.get("reason")) for d in details if isinstance(d, dict)}
    message = str(error.get("message") or "")
    detail = (message.replace(access_token, "[token]") if access_token else message)[:500] or None
    code_text = f"HTTP {status}" + (f", {sorted(reasons)[0]}" if reasons else "")
    if "quotaExceeded" in reasons or "dailyLimitExceeded" in reasons:
        error_out: PlatformError = QuotaExhausted()
        error_out.detail = detail
        return error_out
    if reasons & _RATE_REASONS or status == 429:
        return PlatformTransientError(
            reason_rate_limited(retry_after), retry_after, code="rate_limited", detail=detail
        )
    if status >= 500 or "backendError" in reasons:
        return PlatformTransientError(
            reason_server_error(status), retry_after, code="platform_unavailable", detail=detail
        )
    if status == 401 or reasons & _TOKEN_REASONS:
        return PlatformPermanentError(reason_token(code_text), "token_invalid", detail=detail)
    if reasons & _GONE_REASONS or status == 404:
        return PlatformPermanentError(REASON_GONE, "comment_gone", detail=detail)
    if status == 403 or reasons & _PERMISSION_REASONS:
        return PlatformPermanentError(reason_permission(code_text), "permission_denied", detail=detail)
    return PlatformPermanentError(reason_rejected(code_text), "rejected", detail=detail)


def _id(value: str) -> str:
    if (
        not isinstance(value, str)
        or not value
        or len(value) > 200
        or not all(c.isalnum() or c in "-_." for c in value)
    ):
        raise PlatformPermanentError(REASON_INVALID_ID, "invalid_id")
    return value


def _comment(
    item: dict[str, Any], parent_id: str | None, *, video_id: str | None = None
) -> ListedComment | None:
    snippet = obj(item.get("snippet"))
    comment_id = item.get("id")
    video = snippet.get("videoId") or video_id
    if not isinstance(comment_id, str) or not comment_id or not isinstance(video, str):
        return None
    author = obj(snippet.get("authorChannelId"))
    text = snippet.get("textOriginal") if isinstance(snippet.get("textOriginal"), str) else None
    if text is None and isinstance(snippet.get("textDisplay"), str):
        text = snippet["textDisplay"]
    published, updated = snippet.get("publishedAt"), snippet.get("updatedAt")
    return ListedComment(
        id=comment_id,
        post_id=video,
        text=text,
        created_at=str(published) if published else None,
        author_id=str(author["value"]) if author.get("value") else None,
        author_name=str(snippet["authorDisplayName"]) if snippet.get("authorDisplayName") else None,
        parent_id=parent_id or (str(snippet["parentId"]) if snippet.get("parentId") else None),
        version_at=str(updated) if updated and updated != published else None,
    )
