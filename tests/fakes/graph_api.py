"""A fake Meta Graph API: the comment calls our client makes, with Meta-shaped bodies.

It keeps comments in memory, records every request (minus the token), checks
the access token like Graph does (anything but the configured token → code
190) and can be told to fail the next requests in the ways the real API does
(shared/platforms.md §3.4): HTTP 429 with ``Retry-After``, a BUC throttle
(code 80001, ``is_transient``, ``X-Business-Use-Case-Usage``), a 500, a hang
longer than the client's timeout, an expired token and "does not exist".

Connecting accounts and token health (added for ``uppsikt account connect``;
the section "Pages, tokens and subscriptions" below): Pages a user token
manages, Page and Instagram-Login tokens, ``debug_token``, ``subscribed_apps``
and the linked Instagram account.  ``require_appsecret_proof`` makes the fake
refuse calls without (or with a wrong) ``appsecret_proof`` as an app with
"Require App Secret" on does.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import itertools
import json
import threading
from collections import deque
from dataclasses import dataclass, field
from typing import Any, Literal
from urllib.parse import parse_qsl, unquote

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

GraphFault = Literal["429", "throttle", "500", "timeout", "190", "gone", "permission"]
FAULTS: tuple[str, ...] = ("429", "throttle", "500", "timeout", "190", "gone", "permission")


@dataclass(frozen=True, slots=True)
class RecordedCall:
    """One request as the fake saw it; the token is never kept, only whether it was valid."""

    method: str
    #: Decoded path, e.g. ``/v25.0/123_456/comments``.
    path: str
    #: The path exactly as sent on the wire (percent-encoding kept).
    raw_path: str
    query: dict[str, str]
    form: dict[str, str]
    headers: dict[str, str]
    token_valid: bool


@dataclass(slots=True)
class FakeComment:
    id: str
    platform: str
    message: str
    hidden: bool = False
    deleted: bool = False
    parent_id: str | None = None
    replies: list[str] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class _Fault:
    kind: str
    code: int | None


class FakeGraphAPI:
    """In-memory Graph API for Facebook Page and Instagram comments.

    ``timeout_delay`` is how long a ``"timeout"`` fault hangs before answering 504; keep
    it a little above the client timeout in tests so they stay fast.  ``retry_after``
    goes into the 429's ``Retry-After`` header, ``throttle_minutes`` into
    ``estimated_time_to_regain_access`` of a throttle.
    """

    PAGE_ID = "1122334455"

    def __init__(
        self,
        *,
        valid_token: str = "EAAG-fake-page-token",  # noqa: S107 - a made-up test token
        api_version: str = "v25.0",
        timeout_delay: float = 1.0,
        retry_after: int = 120,
        throttle_minutes: int = 2,
    ) -> None:
        self.valid_token = valid_token
        self.api_version = api_version
        self.timeout_delay = timeout_delay
        self.retry_after = retry_after
        self.throttle_minutes = throttle_minutes
        #: Sent as ``X-App-Usage`` on every answer (percentages).
        self.app_usage: dict[str, int] = {"call_count": 3, "total_time": 1, "total_cputime": 1}
        self._lock = threading.Lock()
        self._comments: dict[str, FakeComment] = {}
        self._faults: deque[_Fault] = deque()
        self._calls: list[RecordedCall] = []
        self._ids = itertools.count(9_000_001)
        #: The app secret calls must prove (``appsecret_proof``); ``None`` = not required.
        self.require_appsecret_proof: str | None = None
        self._init_listing()
        self.app = Starlette(routes=[Route("/{rest:path}", self._handle, methods=["GET", "POST", "DELETE"])])

    # --- test API -----------------------------------------------------------------------------

    def add_comment(self, id: str, platform: str, message: str, hidden: bool = False) -> None:
        if platform not in ("facebook", "instagram"):
            raise ValueError(platform)
        with self._lock:
            self._comments[id] = FakeComment(id=id, platform=platform, message=message, hidden=hidden)

    def comment(self, id: str) -> FakeComment:
        """The stored comment (deleted ones included); ``KeyError`` if it never existed."""
        with self._lock:
            return self._comments[id]

    def fail_next(self, n: int, kind: GraphFault, *, code: int | None = None) -> None:
        """Make the next ``n`` requests fail as ``kind``; ``code`` overrides the Graph code
        of a ``"throttle"`` (default 80001) or ``"permission"`` (default 10)."""
        if kind not in FAULTS:
            raise ValueError(f"unknown fault {kind!r}; choose one of {FAULTS}")
        with self._lock:
            self._faults.extend(_Fault(kind, code) for _ in range(n))

    @property
    def calls(self) -> list[RecordedCall]:
        with self._lock:
            return list(self._calls)

    def reset(self) -> None:
        with self._lock:
            self._comments.clear()
            self._faults.clear()
            self._calls.clear()
        self.app_usage = {"call_count": 3, "total_time": 1, "total_cputime": 1}
        self._init_listing()

    # --- HTTP ---------------------------------------------------------------------------------

    async def _handle(self, request: Request) -> Response:
        raw = await request.body()
        form: dict[str, str] = {}
        if request.headers.get("content-type", "").startswith("application/x-www-form-urlencoded"):
            form = dict(parse_qsl(raw.decode("utf-8"), keep_blank_values=True))
        query = dict(request.query_params)
        token = (
            _bearer(request.headers.get("authorization"))
            or form.get("access_token")
            or query.get("access_token")
            or ""
        )
        call = RecordedCall(
            method=request.method,
            path=request.url.path,
            raw_path=request.scope.get("raw_path", b"").decode("latin-1"),
            query={k: v for k, v in query.items() if k != "access_token"},
            form={k: v for k, v in form.items() if k != "access_token"},
            headers={k: v for k, v in request.headers.items() if k.lower() != "authorization"},
            token_valid=token == self.valid_token or self._accepts(token),
        )
        with self._lock:
            self._calls.append(call)
            fault = self._faults.popleft() if self._faults else None

        if fault is not None:
            return await self._fault(fault, call.path)
        refused = self._check_proof(token, query, form)
        if refused is not None:
            return refused
        if not call.token_valid:
            return self._token_error()
        answered = self._route_more(call, token)
        if answered is not None:
            return answered
        return self._route(call)

    # --- appsecret_proof and extension hooks -------------------------------------------------

    def _check_proof(self, token: str, query: dict[str, str], form: dict[str, str]) -> Response | None:
        """Refuse like an app with "Require App Secret" on: code 100, missing or wrong proof.

        https://developers.facebook.com/docs/graph-api/security#appsecret_proof
        """
        if self.require_appsecret_proof is None:
            return None
        proof = query.get("appsecret_proof") or form.get("appsecret_proof")
        if not proof:
            return self._error(
                400,
                100,
                "API calls from the server require an appsecret_proof argument",
                type_="GraphMethodException",
            )
        expected = hmac.new(self.require_appsecret_proof.encode(), token.encode(), hashlib.sha256).hexdigest()
        if not hmac.compare_digest(proof, expected):
            return self._error(
                400, 100, "Invalid appsecret_proof provided in the API argument", type_="GraphMethodException"
            )
        return None

    def _accepts(self, token: str) -> bool:
        """Tokens besides ``valid_token`` (a subclass's Pages and users)."""
        return False

    def _route_more(self, call: RecordedCall, token: str) -> Response | None:
        """Routes a subclass adds before the comment routes; ``None`` passes the request on."""
        return None

    def _route(self, call: RecordedCall) -> Response:
        listed = self._listing(call)  # reconciliation's listing calls (block at the end of the class)
        if listed is not None:
            return listed
        parts = [unquote(p) for p in call.raw_path.split("?", 1)[0].strip("/").split("/")]
        if len(parts) < 2 or parts[0] != self.api_version:
            return self._error(400, 100, "Unknown path components", subcode=2500)
        object_id, edge = parts[1], (parts[2] if len(parts) > 2 else None)
        with self._lock:
            comment = self._comments.get(object_id)
            if comment is None or comment.deleted:
                return self._gone(call.method, object_id)
            if edge is None and call.method == "GET":
                return self._ok(_read(comment, call.query.get("fields", "")))
            if edge is None and call.method == "DELETE":
                comment.deleted = True
                return self._ok({"success": True})
            if edge is None and call.method == "POST":
                param = "is_hidden" if comment.platform == "facebook" else "hide"
                if param not in call.form or call.form[param] not in ("true", "false"):
                    return self._error(400, 100, f"(#100) Param {param} must be a boolean")
                comment.hidden = call.form[param] == "true"
                return self._ok({"success": True})
            expected_edge = "comments" if comment.platform == "facebook" else "replies"
            if call.method == "POST" and edge == expected_edge:
                message = call.form.get("message", "")
                if not message:
                    return self._error(400, 100, "(#100) Missing message or attachment")
                if comment.platform == "instagram" and comment.hidden:
                    return self._error(400, 100, "(#100) Cannot reply to a hidden comment")
                new_id = self._new_id(comment)
                self._comments[new_id] = FakeComment(
                    id=new_id, platform=comment.platform, message=message, parent_id=comment.id
                )
                comment.replies.append(new_id)
                return self._ok({"id": new_id})
        return self._error(
            400, 100, f"(#100) Tried accessing nonexisting field ({edge}) on node type (Comment)"
        )

    async def _fault(self, fault: _Fault, path: str) -> Response:
        if fault.kind == "429":
            # No Graph error body: a plain 429 (as a proxy or load balancer would send it),
            # so the client has to fall back to the HTTP status and the header.
            return Response(
                "Too Many Requests", status_code=429, headers={"Retry-After": str(self.retry_after)}
            )
        if fault.kind == "throttle":
            code = fault.code or 80001
            return self._error(
                400,
                code,
                f"(#{code}) There have been too many calls to this Page account. Wait a bit and try again.",
                is_transient=True,
                regain_minutes=self.throttle_minutes,
            )
        if fault.kind == "500":
            return Response("<html><body>Internal Server Error</body></html>", status_code=500)
        if fault.kind == "timeout":
            await asyncio.sleep(self.timeout_delay)
            return self._error(504, 2, "Service temporarily unavailable", is_transient=True)
        if fault.kind == "190":
            return self._token_error(
                subcode=463, message="Error validating access token: Session has expired."
            )
        if fault.kind == "permission":
            code = fault.code or 10
            return self._error(403, code, f"(#{code}) Permission denied", type_="OAuthException")
        return self._gone("POST", path.rsplit("/", 1)[-1])

    # --- bodies -------------------------------------------------------------------------------

    def _headers(self, regain_minutes: int = 0) -> dict[str, str]:
        buc = {
            self.PAGE_ID: [
                {
                    "type": "pages",
                    "call_count": 100 if regain_minutes else 5,
                    "total_cputime": 2,
                    "total_time": 2,
                    "estimated_time_to_regain_access": regain_minutes,
                }
            ]
        }
        return {"X-App-Usage": json.dumps(self.app_usage), "X-Business-Use-Case-Usage": json.dumps(buc)}

    def _ok(self, body: dict[str, Any]) -> Response:
        return JSONResponse(body, headers=self._headers())

    def _error(
        self,
        status: int,
        code: int,
        message: str,
        *,
        subcode: int | None = None,
        type_: str = "OAuthException",
        is_transient: bool | None = None,
        regain_minutes: int = 0,
    ) -> Response:
        error: dict[str, Any] = {"message": message, "type": type_, "code": code, "fbtrace_id": "AbCdEf123"}
        if subcode is not None:
            error["error_subcode"] = subcode
        if is_transient is not None:
            error["is_transient"] = is_transient
        return JSONResponse({"error": error}, status_code=status, headers=self._headers(regain_minutes))

    def _token_error(self, *, subcode: int = 460, message: str = "Invalid OAuth access token.") -> Response:
        return self._error(400, 190, message, subcode=subcode)

    def _gone(self, method: str, object_id: str) -> Response:
        return self._error(
            400,
            100,
            f"Unsupported {method.lower()} request. Object with ID '{object_id}' does not exist, cannot be "
            "loaded due to missing permissions, or does not support this operation.",
            subcode=33,
            type_="GraphMethodException",
        )

    def _new_id(self, parent: FakeComment) -> str:
        number = next(self._ids)
        if parent.platform == "facebook":
            return f"{parent.id.split('_', 1)[0]}_{number}"
        return str(17_800_000_000_000_000 + number)

    # --- listing for reconciliation (app.platforms.meta.listing) ------------------------------
    # Posts and media with their comments, listed the way Graph lists them: newest posts
    # first (``since`` on Page posts), comments chronologically (``filter=stream`` on
    # Facebook: replies included; Instagram: top-level with ``replies`` expanded), paged
    # with ``paging.cursors.after`` + ``paging.next``, ``page_size`` items a page.

    def _init_listing(self) -> None:
        #: Items per page of a listing: small, so that tests page.
        self.page_size = 2
        #: Answer 500 to a comments page that starts at or after this item (a listing cut short).
        self.fail_comments_from: int | None = None
        self._posts: dict[str, FakePost] = {}
        self._listed: dict[str, _ListedFacts] = {}

    def add_post(self, post_id: str, *, account_id: str, platform: str, created_time: str) -> None:
        """A Page post (``{page-id}_{n}``) or an Instagram media; ``created_time`` like
        ``2026-12-01T08:00:00+0000``."""
        with self._lock:
            self._posts[post_id] = FakePost(post_id, account_id, platform, created_time)

    def add_listed_comment(
        self,
        comment_id: str,
        *,
        post_id: str,
        message: str,
        created_time: str,
        parent_id: str | None = None,
        author_id: str = "5550001",
        author_name: str = "Testa Testsson",
        photo_url: str | None = None,
    ) -> None:
        """A comment as the platform has it, on a post added with ``add_post``."""
        post = self._posts[post_id]
        self.add_comment(comment_id, post.platform, message)
        with self._lock:
            self._comments[comment_id].parent_id = parent_id
            if parent_id is not None:
                self._comments[parent_id].replies.append(comment_id)
            self._listed[comment_id] = _ListedFacts(post_id, created_time, author_id, author_name, photo_url)

    def edit_comment(self, comment_id: str, message: str) -> None:
        """The author edits the text (Graph lists no edit time)."""
        with self._lock:
            self._comments[comment_id].message = message

    def delete_on_platform(self, comment_id: str) -> None:
        """The author (or someone on the platform) deletes the comment."""
        with self._lock:
            self._comments[comment_id].deleted = True

    def _listing(self, call: RecordedCall) -> Response | None:
        if call.method != "GET":
            return None
        parts = [unquote(p) for p in call.raw_path.split("?", 1)[0].strip("/").split("/")]
        if len(parts) != 3 or parts[0] != self.api_version:
            return None
        object_id, edge = parts[1], parts[2]
        with self._lock:
            if edge in ("posts", "media"):
                platform = "facebook" if edge == "posts" else "instagram"
                posts = [
                    p for p in self._posts.values() if p.account_id == object_id and p.platform == platform
                ]
                if not posts:
                    return None
                since = call.query.get("since")
                items = [
                    {"id": p.id, ("created_time" if edge == "posts" else "timestamp"): p.created_time}
                    for p in sorted(posts, key=lambda p: p.created_time, reverse=True)
                    if since is None or _unix(p.created_time) >= int(since)
                ]
                return self._page(call, items)
            post = self._posts.get(object_id)
            if post is None or edge != "comments":
                return None
            if (
                self.fail_comments_from is not None
                and int(call.query.get("after", "0")) >= self.fail_comments_from
            ):
                return Response("<html><body>Internal Server Error</body></html>", status_code=500)
            on_post = sorted(
                (c for c in self._comments.values() if c.id in self._listed and not c.deleted),
                key=lambda c: (self._listed[c.id].created_time, c.id),
            )
            on_post = [c for c in on_post if self._listed[c.id].post_id == post.id]
            if post.platform == "facebook":
                items = [self._listed_facebook(c) for c in on_post]
            else:
                wants_replies = "replies" in call.query.get("fields", "")
                items = [
                    self._listed_instagram(c, on_post if wants_replies else None)
                    for c in on_post
                    if c.parent_id is None
                ]
            return self._page(call, items)

    def _listed_facebook(self, comment: FakeComment) -> dict[str, Any]:
        facts = self._listed[comment.id]
        item: dict[str, Any] = {
            "id": comment.id,
            "message": comment.message,
            "created_time": facts.created_time,
            "from": {"id": facts.author_id, "name": facts.author_name},
        }
        if comment.parent_id is not None:
            item["parent"] = {"id": comment.parent_id}
        if facts.photo_url is not None:
            item["attachment"] = {"type": "photo", "media": {"image": {"src": facts.photo_url}}}
        return item

    def _listed_instagram(self, comment: FakeComment, thread: list[FakeComment] | None) -> dict[str, Any]:
        facts = self._listed[comment.id]
        item: dict[str, Any] = {
            "id": comment.id,
            "text": comment.message,
            "timestamp": facts.created_time,
            "from": {"id": facts.author_id, "username": facts.author_name},
            "username": facts.author_name,
        }
        if comment.parent_id is not None:
            item["parent_id"] = comment.parent_id
        if thread is not None:
            replies = [self._listed_instagram(c, None) for c in thread if c.parent_id == comment.id]
            if replies:
                item["replies"] = {"data": replies}
        return item

    def _page(self, call: RecordedCall, items: list[dict[str, Any]]) -> Response:
        start = int(call.query.get("after", "0") or 0)
        page = items[start : start + self.page_size]
        body: dict[str, Any] = {"data": page}
        end = start + len(page)
        if page:
            body["paging"] = {"cursors": {"before": str(start), "after": str(end)}}
            if end < len(items):
                body["paging"]["next"] = f"https://graph.facebook.com{call.path}?after={end}"
        return self._ok(body)


@dataclass(slots=True)
class FakePost:
    id: str
    account_id: str
    platform: str
    created_time: str


@dataclass(frozen=True, slots=True)
class _ListedFacts:
    post_id: str
    created_time: str
    author_id: str
    author_name: str
    photo_url: str | None


def _unix(iso: str) -> int:
    from datetime import datetime

    return int(datetime.fromisoformat(iso).timestamp())


def _bearer(header: str | None) -> str | None:
    if header and header.lower().startswith("bearer "):
        return header[7:].strip()
    return None


def _read(comment: FakeComment, fields: str) -> dict[str, Any]:
    if comment.platform == "facebook":
        full: dict[str, Any] = {
            "id": comment.id,
            "message": comment.message,
            "from": {"id": "5550001", "name": "Testa Testsson"},
            "created_time": "2026-03-02T09:15:00+0000",
            "is_hidden": comment.hidden,
            "permalink_url": f"https://www.facebook.com/{comment.id}",
        }
    else:
        full = {
            "id": comment.id,
            "text": comment.message,
            "username": "testa.testsson",
            "from": {"id": "17841400000000", "username": "testa.testsson"},
            "timestamp": "2026-03-02T09:15:00+0000",
            "hidden": comment.hidden,
        }
    if comment.parent_id:
        full["parent" if comment.platform == "facebook" else "parent_id"] = (
            {"id": comment.parent_id} if comment.platform == "facebook" else comment.parent_id
        )
    wanted = [f for f in fields.split(",") if f] or ["id"]
    return {k: v for k, v in full.items() if k in wanted or k == "id"}


# --- Pages, tokens and subscriptions (account connect, token health) -----------------------------
#
# Shapes from Meta's documentation:
# * ``GET /me/accounts`` → ``{"data": [{"id", "name", "access_token", "tasks": [...]}], "paging": …}``
#   https://developers.facebook.com/docs/pages-api/getting-started
# * ``POST /{page-id}/subscribed_apps?subscribed_fields=feed`` → ``{"success": true}``; needs
#   ``pages_manage_metadata`` https://developers.facebook.com/docs/pages-api/webhooks-for-pages
# * ``GET /{page-id}?fields=instagram_business_account`` → ``{"instagram_business_account": {"id"}, "id"}``
#   https://developers.facebook.com/docs/instagram-platform/instagram-graph-api/reference/page
# * ``GET /debug_token?input_token=…`` with an app token → ``{"data": {"app_id", "type", "is_valid",
#   "expires_at", "data_access_expires_at", "scopes", "profile_id", "user_id"}}``
#   https://developers.facebook.com/docs/graph-api/reference/debug_token
# * ``appsecret_proof`` = hex HMAC-SHA256(app secret, access token); missing or wrong → code 100
#   https://developers.facebook.com/docs/graph-api/security#appsecret_proof


@dataclass(slots=True)
class FakeToken:
    #: ``USER``, ``PAGE`` (also a Page-linked Instagram account's token) or ``INSTAGRAM`` (Instagram Login).
    kind: str
    #: The Page (or Instagram account) a Page/Instagram token speaks for; the person of a user token.
    profile_id: str
    scopes: list[str] = field(default_factory=list)
    #: Unix seconds; 0 = never expires (a Page token from a long-lived user token).
    expires_at: int = 0
    valid: bool = True


@dataclass(slots=True)
class FakePage:
    id: str
    name: str
    page_token: str
    #: The user tokens that manage this Page (``/me/accounts`` lists it for them).
    managers: list[str]
    tasks: list[str]
    instagram_id: str | None = None


class FakeGraphAccounts(FakeGraphAPI):
    """The Graph API with Pages, users, tokens and app subscriptions, for connecting accounts."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.app_id = "424242424242"
        self.app_secret = "fake-meta-app-secret"
        self._tokens: dict[str, FakeToken] = {}
        self._pages: dict[str, FakePage] = {}
        self._instagram: dict[str, str] = {}  # Instagram-Login account id → username
        #: Object id → the fields it is subscribed to (``subscribed_apps``).
        self.subscriptions: dict[str, list[str]] = {}

    # --- test API -----------------------------------------------------------------------------

    def reset(self) -> None:
        super().reset()
        with self._lock:
            self._tokens.clear()
            self._pages.clear()
            self._instagram.clear()
            self.subscriptions.clear()

    @property
    def app_token(self) -> str:
        return f"{self.app_id}|{self.app_secret}"

    def add_token(self, token: str, kind: str, profile_id: str, **kwargs: Any) -> None:
        with self._lock:
            self._tokens[token] = FakeToken(kind=kind, profile_id=profile_id, **kwargs)

    def token(self, token: str) -> FakeToken:
        with self._lock:
            return self._tokens[token]

    def add_page(
        self,
        page_id: str,
        name: str,
        *,
        page_token: str,
        managers: list[str],
        tasks: tuple[str, ...] = ("ANALYZE", "ADVERTISE", "MODERATE", "CREATE_CONTENT", "MANAGE"),
        instagram_id: str | None = None,
        scopes: tuple[str, ...] = (
            "pages_show_list",
            "pages_manage_metadata",
            "pages_read_engagement",
            "pages_manage_engagement",
            "pages_read_user_content",
        ),
    ) -> None:
        with self._lock:
            self._pages[page_id] = FakePage(
                page_id, name, page_token, list(managers), list(tasks), instagram_id
            )
            self._tokens.setdefault(page_token, FakeToken("PAGE", page_id, list(scopes)))

    def add_instagram_login(self, account_id: str, username: str, *, token: str, scopes: list[str]) -> None:
        with self._lock:
            self._instagram[account_id] = username
            self._tokens[token] = FakeToken("INSTAGRAM", account_id, list(scopes))

    # --- HTTP ---------------------------------------------------------------------------------

    def _accepts(self, token: str) -> bool:
        return token == self.app_token or (token in self._tokens and self._tokens[token].valid)

    def _route_more(self, call: RecordedCall, token: str) -> Response | None:
        parts = [unquote(p) for p in call.raw_path.split("?", 1)[0].strip("/").split("/")]
        if len(parts) < 2 or parts[0] != self.api_version:
            return None
        object_id, edge = parts[1], (parts[2] if len(parts) > 2 else None)
        with self._lock:
            info = self._tokens.get(token)
            if object_id == "debug_token" and call.method == "GET":
                if token != self.app_token:
                    return self._error(400, 100, "(#100) You must provide an app access token")
                return self._ok({"data": self._debug(call.query.get("input_token", ""))})
            if object_id == "me" and info is not None:
                if info.kind == "USER":
                    if edge == "accounts" and call.method == "GET":
                        return self._me_accounts(token, info)
                    return self._ok({"id": info.profile_id, "name": "Testa Testsson"})
                object_id = info.profile_id
            page = self._pages.get(object_id)
            linked = next((p for p in self._pages.values() if p.instagram_id == object_id), None)
            if page is None and linked is None and object_id not in self._instagram:
                return None
            if info is None or not (
                info.profile_id == object_id or (linked is not None and info.profile_id == linked.id)
            ):
                # Graph answers another Page's token as it answers a deleted object (§7.7).
                return self._gone(call.method, object_id)
            if edge is None and call.method == "GET":
                return self._ok(self._object(object_id, page, call.query.get("fields", "id")))
            if edge == "subscribed_apps" and call.method == "POST":
                return self._subscribe(object_id, page, info, call.form.get("subscribed_fields", ""))
        return None

    def _me_accounts(self, token: str, info: FakeToken) -> Response:
        if "pages_show_list" not in info.scopes:
            return self._error(403, 200, "(#200) Requires pages_show_list permission")
        data = [
            {"id": p.id, "name": p.name, "access_token": p.page_token, "tasks": p.tasks, "category": "Kommun"}
            for p in self._pages.values()
            if token in p.managers
        ]
        return self._ok({"data": data, "paging": {"cursors": {"before": "QVFI", "after": "QVFJ"}}})

    def _object(self, object_id: str, page: FakePage | None, fields: str) -> dict[str, Any]:
        wanted = [f for f in fields.split(",") if f]
        body: dict[str, Any] = {"id": object_id}
        if page is not None:
            body["name"] = page.name
            if page.instagram_id:
                body["instagram_business_account"] = {"id": page.instagram_id}
        else:
            body["username"] = self._instagram.get(object_id) or "kommunen"
            body["user_id"] = object_id
        return {k: v for k, v in body.items() if k in wanted or k == "id"}

    def _subscribe(self, object_id: str, page: FakePage | None, info: FakeToken, raw: str) -> Response:
        fields = [f for f in raw.split(",") if f]
        if not fields:
            return self._error(400, 100, "(#100) The parameter subscribed_fields is required")
        if page is not None:
            needed = "pages_manage_metadata"
        elif info.kind == "INSTAGRAM":
            needed = "instagram_business_manage_comments"
        else:
            needed = "instagram_manage_comments"
        if needed not in info.scopes:
            return self._error(403, 200, f"(#200) Requires {needed} permission to manage the object")
        self.subscriptions[object_id] = fields
        return self._ok({"success": True})

    def _debug(self, input_token: str) -> dict[str, Any]:
        info = self._tokens.get(input_token)
        if info is None or not info.valid:
            return {
                "is_valid": False,
                "scopes": [],
                "error": {"code": 190, "message": "Error validating access token: Session has expired."},
            }
        data: dict[str, Any] = {
            "app_id": self.app_id,
            "type": "USER" if info.kind == "USER" else "PAGE",
            "application": "Uppsikt",
            "data_access_expires_at": info.expires_at or 1_900_000_000,
            "expires_at": info.expires_at,
            "is_valid": True,
            "scopes": list(info.scopes),
            "user_id": "5550001",
        }
        if info.kind != "USER":
            data["profile_id"] = info.profile_id
        return data
