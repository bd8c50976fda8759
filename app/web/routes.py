"""The web inbox's routes: thin, Swedish, none of them in the OpenAPI schema.

Each page calls the same services as the REST API (``app.queue.service``,
``app.queue.views``, ``app.evidence.service``) with the signed-in person's
``Principal``; a route only parses the form, checks the CSRF token, commits and
renders.  Every POST checks the session's CSRF token before anything else.
"""

from __future__ import annotations

from datetime import timedelta

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response

from app.db import begin_write, commit
from app.errors import Conflict, Forbidden, NotFound, ServiceUnavailable, Unauthorized, Unprocessable
from app.evidence.pdf import render_evidence_pdf
from app.evidence.service import get_snapshot, pdf_document
from app.learning import service as learning
from app.logging import get_logger
from app.queue import service as queue_service
from app.queue import views
from app.queue.routes import WORKERS
from app.tenants import repository as tenants_repository
from app.web import (
    account_routes,
    assets,
    destinations_routes,
    docs,
    inbox_view,
    known_parties_routes,
    registrar_routes,
    sessions,
)
from app.web.oidc_login import OidcSignIn, build_sign_in
from app.web.pages import (
    Visit,
    clear_session_cookie,
    fragment,
    redirect,
    render,
    set_session_cookie,
    visit,
)

log = get_logger("app.web")

router = APIRouter(include_in_schema=False)


def _ttl(request: Request) -> timedelta:
    return timedelta(seconds=request.app.state.settings.web_session_ttl_s)


def _oidc(request: Request) -> OidcSignIn | None:
    """The OIDC sign-in of this app, built on first use from its settings."""
    state = request.app.state
    if not hasattr(state, "web_oidc"):
        state.web_oidc = build_sign_in(state.settings, state.auth.oidc)
    found: OidcSignIn | None = state.web_oidc
    return found


def _refused(request: Request, v: Visit, text: str, status: int = 403) -> HTMLResponse:
    return render(request, "message.html", v, {"heading": "Det gick inte", "text": text}, status=status)


CSRF_REFUSED = "Formuläret hade ingen giltig säkerhetskod. Ladda om sidan och försök igen."


# -- start page and sign-in ------------------------------------------------------------------------


@router.get("/")
def landing(request: Request, v: Visit = Depends(visit)) -> HTMLResponse:
    message = (
        "Du är utloggad."
        if request.query_params.get("utloggad")
        else "Logga in för att se sidan."
        if request.query_params.get("inloggning")
        else None
    )
    return render(
        request, "landing.html", v, {"oidc_enabled": _oidc(request) is not None, "message": message}
    )


@router.get("/logga-in/lank/{token}")
def login_link_page(request: Request, token: str, v: Visit = Depends(visit)) -> Response:
    """Confirm before spending the link: a mail filter that opens links must not sign anyone in."""
    link = sessions.valid_link(v.db, token)
    if link is None:
        return render(
            request,
            "message.html",
            v,
            {
                "heading": "Länken går inte att använda",
                "text": "Inloggningslänken är okänd, för gammal eller redan använd. Be om en ny.",
            },
            status=404,
        )
    context = {
        "token": token,
        "subject": link.subject,
        "role": link.role,
        "tenant": sessions.tenant_name(v.db, link.tenant_id),
    }
    if v.web_session is not None:
        return render(request, "link_confirm.html", v, context)
    # An anonymous session carries this form's CSRF token.
    begin_write(v.db)
    v.web_session, session_token = sessions.start_anonymous(v.db, ttl=_ttl(request))
    commit(v.db)
    response = render(request, "link_confirm.html", v, context)
    set_session_cookie(response, request, session_token, _ttl(request))
    return response


@router.post("/logga-in/lank/{token}")
def login_link_use(
    request: Request, token: str, csrf_token: str = Form(""), v: Visit = Depends(visit)
) -> Response:
    try:
        sessions.check_csrf(v.web_session, csrf_token)
    except Forbidden:
        return _refused(request, v, CSRF_REFUSED)
    begin_write(v.db)
    try:
        link = sessions.redeem_login_link(v.db, token)
    except Unauthorized:
        return _refused(request, v, "Inloggningslänken är okänd, för gammal eller redan använd.", 401)
    _, session_token = sessions.sign_in(
        v.db,
        previous=v.web_session,
        tenant_id=link.tenant_id,
        role=link.role,
        subject=link.subject,
        ttl=_ttl(request),
    )
    commit(v.db)
    response = redirect("/inkorg")
    set_session_cookie(response, request, session_token, _ttl(request))
    return response


@router.get("/logga-in/oidc")
def oidc_begin(request: Request, v: Visit = Depends(visit)) -> Response:
    flow = _oidc(request)
    if flow is None:
        return _refused(request, v, "Inloggning med kommunens identitetstjänst är inte inställd.", 404)
    try:
        attempt = flow.begin()
    except ServiceUnavailable:
        return _refused(request, v, "Kommunens inloggningstjänst svarar inte. Försök igen om en stund.", 503)
    begin_write(v.db)
    # A fresh anonymous session per attempt: what the callback checks lives only there.
    web_session, session_token = sessions.start_anonymous(v.db, ttl=timedelta(minutes=10))
    web_session.oidc_state = attempt.state
    web_session.oidc_nonce = attempt.nonce
    web_session.oidc_code_verifier = attempt.code_verifier
    if v.web_session is not None and v.web_session.tenant_id is None:
        sessions.sign_out(v.db, v.web_session)
    commit(v.db)
    response = RedirectResponse(attempt.url, status_code=302)
    set_session_cookie(response, request, session_token, timedelta(minutes=10))
    return response


@router.get("/logga-in/oidc/callback")
def oidc_callback(
    request: Request, code: str = "", state: str = "", error: str = "", v: Visit = Depends(visit)
) -> Response:
    flow = _oidc(request)
    if flow is None:
        return _refused(request, v, "Inloggning med kommunens identitetstjänst är inte inställd.", 404)
    ws = v.web_session
    if error or not code or ws is None or ws.tenant_id is not None:
        return _refused(request, v, "Inloggningen avbröts eller hör inte till den här webbläsaren.", 401)
    try:
        identity = flow.finish(
            code=code,
            returned_state=state,
            state=ws.oidc_state,
            nonce=ws.oidc_nonce,
            code_verifier=ws.oidc_code_verifier,
        )
    except ServiceUnavailable:
        return _refused(request, v, "Kommunens inloggningstjänst svarar inte. Försök igen om en stund.", 503)
    except (Unauthorized, Forbidden):
        return _refused(request, v, "Inloggningen godtogs inte. Försök igen eller kontakta en administratör.")
    tenant = tenants_repository.tenant_by_name(v.db, identity.tenant)
    if tenant is None:
        return _refused(request, v, "Din organisation finns inte i Uppsikt.")
    begin_write(v.db)
    _, session_token = sessions.sign_in(
        v.db,
        previous=ws,
        tenant_id=tenant.id,
        role=identity.role,
        subject=identity.subject,
        ttl=_ttl(request),
    )
    commit(v.db)
    response = redirect("/inkorg")
    set_session_cookie(response, request, session_token, _ttl(request))
    return response


@router.post("/logga-ut")
def sign_out(request: Request, csrf_token: str = Form(""), v: Visit = Depends(visit)) -> Response:
    try:
        sessions.check_csrf(v.web_session, csrf_token)
    except Forbidden:
        return _refused(request, v, CSRF_REFUSED)
    assert v.web_session is not None
    begin_write(v.db)
    sessions.sign_out(v.db, v.web_session)
    commit(v.db)
    response = redirect("/?utloggad=1")
    clear_session_cookie(response, request)
    return response


# -- the inbox -------------------------------------------------------------------------------------


def _sign_in_first() -> RedirectResponse:
    return RedirectResponse("/?inloggning=1", status_code=303)


@router.get("/inkorg")
def inbox(
    request: Request,
    konto: str = "",
    kategori: str = "",
    status: str = "open",
    forsenade: str = "",
    polis: str = "",
    sida: str = "",
    v: Visit = Depends(visit),
) -> Response:
    """The queue, most urgent first, for the accounts this person may see."""
    if v.principal is None:
        return _sign_in_first()
    filters = inbox_view.Filters.parse(
        konto=konto, kategori=kategori, status=status, forsenade=forsenade, polis=polis
    )
    page = inbox_view.load_page(v.db, v.principal, filters, cursor=sida or None)
    context = {
        "filters": filters,
        "page": page,
        "accounts": views.visible_accounts(v.db, v.principal),
        "poll_url": f"/inkorg/rader?{filters.query()}" if not sida else None,
    }
    return render(request, "inbox.html", v, context)


@router.get("/inkorg/rader")
def inbox_rows(
    request: Request,
    konto: str = "",
    kategori: str = "",
    status: str = "open",
    forsenade: str = "",
    polis: str = "",
    v: Visit = Depends(visit),
) -> Response:
    """The first page's rows alone, for the inbox's own script to swap in when they change."""
    if v.principal is None:
        return Response(status_code=401)
    filters = inbox_view.Filters.parse(
        konto=konto, kategori=kategori, status=status, forsenade=forsenade, polis=polis
    )
    page = inbox_view.load_page(v.db, v.principal, filters, cursor=None)
    return fragment(request, "_inbox_rows.html", {"page": page}, {"x-inkorg-version": page.version})


@router.get("/inkorg/{item_id}")
def item_page(request: Request, item_id: int, v: Visit = Depends(visit)) -> Response:
    """The item; opening it claims it for this person unless someone else holds it."""
    if v.principal is None:
        return _sign_in_first()
    try:
        item = queue_service.get_item(v.db, v.principal, item_id)
    except NotFound:
        return _not_found(request, v)
    if inbox_view.should_claim(item, v.principal):
        begin_write(v.db)
        try:
            item = queue_service.claim(v.db, principal=v.principal, item_id=item_id, ttl=_claim_ttl(request))
            commit(v.db)
        except Conflict:
            v.db.rollback()  # someone else claimed it a moment ago: show who
            item = queue_service.get_item(v.db, v.principal, item_id)
    page = inbox_view.item_view(v.db, v.principal, item)
    notice = "Beslutet är sparat." if request.query_params.get("sparat") else None
    return render(
        request,
        "item.html",
        v,
        {"view": page, "form": inbox_view.DecisionForm.initial(page), "notice": notice},
    )


async def finding_verdicts(request: Request) -> dict[str, str]:
    """The decision form's ``omdome-<category>`` radio groups (one per finding): category -> verdict."""
    form = await request.form()  # parsed once; the route's Form fields read the same cache
    return {
        str(name).removeprefix("omdome-"): str(value)
        for name, value in form.items()
        if str(name).startswith("omdome-") and isinstance(value, str)
    }


@router.post("/inkorg/{item_id}/beslut")
def decide(
    request: Request,
    item_id: int,
    csrf_token: str = Form(""),
    atgarder: list[str] = Form([]),
    motivering: str = Form(""),
    svarstext: str = Form(""),
    version: int = Form(0),
    andra: str = Form(""),
    missade: list[str] = Form([]),
    mottagare: list[str] = Form([]),
    verdicts: dict[str, str] = Depends(finding_verdicts),
    v: Visit = Depends(visit),
) -> Response:
    try:
        sessions.check_csrf(v.web_session, csrf_token)
    except Forbidden:
        return _refused(request, v, CSRF_REFUSED)
    if v.principal is None:
        return _sign_in_first()
    if v.principal.role not in WORKERS:
        return _refused(request, v, "Din roll kan inte fatta beslut om kommentarer.")
    try:
        item = queue_service.get_item(v.db, v.principal, item_id)
    except NotFound:
        return _not_found(request, v)
    form = inbox_view.DecisionForm(
        actions=atgarder,
        reason=motivering,
        reply_text=svarstext,
        version=version,
        reverse=bool(andra),
        feedback=verdicts,
        missed=missade,
        forward_to=mottagare,
    )
    scope = inbox_view.label_scope(v.db, item)
    errors = form.errors(
        item,
        scope.found,
        set(learning.named_missed(v.db, item)),
        marked=scope.marked,
        read_in_swedish=scope.read,
    )
    if errors:
        page = inbox_view.item_view(v.db, v.principal, item)
        return render(request, "item.html", v, {"view": page, "form": form, "errors": errors}, status=400)
    feedback, missed = form.labels()
    begin_write(v.db)
    try:
        queue_service.decide(
            v.db,
            principal=v.principal,
            item_id=item_id,
            actions_requested=form.actions,
            reason=form.reason.strip(),
            reply_text=form.reply_text.strip() or None,
            expected_version=form.version or None,
            reverse_previous=form.reverse,
            finding_feedback=feedback,
            missed_categories=missed,
            forward_to=form.forward_to or None,
        )
        commit(v.db)
    except (Conflict, Unprocessable) as exc:
        v.db.rollback()
        item = queue_service.get_item(v.db, v.principal, item_id)
        page = inbox_view.item_view(v.db, v.principal, item)
        # The person's choices stay in the form: nothing they wrote is lost.
        form = form.after_conflict(item) if isinstance(exc, Conflict) else form
        errors = [inbox_view.service_error(exc)]
        return render(
            request, "item.html", v, {"view": page, "form": form, "errors": errors}, status=exc.status_code
        )
    request.app.state.wake_worker()
    return redirect(f"/inkorg/{item_id}?sparat=1")


@router.post("/inkorg/{item_id}/polisanmalan")
def police_review(
    request: Request,
    item_id: int,
    csrf_token: str = Form(""),
    anmald: str = Form(""),
    polis_motivering: str = Form(""),
    v: Visit = Depends(visit),
) -> Response:
    """The account owner records whether the content was reported to the police, and why."""
    try:
        sessions.check_csrf(v.web_session, csrf_token)
    except Forbidden:
        return _refused(request, v, CSRF_REFUSED)
    if v.principal is None:
        return _sign_in_first()
    try:
        item = queue_service.get_item(v.db, v.principal, item_id)
    except NotFound:
        return _not_found(request, v)
    review = inbox_view.PoliceReviewForm(reported=anmald, reason=polis_motivering)
    errors = review.errors()
    if not errors:
        begin_write(v.db)
        try:
            queue_service.record_police_review(
                v.db,
                principal=v.principal,
                item_id=item_id,
                reported=anmald == "ja",
                reason=polis_motivering.strip(),
            )
            commit(v.db)
            return redirect(f"/inkorg/{item_id}?sparat=1")
        except (Forbidden, Conflict) as exc:
            v.db.rollback()
            item = queue_service.get_item(v.db, v.principal, item_id)
            errors = [inbox_view.police_error(exc)]
            status = exc.status_code
    else:
        status = 400
    page = inbox_view.item_view(v.db, v.principal, item)
    context = {
        "view": page,
        "form": inbox_view.DecisionForm.initial(page),
        "review": review,
        "errors": errors,
        "error_heading": "Prövningen är inte sparad",
    }
    return render(request, "item.html", v, context, status=status)


@router.get("/inkorg/bevis/{evidence_id}.json")
def evidence_json(evidence_id: int, request: Request, v: Visit = Depends(visit)) -> Response:
    if v.principal is None:
        return _sign_in_first()
    try:
        snapshot = get_snapshot(v.db, v.principal, evidence_id)
    except NotFound:
        return _not_found(request, v)
    return JSONResponse(inbox_view.evidence_json(snapshot))


@router.get("/inkorg/bevis/{evidence_id}.pdf")
def evidence_pdf(evidence_id: int, request: Request, v: Visit = Depends(visit)) -> Response:
    if v.principal is None:
        return _sign_in_first()
    try:
        snapshot = get_snapshot(v.db, v.principal, evidence_id)
    except NotFound:
        return _not_found(request, v)
    return Response(
        render_evidence_pdf(pdf_document(snapshot)),
        media_type="application/pdf",
        headers={"Content-Disposition": f'inline; filename="bevis-{snapshot.id}.pdf"'},
    )


def _not_found(request: Request, v: Visit) -> HTMLResponse:
    text = "Det finns ingen sådan kommentar, eller så har du inte tillgång till kontot."
    return render(
        request,
        "message.html",
        v,
        {"heading": "Hittades inte", "text": text, "back_url": "/inkorg", "back_label": "Till inkorgen"},
        status=404,
    )


def _claim_ttl(request: Request) -> timedelta:
    return timedelta(seconds=request.app.state.settings.claim_ttl_s)


routers = (
    assets.router,
    docs.router,
    router,
    registrar_routes.router,
    account_routes.router,
    destinations_routes.router,
    known_parties_routes.router,
)
