"""The administrator's page of destinations: where forwards, registration requests and alerts go,
what waits and what failed — the same service as ``/v1/destinations``.

A webhook's signing secret is typed into a password field and goes straight to the service,
which stores it encrypted; the page never shows a secret back.
"""

from __future__ import annotations

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import Response

from app.crypto import TokenCipher
from app.db import begin_write, commit
from app.destinations import repository, service
from app.errors import Conflict, Forbidden, Unprocessable
from app.models import DESTINATION_KINDS
from app.principal import Principal
from app.tenants.repository import tenant_of
from app.web import sessions
from app.web.inbox_view import FormError
from app.web.pages import Visit, redirect, render, visit

router = APIRouter(include_in_schema=False)

KIND_LABELS = {"email": "E-post", "webhook": "Signerad webhook", "teams": "Microsoft Teams", "slack": "Slack"}
CSRF_REFUSED = "Formuläret hade ingen giltig säkerhetskod. Ladda om sidan och försök igen."


def admin_of(request: Request, v: Visit) -> Principal | Response:
    """The signed-in administrator, or the answer for anyone else (sign in, or no access)."""
    if v.principal is None:
        return redirect("/?inloggning=1")
    if v.principal.role != "admin":
        text = "Sidan är till för administratörer."
        return render(request, "message.html", v, {"heading": "Ingen behörighet", "text": text}, status=403)
    return v.principal


def admin_posting(request: Request, v: Visit, csrf_token: str, refused: str) -> Principal | Response:
    """The administrator behind a form, or the answer when it is nobody's or has no valid
    CSRF token (``refused`` heads that page: "Inte sparat")."""
    principal = admin_of(request, v)
    if isinstance(principal, Response):
        return principal
    try:
        sessions.check_csrf(v.web_session, csrf_token)
    except Forbidden:
        return render(request, "message.html", v, {"heading": refused, "text": CSRF_REFUSED}, status=403)
    return principal


def _page(
    request: Request,
    v: Visit,
    principal: Principal,
    *,
    errors: list[FormError] | None = None,
    values: dict[str, str] | None = None,
    status: int = 200,
) -> Response:
    tenant = tenant_of(v.db, principal)
    context = {
        "destinations": service.overview(v.db, tenant=tenant),
        "kinds": [(k, KIND_LABELS.get(k, k)) for k in DESTINATION_KINDS],
        "kind_labels": KIND_LABELS,
        "errors": errors or [],
        "field_errors": {e.target: e.text for e in errors or []},
        "values": values or {"sort": "email"},
        "notice": {"sparad": "Mottagaren är sparad.", "borttagen": "Mottagaren är borttagen."}.get(
            request.query_params.get("klart", "")
        ),
    }
    return render(request, "destinations.html", v, context, status=status)


@router.get("/mottagare")
def destinations_page(request: Request, v: Visit = Depends(visit)) -> Response:
    principal = admin_of(request, v)
    if isinstance(principal, Response):
        return principal
    return _page(request, v, principal)


@router.post("/mottagare")
def add_destination(
    request: Request,
    csrf_token: str = Form(""),
    namn: str = Form(""),
    sort: str = Form("email"),
    adress: str = Form(""),
    hemlighet: str = Form(""),
    registrator: str = Form(""),
    v: Visit = Depends(visit),
) -> Response:
    principal = admin_posting(request, v, csrf_token, "Inte sparat")
    if isinstance(principal, Response):
        return principal
    values = {"namn": namn, "sort": sort, "adress": adress, "registrator": registrator}
    errors = []
    if not namn.strip():
        errors.append(FormError("Skriv ett namn på mottagaren, t.ex. Socialtjänsten.", "namn"))
    if not adress.strip():
        errors.append(FormError("Skriv en e-postadress eller en https-adress.", "adress"))
    if errors:
        return _page(request, v, principal, errors=errors, values=values, status=400)
    tenant = tenant_of(v.db, principal)
    begin_write(v.db)
    try:
        service.add_destination(
            v.db,
            tenant=tenant,
            name=namn,
            kind=sort,
            address=adress,
            secret=hemlighet or None,
            registrar=registrator == "1",
            cipher=TokenCipher(request.app.state.settings),
            actor=principal.actor,
        )
        commit(v.db)
    except (Conflict, Unprocessable) as exc:
        v.db.rollback()
        target = (
            "namn"
            if isinstance(exc, Conflict)
            else ("hemlighet" if "emlighet" in str(exc.detail) else "adress")
        )
        return _page(
            request,
            v,
            principal,
            errors=[FormError(str(exc.detail), target)],
            values=values,
            status=exc.status_code,
        )
    return redirect("/mottagare?klart=sparad")


@router.post("/mottagare/{destination_id}/ta-bort")
def remove_destination(
    request: Request, destination_id: int, csrf_token: str = Form(""), v: Visit = Depends(visit)
) -> Response:
    principal = admin_posting(request, v, csrf_token, "Inte borttagen")
    if isinstance(principal, Response):
        return principal
    tenant = tenant_of(v.db, principal)
    begin_write(v.db)
    destination = repository.in_tenant(v.db, tenant.id, destination_id)
    if destination is not None:
        service.remove_destination(v.db, tenant=tenant, destination=destination, actor=principal.actor)
    commit(v.db)
    return redirect("/mottagare?klart=borttagen")
