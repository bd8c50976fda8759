"""The registrar's pages: registration requests (with the case-number form and the package
to file), the moderation log (with its verification and a CSV export) and the search for
public-records requests.

Thin, like ``app.web.routes``: they call ``app.registrations.service``, the log's
repository and ``verify_tenant`` exactly as the REST routes do, for the roles those
routes allow (registrar, admin).
"""

from __future__ import annotations

from urllib.parse import quote

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import HTMLResponse, Response, StreamingResponse

from app.db import begin_write, commit
from app.errors import BadRequest, Conflict, Forbidden, NotFound, Unprocessable
from app.modlog import repository as log_repository
from app.modlog.completeness import check_tenant
from app.modlog.repository import LogQuery
from app.modlog.routes import export_log_csv
from app.modlog.schemas import LogEntryRead
from app.modlog.verify import verify_tenant
from app.principal import Principal
from app.queue.views import visible_accounts
from app.registrations import service as registrations
from app.search import service as search_service
from app.web import sessions
from app.web.inbox_view import FormError
from app.web.pages import Visit, redirect, render, visit
from app.web.search_view import SearchForm

router = APIRouter(include_in_schema=False)

REGISTRARS = ("registrar", "admin")
PAGE_SIZE = 25
CSRF_REFUSED = "Formuläret hade ingen giltig säkerhetskod. Ladda om sidan och försök igen."


def _registrar(request: Request, v: Visit) -> Principal | Response:
    if v.principal is None:
        return redirect("/?inloggning=1")
    if v.principal.role not in REGISTRARS:
        return render(
            request,
            "message.html",
            v,
            {"heading": "Ingen behörighet", "text": "Sidan är till för registratorer och administratörer."},
            status=403,
        )
    return v.principal


def _registrations_page(
    request: Request,
    v: Visit,
    principal: Principal,
    *,
    status: str,
    cursor: str | None,
    errors: list[FormError] | None = None,
    values: dict[int, str] | None = None,
    http_status: int = 200,
) -> HTMLResponse:
    try:
        page = registrations.list_page(
            v.db,
            principal=principal,
            status=status if status in ("pending", "registered") else None,
            cursor=cursor,
            limit=PAGE_SIZE,
        )
    except BadRequest:
        page = registrations.list_page(v.db, principal=principal, status=None, cursor=None, limit=PAGE_SIZE)
    context = {
        "page": page,
        "status": status,
        "errors": errors or [],
        "field_errors": {e.target: e.text for e in errors or []},
        "values": values or {},
        "notice": "Diarienumret är sparat." if request.query_params.get("sparat") else None,
    }
    return render(request, "registrations.html", v, context, status=http_status)


@router.get("/registrering")
def registrations_page(
    request: Request, status: str = "pending", sida: str = "", v: Visit = Depends(visit)
) -> Response:
    principal = _registrar(request, v)
    if isinstance(principal, Response):
        return principal
    return _registrations_page(request, v, principal, status=status, cursor=sida or None)


@router.post("/registrering/{registration_id}")
def register(
    request: Request,
    registration_id: int,
    csrf_token: str = Form(""),
    diarienummer: str = Form(""),
    v: Visit = Depends(visit),
) -> Response:
    try:
        sessions.check_csrf(v.web_session, csrf_token)
    except Forbidden:
        return render(
            request, "message.html", v, {"heading": "Det gick inte", "text": CSRF_REFUSED}, status=403
        )
    principal = _registrar(request, v)
    if isinstance(principal, Response):
        return principal
    field = f"diarienummer-{registration_id}"
    if not diarienummer.strip():
        error = FormError("Skriv diarienumret som registret gav.", field)
        return _registrations_page(
            request, v, principal, status="pending", cursor=None, errors=[error], http_status=400
        )
    begin_write(v.db)
    try:
        registrations.register(
            v.db,
            principal=principal,
            registration_id=registration_id,
            diarienummer=diarienummer,
            default_pattern=request.app.state.settings.diarienummer_pattern,
        )
        commit(v.db)
    except (Unprocessable, Conflict, NotFound) as exc:
        v.db.rollback()
        text = {
            Unprocessable: "Diarienumret har inte den form kommunen använder, till exempel KS 2024/567.",
            Conflict: "Begäran är redan registrerad; sidan visar nu det sparade diarienumret.",
            NotFound: "Det finns ingen sådan registreringsbegäran.",
        }[type(exc)]
        return _registrations_page(
            request,
            v,
            principal,
            status="pending",
            cursor=None,
            errors=[FormError(text, field)],
            values={registration_id: diarienummer},
            http_status=exc.status_code,
        )
    return redirect("/registrering?sparat=1")


@router.get("/registrering/{registration_id}/paket")
def registration_package(request: Request, registration_id: int, v: Visit = Depends(visit)) -> Response:
    principal = _registrar(request, v)
    if isinstance(principal, Response):
        return principal
    try:
        package = registrations.package(v.db, principal=principal, registration_id=registration_id)
    except NotFound:
        return render(
            request,
            "message.html",
            v,
            {"heading": "Hittades inte", "text": "Ingen sådan begäran."},
            status=404,
        )
    ascii_name = package.filename.encode("ascii", "replace").decode().replace("?", "_")
    disposition = f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(package.filename)}"
    return Response(
        package.content, media_type="application/zip", headers={"Content-Disposition": disposition}
    )


@router.get("/logg")
def moderation_log(request: Request, v: Visit = Depends(visit)) -> Response:
    """The newest entries, whether the whole chain verifies and whether every record has its entries."""
    principal = _registrar(request, v)
    if isinstance(principal, Response):
        return principal
    report = verify_tenant(v.db, principal.tenant_id)
    completeness = check_tenant(v.db, principal.tenant_id) if report.ok else None
    v.db.rollback()
    query = LogQuery(tenant_id=principal.tenant_id, account_ids=principal.account_ids)
    newest_first_after = max(0, report.head_seq - PAGE_SIZE)
    rows = log_repository.entries_page(v.db, query, after=newest_first_after, limit=PAGE_SIZE)
    entries = [LogEntryRead.model_validate(row) for row in rows]
    entries.reverse()
    return render(
        request, "log.html", v, {"report": report, "completeness": completeness, "entries": entries}
    )


@router.get("/logg.csv")
def moderation_log_csv(request: Request, v: Visit = Depends(visit)) -> Response:
    """The whole log as a spreadsheet for Swedish Excel, by the API's own export."""
    principal = _registrar(request, v)
    if isinstance(principal, Response):
        return principal
    query = LogQuery(tenant_id=principal.tenant_id, account_ids=principal.account_ids)
    response: StreamingResponse = export_log_csv(request, sep="semicolon", after=0, limit=None, query=query)
    return response


@router.get("/sok")
def records_search(
    request: Request,
    avsandare: str = "",
    text: str = "",
    fran: str = "",
    till: str = "",
    konto: str = "",
    ordning: str = "chronological",
    tillstand: list[str] = Query([]),
    sida: str = "",
    sok: str = "",
    v: Visit = Depends(visit),
) -> Response:
    """Comments for a public-records request, hidden, removed and culled ones too, by the API's search."""
    principal = _registrar(request, v)
    if isinstance(principal, Response):
        return principal
    form = SearchForm(
        author=avsandare,
        text=text,
        since=fran,
        until=till,
        account=konto,
        order=ordning,
        states=tillstand,
        submitted=bool(sok or sida),
    )
    accounts = visible_accounts(v.db, principal)
    criteria, errors = form.criteria({a.id for a in accounts})
    page = None
    if form.submitted and not errors:
        try:
            page = search_service.search(
                v.db, principal=principal, cursor=sida or None, limit=PAGE_SIZE, **criteria
            )
        except BadRequest:
            errors.append(FormError("Sidan hör till en annan sökning – sök igen.", "avsandare"))
    context = {
        "form": form,
        "accounts": accounts,
        "page": page,
        "errors": errors,
        "field_errors": {e.target: e.text for e in errors},
    }
    return render(request, "search.html", v, context, status=400 if errors else 200)
