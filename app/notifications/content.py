"""What the messages say: Swedish subjects and bodies, and the JSON a receiver reads.

A subject line is read in mail lists, notifications and logs that the
municipality does not control, so it never carries comment text, names or
identity numbers: only the account, the kind of matter and Uppsikt's item
number.  The body carries what the receiver needs to act on.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from app.assessment import language
from app.models import Account, Comment, Decision, EvidenceSnapshot, QueueItem
from app.platforms.capabilities import label

STOCKHOLM = ZoneInfo("Europe/Stockholm")
FOOTER = (
    "Meddelandet skickades av Uppsikt, kommunens verktyg för moderering av kommentarer. "
    "Svara inte på det; kontakta kontots redaktörer om något är oklart."
)


@dataclass(frozen=True, slots=True)
class Content:
    subject: str
    body: str
    data: dict[str, Any]


def when(value: datetime | None) -> str:
    if value is None:
        return "okänd tid"
    return value.astimezone(STOCKHOLM).strftime("%Y-%m-%d %H:%M")


def categories_sv(item: QueueItem) -> str:
    return language.categories_sv(
        item.categories, language.not_assessed(item.recommendation), none="inget särskilt"
    )


def _context(evidence: EvidenceSnapshot | None) -> tuple[str | None, str | None]:
    doc = evidence.document if evidence is not None else {}
    post = doc.get("post") or {}
    parent = doc.get("parent") or {}
    return post.get("text"), parent.get("text")


def _comment_data(
    comment: Comment, account: Account, text: str | None, evidence: EvidenceSnapshot | None
) -> dict[str, Any]:
    post_text, parent_text = _context(evidence)
    return {
        "platform": comment.platform,
        "account": {"id": account.id, "name": account.display_name, "external_id": account.external_id},
        "comment": {
            "id": comment.id,
            "external_id": comment.external_id,
            "author_name": comment.author_name,
            "text": text,
            "created_at": (comment.platform_created_at or comment.first_received_at).isoformat(),
        },
        "context": {"post_text": post_text, "parent_text": parent_text},
        "evidence": None
        if evidence is None
        else {"id": evidence.id, "sha256": evidence.sha256, "taken_at": evidence.taken_at.isoformat()},
    }


def _comment_block(comment: Comment, text: str | None, evidence: EvidenceSnapshot | None) -> list[str]:
    post_text, parent_text = _context(evidence)
    lines = [
        f"Kommentaren, skriven {when(comment.platform_created_at or comment.first_received_at)} "
        f"av {comment.author_name or 'okänd skribent'}:",
        f"»{text or '(texten finns inte längre)'}«",
        "",
    ]
    if post_text:
        lines += ["Inlägget den kommenterar:", f"»{post_text}«", ""]
    if parent_text:
        lines += ["Kommentaren den svarar på:", f"»{parent_text}«", ""]
    if evidence is not None:
        lines += [
            f"Bevisunderlaget är bifogat som PDF (nummer {evidence.id}, sparat {when(evidence.taken_at)}, "
            f"SHA-256 {evidence.sha256}).",
            "",
        ]
    return lines


def _guideline_lines(item: QueueItem, action: str) -> list[str]:
    lines = []
    for rule in item.recommendation.get("rules", []):
        if action in rule.get("actions", []):
            where = (
                f"{rule.get('source')}, rad {rule['source_line']}"
                if rule.get("source_line")
                else rule.get("source")
            )
            lines.append(f"Riktlinjen: »{rule.get('quote')}« ({where})")
    return lines


def forward(
    *,
    item: QueueItem,
    comment: Comment,
    account: Account,
    decision: Decision,
    destination_name: str,
    text: str | None,
    evidence: EvidenceSnapshot | None,
) -> Content:
    platform = label(comment.platform)
    subject = f"Vidarebefordrad kommentar från {platform} ({account.display_name}) – Uppsikt ärende {item.id}"
    body = [
        "Hej!",
        "",
        f"En redaktör har vidarebefordrat en kommentar från kommunens konto {account.display_name} på "
        f"{platform} till {destination_name} för registrering och handläggning. Skribenten har fått "
        "veta det i kanalen när riktlinjen säger så.",
        "",
        *_comment_block(comment, text, evidence),
        f"Redaktörens anteckning: {decision.reason}",
        *_guideline_lines(item, "forward"),
        "",
        f"Uppsikt ärende {item.id}, beslut {decision.id}.",
        "",
        FOOTER,
    ]
    data = {
        **_comment_data(comment, account, text, evidence),
        "item_id": item.id,
        "decision_id": decision.id,
        "destination": destination_name,
        "categories": list(item.categories),
        "note": decision.reason,
    }
    return Content(subject, "\n".join(body), data)


def registration(
    *,
    item: QueueItem,
    comment: Comment,
    account: Account,
    registration_id: int | None,
    subject_line: str,
    text: str | None,
    evidence: EvidenceSnapshot | None,
    before_removal: bool,
) -> Content:
    subject = f"Registreringsbegäran: {subject_line} – Uppsikt ärende {item.id}"
    why = (
        "Enligt riktlinjen ska materialet sparas och skickas till registrator innan det raderas; "
        "kommentaren tas bort från plattformen först när detta meddelande har skickats."
        if before_removal
        else "Kommentaren ska registreras (diarieföras)."
    )
    body = [
        "Hej!",
        "",
        f"Uppsikt begär registrering av en kommentar på kommunens konto {account.display_name} "
        f"({label(comment.platform)}). {why}",
        "",
        *_comment_block(comment, text, evidence),
        f"Bedömning: {categories_sv(item)}.",
        "",
        f"Ange diarienumret i Uppsikt (registrering {registration_id}) i webbinkorgen under "
        f"Registrering eller med POST /v1/registrations/{registration_id}."
        if registration_id is not None
        else "Redaktören har inte begärt registrering; spara bevisunderlaget enligt "
        "dokumenthanteringsplanen.",
        "",
        FOOTER,
    ]
    data = {
        **_comment_data(comment, account, text, evidence),
        "item_id": item.id,
        "registration_id": registration_id,
        "subject_line": subject_line,
        "before_removal": before_removal,
        "categories": list(item.categories),
    }
    return Content(subject, "\n".join(body), data)


def alert(*, item: QueueItem, account: Account, kind: str) -> Content:
    """To the people on the account's lists: what and where, never the comment itself."""
    cats = categories_sv(item)
    due = when(item.due_at) if item.due_at else "så snart som möjligt"
    if kind == "alert":
        subject = f"Brådskande i Uppsikt: {cats} på {account.display_name} (ärende {item.id})"
        first = (
            f"Ett nytt ärende med prioritet {item.priority} väntar på kontot {account.display_name}: {cats}."
        )
    elif kind == "overdue":
        subject = f"Försenat i Uppsikt: ärende {item.id} på {account.display_name}"
        first = (
            f"Ärende {item.id} på kontot {account.display_name} ({cats}) skulle ha hanterats senast {due}."
        )
    else:
        subject = f"Obehandlat ärende i Uppsikt: ärende {item.id} på {account.display_name}"
        first = (
            f"Ärende {item.id} på kontot {account.display_name} ({cats}) skulle ha hanterats senast {due} "
            "och är fortfarande inte hanterat. Du får detta som kontoansvarig; se till att någon tar det."
        )
    body = ["Hej!", "", first, f"Ska hanteras senast: {due}.", "", FOOTER]
    data = {
        "item_id": item.id,
        "account_id": account.id,
        "priority": item.priority,
        "categories": list(item.categories),
    }
    return Content(subject, "\n".join(body), data)


def digest(*, account: Account, day: str, counts: dict[str, int]) -> Content:
    subject = f"Dagens sammanfattning i Uppsikt för {account.display_name} ({day})"
    body = [
        "Hej!",
        "",
        f"Kontot {account.display_name}: {counts['open']} öppna ärenden, "
        f"varav {counts['overdue']} försenade; "
        f"{counts['new']} nya sedan i går.",
        "",
        FOOTER,
    ]
    return Content(subject, "\n".join(body), {"account_id": account.id, "day": day, **counts})
