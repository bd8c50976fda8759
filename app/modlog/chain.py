"""Canonical form and hashing of log entries, shared by append and verify."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime
from typing import Any

GENESIS_HASH = "0" * 64


def canonical_entry(
    *,
    tenant_id: int,
    seq: int,
    at: datetime,
    actor: str,
    action: str,
    subject_type: str,
    subject_id: str,
    account_id: int | None,
    comment_id: int | None,
    payload: dict[str, Any],
    prev_hash: str,
) -> bytes:
    document = {
        "tenant_id": tenant_id,
        "seq": seq,
        "at": at.astimezone(UTC).isoformat(timespec="microseconds"),
        "actor": actor,
        "action": action,
        "subject_type": subject_type,
        "subject_id": subject_id,
        "account_id": account_id,
        "comment_id": comment_id,
        "payload": payload,
        "prev_hash": prev_hash,
    }
    return json.dumps(document, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def entry_hash(**fields: Any) -> str:
    return hashlib.sha256(canonical_entry(**fields)).hexdigest()
