"""The decision queue API and the tenant's effective policy."""

from __future__ import annotations

from datetime import timedelta
from typing import Any, Literal

from fastapi import APIRouter, Depends, Query, Request
from sqlalchemy.orm import Session

from app.api_types import Category, ResourceId
from app.auth import current_principal, db_session, require_roles
from app.db import begin_write, commit
from app.errors import Conflict, Forbidden, NotFound, Unauthorized, Unprocessable, responses
from app.models import Tenant
from app.policies.effective import effective_policy
from app.principal import Principal
from app.queue import service, views
from app.queue.schemas import (
    DecisionCreate,
    DecisionResult,
    PoliceReviewCreate,
    QueueItemDetail,
    QueuePage,
)

router = APIRouter(tags=["queue"])

WORKERS = ("editor", "account_owner", "admin")


_cursor = views.parse_cursor
_encode = views.encode_cursor


@router.get(
    "/v1/queue", operation_id="list_queue", response_model=QueuePage, responses=responses(Unauthorized)
)
def list_queue(
    status: Literal["open", "decided"] | None = None,
    account_id: int | None = Query(None, ge=1, le=2**31 - 1),
    category: Category | None = None,
    overdue: bool | None = None,
    assigned: bool | None = None,
    police_review: Literal["pending", "reported", "not_reported"] | None = Query(
        None, description="Only items whose police-report review is in this state"
    ),
    not_assessed: bool | None = Query(
        None,
        description="Only items with (true) or without (false) a category that only a language mark "
        "raised: a comment the classifier took for another language, whose text nobody has assessed "
        "(its recommendation lists them under `not_assessed`)",
    ),
    cursor: str | None = Query(None, max_length=80),
    limit: int = Query(50, ge=1, le=500),
    principal: Principal = Depends(current_principal),
    session: Session = Depends(db_session),
) -> QueuePage:
    """Queue items, most urgent first (priority, then due time), with cursor pagination."""
    items = service.list_items(
        session,
        principal=principal,
        status=status,
        account_id=account_id,
        category=category,
        overdue=overdue,
        assigned=assigned,
        after=_cursor(cursor),
        limit=limit + 1,
        police_review=police_review,
        not_assessed=not_assessed,
    )
    page = items[:limit]
    return QueuePage(
        items=views.listing(session, page),
        next_cursor=_encode(page[-1]) if len(items) > limit else None,
    )


@router.get(
    "/v1/queue/{item_id}",
    operation_id="get_queue_item",
    response_model=QueueItemDetail,
    responses=responses(Unauthorized, NotFound),
)
def get_queue_item(
    item_id: ResourceId,
    principal: Principal = Depends(current_principal),
    session: Session = Depends(db_session),
) -> QueueItemDetail:
    """The comment, findings with explanations, recommendation, evidence links and history."""
    return views.item_detail(session, service.get_item(session, principal, item_id))


@router.post(
    "/v1/queue/{item_id}/claim",
    operation_id="claim_queue_item",
    response_model=QueueItemDetail,
    responses=responses(Unauthorized, Forbidden, NotFound, Conflict),
)
def claim_queue_item(
    item_id: ResourceId,
    request: Request,
    take_over: bool = Query(False, description="Take over another person's claim (logged)."),
    principal: Principal = Depends(require_roles(*WORKERS)),
    session: Session = Depends(db_session),
) -> QueueItemDetail:
    """Claim an item so other editors see it is being handled; the claim expires."""
    begin_write(session)
    ttl = timedelta(seconds=request.app.state.settings.claim_ttl_s)
    item = service.claim(session, principal=principal, item_id=item_id, ttl=ttl, take_over=take_over)
    detail = views.item_detail(session, item)
    commit(session)
    return detail


@router.post(
    "/v1/queue/{item_id}/decision",
    operation_id="decide_queue_item",
    response_model=DecisionResult,
    responses=responses(Unauthorized, Forbidden, NotFound, Conflict, Unprocessable),
)
def decide_queue_item(
    item_id: ResourceId,
    body: DecisionCreate,
    request: Request,
    principal: Principal = Depends(require_roles(*WORKERS)),
    session: Session = Depends(db_session),
) -> DecisionResult:
    """Decide: accept the recommendation or override it.  Actions run on the platform afterwards."""
    begin_write(session)
    item, decision = service.decide(
        session,
        principal=principal,
        item_id=item_id,
        actions_requested=list(body.actions),
        reason=body.reason,
        reply_text=body.reply_text,
        expected_version=body.expected_version,
        reverse_previous=body.reverse_previous,
        take_over=body.take_over,
        finding_feedback=[(f.category, f.verdict) for f in body.finding_feedback],
        missed_categories=list(body.missed_categories),
        forward_to=body.forward_to,
    )
    result = DecisionResult(
        item=views.item_detail(session, item), decision=views.decision_read(session, decision)
    )
    commit(session)
    request.app.state.wake_worker()
    return result


@router.post(
    "/v1/queue/{item_id}/police-review",
    operation_id="record_police_review",
    response_model=QueueItemDetail,
    responses=responses(Unauthorized, Forbidden, NotFound, Conflict),
)
def record_police_review(
    item_id: ResourceId,
    body: PoliceReviewCreate,
    principal: Principal = Depends(require_roles("account_owner", "admin")),
    session: Session = Depends(db_session),
) -> QueueItemDetail:
    """The account owner records whether the content was reported to the police, and why."""
    begin_write(session)
    item = service.record_police_review(
        session, principal=principal, item_id=item_id, reported=body.reported, reason=body.reason
    )
    detail = views.item_detail(session, item)
    commit(session)
    return detail


@router.get("/v1/policy", operation_id="get_policy", responses=responses(Unauthorized))
def get_policy(
    principal: Principal = Depends(current_principal), session: Session = Depends(db_session)
) -> dict[str, Any]:
    """The tenant's effective policy: its preset with its overrides, each rule with its source sentence."""
    tenant = session.get(Tenant, principal.tenant_id)
    assert tenant is not None
    return effective_policy(tenant).as_dict()
