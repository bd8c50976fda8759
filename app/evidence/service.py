"""Taking evidence snapshots and shaping them for people.

A snapshot is taken as soon as a comment is judged to need attention — before
any action and before the author can delete it — and again before a hide or
remove if the comment changed since (design invariant 4).  The document holds
everything the registrar may need later, and its SHA-256 over a canonical
serialisation makes the filed copy checkable.
"""

from __future__ import annotations

import base64
import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session, object_session

from app.errors import NotFound
from app.evidence import repository
from app.evidence.media import MAX_PER_COMMENT, FetchedMedia
from app.models import (
    Assessment,
    Comment,
    CommentEvent,
    CommentVersion,
    EvidenceSnapshot,
    WebhookDelivery,
    utcnow,
)
from app.modlog.service import record
from app.principal import Principal

SCHEMA = "uppsikt.evidence/1"


def canonical_json(document: dict[str, Any]) -> bytes:
    return json.dumps(document, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode(
        "utf-8", "surrogatepass"
    )


def document_sha256(document: dict[str, Any]) -> str:
    return hashlib.sha256(canonical_json(document)).hexdigest()


def _iso(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


@dataclass(frozen=True, slots=True)
class SnapshotRequest:
    comment: Comment
    reason: str
    assessment: Assessment | None = None
    recommendation: dict[str, Any] | None = None


def take_snapshot(
    session: Session,
    *,
    comment: Comment,
    reason: str,
    assessment: Assessment | None = None,
    recommendation: dict[str, Any] | None = None,
    actor: str = "worker",
) -> EvidenceSnapshot:
    return take_snapshots(
        session, [SnapshotRequest(comment, reason, assessment, recommendation)], actor=actor
    )[0]


def take_snapshots(
    session: Session,
    requests: Sequence[SnapshotRequest],
    *,
    actor: str,
    media: Mapping[str, FetchedMedia] | None = None,
) -> list[EvidenceSnapshot]:
    """Snapshots of several comments, reading what they need in one query per table.

    ``media``: the comments' images, downloaded before the transaction
    (``app.pipeline.prefetch_media``); they are stored here and named in the
    document by SHA-256.  Nothing is downloaded in here: this runs inside the
    worker's write transaction.
    """
    if not requests:
        return []
    comments = [r.comment for r in requests]
    ids = [c.id for c in comments]
    taken_at = utcnow()
    media_docs = _media(session, comments, media or {}, taken_at)
    versions_of: dict[int, list[CommentVersion]] = {}
    for v in repository.versions_of_comments(session, ids):
        versions_of.setdefault(v.comment_id, []).append(v)
    events_of: dict[int, list[CommentEvent]] = {}
    for e in repository.events_of_comments(session, ids):
        events_of.setdefault(e.comment_id, []).append(e)
    parents = repository.parents_of(session, comments)
    parent_texts = repository.versions_by_id(
        session, {p.current_version_id for p in parents.values() if p.current_version_id is not None}
    )
    mine = {c.id: _delivery_ids(versions_of, events_of, c.id) for c in comments}
    deliveries = {d.id: d for d in repository.deliveries(session, set().union(*mine.values()))}
    rows: list[dict[str, Any]] = []
    for request in requests:
        comment = request.comment
        parent = parents.get((comment.account_id, comment.parent_external_id or ""))
        parent_version = parent_texts.get(parent.current_version_id or 0) if parent is not None else None
        document = _document(
            session,
            request,
            versions=versions_of.get(comment.id, []),
            events=events_of.get(comment.id, []),
            parent=parent,
            parent_text=parent_version.text if parent_version is not None else None,
            deliveries=[deliveries[d] for d in sorted(mine[comment.id]) if d in deliveries],
            taken_at=taken_at,
        )
        document["comment"]["media"] = media_docs[comment.id]
        rows.append(
            {
                "tenant_id": comment.tenant_id,
                "account_id": comment.account_id,
                "comment_id": comment.id,
                "comment_version_id": comment.current_version_id,
                "assessment_id": request.assessment.id if request.assessment else None,
                "reason": request.reason,
                "taken_at": taken_at,
                "document": document,
                "sha256": document_sha256(document),
            }
        )
    ids = repository.insert_all(session, rows)
    snapshots = [EvidenceSnapshot(id=i, **row) for i, row in zip(ids, rows, strict=True)]
    for snapshot, comment in zip(snapshots, comments, strict=True):
        record(
            session,
            tenant_id=comment.tenant_id,
            actor=actor,
            action="evidence.snapshot_taken",
            subject_type="evidence",
            subject_id=snapshot.id,
            account_id=comment.account_id,
            comment_id=comment.id,
            payload={
                "sha256": snapshot.sha256,
                "reason": snapshot.reason,
                "version_id": comment.current_version_id,
            },
        )
    return snapshots


def _media(
    session: Session, comments: Sequence[Comment], fetched: Mapping[str, FetchedMedia], now: datetime
) -> dict[int, list[dict[str, Any]]]:
    """Per comment, its images as the document names them; fetched ones are stored first."""
    for comment in comments:
        got = [fetched[u] for u in comment.media_urls[:MAX_PER_COMMENT] if u in fetched]
        if any(f.data is not None for f in got):
            repository.store_media(session, comment.id, got, now)
    kept: dict[tuple[int, str], dict[str, Any]] = {
        (m.comment_id, m.source_url): {"sha256": m.sha256, "content_type": m.content_type, "size": m.size}
        for m in repository.media_of_comments(session, [c.id for c in comments])
    }
    documents: dict[int, list[dict[str, Any]]] = {}
    for comment in comments:
        entries = []
        for url in comment.media_urls[:MAX_PER_COMMENT]:
            stored = kept.get((comment.id, url))
            if stored is not None:
                entries.append({"url": url, **stored})
            else:
                error = fetched[url].error if url in fetched else "not_fetched"
                entries.append({"url": url, "sha256": None, "error": error})
        documents[comment.id] = entries
    return documents


def _delivery_ids(
    versions_of: dict[int, list[CommentVersion]], events_of: dict[int, list[CommentEvent]], comment_id: int
) -> set[int]:
    return {v.delivery_id for v in versions_of.get(comment_id, []) if v.delivery_id} | {
        e.delivery_id for e in events_of.get(comment_id, []) if e.delivery_id
    }


def _document(
    session: Session,
    request: SnapshotRequest,
    *,
    versions: list[CommentVersion],
    events: list[CommentEvent],
    parent: Comment | None,
    parent_text: str | None,
    deliveries: list[WebhookDelivery],
    taken_at: datetime,
) -> dict[str, Any]:
    comment, assessment, recommendation, reason = (
        request.comment,
        request.assessment,
        request.recommendation,
        request.reason,
    )
    tenant, account = repository.context(session, comment)
    post_meta = comment.platform_metadata.get("post")
    document: dict[str, Any] = {
        "schema": SCHEMA,
        "reason": reason,
        "snapshot_at": taken_at.isoformat(),
        "tenant": tenant.name,
        "account": {
            "id": account.id,
            "platform": account.platform,
            "external_id": account.external_id,
            "display_name": account.display_name,
        },
        "post": {
            "external_id": comment.post_external_id,
            "text": post_meta.get("text") if isinstance(post_meta, dict) else None,
            "metadata": post_meta if isinstance(post_meta, dict) else None,
        },
        "parent": None
        if not comment.parent_external_id
        else {
            "external_id": comment.parent_external_id,
            "text": parent_text,
            "author_name": parent.author_name if parent else None,
        },
        "comment": {
            "id": comment.id,
            "external_id": comment.external_id,
            "platform": comment.platform,
            "author_external_id": comment.author_external_id,
            "author_name": comment.author_name,
            "state": comment.state,
            "created_at": _iso(comment.platform_created_at),
            "received_at": _iso(comment.first_received_at),
            "media_urls": list(comment.media_urls),
            "current_version_id": comment.current_version_id,
            "versions": [
                {
                    "id": v.id,
                    "seq": v.seq,
                    "text": v.text,
                    "text_sha256": v.text_sha256,
                    "text_exact_base64": base64.b64encode(v.text_exact).decode() if v.text_exact else None,
                    "occurred_at": _iso(v.occurred_at),
                    "received_at": _iso(v.received_at),
                }
                for v in versions
            ],
            "events": [
                {
                    "kind": e.kind,
                    "occurred_at": _iso(e.occurred_at),
                    "received_at": _iso(e.received_at),
                    "delivery_id": e.delivery_id,
                }
                for e in events
            ],
        },
        "platform_metadata": comment.platform_metadata,
        "deliveries": [
            {
                "id": d.id,
                "source": d.source,
                "received_at": _iso(d.received_at),
                "body_sha256": d.body_sha256,
                "signature_scheme": d.signature_scheme,
                "body_base64": base64.b64encode(d.body).decode(),
            }
            for d in deliveries
        ],
        "assessment": None
        if assessment is None
        else {
            "id": assessment.id,
            "model_version": assessment.model_version,
            "categories": assessment.categories,
            "findings": assessment.findings,
            "version_id": assessment.comment_version_id,
        },
        "recommendation": recommendation,
    }
    return document


def ensure_current_snapshot(session: Session, *, comment: Comment, actor: str) -> EvidenceSnapshot:
    """The newest snapshot of the comment's current text, taking one if there is none."""
    existing = repository.latest_for_version(session, comment.id, comment.current_version_id)
    if existing is not None:
        return existing
    return take_snapshot(session, comment=comment, reason="before_action", actor=actor)


def pdf_document(snapshot: EvidenceSnapshot) -> dict[str, Any]:
    """The snapshot in the shape the PDF renderer reads.

    The images the snapshot names are read through the session the snapshot
    was loaded with, so every caller (API, web inbox, registration package)
    gets them in the PDF without passing them along.
    """
    doc = snapshot.document
    comment = doc["comment"]
    named = [m for m in comment.get("media") or [] if isinstance(m, dict)]
    session = object_session(snapshot)
    blobs = (
        repository.media_blobs(session, [str(m["sha256"]) for m in named if m.get("sha256")])
        if session is not None
        else {}
    )
    images = [
        {
            "url": m.get("url"),
            "sha256": m.get("sha256"),
            "content_type": m.get("content_type"),
            "data": blobs[m["sha256"]].data if m.get("sha256") in blobs else None,
            "error": m.get("error"),
        }
        for m in named
    ]
    timeline = [
        {"at": e["received_at"], "event": _EVENT_SV.get(e["kind"], e["kind"])} for e in comment["events"]
    ]
    timeline.append({"at": doc["snapshot_at"], "event": "Bevisunderlag sparat"})
    return {
        "evidence_id": str(snapshot.id),
        "sha256": snapshot.sha256,
        "snapshot_at": doc["snapshot_at"],
        "tenant": doc["tenant"],
        "account": doc["account"],
        "post": doc["post"],
        "parent": doc["parent"],
        "comment": {
            "external_id": comment["external_id"],
            "author_name": comment["author_name"],
            "author_external_id": comment["author_external_id"],
            "state": comment["state"],
            "created_at": comment["created_at"],
            "received_at": comment["received_at"],
            "versions": [
                {"seq": v["seq"], "text": v["text"], "received_at": v["received_at"]}
                for v in comment["versions"]
            ],
        },
        "assessment": doc["assessment"],
        "recommendation": doc["recommendation"],
        "timeline": sorted(timeline, key=lambda t: t["at"] or ""),
        "images": images,
    }


_EVENT_SV = {
    "added": "Kommentaren publicerades",
    "edited": "Kommentaren ändrades av skribenten",
    "removed": "Kommentaren togs bort på plattformen",
    "hidden": "Kommentaren doldes på plattformen",
    "unhidden": "Kommentaren visades igen på plattformen",
}


def get_snapshot(session: Session, principal: Principal, evidence_id: int) -> EvidenceSnapshot:
    """A snapshot the principal may see (their tenant, an account they reach), else ``NotFound``."""
    snapshot = repository.in_tenant(session, principal.tenant_id, evidence_id)
    if snapshot is None or not principal.may_see_account(snapshot.account_id):
        raise NotFound("No such evidence.")
    return snapshot
