"""HMAC signature checks over the raw body bytes, in constant time.

Hashing the bytes exactly as received matters for Swedish text: Meta signs the
payload with non-ASCII escaped (``\\u00e5``), so re-serialising parsed JSON
would never verify.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Iterable

from app.errors import SignatureInvalid


def hmac_sha256_hex(secret: bytes, message: bytes) -> str:
    return hmac.new(secret, message, hashlib.sha256).hexdigest()


def matches_any(candidate_hex: str, secrets: Iterable[bytes], message: bytes) -> bool:
    """True if any non-empty secret signs ``message`` as ``candidate_hex``.

    Every secret is tried even after a match so the time taken does not tell
    which secret (or whether the first) matched.
    """
    candidate = candidate_hex.strip().lower().encode("ascii", "replace")
    found = False
    for secret in secrets:
        if not secret:
            continue
        expected = hmac_sha256_hex(secret, message).encode("ascii")
        found |= hmac.compare_digest(expected, candidate)
    return found


def verify_meta(body: bytes, header: str | None, secrets: tuple[bytes, ...]) -> str:
    """Check ``X-Hub-Signature-256: sha256=<hex>``; returns the scheme that matched."""
    if not secrets:
        raise SignatureInvalid("No Meta app secret is configured; deliveries cannot be verified.")
    if not header:
        raise SignatureInvalid("X-Hub-Signature-256 is missing.")
    algo, sep, digest = header.partition("=")
    if not sep or algo.strip().lower() != "sha256":
        raise SignatureInvalid("X-Hub-Signature-256 must start with 'sha256='.")
    if not matches_any(digest, secrets, body):
        raise SignatureInvalid("X-Hub-Signature-256 does not match the body.")
    return "sha256"


LINKEDIN_PREFIX = b"hmacsha256="


def verify_linkedin(body: bytes, header: str | None, secrets: tuple[bytes, ...]) -> str:
    """Check ``X-LI-Signature`` in either reading of LinkedIn's documentation.

    Reading A (the literal one): hex HMAC over ``b"hmacsha256=" + body``.
    Reading B: hex HMAC over the body, the header carrying ``hmacsha256=``.
    The header may carry the prefix or not; the returned scheme records which
    reading matched, so a real delivery settles the question (platforms.md §4.3).
    """
    if not secrets:
        raise SignatureInvalid("No LinkedIn client secret is configured; deliveries cannot be verified.")
    if not header:
        raise SignatureInvalid("X-LI-Signature is missing.")
    value = header.strip()
    if value.lower().startswith("hmacsha256="):
        value = value[len("hmacsha256=") :]
    if matches_any(value, secrets, LINKEDIN_PREFIX + body):
        return "linkedin-prefixed-body"
    if matches_any(value, secrets, body):
        return "linkedin-bare-body"
    raise SignatureInvalid("X-LI-Signature does not match the body.")
