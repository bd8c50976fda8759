"""The records search: filters, order and cursor, and what each hit shows.

A cursor is the last hit's sort key, opaque to the caller (base64 of JSON) and
tagged with the order it belongs to, so a page never repeats or skips a comment
even when comments arrive between two pages.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from app.errors import BadRequest
from app.principal import Principal
from app.search import repository
from app.search.repository import SearchQuery
from app.search.schemas import (
    SearchAccount,
    SearchAuthor,
    SearchEvidence,
    SearchHit,
    SearchPage,
    SearchQueueItem,
    SearchRegistration,
    SearchVersion,
)

ORDERS = ("chronological", "sender")


def _jsonable(value: Any) -> Any:
    return value.isoformat() if isinstance(value, datetime) else value


def encode_cursor(order: str, values: Sequence[Any]) -> str:
    raw = json.dumps([order, *(_jsonable(v) for v in values)], separators=(",", ":"), ensure_ascii=False)
    return base64.urlsafe_b64encode(raw.encode("utf-8")).decode("ascii").rstrip("=")


def decode_cursor(order: str, cursor: str | None) -> list[Any] | None:
    if cursor is None:
        return None
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        values = json.loads(raw)
        if not isinstance(values, list) or not values or values[0] != order:
            raise ValueError("another order")
        values = values[1:]
        # (…, first received, id): the same tail for every order.
        values[-2] = datetime.fromisoformat(values[-2])
        if values[-2].tzinfo is None or not isinstance(values[-1], int):
            raise ValueError("bad tail")
        if order == "sender" and not (
            len(values) == 5 and isinstance(values[0], int) and all(isinstance(v, str) for v in values[1:3])
        ):
            raise ValueError("bad sender key")
        if order == "chronological" and len(values) != 2:
            raise ValueError("bad length")
    except (ValueError, TypeError, IndexError, binascii.Error, UnicodeDecodeError):
        raise BadRequest("The cursor is not valid (it belongs to another search order?).") from None
    return values


def search(
    session: Session,
    *,
    principal: Principal,
    account_id: int | None = None,
    author: str | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    text: str | None = None,
    states: Sequence[str] | None = None,
    order: str = "chronological",
    cursor: str | None = None,
    limit: int = 50,
) -> SearchPage:
    if order not in ORDERS:
        raise BadRequest(f"'order' must be one of: {', '.join(ORDERS)}.")
    for name, value in (("since", since), ("until", until)):
        if value is not None and value.tzinfo is None:
            raise BadRequest(f"'{name}' needs a time zone, e.g. 2025-01-31T00:00:00Z or …T01:00:00+01:00.")
    query = SearchQuery(
        tenant_id=principal.tenant_id,
        account_ids=principal.account_ids,
        account_id=account_id,
        author=author,
        since=since,
        until=until,
        text=text,
        states=tuple(states) if states else None,
        order=order,
    )
    rows = repository.search(session, query, after=decode_cursor(order, cursor), limit=limit + 1)
    page = rows[:limit]
    hits = hydrate(session, [row[0] for row in page])
    next_cursor = encode_cursor(order, tuple(page[-1])[1:]) if len(rows) > limit else None
    return SearchPage(items=hits, next_cursor=next_cursor)


def hydrate(session: Session, comments: Sequence[Any]) -> list[SearchHit]:
    """Everything a hit shows, read in a handful of queries for the whole page."""
    ids = [c.id for c in comments]
    accounts = repository.accounts(session, {c.account_id for c in comments})
    versions: dict[int, list[Any]] = {}
    for v in repository.versions(session, ids):
        versions.setdefault(int(v.comment_id), []).append(v)
    texts = repository.texts(
        session, [c.current_version_id for c in comments if c.current_version_id and c.culled_at is None]
    )
    evidence: dict[int, list[SearchEvidence]] = {}
    for e in repository.evidence(session, ids):
        evidence.setdefault(int(e.comment_id), []).append(
            SearchEvidence(
                id=e.id,
                sha256=e.sha256,
                reason=e.reason,
                taken_at=e.taken_at,
                url=f"/v1/evidence/{e.id}",
                pdf_url=f"/v1/evidence/{e.id}/pdf",
            )
        )
    items = repository.queue_items(session, ids)
    registrations = repository.registrations(session, ids)
    hits = []
    for c in comments:
        account = accounts[c.account_id]
        item = items.get(c.id)
        registration = registrations.get(c.id)
        hits.append(
            SearchHit(
                id=c.id,
                account=SearchAccount(
                    id=account.id,
                    platform=account.platform,
                    external_id=account.external_id,
                    display_name=account.display_name,
                ),
                platform=c.platform,
                external_id=c.external_id,
                post_external_id=c.post_external_id,
                parent_external_id=c.parent_external_id,
                author=SearchAuthor(external_id=c.author_external_id, name=c.author_name),
                state=c.state,
                first_received_at=c.first_received_at,
                platform_created_at=c.platform_created_at,
                text=None if c.culled_at is not None else texts.get(c.current_version_id),
                culled_at=c.culled_at,
                legal_hold=bool(c.legal_hold or account.legal_hold),
                version_count=len(versions.get(c.id, [])),
                versions=[
                    SearchVersion(
                        seq=v.seq,
                        text_sha256=v.text_sha256,
                        occurred_at=v.occurred_at,
                        received_at=v.received_at,
                    )
                    for v in versions.get(c.id, [])
                ],
                evidence=evidence.get(c.id, []),
                queue_item=None
                if item is None
                else SearchQueueItem(
                    id=item.id, status=item.status, categories=item.categories, decided_at=item.decided_at
                ),
                registration=None
                if registration is None
                else SearchRegistration(
                    id=registration.id,
                    status=registration.status,
                    diarienummer=registration.diarienummer,
                    registered_at=registration.registered_at,
                ),
            )
        )
    return hits
