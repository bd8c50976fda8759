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
        #: ``LinkedIn-Version`` values answered with 426 NONEXISTENT_VERSION.
        self.retired_versions: set[str] = set()
        self._init_listing()
        self.app = Starlette(
            routes=[Route("/{rest:path}", self._handle, methods=["GET", "POST", "PUT", "DELETE"])]
        )

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
        if request.headers.get("linkedin-version") in self.retired_versions:
            # What LinkedIn answers for a version it no longer serves (shared/platforms.md §7.6).
            return _error(426, "NONEXISTENT_VERSION", "Requested version is not active")
        answered = self._route_more(call, raw_target, body, token.removeprefix("Bearer "))
        if answered is not None:
            return answered
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
        if call.method == "POST" and len(segments) == 4 and post_urn.startswith("urn:li:comment:"):
            # A reply is created under its comment (shared/platforms.md §7.1).
            return self._create_reply(post_urn, body)

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
        if parent_urn is not None:
            # Replies go under the comment's URN, not the post's (§7.1): this fake refuses the
            # post-URN form so that a client still using it is caught.
            return _error(422, "UNPROCESSABLE_ENTITY", "parentComment must be the object of the path")
        # Uppsikt never starts a thread of its own; a top-level comment is outside this fake.
        return _error(
            422, "UNPROCESSABLE_ENTITY", f"top-level comments on {post_urn} are not faked ({actor})"
        )

    def _create_reply(self, comment_urn: str, body: bytes) -> Response:
        """``POST /rest/socialActions/{comment URN}/comments``: ``object`` = the post,
        ``parentComment`` = the comment of the path; LinkedIn threads two levels deep."""
        try:
            payload = json.loads(body)
        except ValueError:
            return _error(400, "ILLEGAL_ARGUMENT", "Malformed JSON")
        if not isinstance(payload, dict) or not isinstance(payload.get("message"), dict):
            return _error(422, "UNPROCESSABLE_ENTITY", "message is required")
        text = payload["message"].get("text")
        actor = payload.get("actor")
        with self._lock:
            parent = self._comments.get(comment_urn)
            if parent is None or parent.deleted:
                return _error(404, "NOT_FOUND", "Parent comment not found")
            if payload.get("parentComment") != comment_urn or payload.get("object") != parent.post_urn:
                return _error(
                    422,
                    "UNPROCESSABLE_ENTITY",
                    "object must be the post and parentComment the path's comment",
                )
            if parent.parent_urn is not None:
                return _error(422, "UNPROCESSABLE_ENTITY", "Comments can only be nested one level deep")
            if not text:
                return _error(422, "UNPROCESSABLE_ENTITY", "message is required")
            if actor != parent.organization_urn:
                return _error(403, "ACCESS_DENIED", "actor does not administer this post")
            comment_id = str(next(self._ids))
            urn = f"urn:li:comment:({parent.post_urn},{comment_id})"
            self._comments[urn] = FakeLinkedInComment(
                urn=urn,
                post_urn=parent.post_urn,
                comment_id=comment_id,
                organization_urn=parent.organization_urn,
                text=text,
                parent_urn=comment_urn,
                actor=actor,
            )
        return JSONResponse(
            {"object": parent.post_urn, "message": {"text": text}},
            status_code=201,
            headers={"x-restli-id": urn},
        )

    def _route_more(self, call: RecordedCall, raw_path: str, body: bytes, token: str) -> Response | None:
        """Routes a subclass adds (before the token check); ``None`` passes the request on."""
        return None

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


# --- Organizations, token introspection and event subscriptions (account connect, token health) ----
#
# Shapes from LinkedIn's documentation:
# * ``GET /rest/organizationAcls?q=roleAssignee&role=ADMINISTRATOR&state=APPROVED`` →
#   ``{"elements": [{"roleAssignee", "state", "role", "organization"}], "paging": …}``
#   https://learn.microsoft.com/en-us/linkedin/marketing/community-management/organizations/organization-access-control-by-role
# * ``POST https://www.linkedin.com/oauth/v2/introspectToken`` (form ``client_id``, ``client_secret``,
#   ``token``) → ``{"active", "client_id", "authorized_at", "created_at", "status", "expires_at",
#   "scope", "auth_type"}``; an unknown token → ``{"active": false}``
#   https://learn.microsoft.com/en-us/linkedin/shared/authentication/token-introspection
# * ``PUT /rest/eventSubscriptions/(developerApplication:…,user:…,entity:…,eventType:
#   ORGANIZATION_SOCIAL_ACTION_NOTIFICATIONS)`` with ``{"webhook": url}``; needs
#   ``rw_organization_admin`` and an ADMINISTRATOR (shared/platforms.md §4.1)

_SUBSCRIPTION_KEY = re.compile(
    r"\(developerApplication:(?P<app>[^,]+),user:(?P<user>[^,]+),entity:(?P<entity>[^,]+),"
    r"eventType:(?P<event>[A-Z_]+)\)"
)


@dataclass(slots=True)
class FakeLinkedInToken:
    person_urn: str
    scopes: list[str]
    #: Unix seconds.
    expires_at: int = 1_900_000_000
    active: bool = True


class FakeLinkedInAccounts(FakeLinkedInAPI):
    """The fake API with members, their organization roles, introspection and event subscriptions."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.client_id = "86fakeclientid"
        self.client_secret = "fake-linkedin-client-secret"
        self.application_id = "212121"
        self._members: dict[str, FakeLinkedInToken] = {}
        #: (person URN, organization URN) → role (``ADMINISTRATOR``, ``ANALYST`` …).
        self.roles: dict[tuple[str, str], str] = {}
        #: (organization URN, person URN) → webhook URL of the app's event subscription.
        self.subscriptions: dict[tuple[str, str], str] = {}

    def reset(self) -> None:
        super().reset()
        with self._lock:
            self._members.clear()
            self.roles.clear()
            self.subscriptions.clear()
            self.retired_versions = set()

    def add_member_token(self, token: str, *, person_urn: str, scopes: list[str], **kwargs: Any) -> None:
        with self._lock:
            self._members[token] = FakeLinkedInToken(person_urn, list(scopes), **kwargs)

    def _route_more(self, call: RecordedCall, raw_path: str, body: bytes, token: str) -> Response | None:
        path = raw_path.split("?", 1)[0]
        if path == "/oauth/v2/introspectToken" and call.method == "POST":
            return self._introspect(dict(parse_qsl(body.decode("utf-8"), keep_blank_values=True)))
        if not path.startswith(("/rest/organizationAcls", "/rest/eventSubscriptions/")):
            return None
        with self._lock:
            member = self._members.get(token)
        if member is None or not member.active:
            return _error(401, "INVALID_ACCESS_TOKEN", "Invalid access token")
        if "rw_organization_admin" not in member.scopes:
            return _error(403, "ACCESS_DENIED", "Not enough permissions to access: rw_organization_admin")
        if path == "/rest/organizationAcls" and call.method == "GET":
            if call.query.get("q") != "roleAssignee":
                return _error(400, "ILLEGAL_ARGUMENT", "q must be roleAssignee")
            with self._lock:
                elements = [
                    {"roleAssignee": person, "state": "APPROVED", "role": role, "organization": org}
                    for (person, org), role in self.roles.items()
                    if person == member.person_urn and role == call.query.get("role", role)
                ]
            return JSONResponse({"elements": elements, "paging": {"count": 100, "start": 0}})
        if call.method == "PUT":
            match = _SUBSCRIPTION_KEY.fullmatch(path.removeprefix("/rest/eventSubscriptions/"))
            if match is None:
                return _error(400, "ILLEGAL_ARGUMENT", "Syntax exception in path variables")
            app, user, org = (unquote(match[k]) for k in ("app", "user", "entity"))
            payload = json.loads(body or b"{}")
            if app != f"urn:li:developerApplication:{self.application_id}" or user != member.person_urn:
                return _error(403, "ACCESS_DENIED", "The subscription must be for this app and member")
            if match["event"] != "ORGANIZATION_SOCIAL_ACTION_NOTIFICATIONS":
                return _error(400, "ILLEGAL_ARGUMENT", "Unknown event type")
            with self._lock:
                if self.roles.get((user, org)) != "ADMINISTRATOR":
                    return _error(403, "ACCESS_DENIED", "Member is not an ADMINISTRATOR of the organization")
                self.subscriptions[(org, user)] = str(payload.get("webhook"))
            return Response(status_code=201)
        return _error(405, "METHOD_NOT_ALLOWED", "Method not allowed")

    def _introspect(self, form: dict[str, str]) -> Response:
        if form.get("client_id") != self.client_id or form.get("client_secret") != self.client_secret:
            return JSONResponse(
                {"error": "invalid_client", "error_description": "Client authentication failed"},
                status_code=401,
            )
        with self._lock:
            member = self._members.get(form.get("token", ""))
        if member is None or not member.active:
            return JSONResponse({"active": False})
        return JSONResponse(
            {
                "active": True,
                "client_id": self.client_id,
                "authorized_at": 1_760_000_000,
                "created_at": 1_760_000_000,
                "status": "active",
                "expires_at": member.expires_at,
                "scope": ",".join(member.scopes),
                "auth_type": "3L",
            }
        )
