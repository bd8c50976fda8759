"""The web pages' own static files and the Content-Security-Policy of each kind of page.

Nothing is loaded from anywhere else: pages allow scripts, styles and images from
``'self'`` only, never inline, and the API documentation the same plus ``data:``
images (Swagger UI draws its icons that way).
"""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter
from fastapi.responses import FileResponse

from app.errors import NotFound

STATIC_DIR = Path(__file__).resolve().parent / "static"

#: The policy of every HTML page: only our own stylesheet, script and form targets.
PAGE_CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; "
    "form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
)
#: /docs: Swagger UI from our own files, the schema from /openapi.json.
DOCS_CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
    "form-action 'none'; frame-ancestors 'none'; base-uri 'none'"
)
_MEDIA_TYPES = {".js": "text/javascript", ".css": "text/css", ".png": "image/png", ".svg": "image/svg+xml"}

router = APIRouter(include_in_schema=False)


@router.get("/static/{path:path}")
def static_file(path: str) -> FileResponse:
    """One of our own files; anything outside the folder or of another type is 404."""
    target = (STATIC_DIR / path).resolve()
    media_type = _MEDIA_TYPES.get(target.suffix)
    if media_type is None or not target.is_relative_to(STATIC_DIR) or not target.is_file():
        raise NotFound("No such file.")
    return FileResponse(target, media_type=media_type, headers={"cache-control": "public, max-age=3600"})
