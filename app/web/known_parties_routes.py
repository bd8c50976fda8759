"""The administrator's page of the municipality's own details: its phone numbers and
e-mail addresses (never reported as personal data) and its public officials — the same
service as ``/v1/tenant/known-parties``, one value per line."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import Response

from app.db import begin_write, commit
from app.errors import BadRequest
from app.tenants.known_parties import stored_known_parties
from app.tenants.repository import tenant_of
from app.tenants.service import set_known_parties
from app.web.destinations_routes import admin_of, admin_posting
from app.web.inbox_view import FormError
from app.web.pages import Visit, redirect, render, visit

router = APIRouter(include_in_schema=False)

#: Form field → the service's list, and the words its error message starts with.
FIELDS = {
    "telefonnummer": ("phones", "Telefonnummer"),
    "epost": ("emails", "E-postadresser"),
    "foretradare": ("public_officials", "Offentliga företrädare"),
}


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


@router.get("/egna-uppgifter")
def known_parties_page(request: Request, v: Visit = Depends(visit)) -> Response:
    principal = admin_of(request, v)
    if isinstance(principal, Response):
        return principal
    tenant = tenant_of(v.db, principal)
    known = stored_known_parties(tenant.known_parties)
    values = {field: "\n".join(getattr(known, key)) for field, (key, _) in FIELDS.items()}
    notice = "Uppgifterna är sparade." if request.query_params.get("klart") == "sparad" else None
    context: dict[str, object] = {"values": values, "errors": [], "field_errors": {}, "notice": notice}
    return render(request, "known_parties.html", v, context)


@router.post("/egna-uppgifter")
def save_known_parties(
    request: Request,
    csrf_token: str = Form(""),
    telefonnummer: str = Form(""),
    epost: str = Form(""),
    foretradare: str = Form(""),
    v: Visit = Depends(visit),
) -> Response:
    principal = admin_posting(request, v, csrf_token, "Inte sparat")
    if isinstance(principal, Response):
        return principal
    values = {"telefonnummer": telefonnummer, "epost": epost, "foretradare": foretradare}
    tenant = tenant_of(v.db, principal)
    begin_write(v.db)
    try:
        set_known_parties(
            v.db,
            tenant=tenant,
            raw={key: _lines(values[field]) for field, (key, _) in FIELDS.items()},
            actor=principal.actor,
        )
        commit(v.db)
    except BadRequest as exc:
        v.db.rollback()
        text = str(exc.detail)
        target = next((f for f, (_, label) in FIELDS.items() if text.startswith(label)), "telefonnummer")
        context = {
            "values": values,
            "errors": [FormError(text, target)],
            "field_errors": {target: text},
            "notice": None,
        }
        return render(request, "known_parties.html", v, context, status=400)
    return redirect("/egna-uppgifter?klart=sparad")
