"""The comment read API, scoped to the caller's tenant and accounts."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from fastapi import APIRouter, Depends, Query
from sqlalchemy.orm import Session

from app.api_types import ResourceId
from app.auth import Principal, current_principal, db_session
from app.comments import service
from app.comments.schemas import CommentDetail, CommentPage
from app.errors import BadRequest, NotFound, Unauthorized, responses

router = APIRouter(prefix="/v1/comments", tags=["comments"])

State = Literal["visible", "hidden", "deleted_by_author", "deleted_by_us"]


@router.get(
    "",
    operation_id="list_comments",
    response_model=CommentPage,
    responses=responses(BadRequest, Unauthorized),
)
def list_comments(
    account_id: int | None = Query(None, ge=1, le=2**31 - 1),
    author: str | None = Query(None, min_length=1, max_length=300, description="Author id or name as given"),
    since: datetime | None = Query(None, description="First received at or after (ISO-8601)"),
    until: datetime | None = Query(None, description="First received before (ISO-8601)"),
    state: State | None = None,
    cursor: str | None = Query(None, max_length=40),
    limit: int = Query(50, ge=1, le=500),
    principal: Principal = Depends(current_principal),
    session: Session = Depends(db_session),
) -> CommentPage:
    """Comments newest first, with cursor pagination."""
    return service.list_comments(
        session,
        principal=principal,
        account_id=account_id,
        author=author,
        since=since,
        until=until,
        state=state,
        cursor=cursor,
        limit=limit,
    )


@router.get(
    "/{comment_id}",
    operation_id="get_comment",
    response_model=CommentDetail,
    responses=responses(NotFound, Unauthorized),
)
def get_comment(
    comment_id: ResourceId,
    principal: Principal = Depends(current_principal),
    session: Session = Depends(db_session),
) -> CommentDetail:
    """One comment with every version, platform event and assessment."""
    return service.comment_detail(session, principal=principal, comment_id=comment_id)
