"""``POST /v1/comments``: the same downstream path as a platform delivery."""

from __future__ import annotations

import json
from datetime import UTC

from fastapi import APIRouter, Depends, Request, status
from sqlalchemy.orm import Session

from app.auth import db_session, require_roles
from app.db import commit
from app.errors import Forbidden, NotFound, PayloadTooLarge, ServiceUnavailable, Unauthorized, responses
from app.ingest.schemas import CommentIngest, IngestAck
from app.models import utcnow
from app.principal import Principal
from app.tenants import repository as tenant_repository
from app.webhooks import service as inbox

router = APIRouter(prefix="/v1/comments", tags=["comments"])


@router.post(
    "",
    operation_id="ingest_comments",
    status_code=status.HTTP_202_ACCEPTED,
    response_model=IngestAck,
    responses=responses(Unauthorized, Forbidden, NotFound, PayloadTooLarge, ServiceUnavailable),
)
def ingest_comments(
    payload: CommentIngest,
    request: Request,
    principal: Principal = Depends(require_roles("admin", "editor", "account_owner")),
    session: Session = Depends(db_session),
) -> IngestAck:
    """Store comments from a website or an import; the worker processes them like a delivery."""
    account = tenant_repository.account_in_tenant(session, principal.tenant_id, payload.account_id)
    if account is None or not principal.may_see_account(account.id):
        raise NotFound("No such account.")
    document = {
        "account_external_id": account.external_id,
        "platform": account.platform,
        "received_at": utcnow().isoformat(),
        "submitted_by": principal.actor,
        "comments": [
            {
                **item.model_dump(exclude_none=True, exclude={"created_at"}),
                **(
                    {"created_at": item.created_at.astimezone(UTC).isoformat()}
                    if item.created_at and item.created_at.tzinfo
                    else {"created_at": item.created_at.replace(tzinfo=UTC).isoformat()}
                    if item.created_at
                    else {}
                ),
            }
            for item in payload.comments
        ],
    }
    body = json.dumps(document, ensure_ascii=False, sort_keys=True).encode("utf-8", "surrogatepass")
    stored, digest = inbox.accept_delivery(
        session,
        source="web",
        body=body,
        headers=request.headers,
        signature_scheme=principal.actor,
        tenant_id=principal.tenant_id,
    )
    commit(session)
    request.app.state.metrics.deliveries_received.labels("web").inc()
    request.app.state.wake_worker()
    return IngestAck(
        status="stored" if stored else "duplicate", sha256=digest, comments=len(payload.comments)
    )
