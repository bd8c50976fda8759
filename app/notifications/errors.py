"""How a send ends when it does not succeed: try again later, or never."""

from __future__ import annotations


class SendError(Exception):
    """``reason`` is Swedish and shown to people; ``code`` is for logs and metrics."""

    def __init__(self, reason: str, *, code: str, retry_after: float | None = None) -> None:
        super().__init__(code)
        self.reason = reason
        self.code = code
        self.retry_after = retry_after


class TransientSendError(SendError):
    """The receiver may take it later: a 4xx from a mail server, a 5xx or timeout from a webhook."""


class PermanentSendError(SendError):
    """Trying again will not help: a refused address, a 4xx from a webhook, a missing setting."""
