"""Graph API client for acting on Facebook Page and Instagram comments.

One method call is exactly one HTTP request.  Retrying belongs to the outbox
worker, which keeps attempts, next try and last error in the database so a
retry survives a restart; a client that also retried would multiply waits and,
for ``reply``, post duplicates.  Each failure is therefore turned into one
``PlatformTransientError`` or ``PlatformPermanentError`` (see
``app.platforms.errors``) that tells the worker what to do next.

Graph errors are classified by ``error.code``/``error_subcode`` and
``is_transient``, never by HTTP status alone: Meta returns throttling as 400 or
403 with a code (shared/platforms.md §3.4).  The HTTP status only decides when
the body carries no Graph error (a proxy's 502 page, a plain 429).

The access token travels in the ``Authorization: Bearer`` header, never in the
URL, so it cannot leak through logged URLs, and it is scrubbed from anything
the platform echoes back before that text is kept on an error.

Every call carries ``appsecret_proof`` (HMAC-SHA256 of the access token keyed
by the app secret, hex) when the client knows the app secret: an app with
"Require App Secret" on refuses calls without it, and with it a stolen token is
useless without the secret too.
https://developers.facebook.com/docs/graph-api/security#appsecret_proof
"""

from __future__ import annotations

import hashlib
import hmac
import re
from collections.abc import Mapping, Sequence
from types import TracebackType
from typing import Any, Literal, Self
from urllib.parse import quote

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
    parse_usage_headers,
    reason_permission,
    reason_rate_limited,
    reason_rejected,
    reason_server_error,
    reason_token,
    retry_after_from_headers,
)

MetaPlatform = Literal["facebook", "instagram"]

#: Throttling and temporary failures (shared/platforms.md §3.4).
TRANSIENT_CODES = frozenset({1, 2, 4, 17, 32, 341, 613, 80001, 80002})
#: "Temporarily blocked for policy violations": it passes, but not within minutes.
BLOCKED_CODE = 368
BLOCKED_WAIT_S = 3600.0
#: Code 100 with this subcode is "does not exist, cannot be loaded due to missing
#: permissions, or does not support this operation" (shared/platforms.md §7.7): the
#: comment may be gone, or the token may be the wrong one or lack a permission.
GONE_SUBCODE = 33

REASON_UNAVAILABLE = (
    "Plattformen hittar inte kommentaren med kontots token (kod 100/33): den kan vara borttagen, "
    "men det kan också bero på behörighet eller fel token – kör `uppsikt account check-tokens`."
)
REASON_APPSECRET_PROOF = (
    "Meta godtog inte anropets appsecret_proof (kod 100) – driften behöver ange appens hemlighet "
    "först i UPPSIKT_META_APP_SECRETS."
)


def appsecret_proof(access_token: str, app_secret: bytes) -> str:
    """Meta's proof that the caller holds the app secret as well as the token."""
    return hmac.new(app_secret, access_token.encode("utf-8"), hashlib.sha256).hexdigest()


DEFAULT_FIELDS: dict[str, tuple[str, ...]] = {
    "facebook": ("id", "message", "from", "created_time", "parent", "is_hidden", "permalink_url"),
    "instagram": ("id", "text", "username", "from", "timestamp", "hidden", "media", "parent_id"),
}

# Graph ids are digits joined by underscores; allow a little more (letters, dots, dashes)
# for forward compatibility but never "/", "?", "#" or a bare "."/"..", which would change
# which object the request addresses.
_ID_PATTERN = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.:-]{0,127}")


class MetaGraphClient:
    """Hide, unhide, delete, reply to and read comments through the Graph API.

    ``base_url`` is ``https://graph.facebook.com`` for Facebook-Login apps and
    ``https://graph.instagram.com`` for Instagram-Login apps; tests point it at
    the fake in ``tests/fakes/graph_api.py``.  ``last_usage`` holds Meta's usage
    headers of the latest response (``{"app": …, "business": …}``) so the
    worker can slow down before it is throttled.
    """

    def __init__(
        self,
        *,
        base_url: str,
        api_version: str = "v25.0",
        timeout: float = 10.0,
        transport: httpx.BaseTransport | None = None,
        app_secret: bytes | None = None,
    ) -> None:
        self.api_version = api_version
        self.app_secret = app_secret or None
        self.last_usage: dict[str, Any] = {}
        self._http = httpx.Client(
            base_url=f"{base_url.rstrip('/')}/{api_version}/",
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
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    # --- operations ---------------------------------------------------------------------------

    def hide_comment(
        self, comment_id: str, *, platform: MetaPlatform, hidden: bool, access_token: str
    ) -> None:
        """Hide (``hidden=True``) or unhide a comment; the author and Page admins still see it."""
        param = "is_hidden" if _check_platform(platform) == "facebook" else "hide"
        body = self._call(
            "POST", _path(comment_id), access_token, data={param: "true" if hidden else "false"}
        )
        _require_success(body)

    def delete_comment(self, comment_id: str, *, access_token: str) -> None:
        """Delete a comment.  Deleting one that is already gone raises ``comment_gone``."""
        body = self._call("DELETE", _path(comment_id), access_token)
        _require_success(body)

    def reply(self, comment_id: str, *, platform: MetaPlatform, message: str, access_token: str) -> str:
        """Post ``message`` as a reply and return the new comment's id.

        Not idempotent: after a timeout the reply may exist although we raised, so the
        caller should look before it posts again if duplicates matter.
        """
        edge = "comments" if _check_platform(platform) == "facebook" else "replies"
        body = self._call("POST", f"{_path(comment_id)}/{edge}", access_token, data={"message": message})
        new_id = body.get("id") if isinstance(body, dict) else None
        if not isinstance(new_id, str | int) or isinstance(new_id, bool) or str(new_id) == "":
            # Permanent on purpose: the reply was probably posted, and a retry would post it twice.
            raise PlatformPermanentError(
                "Svaret publicerades troligen men plattformen returnerade inget id; kontrollera på "
                "plattformen innan du svarar igen.",
                "reply_id_missing",
            )
        return str(new_id)

    def get_comment(
        self,
        comment_id: str,
        *,
        platform: MetaPlatform,
        access_token: str,
        fields: Sequence[str] | None = None,
    ) -> dict[str, Any]:
        """Read a comment as the platform has it now (text, author, hidden state …)."""
        chosen = tuple(fields) if fields is not None else DEFAULT_FIELDS[_check_platform(platform)]
        body = self._call("GET", _path(comment_id), access_token, params={"fields": ",".join(chosen)})
        if not isinstance(body, dict):
            raise PlatformTransientError(REASON_UNEXPECTED, None, code="unexpected_response")
        return body

    def can_read(self, object_id: str, *, access_token: str) -> bool:
        """Whether ``access_token`` can read the object (a Page, an Instagram account).

        After a 100/33 on a comment this tells "the comment is gone" (the account is
        readable with the token) from "the token is wrong or lacks a permission".
        Throttling and outages still raise: they say nothing either way.
        """
        try:
            self._call("GET", _path(object_id), access_token, params={"fields": "id"})
        except PlatformPermanentError:
            return False
        return True

    def get_object(self, object_id: str, *, access_token: str, fields: Sequence[str]) -> dict[str, Any]:
        """``GET /{object-id}?fields=…`` (``object_id`` may be ``me``)."""
        body = self._call("GET", _path(object_id), access_token, params={"fields": ",".join(fields)})
        if not isinstance(body, dict):
            raise PlatformTransientError(REASON_UNEXPECTED, None, code="unexpected_response")
        return body

    def managed_pages(self, *, access_token: str) -> list[dict[str, Any]]:
        """The Pages a user or system-user token manages, each with its Page token and tasks.

        ``GET /me/accounts`` (https://developers.facebook.com/docs/pages-api/getting-started,
        "Get a list of Pages"); the first 100 are enough for a municipality's login.
        """
        body = self._call(
            "GET",
            "me/accounts",
            access_token,
            params={"fields": "id,name,access_token,tasks", "limit": "100"},
        )
        data = body.get("data") if isinstance(body, dict) else None
        if not isinstance(data, list):
            raise PlatformTransientError(REASON_UNEXPECTED, None, code="unexpected_response")
        return [page for page in data if isinstance(page, dict)]

    def subscribe_app(self, object_id: str, *, fields: Sequence[str], access_token: str) -> None:
        """Install the app on a Page (or Instagram account) for these webhook fields.

        ``POST /{page-id}/subscribed_apps?subscribed_fields=feed``
        (https://developers.facebook.com/docs/pages-api/webhooks-for-pages).
        """
        body = self._call(
            "POST",
            f"{_path(object_id)}/subscribed_apps",
            access_token,
            data={"subscribed_fields": ",".join(fields)},
        )
        _require_success(body)

    def debug_token(self, input_token: str, *, app_token: str) -> dict[str, Any]:
        """What Meta knows of a token: valid, expiry, scopes (``GET /debug_token``).

        https://developers.facebook.com/docs/graph-api/reference/debug_token — the
        token to inspect is a query parameter by Meta's design; the call itself is
        made with the app token (``{app-id}|{app-secret}``).
        """
        body = self._call("GET", "debug_token", app_token, params={"input_token": input_token})
        data = body.get("data") if isinstance(body, dict) else None
        if not isinstance(data, dict):
            raise PlatformTransientError(REASON_UNEXPECTED, None, code="unexpected_response")
        return data

    # --- transport ----------------------------------------------------------------------------

    def _call(
        self,
        method: str,
        path: str,
        access_token: str,
        *,
        data: Mapping[str, str] | None = None,
        params: Mapping[str, str] | None = None,
    ) -> Any:
        query = dict(params or {})
        if self.app_secret:
            query["appsecret_proof"] = appsecret_proof(access_token, self.app_secret)
        try:
            response = self._http.request(
                method,
                path,
                data=data,
                params=query or None,
                headers={"Authorization": f"Bearer {access_token}"},
            )
        except httpx.TimeoutException as exc:
            raise PlatformTransientError(REASON_TIMEOUT, None, code="timeout") from exc
        except httpx.TransportError as exc:
            raise PlatformTransientError(REASON_CONNECTION, None, code="connection_error") from exc

        self.last_usage = parse_usage_headers(response.headers)
        try:
            body = response.json()
        except ValueError:
            body = None
        if response.is_success and not _graph_error(body):
            return body
        raise classify_graph_error(response.status_code, body, response.headers, access_token=access_token)


def classify_graph_error(
    status: int, body: Any, headers: Mapping[str, str], *, access_token: str = ""
) -> PlatformError:
    """Turn a failed Graph response into the error the outbox worker acts on.

    Order matters: ``is_transient`` and the throttle codes win over everything,
    then the codes that need a person (token 190, permissions 10/200–299), then
    "object does not exist"; the HTTP status decides only when the body has no code.
    """
    retry_after = retry_after_from_headers(headers)
    error = _graph_error(body) or {}
    code = _int(error.get("code"))
    subcode = _int(error.get("error_subcode"))
    message = str(error.get("message") or "")
    detail = _scrub(message, access_token)[:500] or None
    code_text = f"kod {code}" if code is not None else f"HTTP {status}"

    if error.get("is_transient") is True or code in TRANSIENT_CODES:
        return PlatformTransientError(
            reason_rate_limited(retry_after) if code not in (1, 2) else reason_server_error(status),
            retry_after,
            code="rate_limited" if code not in (1, 2) else "platform_unavailable",
            detail=detail,
        )
    if code == BLOCKED_CODE:
        wait = max(retry_after or 0.0, BLOCKED_WAIT_S)
        return PlatformTransientError(
            "Kontot är tillfälligt blockerat av plattformen (kod 368); nytt försök om en timme.",
            wait,
            code="temporarily_blocked",
            detail=detail,
        )
    if code == 190 or code in (102, 104):
        return PlatformPermanentError(reason_token(code_text), "token_invalid", detail=detail)
    if code == 10 or (code is not None and 200 <= code <= 299):
        return PlatformPermanentError(reason_permission(code_text), "permission_denied", detail=detail)
    if code == 100 and "appsecret_proof" in message.lower():
        return PlatformPermanentError(REASON_APPSECRET_PROOF, "appsecret_proof", detail=detail)
    if code == 100 and (subcode == GONE_SUBCODE or "does not exist" in message.lower()):
        # Not proof that the comment is gone (§7.7); the outbox worker checks the account.
        return PlatformPermanentError(REASON_UNAVAILABLE, "object_unavailable", detail=detail)
    if code is not None:
        if status >= 500:
            return PlatformTransientError(
                reason_server_error(status), retry_after, code="platform_unavailable", detail=detail
            )
        return PlatformPermanentError(reason_rejected(code_text), "rejected", detail=detail)

    # No Graph error in the body: fall back to the HTTP status.
    if status == 429:
        return PlatformTransientError(reason_rate_limited(retry_after), retry_after, code="rate_limited")
    if status >= 500:
        return PlatformTransientError(reason_server_error(status), retry_after, code="platform_unavailable")
    if status == 404:
        return PlatformPermanentError(REASON_GONE, "comment_gone")
    if status in (401, 403):
        return PlatformPermanentError(reason_token(code_text), "token_invalid")
    if 200 <= status < 300:
        return PlatformTransientError(REASON_UNEXPECTED, retry_after, code="unexpected_response")
    return PlatformPermanentError(reason_rejected(code_text), "rejected")


def _graph_error(body: Any) -> dict[str, Any] | None:
    if isinstance(body, dict) and isinstance(body.get("error"), dict):
        return body["error"]
    return None


def _require_success(body: Any) -> None:
    if isinstance(body, dict) and (body.get("success") is True or body.get("success") == "true"):
        return
    raise PlatformTransientError(REASON_UNEXPECTED, None, code="unexpected_response")


def _path(comment_id: str) -> str:
    if not isinstance(comment_id, str) or not _ID_PATTERN.fullmatch(comment_id) or ".." in comment_id:
        raise PlatformPermanentError(REASON_INVALID_ID, "invalid_id")
    return quote(comment_id, safe="")


def _check_platform(platform: str) -> str:
    if platform not in ("facebook", "instagram"):
        raise ValueError(f"unknown Meta platform {platform!r}")
    return platform


def _int(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().lstrip("-").isdigit():
        return int(value)
    return None


def _scrub(text: str, secret: str) -> str:
    return text.replace(secret, "[token]") if secret else text
