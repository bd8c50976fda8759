"""How a failed platform call is reported, and how long to wait before the next try.

The outbox worker owns retries (design invariant 8: a failed call is retried
with backoff and, if it keeps failing, shows on the item as failed).  All it
needs from a client is one decision per failure: *try again later*
(``PlatformTransientError``, optionally with the wait the platform asked for)
or *stop and tell a person* (``PlatformPermanentError``).  Every error carries
a short Swedish ``reason`` that is shown to the editor on the queue item as is,
and an English ``code`` for machines (metrics, tests, the worker's branching).

Nothing here may ever contain an access token: exceptions end up in logs, in
the ``last_error`` column and on screen.  ``detail`` (the platform's own
message, for operators) is scrubbed of the token by the client before it is
stored, and ``str()``/``repr()`` show only the Swedish reason.
"""

from __future__ import annotations

import json
import math
import random
from collections.abc import Mapping
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any

#: When ``X-App-Usage`` (or ``X-Page-Usage``) shows a limit at 100 %, Meta does
#: not say when access returns; the window is a rolling hour, so a few minutes
#: is a polite first wait that the exponential backoff then stretches.
USAGE_EXHAUSTED_WAIT_S = 300.0


class PlatformError(Exception):
    """A platform call failed; ``reason`` is Swedish and safe to show an editor."""

    def __init__(self, reason: str, *, code: str, detail: str | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.code = code
        #: The platform's own message (English, for operators), token-free.
        self.detail = detail

    def __str__(self) -> str:
        return self.reason

    def __repr__(self) -> str:
        return f"{type(self).__name__}(code={self.code!r}, reason={self.reason!r})"


class PlatformTransientError(PlatformError):
    """Worth another try later: throttling, 5xx, timeouts, broken connections."""

    def __init__(
        self,
        reason: str,
        retry_after: float | None = None,
        *,
        code: str = "rate_limited",
        detail: str | None = None,
    ) -> None:
        super().__init__(reason, code=code, detail=detail)
        #: Seconds the platform asked us to wait (from headers or the error), if it said.
        self.retry_after = retry_after

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}(code={self.code!r}, retry_after={self.retry_after!r}, "
            f"reason={self.reason!r})"
        )


class PlatformPermanentError(PlatformError):
    """Retrying cannot help: the comment is gone, a permission or the token is missing, or the
    request itself is wrong.  A person has to act (or nothing is left to do)."""

    def __init__(self, reason: str, code: str, *, detail: str | None = None) -> None:
        super().__init__(reason, code=code, detail=detail)


# --- Swedish reasons shared by the clients --------------------------------------------------------


def reason_rate_limited(retry_after: float | None) -> str:
    if retry_after is None:
        return "Plattformen begränsar antalet anrop; nytt försök senare."
    return f"Plattformen begränsar antalet anrop; nytt försök om {math.ceil(retry_after)} s."


REASON_GONE = "Kommentaren finns inte längre på plattformen."
REASON_TIMEOUT = "Plattformen svarade inte i tid; nytt försök senare."
REASON_CONNECTION = "Det gick inte att nå plattformen; nytt försök senare."
REASON_UNEXPECTED = "Plattformen gav ett oväntat svar; nytt försök senare."
REASON_INVALID_ID = "Kommentarens id har ett format som plattformen inte känner igen."


def reason_server_error(status: int) -> str:
    return f"Plattformen har tillfälliga problem (HTTP {status}); nytt försök senare."


def reason_token(code_text: str) -> str:
    return f"Åtkomsttoken har gått ut eller är ogiltig ({code_text}) – kontoansvarig behöver förnya den."


def reason_permission(code_text: str) -> str:
    return (
        f"Kontot saknar behörighet för åtgärden ({code_text}) – kontoansvarig behöver ge appen "
        "behörighet eller kontrollera rollen på sidan."
    )


def reason_rejected(code_text: str) -> str:
    return f"Plattformen avvisade anropet ({code_text}); åtgärden kan inte göras som den är."


# --- Backoff ----------------------------------------------------------------------------------


def compute_backoff(
    attempt: int,
    *,
    retry_after: float | None,
    base: float = 2.0,
    cap: float = 900.0,
    rng: random.Random,
) -> float:
    """Seconds to wait before try number ``attempt + 1`` (``attempt`` = tries made so far, ≥ 1).

    Full jitter (a uniform draw between 0 and the exponential ceiling) spreads the
    retries of many queued actions that failed together, e.g. after one throttle, so
    they do not hit the platform again in one burst.  A wait the platform asked for is
    a floor and is *not* capped: calling a throttled Page earlier only extends the
    block, because Meta keeps counting calls made while limited.
    """
    exponent = max(0, attempt - 1)
    # 2**exponent overflows float long before it matters; the cap wins from ~exponent 9 anyway.
    ceiling = cap if exponent >= 64 else min(cap, base * (2.0**exponent))
    delay = rng.uniform(0.0, ceiling)
    if retry_after is not None and retry_after > delay:
        return float(retry_after)
    return delay


# --- Rate-limit headers -----------------------------------------------------------------------


def _lower(headers: Mapping[str, str]) -> dict[str, str]:
    return {str(k).lower(): str(v) for k, v in headers.items()}


def _json_header(value: str | None) -> Any:
    if not value:
        return None
    try:
        return json.loads(value)
    except ValueError:
        return None


def _number(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float) and math.isfinite(value):
        return float(value)
    if isinstance(value, str):
        try:
            parsed = float(value)
        except ValueError:
            return None
        return parsed if math.isfinite(parsed) else None
    return None


def _retry_after_value(value: str, now: datetime) -> float | None:
    value = value.strip()
    seconds = _number(value)
    if seconds is not None:
        return max(0.0, seconds)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - now).total_seconds())


def parse_usage_headers(headers: Mapping[str, str]) -> dict[str, Any]:
    """Meta's usage headers as parsed JSON: ``{"app": …, "page": …, "business": …}``.

    Only headers that were present and valid JSON appear, so an empty dict means the
    platform told us nothing (LinkedIn, or a fake that leaves them out).
    """
    lowered = _lower(headers)
    usage: dict[str, Any] = {}
    for key, header in (
        ("app", "x-app-usage"),
        ("page", "x-page-usage"),
        ("business", "x-business-use-case-usage"),
    ):
        parsed = _json_header(lowered.get(header))
        if isinstance(parsed, dict):
            usage[key] = parsed
    return usage


def retry_after_from_headers(headers: Mapping[str, str], *, now: datetime | None = None) -> float | None:
    """The longest wait any rate-limit header asks for, in seconds, or ``None``.

    Reads ``Retry-After`` (seconds or an HTTP date), Meta's
    ``X-Business-Use-Case-Usage`` (``estimated_time_to_regain_access`` is in
    *minutes*; the header may list up to 32 business objects, and the slowest one
    decides) and ``X-App-Usage``/``X-Page-Usage`` (percentages; at 100 the limit is
    reached but no time is given, so ``USAGE_EXHAUSTED_WAIT_S`` is suggested).
    Malformed headers are ignored rather than raised: they come from outside.
    """
    now = now or datetime.now(UTC)
    lowered = _lower(headers)
    waits: list[float] = []

    raw_retry_after = lowered.get("retry-after")
    if raw_retry_after:
        parsed = _retry_after_value(raw_retry_after, now)
        if parsed is not None:
            waits.append(parsed)

    usage = parse_usage_headers(headers)
    business = usage.get("business", {})
    for entries in business.values():
        for entry in entries if isinstance(entries, list) else [entries]:
            if not isinstance(entry, dict):
                continue
            minutes = _number(entry.get("estimated_time_to_regain_access"))
            if minutes is not None and minutes > 0:
                waits.append(minutes * 60.0)

    for key in ("app", "page"):
        counters = usage.get(key, {})
        for name in ("call_count", "total_time", "total_cputime"):
            percent = _number(counters.get(name))
            if percent is not None and percent >= 100:
                waits.append(USAGE_EXHAUSTED_WAIT_S)
                break

    return max(waits) if waits else None
