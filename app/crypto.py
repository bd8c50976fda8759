"""Encryption of platform access tokens at rest.

Fernet (AES-128-CBC + HMAC-SHA256, from the ``cryptography`` package) with a
key derived from ``UPPSIKT_SECRET_KEY``: any long random string works, so an
operator does not have to produce Fernet's key format by hand.
"""

from __future__ import annotations

import base64
import hashlib

from cryptography.fernet import Fernet, InvalidToken

from app.errors import BadRequest
from app.settings import Settings


class TokenCipher:
    def __init__(self, settings: Settings) -> None:
        secret = settings.secret_key.get_secret_value()
        self._fernet = (
            Fernet(base64.urlsafe_b64encode(hashlib.sha256(secret.encode("utf-8")).digest()))
            if secret
            else None
        )

    def _require(self) -> Fernet:
        if self._fernet is None:
            raise BadRequest("UPPSIKT_SECRET_KEY is not set; platform tokens cannot be stored or used.")
        return self._fernet

    def encrypt(self, token: str) -> bytes:
        return self._require().encrypt(token.encode("utf-8"))

    def decrypt(self, ciphertext: bytes) -> str | None:
        """The token, or None if it cannot be decrypted (wrong or rotated key)."""
        try:
            return self._require().decrypt(ciphertext).decode("utf-8")
        except InvalidToken:
            return None
