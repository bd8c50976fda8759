"""Rendering and the browser's session for the web routes: templates, cookie, who is visiting."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from fastapi import Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates
from sqlalchemy.orm import Session

from app.auth import db_session
from app.models import WebSession
from app.principal import Principal
from app.web import sessions
from app.web.assets import PAGE_CSP, STATIC_DIR
from app.web.labels import GLOBALS

COOKIE = "uppsikt_session"
LOCAL_HOSTS = ("localhost", "127.0.0.1", "::1", "[::1]")
STOCKHOLM = ZoneInfo("Europe/Stockholm")

templates = Jinja2Templates(directory=STATIC_DIR.parent / "templates")


def local_time(value: datetime | None) -> str:
    """A UTC time as people in Sweden read it: ``2026-12-02 kl. 14:05``."""
    if value is None:
        return ""
    return value.astimezone(STOCKHOLM).strftime("%Y-%m-%d kl. %H:%M")


def actor_name(actor: str | None) -> str:
    """Who did something, as people read it: the person, an API key or the service itself."""
    if not actor:
        return ""
    kind, _, rest = actor.partition(":")
    if kind == "user":
        return rest
    if kind == "apikey":
        return f"API-nyckel {rest}"
    return "Uppsikt (automatiskt)" if actor == "worker" else actor


templates.env.filters["local_time"] = local_time
templates.env.filters["actor"] = actor_name
templates.env.globals.update(GLOBALS)


@dataclass
class Visit:
    """The database session, the browser's session (if any) and who is signed in (if anyone)."""

    db: Session
    web_session: WebSession | None
    principal: Principal | None

    @property
    def csrf_token(self) -> str:
        return self.web_session.csrf_token if self.web_session else ""


def visit(request: Request, db: Session = Depends(db_session)) -> Visit:
    web_session = sessions.find(db, request.cookies.get(COOKIE))
    principal = sessions.principal_of(db, web_session) if web_session else None
    return Visit(db=db, web_session=web_session, principal=principal)


def render(
    request: Request, name: str, visit: Visit, context: dict[str, Any] | None = None, *, status: int = 200
) -> HTMLResponse:
    values = {"visit": visit, "principal": visit.principal, "csrf_token": visit.csrf_token, **(context or {})}
    return templates.TemplateResponse(
        request, name, values, status_code=status, headers={"content-security-policy": PAGE_CSP}
    )


def fragment(request: Request, name: str, context: dict[str, Any], headers: dict[str, str]) -> HTMLResponse:
    return templates.TemplateResponse(
        request, name, context, headers={"content-security-policy": PAGE_CSP, **headers}
    )


def cookie_is_secure(request: Request) -> bool:
    """Always ``Secure``, except over plain http to this machine itself (local use and tests)."""
    return not (request.url.scheme == "http" and request.url.hostname in LOCAL_HOSTS)


def set_session_cookie(response: Response, request: Request, token: str, ttl: timedelta) -> None:
    response.set_cookie(
        COOKIE,
        token,
        max_age=int(ttl.total_seconds()),
        path="/",
        httponly=True,
        secure=cookie_is_secure(request),
        samesite="lax",
    )


def clear_session_cookie(response: Response, request: Request) -> None:
    response.delete_cookie(COOKIE, path="/", httponly=True, secure=cookie_is_secure(request), samesite="lax")


def redirect(url: str) -> RedirectResponse:
    """After a POST: the browser GETs the next page (303 See Other)."""
    return RedirectResponse(url, status_code=303)
