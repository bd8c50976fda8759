"""All SQL of editors' labels and retrained classifier models."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from app.models import ClassifierModel, DecisionLabel, ModerationLogEntry, Tenant

#: The log entry of a retrain that was measured worse: its version was handed out but not kept.
REFUSED = "model.retrain_refused"


def add_all(session: Session, objects: Sequence[object]) -> None:
    if objects:
        session.add_all(objects)
        session.flush()


def labels_of_tenant(session: Session, tenant_id: int) -> Sequence[DecisionLabel]:
    """Every label of the tenant, oldest first (a later label on the same item and category wins)."""
    return session.scalars(
        select(DecisionLabel).where(DecisionLabel.tenant_id == tenant_id).order_by(DecisionLabel.id)
    ).all()


def labels_of_decision(session: Session, decision_id: int) -> Sequence[DecisionLabel]:
    return session.scalars(
        select(DecisionLabel).where(DecisionLabel.decision_id == decision_id).order_by(DecisionLabel.id)
    ).all()


def labels_of_item(session: Session, item_id: int) -> Sequence[DecisionLabel]:
    return session.scalars(
        select(DecisionLabel).where(DecisionLabel.item_id == item_id).order_by(DecisionLabel.id)
    ).all()


def named_missed(session: Session, tenant_id: int, text: str) -> dict[str, str]:
    """Per category an editor named missed for ``text``: the latest verdict on it (by label id,
    as in training: a later label on the same text and category wins)."""
    rows = session.execute(
        select(DecisionLabel.category, DecisionLabel.verdict)
        .where(DecisionLabel.tenant_id == tenant_id, DecisionLabel.text == text)
        .order_by(DecisionLabel.id)
    ).all()
    latest = {category: verdict for category, verdict in rows}
    named = {category for category, verdict in rows if verdict == "missed"}
    return {category: verdict for category, verdict in latest.items() if category in named}


def tenants_with_labels(session: Session) -> list[int]:
    return list(session.scalars(select(DecisionLabel.tenant_id).distinct().order_by(DecisionLabel.tenant_id)))


def next_seq(session: Session, tenant_id: int) -> int:
    """One more than any number handed out, kept or refused: a version name printed in a
    refused retrain's report and log must never come to mean another model."""
    found = session.scalar(
        select(func.max(ClassifierModel.seq)).where(ClassifierModel.tenant_id == tenant_id)
    )
    highest = int(found or 0)
    refused = session.execute(
        select(ModerationLogEntry.subject_id, ModerationLogEntry.payload).where(
            ModerationLogEntry.tenant_id == tenant_id, ModerationLogEntry.action == REFUSED
        )
    ).all()
    for version, payload in refused:
        highest = max(highest, _seq_of(version, payload))
    return highest + 1


def _seq_of(version: str, payload: object) -> int:
    # Entries logged before ``seq`` was in the payload name it only in the version, <tenant>-<n>.
    seq = payload.get("seq") if isinstance(payload, dict) else None
    if isinstance(seq, int):
        return seq
    tail = version.rsplit("-", 1)[-1]
    return int(tail) if tail.isdigit() else 0


def was_refused(session: Session, version: str) -> bool:
    """Whether ``version`` was a retrain measured worse (and so never stored)."""
    found = session.scalar(
        select(ModerationLogEntry.id)
        .where(
            ModerationLogEntry.action == REFUSED,
            ModerationLogEntry.subject_type == "classifier_model",
            ModerationLogEntry.subject_id == version,
        )
        .limit(1)
    )
    return found is not None


def model_by_version(session: Session, version: str) -> ClassifierModel | None:
    return session.scalars(select(ClassifierModel).where(ClassifierModel.version == version)).one_or_none()


def active_model(session: Session, tenant_id: int) -> ClassifierModel | None:
    return session.scalars(
        select(ClassifierModel)
        .where(ClassifierModel.tenant_id == tenant_id, ClassifierModel.active.is_(True))
        .order_by(ClassifierModel.activated_at.desc(), ClassifierModel.id.desc())
        .limit(1)
    ).one_or_none()


def active_versions(session: Session) -> dict[int, tuple[int, str]]:
    """Per tenant with a retrained model in use: its row id and sha256.  One small
    query without the artefacts, cheap enough for the worker to run every batch."""
    rows = session.execute(
        select(ClassifierModel.tenant_id, ClassifierModel.id, ClassifierModel.sha256)
        .where(ClassifierModel.active.is_(True))
        .order_by(ClassifierModel.activated_at, ClassifierModel.id)
    ).all()
    # Ordered by activation: should two ever be marked active, the latest wins.
    return {tenant_id: (model_id, sha256) for tenant_id, model_id, sha256 in rows}


def artefact(session: Session, model_id: int) -> bytes | None:
    found = session.scalar(select(ClassifierModel.artefact).where(ClassifierModel.id == model_id))
    return bytes(found) if found is not None else None


def models(session: Session, tenant_id: int | None) -> Sequence[ClassifierModel]:
    query = select(ClassifierModel).order_by(ClassifierModel.tenant_id, ClassifierModel.seq)
    if tenant_id is not None:
        query = query.where(ClassifierModel.tenant_id == tenant_id)
    return session.scalars(query).all()


def set_active(session: Session, tenant_id: int, model_id: int | None, now: datetime) -> None:
    """Exactly ``model_id`` (or none: the shipped model) is the tenant's model from now on."""
    session.execute(
        update(ClassifierModel)
        .where(ClassifierModel.tenant_id == tenant_id, ClassifierModel.active.is_(True))
        .values(active=False)
    )
    if model_id is not None:
        session.execute(
            update(ClassifierModel)
            .where(ClassifierModel.id == model_id)
            .values(active=True, activated_at=now)
        )
    session.flush()


def all_tenants(session: Session) -> Sequence[Tenant]:
    return session.scalars(select(Tenant).order_by(Tenant.name)).all()
