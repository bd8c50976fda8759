"""``GET /v1/search``: finding comments for a public-records request."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from fastapi import APIRouter, Depends, Query
from sqlalchemy.orm import Session

from app.auth import db_session, require_roles
from app.errors import BadRequest, Forbidden, Unauthorized, responses
from app.principal import Principal
from app.search import service
from app.search.schemas import SearchPage

router = APIRouter(prefix="/v1/search", tags=["search"])

State = Literal["visible", "hidden", "deleted_by_author", "deleted_by_us"]


@router.get(
    "",
    operation_id="search_comments",
    response_model=SearchPage,
    responses=responses(BadRequest, Unauthorized, Forbidden),
)
def search_comments(
    author: str | None = Query(
        None,
        min_length=1,
        max_length=300,
        description="The sender: the platform's id exactly, or part of the name (case-insensitive)",
    ),
    account_id: int | None = Query(None, ge=1, le=2**31 - 1),
    since: datetime | None = Query(None, description="First received at or after (ISO-8601 with zone)"),
    until: datetime | None = Query(None, description="First received before (ISO-8601 with zone)"),
    text: str | None = Query(
        None,
        min_length=1,
        max_length=500,
        description="Words in any version, also earlier ones (case-insensitive, % and _ taken literally)",
    ),
    state: list[State] | None = Query(
        None, description="Only these states (repeatable); default every state"
    ),
    order: Literal["chronological", "sender"] = Query(
        "chronological", description="Oldest first, or by sender and then oldest first"
    ),
    cursor: str | None = Query(None, max_length=2000),
    limit: int = Query(50, ge=1, le=500),
    principal: Principal = Depends(require_roles("registrar", "admin")),
    session: Session = Depends(db_session),
) -> SearchPage:
    """Comments for a public-records request: hidden, removed and culled ones too, with their
    evidence, queue status and case number.  For the registrar and administrators."""
    return service.search(
        session,
        principal=principal,
        account_id=account_id,
        author=author,
        since=since,
        until=until,
        text=text,
        states=state,
        order=order,
        cursor=cursor,
        limit=limit,
    )
