"""The account register as a page: every account this person may see, who answers for it,
and what the tenant's own guideline says is missing — the API's register, rendered."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from app.tenants.register import account_register
from app.web.pages import Visit, redirect, render, visit

router = APIRouter(include_in_schema=False)


@router.get("/konton")
def accounts_page(request: Request, v: Visit = Depends(visit)) -> Response:
    if v.principal is None:
        return redirect("/?inloggning=1")
    days = request.app.state.settings.token_expiry_warning_days
    register = account_register(v.db, v.principal, expiry_warning_days=days)
    return render(request, "accounts.html", v, {"register": register})
