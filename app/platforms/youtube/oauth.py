"""Google access tokens for YouTube, from the account's refresh token.

Google's access tokens last an hour (developers.google.com/identity/protocols/oauth2/web-server,
"Refreshing an access token (offline access)"): ``POST https://oauth2.googleapis.com/token``
with ``grant_type=refresh_token``, ``refresh_token``, ``client_id`` and ``client_secret``
answers ``{"access_token", "expires_in", "scope", "token_type"}``; a revoked or expired
refresh token answers 400 ``{"error": "invalid_grant"}``.  So the account keeps the
long-lived refresh token (encrypted, like every platform token) and each process keeps the
current access token in memory, fetching a new one a minute before the old one ends.
Refreshing costs no YouTube Data API quota.
"""

from __future__ import annotations

import hashlib
import threading
import time

import httpx

from app.platforms.errors import (
    REASON_CONNECTION,
    REASON_TIMEOUT,
    REASON_UNEXPECTED,
    PlatformPermanentError,
    PlatformTransientError,
    reason_server_error,
    reason_token,
)
from app.settings import Settings

#: Fetch a new access token this long before the current one ends.
MARGIN_S = 60.0


class YouTubeAccessTokens:
    def __init__(self, settings: Settings, *, client: httpx.Client | None = None) -> None:
        self.client_id = settings.youtube_client_id.strip()
        self.client_secret = settings.youtube_client_secret.get_secret_value()
        self.token_url = settings.youtube_token_url
        self._http = client or httpx.Client(timeout=settings.platform_timeout_s)
        self._lock = threading.Lock()
        #: sha256 of the refresh token -> (access token, monotonic time it ends)
        self._cache: dict[str, tuple[str, float]] = {}

    @property
    def refreshes(self) -> bool:
        """Whether stored tokens are refresh tokens (an OAuth client is configured)."""
        return bool(self.client_id and self.client_secret)

    def access_token(self, stored: str) -> str:
        """The access token to call the API with, for the account's stored token."""
        if not self.refreshes:
            return stored
        key = hashlib.sha256(stored.encode()).hexdigest()
        with self._lock:
            cached = self._cache.get(key)
        if cached is not None and cached[1] - MARGIN_S > time.monotonic():
            return cached[0]
        token, lasts_s = self._refresh(stored)
        with self._lock:
            self._cache[key] = (token, time.monotonic() + lasts_s)
        return token

    def _refresh(self, refresh_token: str) -> tuple[str, float]:
        form = {
            "grant_type": "refresh_token",
            "refresh_token": refresh_token,
            "client_id": self.client_id,
            "client_secret": self.client_secret,
        }
        try:
            answer = self._http.post(self.token_url, data=form)
        except httpx.TimeoutException:
            raise PlatformTransientError(REASON_TIMEOUT, code="timeout") from None
        except httpx.TransportError:
            raise PlatformTransientError(REASON_CONNECTION, code="connection") from None
        if answer.status_code >= 500 or answer.status_code == 429:
            raise PlatformTransientError(reason_server_error(answer.status_code), code="server_error")
        try:
            body = answer.json()
        except ValueError:
            raise PlatformTransientError(REASON_UNEXPECTED, code="unexpected") from None
        if answer.status_code != 200 or not isinstance(body, dict) or "access_token" not in body:
            error = str(body.get("error") if isinstance(body, dict) else "") or f"HTTP {answer.status_code}"
            raise PlatformPermanentError(reason_token(f"Google: {error}"), code="token_invalid")
        return str(body["access_token"]), float(body.get("expires_in") or 3600)

    def close(self) -> None:
        self._http.close()
