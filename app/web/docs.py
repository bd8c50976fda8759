"""/docs: Swagger UI from the service's own files (no CDN), under a policy that allows only them."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import HTMLResponse

from app.web.assets import DOCS_CSP

router = APIRouter(include_in_schema=False)

_DOCS_HTML = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Uppsikt API</title>
<link rel="stylesheet" href="/static/swagger/swagger-ui.css">
</head>
<body>
<main id="swagger-ui"><h1>Uppsikt API</h1><p>The reference is loading from /openapi.json.</p></main>
<script src="/static/swagger/swagger-ui-bundle.js"></script>
<script src="/static/docs.js"></script>
</body>
</html>
"""


@router.get("/docs")
def api_docs() -> HTMLResponse:
    return HTMLResponse(_DOCS_HTML, headers={"content-security-policy": DOCS_CSP})
