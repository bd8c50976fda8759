"""Accepting a verified delivery into the inbox.  No parsing here: the worker
does that, so the request path is one insert and one commit (shared with
other deliveries by the group committer)."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from typing import Any

from sqlalchemy.orm import Session

from app.db import begin_write
from app.models import utcnow
from app.webhooks import repository

#: Headers worth keeping with the raw body: enough to re-verify and to trace.
KEPT_HEADERS = (
    "content-type",
    "user-agent",
    "x-hub-signature-256",
    "x-hub-signature",
    "x-li-signature",
    "x-request-id",
    "x-forwarded-for",
)


def delivery_row(
    *,
    source: str,
    body: bytes,
    headers: Mapping[str, str],
    signature_scheme: str,
    tenant_id: int | None = None,
) -> tuple[dict[str, Any], str]:
    """The inbox row for a verified delivery, and the body's sha256 (no database)."""
    digest = hashlib.sha256(body).hexdigest()
    now = utcnow()
    row = {
        "source": source,
        "tenant_id": tenant_id,
        "dedupe_key": f"{source}:{digest}",
        "body": body,
        "body_sha256": digest,
        "headers": {k: headers[k] for k in KEPT_HEADERS if k in headers},
        "signature_scheme": signature_scheme,
        "received_at": now,
        "status": "pending",
        "attempts": 0,
        "next_attempt_at": now,
        "last_error": None,
        "handled_at": None,
        "events_count": 0,
        "ignored_count": 0,
    }
    return row, digest


def accept_delivery(
    session: Session,
    *,
    source: str,
    body: bytes,
    headers: Mapping[str, str],
    signature_scheme: str,
    tenant_id: int | None = None,
) -> tuple[bool, str]:
    """Store the delivery (flush only); returns (newly stored, body sha256).

    The caller commits.  The webhook routes do not use this: they hand the row
    from ``delivery_row`` to the app's ``GroupCommitter``, which commits many
    concurrent deliveries at once.
    """
    row, digest = delivery_row(
        source=source, body=body, headers=headers, signature_scheme=signature_scheme, tenant_id=tenant_id
    )
    begin_write(session)
    return repository.store(session, row), digest
