"""A fake YouTube Data API v3: comment threads, comments and their moderation calls.

Shapes from Google's reference (developers.google.com/youtube/v3/docs):
``commentThreads.list`` (``allThreadsRelatedToChannelId``, ``part=snippet,replies``,
``pageToken``/``nextPageToken``; ``replies.comments`` carries only some of a
thread's replies), ``comments.list`` (``parentId``), ``comments.setModerationStatus``
(204), ``comments.delete`` (204), ``comments.insert`` (the new comment resource).
Errors are Google's ``{"error": {"code", "message", "errors": [{"domain", "reason"}]}}``;
faults: ``quota`` (403 ``quotaExceeded``), ``rate`` (403 ``rateLimitExceeded``),
``500``, ``401``, ``404`` (``commentNotFound``).  A reply's id is
``{thread id}.{reply id}``, as YouTube's are.
"""

from __future__ import annotations

import itertools
import threading
from collections import deque
from dataclasses import dataclass
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from tests.fakes.graph_api import RecordedCall

FAULTS = ("quota", "rate", "500", "401", "404")
#: Replies included in a thread of ``commentThreads.list``; the rest need ``comments.list``.
INCLUDED_REPLIES = 1


@dataclass(slots=True)
class FakeYouTubeComment:
    id: str
    channel_id: str
    video_id: str
    text: str
    published_at: str
    updated_at: str
    author_name: str = "Testa Testsson"
    author_channel_id: str = "UCtesta0000000000000000"
    parent_id: str | None = None
    moderation_status: str = "published"
    deleted: bool = False


class FakeYouTubeAPI:
    def __init__(self, *, valid_token: str = "ya29.fake-youtube-token", page_size: int = 2) -> None:  # noqa: S107
        self.valid_token = valid_token
        self.page_size = page_size
        self._lock = threading.Lock()
        self._comments: dict[str, FakeYouTubeComment] = {}
        self._faults: deque[str] = deque()
        self._calls: list[RecordedCall] = []
        self._ids = itertools.count(1)
        #: Google's token endpoint: refresh tokens it honours, access tokens it has issued.
        self.refresh_tokens: set[str] = set()
        self.issued: list[str] = []
        self.token_lifetime_s = 3599
        self.app = Starlette(
            routes=[
                Route("/youtube/v3/{rest:path}", self._handle, methods=["GET", "POST", "DELETE"]),
                Route("/token", self._token, methods=["POST"]),
            ]
        )

    # --- test API -----------------------------------------------------------------------------

    def add_comment(
        self,
        comment_id: str,
        *,
        channel_id: str,
        video_id: str,
        text: str,
        published_at: str,
        parent_id: str | None = None,
    ) -> None:
        with self._lock:
            self._comments[comment_id] = FakeYouTubeComment(
                comment_id, channel_id, video_id, text, published_at, published_at, parent_id=parent_id
            )

    def edit_comment(self, comment_id: str, text: str, *, updated_at: str) -> None:
        with self._lock:
            self._comments[comment_id].text = text
            self._comments[comment_id].updated_at = updated_at

    def comment(self, comment_id: str) -> FakeYouTubeComment:
        with self._lock:
            return self._comments[comment_id]

    def fail_next(self, n: int, kind: str) -> None:
        if kind not in FAULTS:
            raise ValueError(kind)
        with self._lock:
            self._faults.extend([kind] * n)

    @property
    def calls(self) -> list[RecordedCall]:
        with self._lock:
            return list(self._calls)

    def reset(self) -> None:
        with self._lock:
            self._comments.clear()
            self._faults.clear()
            self._calls.clear()
            self.refresh_tokens.clear()
            self.issued.clear()

    # --- HTTP ---------------------------------------------------------------------------------

    async def _token(self, request: Request) -> Response:
        """``POST /token`` (grant_type=refresh_token), as oauth2.googleapis.com answers it."""
        form = await request.form()
        if (
            form.get("grant_type") != "refresh_token"
            or not form.get("client_id")
            or not form.get("client_secret")
        ):
            return JSONResponse({"error": "invalid_request"}, status_code=400)
        if form.get("refresh_token") not in self.refresh_tokens:
            return JSONResponse(
                {"error": "invalid_grant", "error_description": "Token has been expired or revoked."},
                status_code=400,
            )
        with self._lock:
            token = f"ya29.issued-{len(self.issued) + 1}"
            self.issued.append(token)
        return JSONResponse(
            {
                "access_token": token,
                "expires_in": self.token_lifetime_s,
                "scope": "https://www.googleapis.com/auth/youtube.force-ssl",
                "token_type": "Bearer",
            }
        )

    async def _handle(self, request: Request) -> Response:
        body = await request.body()
        call = RecordedCall(
            method=request.method,
            path=request.url.path,
            raw_path=request.scope.get("raw_path", b"").decode("latin-1"),
            query=dict(request.query_params),
            form={},
            headers={k: v for k, v in request.headers.items() if k.lower() != "authorization"},
            token_valid=request.headers.get("authorization")
            in {f"Bearer {t}" for t in (self.valid_token, *self.issued)},
        )
        with self._lock:
            self._calls.append(call)
            fault = self._faults.popleft() if self._faults else None
        if fault == "quota":
            return _error(
                403,
                "youtube.quota",
                "quotaExceeded",
                "The request cannot be completed because you have exceeded your quota.",
            )
        if fault == "rate":
            return _error(403, "youtube.quota", "rateLimitExceeded", "The request rate is too high.")
        if fault == "500":
            return _error(500, "global", "backendError", "Backend Error")
        if fault == "401" or not call.token_valid:
            return _error(401, "global", "authError", "Invalid Credentials")
        if fault == "404":
            return _error(404, "youtube.comment", "commentNotFound", "The comment could not be found.")
        resource = call.path.removeprefix("/youtube/v3/")
        with self._lock:
            if resource == "commentThreads" and call.method == "GET":
                return self._threads(call.query)
            if resource == "comments" and call.method == "GET":
                return self._replies(call.query)
            if resource == "comments/setModerationStatus" and call.method == "POST":
                comment = self._live(call.query.get("id", ""))
                status = call.query.get("moderationStatus")
                if comment is None:
                    return _error(
                        404, "youtube.comment", "commentNotFound", "The comment could not be found."
                    )
                if status not in ("heldForReview", "published", "rejected"):
                    return _error(
                        400, "youtube.comment", "invalidModerationStatus", "Invalid moderation status"
                    )
                comment.moderation_status = status
                return Response(status_code=204)
            if resource == "comments" and call.method == "DELETE":
                comment = self._live(call.query.get("id", ""))
                if comment is None:
                    return _error(
                        404, "youtube.comment", "commentNotFound", "The comment could not be found."
                    )
                comment.deleted = True
                return Response(status_code=204)
            if resource == "comments" and call.method == "POST":
                return self._insert(body)
        return _error(404, "global", "notFound", "Not Found")

    def _live(self, comment_id: str) -> FakeYouTubeComment | None:
        comment = self._comments.get(comment_id)
        return comment if comment is not None and not comment.deleted else None

    def _threads(self, query: dict[str, str]) -> Response:
        channel = query.get("allThreadsRelatedToChannelId")
        if not channel:
            return _error(400, "youtube.parameter", "missingRequiredParameter", "No filter selected.")
        tops = sorted(
            (
                c
                for c in self._comments.values()
                if c.channel_id == channel and c.parent_id is None and self._public(c)
            ),
            key=lambda c: c.published_at,
            reverse=True,
        )
        items = []
        for top in tops:
            replies = [c for c in self._comments.values() if c.parent_id == top.id and self._public(c)]
            thread: dict[str, Any] = {
                "kind": "youtube#commentThread",
                "id": top.id,
                "snippet": {
                    "channelId": channel,
                    "videoId": top.video_id,
                    "topLevelComment": _resource(top),
                    "canReply": True,
                    "totalReplyCount": len(replies),
                    "isPublic": True,
                },
            }
            if replies and "replies" in query.get("part", ""):
                thread["replies"] = {"comments": [_resource(r) for r in replies[:INCLUDED_REPLIES]]}
            items.append(thread)
        return self._page(query, items, "youtube#commentThreadListResponse")

    def _replies(self, query: dict[str, str]) -> Response:
        parent = query.get("parentId")
        items = [_resource(c) for c in self._comments.values() if c.parent_id == parent and self._public(c)]
        return self._page(query, items, "youtube#commentListResponse")

    def _insert(self, body: bytes) -> Response:
        import json

        try:
            snippet = json.loads(body)["snippet"]
            parent = self._live(snippet["parentId"])
            text = snippet["textOriginal"]
        except (ValueError, KeyError, TypeError):
            return _error(400, "youtube.comment", "invalidCommentMetadata", "Invalid comment metadata")
        if parent is None or parent.parent_id is not None:
            return _error(404, "youtube.comment", "parentCommentNotFound", "Parent comment not found")
        new_id = f"{parent.id}.reply{next(self._ids)}"
        self._comments[new_id] = FakeYouTubeComment(
            new_id,
            parent.channel_id,
            parent.video_id,
            text,
            "2026-12-03T09:00:00Z",
            "2026-12-03T09:00:00Z",
            author_name="Kommunen",
            author_channel_id=parent.channel_id,
            parent_id=parent.id,
        )
        return JSONResponse(_resource(self._comments[new_id]))

    @staticmethod
    def _public(comment: FakeYouTubeComment) -> bool:
        return not comment.deleted and comment.moderation_status == "published"

    def _page(self, query: dict[str, str], items: list[dict[str, Any]], kind: str) -> Response:
        start = int(query.get("pageToken", "0") or 0)
        page = items[start : start + self.page_size]
        body: dict[str, Any] = {
            "kind": kind,
            "pageInfo": {"totalResults": len(items), "resultsPerPage": self.page_size},
            "items": page,
        }
        if start + len(page) < len(items):
            body["nextPageToken"] = str(start + len(page))
        return JSONResponse(body)


def _resource(comment: FakeYouTubeComment) -> dict[str, Any]:
    snippet: dict[str, Any] = {
        "channelId": comment.channel_id,
        "videoId": comment.video_id,
        "textDisplay": comment.text,
        "textOriginal": comment.text,
        "authorDisplayName": comment.author_name,
        "authorChannelId": {"value": comment.author_channel_id},
        "canRate": True,
        "viewerRating": "none",
        "likeCount": 0,
        "moderationStatus": comment.moderation_status,
        "publishedAt": comment.published_at,
        "updatedAt": comment.updated_at,
    }
    if comment.parent_id is not None:
        snippet["parentId"] = comment.parent_id
    return {"kind": "youtube#comment", "id": comment.id, "snippet": snippet}


def _error(status: int, domain: str, reason: str, message: str) -> Response:
    return JSONResponse(
        {
            "error": {
                "code": status,
                "message": message,
                "errors": [{"message": message, "domain": domain, "reason": reason}],
            }
        },
        status_code=status,
    )
