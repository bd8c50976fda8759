"""LinkedIn Community Management API client: delete and reply to comments.

As for Meta, one call is one HTTP request and the outbox worker owns retries;
failures become ``PlatformTransientError``/``PlatformPermanentError``.  Unlike
the Graph API, LinkedIn's REST errors are plain HTTP statuses (401 token,
403 permission, 404 gone, 429 throttled), so the status decides.

LinkedIn has **no hide**: the Comments API offers get, create, edit and delete
only (shared/platforms.md §4.6).  ``hide_comment`` exists so callers that treat
platforms alike get a clear, permanent, Swedish explanation instead of an
``AttributeError``; a policy should offer delete (or nothing) on LinkedIn.

Comment URNs arrive in two spellings — ``urn:li:comment:(urn:li:activity:A,C)``
in decorations and ``urn:li:comment:(activity:A,C)`` in ``generatedActivity``
(§4.5) — so both are accepted and normalised to the long form.  URNs go into
paths percent-encoded (Rest.li 2.0), including ``:``, ``(``, ``,`` and ``)``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from types import TracebackType
from typing import Any, Self
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
    reason_permission,
    reason_rate_limited,
    reason_rejected,
    reason_server_error,
    reason_token,
    retry_after_from_headers,
)

_COMMENT_URN = re.compile(
    r"urn:li:comment:\((?:urn:li:)?(?P<kind>activity|share|ugcPost):(?P<post>[0-9A-Za-z_-]+),"
    r"(?P<comment>[0-9A-Za-z_-]+)\)"
)
_ORGANIZATION_URN = re.compile(r"urn:li:organization:[0-9]+")

#: Error code of a retired ``LinkedIn-Version``: an operator alert, not a per-action failure.
VERSION_RETIRED = "version_retired"
VERSION_RETIRED_WAIT_S = 3600.0
REASON_VERSION_RETIRED = (
    "LinkedIn har slutat stödja API-versionen som Uppsikt använder (HTTP 426) – driften behöver sätta "
    "UPPSIKT_LINKEDIN_API_VERSION till en aktuell version (ÅÅÅÅMM) och starta om; åtgärden väntar så länge."
)


@dataclass(frozen=True, slots=True)
class CommentUrn:
    """A LinkedIn comment URN split into the parts the REST paths need."""

    #: ``urn:li:activity:A`` (or ``share``/``ugcPost``): the post the comment is on.
    post_urn: str
    #: ``C``: the comment's own id within that post.
    comment_id: str

    @property
    def urn(self) -> str:
        """The normalised long form, ``urn:li:comment:(urn:li:activity:A,C)``."""
        return f"urn:li:comment:({self.post_urn},{self.comment_id})"


def parse_comment_urn(comment_urn: str) -> CommentUrn:
    """Split either spelling of a comment URN; anything else is a permanent ``invalid_id``."""
    match = _COMMENT_URN.fullmatch(comment_urn.strip()) if isinstance(comment_urn, str) else None
    if match is None:
        raise PlatformPermanentError(REASON_INVALID_ID, "invalid_id")
    return CommentUrn(
        post_urn=f"urn:li:{match['kind']}:{match['post']}",
        comment_id=match["comment"],
    )


def encode_urn(urn: str) -> str:
    """Percent-encode every reserved character, as Rest.li 2.0 wants URNs in paths and queries."""
    return quote(urn, safe="")


class LinkedInClient:
    """Delete and reply to comments on an organization's posts, acting as the organization."""

    def __init__(
        self,
        *,
        base_url: str,
        api_version: str = "202607",
        timeout: float = 10.0,
        transport: httpx.BaseTransport | None = None,
        oauth_url: str = "https://www.linkedin.com",
    ) -> None:
        self.api_version = api_version
        self.oauth_url = oauth_url.rstrip("/")
        self._http = httpx.Client(
            base_url=base_url.rstrip("/"),
            timeout=httpx.Timeout(timeout),
            transport=transport,
            follow_redirects=False,
            headers={
                "Accept": "application/json",
                "LinkedIn-Version": api_version,
                "X-Restli-Protocol-Version": "2.0.0",
            },
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

    def delete_comment(self, comment_urn: str, *, organization_urn: str, access_token: str) -> None:
        """Delete a comment as ``organization_urn`` (which must administer the post's page)."""
        parsed = parse_comment_urn(comment_urn)
        actor = _check_organization(organization_urn)
        path = (
            f"/rest/socialActions/{encode_urn(parsed.post_urn)}/comments/{quote(parsed.comment_id, safe='')}"
            f"?actor={encode_urn(actor)}"
        )
        self._call("DELETE", path, access_token)

    def reply(
        self,
        comment_urn: str,
        *,
        organization_urn: str,
        message: str,
        access_token: str,
        parent_comment_urn: str | None = None,
    ) -> str:
        """Reply to a comment as the organization; returns what LinkedIn sends in ``x-restli-id``.

        The reply is created *under the comment*: ``POST /rest/socialActions/{comment URN}/comments``
        with ``object`` = the post and ``parentComment`` = the comment (shared/platforms.md §7.1).
        LinkedIn threads two levels deep, so a reply to a reply (``parent_comment_urn`` given:
        the comment's own parent) goes under the top-level comment.
        """
        parsed = parse_comment_urn(parent_comment_urn or comment_urn)
        actor = _check_organization(organization_urn)
        payload = {
            "actor": actor,
            "object": parsed.post_urn,
            "message": {"text": message},
            "parentComment": parsed.urn,
        }
        response = self._call(
            "POST", f"/rest/socialActions/{encode_urn(parsed.urn)}/comments", access_token, json=payload
        )
        new_id = response.headers.get("x-restli-id")
        if not new_id:
            body = _json(response)
            candidate = body.get("id") if isinstance(body, dict) else None
            new_id = (
                str(candidate) if isinstance(candidate, str | int) and not isinstance(candidate, bool) else ""
            )
        if not new_id:
            # Permanent on purpose: the reply was probably posted, and a retry would post it twice.
            raise PlatformPermanentError(
                "Svaret publicerades troligen men plattformen returnerade inget id; kontrollera på "
                "plattformen innan du svarar igen.",
                "reply_id_missing",
            )
        return new_id

    # --- connecting an organization and checking its token --------------------------------------

    def administered_organizations(self, *, access_token: str) -> list[dict[str, Any]]:
        """The organizations the token's member is an approved ADMINISTRATOR of.

        ``GET /rest/organizationAcls?q=roleAssignee&role=ADMINISTRATOR&state=APPROVED`` →
        ``{"elements": [{"organization", "role", "state", "roleAssignee"}]}``
        (https://learn.microsoft.com/en-us/linkedin/marketing/community-management/organizations/organization-access-control-by-role).
        """
        response = self._call(
            "GET",
            "/rest/organizationAcls?q=roleAssignee&role=ADMINISTRATOR&state=APPROVED&count=100",
            access_token,
        )
        body = _json(response)
        elements = body.get("elements") if isinstance(body, dict) else None
        if not isinstance(elements, list):
            raise PlatformTransientError(REASON_UNEXPECTED, None, code="unexpected_response")
        return [e for e in elements if isinstance(e, dict)]

    def introspect_token(self, token: str, *, client_id: str, client_secret: str) -> dict[str, Any]:
        """What LinkedIn knows of a token: ``active``, ``status``, ``expires_at``, ``scope``.

        ``POST https://www.linkedin.com/oauth/v2/introspectToken`` with the app's client
        credentials (https://learn.microsoft.com/en-us/linkedin/shared/authentication/token-introspection).
        """
        try:
            response = self._http.post(
                f"{self.oauth_url}/oauth/v2/introspectToken",
                data={"client_id": client_id, "client_secret": client_secret, "token": token},
                headers={"Content-Type": "application/x-www-form-urlencoded"},
            )
        except httpx.TimeoutException as exc:
            raise PlatformTransientError(REASON_TIMEOUT, None, code="timeout") from exc
        except httpx.TransportError as exc:
            raise PlatformTransientError(REASON_CONNECTION, None, code="connection_error") from exc
        body = _json(response)
        if response.status_code != 200 or not isinstance(body, dict):
            raise classify_linkedin_error(response.status_code, body, response.headers, token)
        return body

    def subscribe_organization(
        self,
        *,
        application_id: str,
        person_urn: str,
        organization_urn: str,
        webhook_url: str,
        access_token: str,
    ) -> None:
        """Subscribe the app to the organization's social-action notifications for this member.

        ``PUT /rest/eventSubscriptions/(developerApplication:…,user:…,entity:…,eventType:
        ORGANIZATION_SOCIAL_ACTION_NOTIFICATIONS)`` with ``{"webhook": url}`` (shared/platforms.md
        §4.1; the key's exact form needs a live check).
        """
        org = _check_organization(organization_urn)
        key = (
            f"(developerApplication:{encode_urn(f'urn:li:developerApplication:{application_id}')},"
            f"user:{encode_urn(person_urn)},entity:{encode_urn(org)},"
            "eventType:ORGANIZATION_SOCIAL_ACTION_NOTIFICATIONS)"
        )
        self._call("PUT", f"/rest/eventSubscriptions/{key}", access_token, json={"webhook": webhook_url})

    # --- transport ----------------------------------------------------------------------------

    def _call(
        self, method: str, path: str, access_token: str, *, json: dict[str, Any] | None = None
    ) -> httpx.Response:
        try:
            response = self._http.request(
                method, path, json=json, headers={"Authorization": f"Bearer {access_token}"}
            )
        except httpx.TimeoutException as exc:
            raise PlatformTransientError(REASON_TIMEOUT, None, code="timeout") from exc
        except httpx.TransportError as exc:
            raise PlatformTransientError(REASON_CONNECTION, None, code="connection_error") from exc
        if response.status_code in (200, 201, 204):
            return response
        raise classify_linkedin_error(response.status_code, _json(response), response.headers, access_token)


def classify_linkedin_error(
    status: int, body: Any, headers: httpx.Headers | dict[str, str], access_token: str = ""
) -> PlatformError:
    """Map a LinkedIn REST failure by HTTP status (its bodies carry no finer code we need)."""
    retry_after = retry_after_from_headers(headers)
    message = ""
    if isinstance(body, dict):
        message = str(body.get("message") or "")
    detail = (message.replace(access_token, "[token]") if access_token else message)[:500] or None
    code_text = f"HTTP {status}"
    if status == 429:
        return PlatformTransientError(
            reason_rate_limited(retry_after), retry_after, code="rate_limited", detail=detail
        )
    if status == 426:
        # The LinkedIn-Version we send is retired (NONEXISTENT_VERSION, §7.6): no action can
        # succeed until the operator sets a current one, so nothing is rejected meanwhile.
        return PlatformTransientError(
            REASON_VERSION_RETIRED, VERSION_RETIRED_WAIT_S, code=VERSION_RETIRED, detail=detail
        )
    if status >= 500:
        return PlatformTransientError(
            reason_server_error(status), retry_after, code="platform_unavailable", detail=detail
        )
    if status == 401:
        return PlatformPermanentError(reason_token(code_text), "token_invalid", detail=detail)
    if status == 403:
        return PlatformPermanentError(reason_permission(code_text), "permission_denied", detail=detail)
    if status in (404, 410):
        return PlatformPermanentError(REASON_GONE, "comment_gone", detail=detail)
    if 200 <= status < 400:
        return PlatformTransientError(
            REASON_UNEXPECTED, retry_after, code="unexpected_response", detail=detail
        )
    return PlatformPermanentError(reason_rejected(code_text), "rejected", detail=detail)


def _check_organization(organization_urn: str) -> str:
    if not isinstance(organization_urn, str) or not _ORGANIZATION_URN.fullmatch(organization_urn):
        raise PlatformPermanentError(
            "Organisationens URN har fel format (väntat urn:li:organization:<nummer>).", "invalid_actor"
        )
    return organization_urn


def _json(response: httpx.Response) -> Any:
    try:
        return response.json()
    except ValueError:
        return None
