"""The archive extract: an account's comments of a period, documented for the archive.

The guidelines ask for an account to be documented at least every six months
(Helsingborg, Malmö, Finspång: screenshots, kept as PDF) or once a year and
when a channel closes (Härjedalen, Haparanda).  ``uppsikt archive`` writes,
for one account and one period, three files to a folder:

* ``extract.json`` — every comment first received in the period with every
  version (exact bytes as base64 where they differ from the stored text), its
  state, platform events, assessments, queue item, decisions, platform
  actions, registrations, evidence references (id and SHA-256; the snapshots
  themselves are in ``/v1/evidence``) and the moderation log entries about it,
  with their chain hashes so they can be matched to the verified log;
* ``extract.pdf`` — a readable Swedish overview of the same;
* ``MANIFEST.sha256`` — the SHA-256 of both, ``sha256sum -c`` format.

Dates are Swedish calendar days: ``--from 2026-01-01 --to 2026-06-30`` is the
first half of 2026 in Europe/Stockholm, both days included.  A time with a
zone is taken as given (``--to`` then excludes that moment).  Everything is
read in one snapshot, so the files agree with each other even while the
service keeps running; making the extract is itself logged.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import inspect
from sqlalchemy.orm import Session

from app.assessment import language
from app.errors import BadRequest, NotFound
from app.evidence.pdf import (
    MAX_COMMENT_CHARS,
    MAX_OTHER_CHARS,
    _cut,
    _cut_note,
    _EvidencePDF,
    _font_choice,
    _Sanitizer,
    _when,
    _Writer,
)
from app.models import Account, utcnow
from app.modlog.service import record
from app.platforms.capabilities import label as platform_label
from app.records import repository

SCHEMA = "uppsikt.archive-extract/1"
TIME_ZONE = "Europe/Stockholm"
FILES = ("extract.json", "extract.pdf")
MANIFEST = "MANIFEST.sha256"

STATE_LABELS = {
    "visible": "Synlig",
    "hidden": "Dold",
    "deleted_by_author": "Borttagen av skribenten",
    "deleted_by_us": "Borttagen av kommunen",
}
ACTION_LABELS = {"hide": "Dölj", "unhide": "Visa igen", "delete": "Ta bort", "reply": "Svar"}
ACTION_STATUS = {"pending": "väntar", "running": "pågår", "done": "utförd", "failed": "misslyckades"}
#: Columns never written to an extract.
SECRET_COLUMNS = frozenset({"access_token_ciphertext"})


@dataclass(frozen=True, slots=True)
class Period:
    start: datetime
    end: datetime  # exclusive
    first_day: date
    last_day: date


@dataclass(frozen=True, slots=True)
class ArchiveResult:
    out_dir: Path
    tenant_id: int
    account_id: int
    period: Period
    comments: int
    sha256: dict[str, str]
    generated_at: datetime


# -- arguments ----------------------------------------------------------------------------------


def _zone() -> tzinfo:
    try:
        return ZoneInfo(TIME_ZONE)
    except Exception:  # no tz database on this machine: UTC keeps the bounds exact, if not local
        return UTC


def _bound(text: str, *, end: bool) -> datetime:
    value = text.strip()
    try:
        day = date.fromisoformat(value)
    except ValueError:
        day = None
    if day is not None and len(value) == 10:
        moment = datetime.combine(day + timedelta(days=1) if end else day, time(), tzinfo=_zone())
        return moment.astimezone(UTC)
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise BadRequest(
            f"'{text}' är inget datum (2026-06-30) eller tidpunkt (2026-06-30T12:00:00+02:00)."
        ) from None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=_zone())
    return parsed.astimezone(UTC)


def parse_period(start_text: str, end_text: str) -> Period:
    start, end = _bound(start_text, end=False), _bound(end_text, end=True)
    if end <= start:
        raise BadRequest(
            f"Perioden är tom eller baklänges: --from {start_text} ligger inte före --to {end_text}."
        )
    zone = _zone()
    return Period(
        start, end, start.astimezone(zone).date(), (end - timedelta(microseconds=1)).astimezone(zone).date()
    )


def resolve_account(session: Session, reference: str, platform: str | None = None) -> Account:
    matches = repository.accounts_matching(session, reference.strip(), platform)
    if not matches:
        raise NotFound(
            f"Inget konto har id:t '{reference}' – ange kontots id i Uppsikt eller på plattformen."
        )
    if len(matches) > 1:
        listed = ", ".join(f"{a.id} ({a.platform} {a.external_id})" for a in matches)
        raise BadRequest(
            f"'{reference}' passar flera konton: {listed}. Ange --platform eller kontots id i Uppsikt."
        )
    return matches[0]


# -- the JSON ----------------------------------------------------------------------------------


def _json_value(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    return value


def _columns(obj: Any, *, exclude: frozenset[str] = frozenset()) -> dict[str, Any]:
    """Every column of an ORM row; bytes become ``<name>_base64``, secrets are left out."""
    out: dict[str, Any] = {}
    for attr in inspect(obj).mapper.column_attrs:
        name = attr.key
        if name in SECRET_COLUMNS or name in exclude:
            continue
        value = getattr(obj, name)
        if isinstance(value, bytes):
            out[f"{name}_base64"] = base64.b64encode(value).decode()
        else:
            out[name] = _json_value(value)
    return out


def _grouped(
    rows: Sequence[Any], key: str, exclude: frozenset[str] = frozenset()
) -> dict[int, list[dict[str, Any]]]:
    out: dict[int, list[dict[str, Any]]] = {}
    for row in rows:
        out.setdefault(getattr(row, key), []).append(_columns(row, exclude=exclude))
    return out


def build_extract(session: Session, account: Account, period: Period, *, now: datetime) -> dict[str, Any]:
    tenant = repository.tenant(session, account.tenant_id)
    comments = repository.comments(session, account.id, period.start, period.end)
    rel = repository.related(session, account.id, period.start, period.end)
    versions = _grouped(rel["versions"], "comment_id")
    events = _grouped(rel["events"], "comment_id")
    assessments = _grouped(rel["assessments"], "comment_id")
    items = {i.comment_id: _columns(i) for i in rel["items"]}
    item_comment = {i.id: i.comment_id for i in rel["items"]}
    decisions: dict[int, list[dict[str, Any]]] = {}
    for decision in rel["decisions"]:
        decisions.setdefault(item_comment[decision.item_id], []).append(_columns(decision))
    actions = _grouped(rel["actions"], "comment_id")
    registrations = _grouped(rel["registrations"], "comment_id")
    log = _grouped(rel["log"], "comment_id", exclude=frozenset({"id"}))
    evidence: dict[int, list[dict[str, Any]]] = {}
    for row in rel["evidence"]:
        evidence.setdefault(row.comment_id, []).append({k: _json_value(v) for k, v in row._mapping.items()})

    entries = []
    for comment in comments:
        entry = _columns(comment)
        entry.update(
            versions=versions.get(comment.id, []),
            events=events.get(comment.id, []),
            assessments=assessments.get(comment.id, []),
            queue_item=items.get(comment.id),
            decisions=decisions.get(comment.id, []),
            actions=actions.get(comment.id, []),
            registrations=registrations.get(comment.id, []),
            evidence=evidence.get(comment.id, []),
            log=log.get(comment.id, []),
        )
        entries.append(entry)
    states: dict[str, int] = {}
    for comment in comments:
        states[comment.state] = states.get(comment.state, 0) + 1
    return {
        "schema": SCHEMA,
        "generated_at": now.isoformat(),
        "municipality": tenant.name if tenant is not None else None,
        "account": {
            "id": account.id,
            "platform": account.platform,
            "external_id": account.external_id,
            "display_name": account.display_name,
            "legal_hold": account.legal_hold,
        },
        "period": {
            "from": period.start.isoformat(),
            "to": period.end.isoformat(),
            "to_is_exclusive": True,
            "first_day": period.first_day.isoformat(),
            "last_day": period.last_day.isoformat(),
            "time_zone": TIME_ZONE,
            "selects": "comments first received by the service in [from, to)",
        },
        "counts": {
            "comments": len(comments),
            "versions": len(rel["versions"]),
            "states": dict(sorted(states.items())),
            "queue_items": len(rel["items"]),
            "decisions": len(rel["decisions"]),
            "actions": len(rel["actions"]),
            "registrations": len(rel["registrations"]),
            "registered": sum(1 for r in rel["registrations"] if r.status == "registered"),
            "evidence_snapshots": len(rel["evidence"]),
            "log_entries": len(rel["log"]),
        },
        "comments": entries,
    }


_SURROGATE = re.compile("[\ud800-\udfff]")


def extract_json(extract: Mapping[str, Any]) -> bytes:
    """Readable UTF-8; a lone surrogate (which UTF-8 cannot carry) is written as its JSON escape,
    so the file is always valid and still reads back to the exact text."""
    text = json.dumps(extract, ensure_ascii=False, indent=2, sort_keys=False)
    text = _SURROGATE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)
    return (text + "\n").encode("utf-8")


# -- the PDF ------------------------------------------------------------------------------------


def _day(value: str) -> str:
    return _when(value).split(" kl. ")[0]


def render_extract_pdf(extract: Mapping[str, Any]) -> bytes:
    """A Swedish overview for people; the JSON is the record and holds everything exactly."""
    font = _font_choice()
    clean = _Sanitizer(font.coverage)
    account = extract["account"]
    period = extract["period"]
    counts = extract["counts"]
    platform = platform_label(account["platform"])
    pdf = _EvidencePDF(
        clean(
            f"Arkivutdrag · {account['display_name']} · {period['first_day']} – {period['last_day']}",
            single_line=True,
        ),
        font,
    )
    pdf.set_creation_date(datetime.fromisoformat(extract["generated_at"]))
    pdf.set_title(f"Arkivutdrag – {platform}")
    pdf.set_author("Uppsikt")
    pdf.set_creator("Uppsikt")
    pdf.add_page()
    w = _Writer(pdf, clean)

    w.font(17, bold=True)
    pdf.set_text_color(20, 50, 90)
    pdf.multi_cell(0, 8.5, clean(f"Arkivutdrag – kommentarer på {platform}", single_line=True))
    pdf.ln(1)
    pdf.set_text_color(0, 0, 0)
    w.paragraph(
        "Utdraget dokumenterar kontots kommentarer och modereringen av dem under perioden. "
        "Filen extract.json innehåller samma uppgifter fullständigt och exakt; MANIFEST.sha256 "
        "innehåller kontrollsummor för båda filerna.",
        size=9,
        color=(80, 80, 80),
    )
    w.heading("Uppgifter")
    states = ", ".join(f"{STATE_LABELS.get(s, s).lower()} {n}" for s, n in counts["states"].items()) or "–"
    w.fields(
        [
            ("Organisation", str(extract.get("municipality") or "–")),
            ("Plattform", platform),
            ("Konto", f"{account['display_name']} (id {account['external_id']})"),
            ("Period", f"{period['first_day']} – {period['last_day']} (mottagna kommentarer, svensk tid)"),
            ("Framtaget", _when(extract["generated_at"])),
            ("Kommentarer", f"{counts['comments']} ({states})"),
            ("Versioner", str(counts["versions"])),
            ("Flaggade", str(counts["queue_items"])),
            ("Beslut", str(counts["decisions"])),
            ("Åtgärder", str(counts["actions"])),
            ("Diarieföring", f"{counts['registrations']} begärda, {counts['registered']} diarieförda"),
            ("Bevisunderlag", str(counts["evidence_snapshots"])),
            ("Logghändelser", str(counts["log_entries"])),
        ]
    )
    if not extract["comments"]:
        w.paragraph("Inga kommentarer togs emot under perioden.")
    total = len(extract["comments"])
    for number, comment in enumerate(extract["comments"], start=1):
        _comment_section(w, comment, number, total)
    if clean.replaced:
        w.heading("Om tecken som inte visas")
        w.paragraph(
            "Tecken som PDF:en inte kan återge visas som [U+XXXX], deras kodpunkter i Unicode. "
            "Den exakta texten finns i extract.json.",
            size=9,
        )
    return bytes(pdf.output())


def _comment_section(w: _Writer, comment: Mapping[str, Any], number: int, total: int) -> None:
    w.heading(f"Kommentar {number} av {total} – id {comment['external_id']}", size=11.5)
    author = comment.get("author_name") or "okänd"
    if comment.get("author_external_id"):
        author += f" (id {comment['author_external_id']})"
    item = comment.get("queue_item")
    findings = [f for a in comment["assessments"][-1:] for f in a.get("findings") or []]
    marked = language.marked_only(findings)
    codes = [str(c) for c in (item or {}).get("categories", [])]
    categories = ", ".join(language.category_label(c, marked) for c in codes) or "inga"
    w.fields(
        [
            ("Skribent", author),
            ("Skriven", _when(comment.get("platform_created_at"))),
            ("Mottagen", _when(comment.get("first_received_at"))),
            ("Status", STATE_LABELS.get(comment["state"], comment["state"])),
            ("Inlägg (id)", str(comment.get("post_external_id") or "–")),
            ("Kategorier", categories if item else "inte flaggad"),
        ]
    )
    versions = comment["versions"]
    if comment.get("culled_at"):
        w.note(f"Texten gallrades {_when(comment['culled_at'])}; kontrollsummor och uppgifter finns kvar.")
    for version in reversed(versions):
        w.paragraph(
            f"Version {version['seq']}, mottagen {_when(version['received_at'])}", size=9, color=(80, 80, 80)
        )
        shown, length = _cut(version.get("text"), MAX_COMMENT_CHARS)
        w.quoted_text(shown, MAX_COMMENT_CHARS)
        if length > len(shown):
            w.note(_cut_note(len(shown), length).replace("bevisunderlagets JSON", "extract.json"))
    if findings:
        w.paragraph("Bedömning (senaste versionen)", size=9.5, color=(20, 50, 90))
        for finding in findings:
            head = language.finding_label(finding)
            if finding.get("subtype"):
                head += f" – {finding['subtype']}"
            explanation = _cut(str(finding.get("explanation") or ""), MAX_OTHER_CHARS)[0]
            w.fields([(head, explanation or "–")])
    moderation: list[tuple[str, str]] = []
    for decision in comment["decisions"]:
        moderation.append(
            (
                f"Beslut {_day(decision['decided_at'])}",
                f"{', '.join(decision['actions'])} – {decision['reason']} ({decision['actor']})",
            )
        )
    for action in comment["actions"]:
        moderation.append(
            (
                f"Åtgärd {_day(action['created_at'])}",
                f"{ACTION_LABELS.get(action['kind'], action['kind'])}: "
                f"{ACTION_STATUS.get(action['status'], action['status'])}",
            )
        )
    for registration in comment["registrations"]:
        moderation.append(
            (
                "Diarieföring",
                f"diarieförd som {registration['diarienummer']}"
                if registration["status"] == "registered"
                else "väntar på diarienummer",
            )
        )
    for snapshot in comment["evidence"]:
        moderation.append((f"Bevis {snapshot['id']}", f"SHA-256 {snapshot['sha256']}"))
    if moderation:
        w.paragraph("Moderering", size=9.5, color=(20, 50, 90))
        w.fields(moderation)
    if comment["log"]:
        w.paragraph("Moderationslogg", size=9.5, color=(20, 50, 90))
        w.fields(
            (f"{_when(e['at']).replace(' svensk tid', '')}", f"#{e['seq']} {e['action']} ({e['actor']})")
            for e in comment["log"]
        )


# -- files --------------------------------------------------------------------------------------


def _write_atomically(path: Path, content: bytes) -> None:
    partial = path.with_name(f".{path.name}.partial")
    with open(partial, "wb") as handle:
        handle.write(content)
        handle.flush()
        os.fsync(handle.fileno())
    partial.replace(path)


def manifest(hashes: Mapping[str, str]) -> bytes:
    return "".join(f"{hashes[name]}  {name}\n" for name in sorted(hashes)).encode()


def write_archive(
    session: Session, *, account: Account, period: Period, out_dir: Path, now: datetime | None = None
) -> ArchiveResult:
    """Write the three files; ``record_extract`` then logs them in a write transaction of its own."""
    now = now or utcnow()
    extract = build_extract(session, account, period, now=now)
    contents = {"extract.json": extract_json(extract), "extract.pdf": render_extract_pdf(extract)}
    out_dir.mkdir(parents=True, exist_ok=True)
    hashes = {name: hashlib.sha256(data).hexdigest() for name, data in contents.items()}
    for name, data in contents.items():
        _write_atomically(out_dir / name, data)
    _write_atomically(out_dir / MANIFEST, manifest(hashes))
    return ArchiveResult(
        out_dir=out_dir,
        tenant_id=account.tenant_id,
        account_id=account.id,
        period=period,
        comments=extract["counts"]["comments"],
        sha256=hashes,
        generated_at=now,
    )


def record_extract(session: Session, result: ArchiveResult, *, actor: str = "cli") -> None:
    """The extract in the moderation log, so the log shows when an account was documented."""
    record(
        session,
        tenant_id=result.tenant_id,
        actor=actor,
        action="records.archive_extracted",
        subject_type="account",
        subject_id=result.account_id,
        account_id=result.account_id,
        payload={
            "from": result.period.start.isoformat(),
            "to": result.period.end.isoformat(),
            "comments": result.comments,
            "sha256": result.sha256,
        },
        at=result.generated_at,
    )
