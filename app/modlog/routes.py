"""The moderation log for the registrar: pull, export and verify.

Only ``registrar`` and ``admin`` read the log, always of their own tenant.
Three shapes of the same entries:

* ``GET /v1/log`` — JSON pages keyed by ``seq`` (``after=`` the last seq seen),
  or, with ``Accept: application/x-ndjson``, a stream of one entry per line for
  integrations that pull incrementally;
* ``GET /v1/log.csv`` — for a person with Excel: UTF-8 with a byte order mark
  (so Excel reads å, ä, ö), Swedish column names (``CSV_COLUMNS``),
  ``sep=semicolon`` for a Swedish Excel whose list separator is ``;``, the
  payload as one JSON column; times are UTC in the JSON API's ISO-8601 form so
  that a row can be matched to the API and its hash recomputed;
* ``GET /v1/log/verify`` — the whole chain recomputed (``app.modlog.verify``).

Streams read in pages inside one snapshot, each with its own session that the
stream closes when it ends, so memory stays flat however long the log is.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterator
from datetime import datetime
from typing import Any, Literal

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response, StreamingResponse
from sqlalchemy.orm import Session, sessionmaker

from app.auth import Principal, db_session, require_roles
from app.errors import BadRequest, Forbidden, Unauthorized, responses
from app.modlog import repository
from app.modlog.completeness import check_tenant
from app.modlog.repository import LogQuery
from app.modlog.schemas import (
    ChainBroken,
    ChainVerified,
    LogEntryRead,
    LogIncomplete,
    LogPage,
    MissingLogEntry,
)
from app.modlog.verify import verify_tenant
from app.unit_of_work import UnitOfWork

router = APIRouter(prefix="/v1", tags=["moderation log"])

readers = require_roles("registrar", "admin")

NDJSON = "application/x-ndjson"
DEFAULT_LIMIT = 100
MAX_LIMIT = 1000
STREAM_PAGE = 500

#: CSV header → entry field.  Swedish, because the registrar reads it in Excel.
CSV_COLUMNS = {
    "löpnummer": "seq",
    "tidpunkt (UTC)": "at",
    "utförare": "actor",
    "händelse": "action",
    "objekttyp": "subject_type",
    "objekt-id": "subject_id",
    "konto-id": "account_id",
    "kommentar-id": "comment_id",
    "uppgifter (JSON)": "payload",
    "föregående hash": "prev_hash",
    "hash": "hash",
}
#: A cell starting with one of these is a formula to Excel; it gets a leading apostrophe.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _aware(value: datetime | None, name: str) -> datetime | None:
    if value is not None and value.tzinfo is None:
        raise BadRequest(f"'{name}' needs a time zone, e.g. 2025-01-31T00:00:00Z or …T01:00:00+01:00.")
    return value


def log_query(
    principal: Principal = Depends(readers),
    since: datetime | None = Query(None, description="Entries at or after this time (ISO-8601 with zone)"),
    until: datetime | None = Query(None, description="Entries before this time (ISO-8601 with zone)"),
    account_id: int | None = Query(None, ge=1, le=2**31 - 1),
    author: str | None = Query(
        None, min_length=1, max_length=300, description="Entries about comments by this author (id or name)"
    ),
    category: str | None = Query(
        None, min_length=1, max_length=60, description="Entries whose payload `categories` contains this"
    ),
    action: str | None = Query(
        None,
        min_length=1,
        max_length=60,
        description="An exact action, or a prefix ending in '.' like `comment.`",
    ),
) -> LogQuery:
    return LogQuery(
        tenant_id=principal.tenant_id,
        account_ids=principal.account_ids,
        since=_aware(since, "since"),
        until=_aware(until, "until"),
        account_id=account_id,
        author=author,
        category=category,
        action=action,
    )


@router.get(
    "/log",
    operation_id="list_log_entries",
    response_model=LogPage,
    responses={
        **responses(BadRequest, Unauthorized, Forbidden),
        200: {
            "description": "A page of entries, or with `Accept: application/x-ndjson` one entry per line.",
            "content": {NDJSON: {"schema": {"type": "string"}}},
        },
    },
)
def list_log_entries(
    request: Request,
    after: int = Query(0, ge=0, le=2**31 - 1, description="Entries with a greater seq"),
    limit: int | None = Query(
        None,
        ge=1,
        le=MAX_LIMIT,
        description=f"JSON: page size (default {DEFAULT_LIMIT}). NDJSON: at most this many (default: all).",
    ),
    query: LogQuery = Depends(log_query),
    session: Session = Depends(db_session),
) -> Response | LogPage:
    """The tenant's log in sequence order."""
    if NDJSON in request.headers.get("accept", ""):
        lines = _stream(request, query, after, limit, _ndjson_page)
        return StreamingResponse(lines, media_type=NDJSON)
    size = limit or DEFAULT_LIMIT
    rows = repository.entries_page(session, query, after=after, limit=size + 1)
    entries = [LogEntryRead.model_validate(row) for row in rows[:size]]
    return LogPage(entries=entries, next_after=entries[-1].seq if len(rows) > size else None)


@router.get(
    "/log.csv",
    operation_id="export_log_csv",
    response_class=StreamingResponse,
    responses={
        **responses(BadRequest, Unauthorized, Forbidden),
        200: {"description": "UTF-8 CSV with BOM", "content": {"text/csv": {"schema": {"type": "string"}}}},
    },
)
def export_log_csv(
    request: Request,
    sep: Literal["comma", "semicolon"] = Query("comma", description="`semicolon` for Swedish Excel"),
    after: int = Query(0, ge=0, le=2**31 - 1),
    limit: int | None = Query(None, ge=1, le=10**9),
    query: LogQuery = Depends(log_query),
) -> StreamingResponse:
    """The tenant's log as a spreadsheet; the same filters as ``GET /v1/log``."""
    delimiter = ";" if sep == "semicolon" else ","

    def render(rows: list[LogEntryRead], first: bool) -> str:
        return _csv_page(rows, delimiter=delimiter, header=first)

    return StreamingResponse(
        _stream(request, query, after, limit, render),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="moderationslogg.csv"'},
    )


@router.get(
    "/log/verify",
    operation_id="verify_log",
    response_model=ChainVerified | LogIncomplete | ChainBroken,
    responses=responses(Unauthorized, Forbidden),
)
def verify_log(
    principal: Principal = Depends(readers), session: Session = Depends(db_session)
) -> ChainVerified | LogIncomplete | ChainBroken:
    """Recompute the tenant's whole chain and name the first entry that does not verify; then
    check that every comment, assessment, evidence snapshot, queue item, decision, platform
    action and registration has its entries, and name those that lack them."""
    report = verify_tenant(session, principal.tenant_id)
    completeness = check_tenant(session, principal.tenant_id) if report.ok else None
    session.rollback()
    if completeness is not None and not completeness.complete:
        return LogIncomplete(
            ok=False,
            entries=report.verified,
            records_checked=completeness.checked,
            missing_count=completeness.missing_count,
            missing=[
                MissingLogEntry(record=m.record, record_id=m.record_id, expected_action=m.expected_action)
                for m in completeness.missing
            ],
            reason=f"{completeness.missing_count} records lack their log entries",
        )
    if completeness is not None:
        return ChainVerified(
            ok=True,
            entries=report.verified,
            head_seq=report.head_seq,
            head_hash=report.head_hash,
            records_checked=completeness.checked,
        )
    assert report.first_bad_seq is not None and report.reason is not None
    return ChainBroken(
        ok=False, entries_checked=report.verified, first_bad_seq=report.first_bad_seq, reason=report.reason
    )


# -- streaming --------------------------------------------------------------------------


def _stream(
    request: Request,
    query: LogQuery,
    after: int,
    limit: int | None,
    render: Callable[[list[LogEntryRead], bool], str],
) -> Iterator[str]:
    """Render the matching entries page by page from one snapshot.

    The generator opens its own session: it runs after the route has returned,
    and its lifetime is the stream's, not the request dependency's.
    """
    factory: sessionmaker[UnitOfWork] = request.app.state.session_factory

    def generate() -> Iterator[str]:
        with factory() as session:
            repository.begin_snapshot(session)
            page: list[LogEntryRead] = []
            first = True
            for row in repository.iter_entries(
                session, query, after=after, limit=limit, page_size=STREAM_PAGE
            ):
                page.append(LogEntryRead.model_validate(row))
                if len(page) == STREAM_PAGE:
                    yield render(page, first)
                    page, first = [], False
            if page or first:
                yield render(page, first)
            session.rollback()

    return generate()


def _ndjson_page(rows: list[LogEntryRead], _first: bool) -> str:
    return "".join(row.model_dump_json() + "\n" for row in rows)


def _excel_safe(value: Any) -> Any:
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def _csv_page(rows: list[LogEntryRead], *, delimiter: str, header: bool) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, quoting=csv.QUOTE_MINIMAL)
    if header:
        buffer.write("\ufeff")
        writer.writerow(CSV_COLUMNS)
    for row in rows:
        data = row.model_dump(mode="json")
        cells = []
        for field in CSV_COLUMNS.values():
            value = data[field]
            if field == "payload":
                value = json.dumps(value, ensure_ascii=False, sort_keys=True)
            cells.append("" if value is None else _excel_safe(value))
        writer.writerow(cells)
    return buffer.getvalue()
