"""Recomputing a tenant's moderation log chain.

The registrar (or an auditor) must be able to show that the log is what was
written: no entry changed, removed, inserted or moved.  Every entry's hash is
recomputed from its canonical form and must equal the stored hash; its
``prev_hash`` must equal the previous entry's hash; sequence numbers must run
1, 2, 3, … without gaps; and the chain head (``log_chain_heads``) must name
the last entry, which is what catches a removed last entry — the one change
the chain itself cannot show.

The first entry that does not verify is named, because that is where an
investigation starts; everything before it is proven intact.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from app.modlog import repository
from app.modlog.chain import GENESIS_HASH, entry_hash

HASH_MISMATCH = "hash mismatch"
PREV_MISMATCH = "prev_hash does not match previous entry"
HEAD_MISMATCH = "head does not match last entry"


@dataclass(frozen=True, slots=True)
class ChainReport:
    ok: bool
    #: Entries that verified (all of them when ``ok``; those before ``first_bad_seq`` otherwise).
    verified: int
    head_seq: int
    head_hash: str
    first_bad_seq: int | None = None
    reason: str | None = None


def verify_chain(tenant_id: int, entries: Iterable[Any], head: tuple[int, str] | None) -> ChainReport:
    """Check ``entries`` (rows with the log's columns, in ``seq`` order) against
    each other and against ``head``; reads each entry once and keeps only the last."""
    head_seq, head_hash = head if head is not None else (0, GENESIS_HASH)
    expected_seq, prev_hash, verified = 1, GENESIS_HASH, 0

    def broken(seq: int, reason: str) -> ChainReport:
        return ChainReport(False, verified, head_seq, head_hash, first_bad_seq=seq, reason=reason)

    for row in entries:
        seq = int(row.seq)
        if seq != expected_seq:
            # A missing entry is named by the number it should have had.
            return broken(expected_seq, f"sequence gap (expected {expected_seq}, found {seq})")
        if seq > head_seq:
            return broken(seq, HEAD_MISMATCH)
        if row.prev_hash != prev_hash:
            return broken(seq, PREV_MISMATCH)
        recomputed = entry_hash(
            tenant_id=tenant_id,
            seq=seq,
            at=row.at,
            actor=row.actor,
            action=row.action,
            subject_type=row.subject_type,
            subject_id=row.subject_id,
            account_id=row.account_id,
            comment_id=row.comment_id,
            payload=row.payload,
            prev_hash=row.prev_hash,
        )
        if recomputed != row.hash:
            return broken(seq, HASH_MISMATCH)
        verified += 1
        expected_seq, prev_hash = seq + 1, row.hash
    if verified != head_seq or prev_hash != head_hash:
        # Fewer entries than the head claims: the first missing one is the bad one;
        # as many but another hash: the last entry is not the one the head recorded.
        return broken(verified + 1 if verified < head_seq else verified, HEAD_MISMATCH)
    return ChainReport(True, verified, head_seq, head_hash)


def verify_tenant(session: Session, tenant_id: int, *, page_size: int = 1000) -> ChainReport:
    """Verify one tenant's whole chain in a consistent snapshot, in constant memory."""
    repository.begin_snapshot(session)
    head = repository.chain_head(session, tenant_id)
    entries = repository.iter_entries(
        session, repository.LogQuery(tenant_id=tenant_id), after=None, page_size=page_size
    )
    return verify_chain(tenant_id, entries, head)
