"""The one error hierarchy of the service.

Services raise these; one handler in ``app.main`` renders every one of them as
``{"error": "<ClassName>", "detail": "…"}`` with the class's status code.
Services never raise ``HTTPException`` and a 500 never echoes an exception's
text (it could carry comment text, personal data or a secret).
"""

from __future__ import annotations

from typing import Any, ClassVar

from pydantic import BaseModel


class ErrorBody(BaseModel):
    """The body of every error response."""

    error: str
    detail: Any = None


class UppsiktError(Exception):
    status_code: ClassVar[int] = 500
    default_detail: ClassVar[str] = "Internal error."
    headers: dict[str, str] | None = None

    def __init__(self, detail: Any = None, *, headers: dict[str, str] | None = None) -> None:
        self.detail = self.default_detail if detail is None else detail
        self.headers = headers
        super().__init__(str(self.detail))

    @property
    def name(self) -> str:
        return type(self).__name__


class BadRequest(UppsiktError):
    status_code = 400
    default_detail = "The request is malformed."


class Unauthorized(UppsiktError):
    status_code = 401
    default_detail = "Authentication is required."


class SignatureInvalid(Unauthorized):
    default_detail = "The signature is missing or does not match the body."


class Forbidden(UppsiktError):
    status_code = 403
    default_detail = "You may not do this."


class NotFound(UppsiktError):
    status_code = 404
    default_detail = "Not found."


class Conflict(UppsiktError):
    status_code = 409
    default_detail = "The resource changed; reload and try again."


class PayloadTooLarge(UppsiktError):
    status_code = 413
    default_detail = "The body is larger than the limit."


class Unprocessable(UppsiktError):
    status_code = 422
    default_detail = "The request could not be processed."


class TooManyRequests(UppsiktError):
    status_code = 429
    default_detail = "Too many requests."


class ServiceUnavailable(UppsiktError):
    status_code = 503
    default_detail = "The service cannot store the request right now; retry later."


class DatabaseNotReady(ServiceUnavailable):
    """The database has no schema yet, or one that is not at the migrations' head.

    Start-up refuses to run on it: every request and every worker poll would fail.
    """

    default_detail = "The database schema is not at the migrations' head; run `uppsikt migrate`."


class DatabaseUnreachable(ServiceUnavailable):
    """The database cannot be opened or connected to (a wrong URL, a server that is down)."""

    default_detail = "The database cannot be reached."


class ConfigurationError(UppsiktError):
    """A setting the service cannot work with; the detail names the setting, never its value."""

    default_detail = "A setting is invalid."


def responses(*errors: type[UppsiktError]) -> dict[int | str, dict[str, Any]]:
    """OpenAPI ``responses`` for a route, so that ``openapi.yaml`` lists its errors."""
    out: dict[int | str, dict[str, Any]] = {}
    for err in errors:
        # The content type is explicit so that routes answering text (the Meta handshake)
        # still document their JSON error bodies.
        out[err.status_code] = {
            "model": ErrorBody,
            "description": err.default_detail,
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorBody"}}},
        }
    return out
