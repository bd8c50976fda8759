"""A fake LinkedIn Community Management API: delete and reply on organization posts.

It insists on what the real API insists on (shared/platforms.md §4.6): the
``LinkedIn-Version`` and ``X-Restli-Protocol-Version: 2.0.0`` headers, a bearer
token, URNs percent-encoded in the path and the ``actor`` query, and an
``actor`` that administers the post.  Faults: 429, 500, a hang (``timeout``),
401, 403 and 404, with LinkedIn-shaped error bodies.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import re
import threading
from collections import deque
from dataclasses import dataclass
from typing import Any, Literal
from urllib.parse import parse_qsl, unquote

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from tests.fakes.graph_api import RecordedCall

LinkedInFault = Literal["429", "500", "timeout", "401", "403", "404"]
FAULTS: tuple[str, ...] = ("429", "500", "timeout", "401", "403", "404")

_COMMENT_URN = re.compile(r"urn:li:comment:\((urn:li:(?:activity|share|ugcPost):[0-9]+),([0-9]+)\)")


@dataclass(slots=True)
class FakeLinkedInComment:
    urn: str
    post_urn: str
    comment_id: str
    organization_urn: str
    text: str
    deleted: bool = False
    parent_urn: str | None = None
    actor: str | None = None


class FakeLinkedInAPI:
    """In-memory comments on organization posts, keyed by the long comment URN."""

    def __init__(
        self,
        *,
        valid_token: str = "AQV-fake-linkedin-token",  # noqa: S107 - a made-up test token
        timeout_delay: float = 1.0,
        retry_after: int | None = 60,
    ) -> None:
        self.valid_token = valid_token
        self.timeout_delay = timeout_delay
        #: ``Retry-After`` on a 429; ``None`` leaves the header out, as LinkedIn usually does.
        self.retry_after = retry_after
        self._lock = threading.Lock()
        self._comments: dict[str, FakeLinkedInComment] = {}
        self._faults: deque[str] = deque()
        self._calls: list[RecordedCall] = []
        self._ids = itertools.count(7_100_000_000_000_000_001)
        self._init_listing()
        self.app = Starlette(routes=[Route("/{rest:path}", self._handle, methods=["GET", "POST", "DELETE"])])

    # --- test API -----------------------------------------------------------------------------

    def add_comment(self, comment_urn: str, *, organization_urn: str, text: str = "Hej") -> None:
        """Store a comment (long URN form) on a post that ``organization_urn`` administers."""
        match = _COMMENT_URN.fullmatch(comment_urn)
        if match is None:
            raise ValueError(f"use the long URN form: {comment_urn!r}")
        with self._lock:
            self._comments[comment_urn] = FakeLinkedInComment(
                urn=comment_urn,
                post_urn=match[1],
                comment_id=match[2],
                organization_urn=organization_urn,
                text=text,
            )

    def comment(self, comment_urn: str) -> FakeLinkedInComment:
        """The stored comment (deleted ones included); ``KeyError`` if it never existed."""
        with self._lock:
            return self._comments[comment_urn]

    def fail_next(self, n: int, kind: LinkedInFault) -> None:
        if kind not in FAULTS:
            raise ValueError(f"unknown fault {kind!r}; choose one of {FAULTS}")
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

    # --- HTTP ---------------------------------------------------------------------------------

    async def _handle(self, request: Request) -> Response:
        body = await request.body()
        raw_target = request.scope.get("raw_path", b"").decode("latin-1")
        query_string = request.scope.get("query_string", b"").decode("latin-1")
        token = request.headers.get("authorization", "")
        call = RecordedCall(
            method=request.method,
            path=request.url.path,
            raw_path=raw_target + (f"?{query_string}" if query_string else ""),
            query=dict(parse_qsl(query_string, keep_blank_values=True)),
            form={},
            headers={k: v for k, v in request.headers.items() if k.lower() != "authorization"},
            token_valid=token == f"Bearer {self.valid_token}",
        )
        with self._lock:
            self._calls.append(call)
            fault = self._faults.popleft() if self._faults else None
        if fault is not None:
            return await self._fault(fault)
        if not call.token_valid:
            return _error(
                401, "EMPTY_ACCESS_TOKEN" if not token else "INVALID_ACCESS_TOKEN", "Invalid access token"
            )
        if request.headers.get("x-restli-protocol-version") != "2.0.0" or not request.headers.get(
            "linkedin-version"
        ):
            return _error(426, "VERSION_MISSING", "A version must be present. Please specify a version.")
        if call.method == "GET":  # reconciliation's listing calls (block at the end of the class)
            return self._list(raw_target, call.query)
        return self._route(call, raw_target, query_string, body)

    def _route(self, call: RecordedCall, raw_path: str, query_string: str, body: bytes) -> Response:
        segments = raw_path.strip("/").split("/")
        if len(segments) < 4 or segments[:2] != ["rest", "socialActions"] or segments[3] != "comments":
            return _error(404, "NOT_FOUND", "No virtual resource found")
        if ":" in segments[2] or ":" in query_string:
            # Rest.li 2.0 needs URNs percent-encoded; an unencoded one is a different resource.
            return _error(400, "ILLEGAL_ARGUMENT", "Syntax exception in path variables")
        post_urn = unquote(segments[2])

        if call.method == "DELETE" and len(segments) == 5:
            comment_urn = f"urn:li:comment:({post_urn},{unquote(segments[4])})"
            actor = call.query.get("actor")
            with self._lock:
                comment = self._comments.get(comment_urn)
                if comment is None or comment.deleted:
                    return _error(404, "NOT_FOUND", f"Comment {comment_urn} not found")
                if actor != comment.organization_urn:
                    return _error(403, "ACCESS_DENIED", "Not enough permissions to delete this comment")
                comment.deleted = True
            return Response(status_code=204)

        if call.method == "POST" and len(segments) == 4:
            try:
                payload = json.loads(body)
            except ValueError:
                return _error(400, "ILLEGAL_ARGUMENT", "Malformed JSON")
            return self._create(post_urn, payload)
        return _error(405, "METHOD_NOT_ALLOWED", "Method not allowed")

    def _create(self, post_urn: str, payload: Any) -> Response:
        if not isinstance(payload, dict) or not isinstance(payload.get("message"), dict):
            return _error(422, "UNPROCESSABLE_ENTITY", "message is required")
        text = payload["message"].get("text")
        parent_urn = payload.get("parentComment")
        actor = payload.get("actor")
        if not text or payload.get("object") != post_urn:
            return _error(422, "UNPROCESSABLE_ENTITY", "object must be the post of the path")
        with self._lock:
            parent = self._comments.get(parent_urn) if isinstance(parent_urn, str) else None
            if parent is None or parent.deleted:
                return _error(404, "NOT_FOUND", "Parent comment not found")
            if actor != parent.organization_urn:
                return _error(403, "ACCESS_DENIED", "actor does not administer this post")
            comment_id = str(next(self._ids))
            urn = f"urn:li:comment:({post_urn},{comment_id})"
            self._comments[urn] = FakeLinkedInComment(
                urn=urn,
                post_urn=post_urn,
                comment_id=comment_id,
                organization_urn=parent.organization_urn,
                text=text,
                parent_urn=parent_urn,
                actor=actor,
            )
        return JSONResponse(
            {"object": post_urn, "message": {"text": text}}, status_code=201, headers={"x-restli-id": urn}
        )

    async def _fault(self, kind: str) -> Response:
        if kind == "429":
            headers = {"Retry-After": str(self.retry_after)} if self.retry_after is not None else {}
            return _error(429, "TOO_MANY_REQUESTS", "Comment create throttled", headers=headers)
        if kind == "500":
            return _error(500, "INTERNAL_SERVER_ERROR", "Internal Server Error")
        if kind == "timeout":
            await asyncio.sleep(self.timeout_delay)
            return _error(504, "GATEWAY_TIMEOUT", "Gateway Timeout")
        if kind == "401":
            return _error(
                401, "REVOKED_ACCESS_TOKEN", "The token used in the request has been revoked by the user"
            )
        if kind == "403":
            return _error(403, "ACCESS_DENIED", "Not enough permissions to access: partnerApiSocialActions")
        return _error(404, "NOT_FOUND", "Comment not found")

    # --- listing for reconciliation (app.platforms.linkedin.listing) --------------------------
    # ``GET /rest/posts?q=author&author=…`` (most recently changed first) and
    # ``GET /rest/socialActions/{post or comment URN}/comments`` (top-level comments of a
    # post, or the replies of a comment), paged with ``start``/``count`` and ``paging.total``.

    def _init_listing(self) -> None:
        self._li_posts: dict[str, tuple[str, int, int]] = {}
        self._li_times: dict[str, tuple[int, int]] = {}

    def add_post(self, post_urn: str, *, organization_urn: str, created_ms: int) -> None:
        with self._lock:
            self._li_posts[post_urn] = (organization_urn, created_ms, created_ms)

    def add_listed_comment(
        self,
        comment_urn: str,
        *,
        organization_urn: str,
        text: str,
        created_ms: int,
        actor: str = "urn:li:person:abc123",
        parent_urn: str | None = None,
    ) -> None:
        self.add_comment(comment_urn, organization_urn=organization_urn, text=text)
        with self._lock:
            comment = self._comments[comment_urn]
            comment.actor, comment.parent_urn = actor, parent_urn
            self._li_times[comment_urn] = (created_ms, created_ms)
            org, created, modified = self._li_posts[comment.post_urn]
            self._li_posts[comment.post_urn] = (org, created, max(modified, created_ms))

    def edit_comment(self, comment_urn: str, text: str, *, at_ms: int) -> None:
        with self._lock:
            self._comments[comment_urn].text = text
            self._li_times[comment_urn] = (self._li_times[comment_urn][0], at_ms)

    def delete_on_platform(self, comment_urn: str) -> None:
        with self._lock:
            self._comments[comment_urn].deleted = True

    def _list(self, raw_target: str, query: dict[str, str]) -> Response:
        segments = raw_target.strip("/").split("/")
        start, count = int(query.get("start", "0")), int(query.get("count", "10"))
        with self._lock:
            if segments == ["rest", "posts"] and query.get("q") == "author":
                author = query.get("author", "")
                elements: list[dict[str, Any]] = [
                    {"id": urn, "author": org, "createdAt": created, "lastModifiedAt": modified}
                    for urn, (org, created, modified) in sorted(
                        self._li_posts.items(), key=lambda kv: kv[1][2], reverse=True
                    )
                    if org == author
                ]
            elif (
                len(segments) == 4 and segments[:2] == ["rest", "socialActions"] and segments[3] == "comments"
            ):
                if ":" in segments[2]:
                    return _error(400, "ILLEGAL_ARGUMENT", "Syntax exception in path variables")
                target = unquote(segments[2])
                parent = target if target.startswith("urn:li:comment:") else None
                elements = [
                    self._listed_element(c)
                    for c in self._comments.values()
                    if not c.deleted
                    and c.urn in self._li_times
                    and (
                        c.parent_urn == parent if parent else (c.post_urn == target and c.parent_urn is None)
                    )
                ]
                elements.sort(key=lambda e: e["created"]["time"])
            else:
                return _error(404, "NOT_FOUND", "No virtual resource found")
        page = elements[start : start + count]
        return JSONResponse(
            {"elements": page, "paging": {"start": start, "count": count, "total": len(elements)}}
        )

    def _listed_element(self, comment: FakeLinkedInComment) -> dict[str, Any]:
        created, modified = self._li_times[comment.urn]
        replies = sum(1 for c in self._comments.values() if c.parent_urn == comment.urn and not c.deleted)
        element: dict[str, Any] = {
            "$URN": comment.urn,
            "commentUrn": comment.urn,
            "id": comment.comment_id,
            "actor": comment.actor,
            "object": comment.post_urn,
            "message": {"text": comment.text},
            "created": {"actor": comment.actor, "time": created},
            "lastModified": {"actor": comment.actor, "time": modified},
            "commentsSummary": {"aggregatedTotalComments": replies, "totalFirstLevelComments": replies},
        }
        if comment.parent_urn is not None:
            element["parentComment"] = comment.parent_urn
        return element


def _error(status: int, code: str, message: str, *, headers: dict[str, str] | None = None) -> Response:
    return JSONResponse(
        {"status": status, "code": code, "message": message, "serviceErrorCode": 100},
        status_code=status,
        headers=headers,
    )
