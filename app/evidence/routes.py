"""Evidence snapshots as JSON and as a PDF a registrar can file."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from fastapi import APIRouter, Depends
from fastapi.responses import Response
from pydantic import BaseModel
from sqlalchemy.orm import Session

from app.api_types import ResourceId
from app.auth import current_principal, db_session
from app.errors import NotFound, Unauthorized, responses
from app.evidence.pdf import render_evidence_pdf
from app.evidence.service import get_snapshot, pdf_document
from app.models import EvidenceSnapshot
from app.principal import Principal

router = APIRouter(prefix="/v1/evidence", tags=["evidence"])


class EvidenceRead(BaseModel):
    id: int
    comment_id: int
    account_id: int
    reason: str
    taken_at: datetime
    sha256: str
    document: dict[str, Any]


def _get(session: Session, principal: Principal, evidence_id: int) -> EvidenceSnapshot:
    return get_snapshot(session, principal, evidence_id)


@router.get(
    "/{evidence_id}",
    operation_id="get_evidence",
    response_model=EvidenceRead,
    responses=responses(Unauthorized, NotFound),
)
def get_evidence(
    evidence_id: ResourceId,
    principal: Principal = Depends(current_principal),
    session: Session = Depends(db_session),
) -> EvidenceRead:
    """The snapshot; ``sha256`` is over the canonical JSON of ``document``."""
    return EvidenceRead.model_validate(_get(session, principal, evidence_id), from_attributes=True)


@router.get(
    "/{evidence_id}/pdf",
    operation_id="get_evidence_pdf",
    response_class=Response,
    responses={
        200: {"content": {"application/pdf": {"schema": {"type": "string", "format": "binary"}}}},
        **responses(Unauthorized, NotFound),
    },
)
def get_evidence_pdf(
    evidence_id: ResourceId,
    principal: Principal = Depends(current_principal),
    session: Session = Depends(db_session),
) -> Response:
    """The snapshot as a readable PDF: account, post, author, highlighted text, timeline, hash."""
    snapshot = _get(session, principal, evidence_id)
    pdf = render_evidence_pdf(pdf_document(snapshot))
    return Response(
        pdf,
        media_type="application/pdf",
        headers={"Content-Disposition": f'inline; filename="bevis-{snapshot.id}.pdf"'},
    )
