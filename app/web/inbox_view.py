"""What the inbox pages show, assembled from the queue's services and views (no SQL here).

``load_page`` is the REST ``GET /v1/queue`` with the inbox's filters; ``item_view`` is
``GET /v1/queue/{id}`` plus what a person needs to read it: highlighted text, versions
and the evidence hashes.  ``DecisionForm`` checks the form the way a person needs to be
told (in Swedish, linked to the field); the queue service checks it again, as for the API.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any
from urllib.parse import urlencode

from sqlalchemy.orm import Session

from app.assessment import language
from app.destinations import repository as destinations_repository
from app.errors import BadRequest, Conflict, UppsiktError
from app.learning import service as learning
from app.models import Assessment, Comment, CommentVersion, EvidenceSnapshot, QueueItem, utcnow
from app.platforms.capabilities import comment_capabilities
from app.principal import Principal
from app.queue import service as queue_service
from app.queue import views
from app.queue.schemas import QueueItemDetail
from app.web.highlight import segments
from app.web.labels import ACTION_LABELS, CATEGORY_LABELS, NOT_ASSESSED_FILTER

PAGE_SIZE = 25
EXCERPT_CHARS = 240
#: Opening an item renews one's own claim only when it has less than this left.
CLAIM_RENEW_BEFORE = timedelta(minutes=5)
#: The decision form's actions, in the order an editor reads them.
FORM_ACTIONS = (
    "hide",
    "remove",
    "register",
    "refer",
    "notify_author",
    "forward",
    "answer",
    "police_review",
    "none",
)
NEEDS_TEXT = ("refer", "answer")


def _category_filter(category: str | None) -> tuple[str | None, bool | None]:
    """The queue's ``category`` and ``not_assessed`` filters for the page's category choice."""
    if category == NOT_ASSESSED_FILTER:
        return None, True
    # A question only a language mark raised is no question anybody has read.
    return category, (False if category == "question" else None)


@dataclass(frozen=True, slots=True)
class Filters:
    account_id: int | None = None
    category: str | None = None
    status: str | None = "open"
    overdue: bool = False
    #: Only items whose police-report review is pending (the account owner's list).
    police_review: bool = False

    @classmethod
    def parse(cls, *, konto: str, kategori: str, status: str, forsenade: str, polis: str = "") -> Filters:
        """Unknown values are ignored (the page shows everything it may)."""
        return cls(
            account_id=int(konto) if konto.isdigit() and 0 < int(konto) < 2**31 else None,
            category=kategori if kategori in CATEGORY_LABELS or kategori == NOT_ASSESSED_FILTER else None,
            status=status if status in ("open", "decided") else None,
            overdue=forsenade == "1",
            police_review=polis == "1",
        )

    def query(self) -> str:
        return urlencode(
            {
                "konto": self.account_id or "",
                "kategori": self.category or "",
                "status": self.status or "alla",
                "forsenade": "1" if self.overdue else "",
                "polis": "1" if self.police_review else "",
            }
        )


@dataclass(frozen=True, slots=True)
class Row:
    row: views.InboxRow
    excerpt: list[tuple[str, bool]]


@dataclass(frozen=True, slots=True)
class Page:
    rows: list[Row]
    next_cursor: str | None
    #: Changes whenever a row appears, goes or changes: the script swaps rows only then.
    version: str


def load_page(session: Session, principal: Principal, filters: Filters, *, cursor: str | None) -> Page:
    try:
        after = views.parse_cursor(cursor)
    except BadRequest:
        after = None
    category, not_assessed = _category_filter(filters.category)
    items = queue_service.list_items(
        session,
        principal=principal,
        status=filters.status,
        account_id=filters.account_id,
        category=category,
        not_assessed=not_assessed,
        overdue=filters.overdue or None,
        assigned=None,
        after=after,
        limit=PAGE_SIZE + 1,
        police_review="pending" if filters.police_review else None,
    )
    shown = items[:PAGE_SIZE]
    rows = [Row(r, segments(r.text, r.spans, limit=EXCERPT_CHARS)) for r in views.inbox_rows(session, shown)]
    signature = ",".join(f"{r.row.item.id}:{r.row.item.version}:{r.row.item.overdue}" for r in rows)
    return Page(
        rows=rows,
        next_cursor=views.encode_cursor(shown[-1]) if len(items) > PAGE_SIZE else None,
        version=hashlib.sha256(signature.encode()).hexdigest()[:16],
    )


def should_claim(item: QueueItem, principal: Principal) -> bool:
    if item.status != "open" or principal.role not in ("editor", "account_owner", "admin"):
        return False
    now = utcnow()
    held = item.claimed_until is not None and item.claimed_until > now
    if held and item.claimed_by != principal.actor:
        return False  # someone else's: show who, do not take it
    return not (held and item.claimed_until is not None and item.claimed_until - now > CLAIM_RENEW_BEFORE)


@dataclass(frozen=True, slots=True)
class FindingView:
    category: str
    subtype: str | None
    explanation: str
    pieces: list[tuple[str, bool]]
    #: How the page names it: the category, or "Språket har inte bedömts" for a language mark.
    label: str = ""


@dataclass(frozen=True, slots=True)
class ItemView:
    detail: QueueItemDetail
    text: list[tuple[str, bool]]
    findings: list[FindingView]
    versions: list[CommentVersion]
    #: The post's comments around this one, as far as they reached us.
    thread: list[views.ThreadEntry]
    evidence: list[EvidenceSnapshot]
    available_actions: list[str]
    claimed_by_other: bool
    account_name: str
    #: The tenant's destinations a ``forward`` can name, and those the policy names by default.
    destinations: list[str] = field(default_factory=list)
    policy_destinations: list[str] = field(default_factory=list)
    #: Categories without a finding that an editor named missed for this text and that still
    #: stand: the form lets them be marked wrong, withdrawing the label.
    missed_before: list[str] = field(default_factory=list)
    #: Categories whose only findings are language marks: no verdict is offered on them, and a
    #: recommendation that rests on them alone says the language was not assessed.
    marked_only: list[str] = field(default_factory=list)
    #: Whether the text categories were assessed in Swedish; if not, no category can be named missed.
    read_in_swedish: bool = True

    @property
    def judgeable(self) -> list[str]:
        """The categories the form asks "Stämmer?" about, in the order of the findings."""
        return list(dict.fromkeys(f.category for f in self.findings if f.category not in self.marked_only))


def item_view(session: Session, principal: Principal, item: QueueItem) -> ItemView:
    detail = views.item_detail(session, item)
    text = views.assessed_text(session, item)
    findings = [
        FindingView(
            category=f.get("category", ""),
            subtype=f.get("subtype"),
            explanation=f.get("explanation", ""),
            pieces=segments(text, views.finding_spans([f])),
            label=language.LABEL_SV
            if language.is_language_mark(f)
            else CATEGORY_LABELS.get(f.get("category", ""), f.get("category", "")),
        )
        for f in detail.findings
    ]
    scope = learning.label_scope(detail.findings)
    platform = detail.comment["platform"]
    comment = session.get(Comment, item.comment_id)
    # A comment on a live broadcast: the platform refuses every action, so none is offered.
    can = comment_capabilities(platform, comment.platform_metadata if comment else None)
    available = [a for a in FORM_ACTIONS if can.can(a)]
    [row] = views.inbox_rows(session, [item])
    return ItemView(
        detail=detail,
        text=segments(text, views.finding_spans(detail.findings)),
        findings=findings,
        versions=views.versions(session, item),
        thread=views.thread(session, item),
        evidence=views.evidence_snapshots(session, principal, item),
        available_actions=available,
        claimed_by_other=bool(detail.claimed_by and detail.claimed_by != principal.actor),
        account_name=row.account_name,
        destinations=[d.name for d in destinations_repository.of_tenant(session, item.tenant_id)],
        policy_destinations=[str(d) for d in detail.recommendation.get("forward_to") or []],
        missed_before=[
            c
            for c, verdict in learning.named_missed(session, item).items()
            if verdict == "missed" and c not in scope.found
        ],
        marked_only=sorted(scope.marked),
        read_in_swedish=scope.read,
    )


@dataclass(frozen=True, slots=True)
class FormError:
    text: str
    #: The id of the field the error summary links to.
    target: str


VERDICTS = ("confirmed", "wrong")


@dataclass
class DecisionForm:
    actions: list[str]
    reason: str = ""
    reply_text: str = ""
    version: int = 0
    reverse: bool = False
    #: The editor's word on each finding (category -> confirmed/wrong); a label for the model.
    feedback: dict[str, str] = field(default_factory=dict)
    #: Categories the classifier should have found.
    missed: list[str] = field(default_factory=list)
    #: Destinations a ``forward`` goes to (none: those the policy names).
    forward_to: list[str] = field(default_factory=list)
    field_errors: dict[str, str] = field(default_factory=dict)

    def labels(self) -> tuple[list[tuple[str, str]], list[str]]:
        """What ``queue_service.decide`` takes: (category, verdict) pairs and missed categories."""
        return [(c, v) for c, v in self.feedback.items() if v in VERDICTS], list(dict.fromkeys(self.missed))

    @classmethod
    def initial(cls, view: ItemView) -> DecisionForm:
        """The recommendation preselected, the policy's reply text prefilled."""
        detail = view.detail
        recommended = [a for a in detail.recommended_actions if a in view.available_actions]
        return cls(
            actions=recommended,
            reply_text=str(detail.recommendation.get("texts", {}).get("reply", "")),
            version=detail.version,
            reverse=detail.status == "decided",
        )

    def errors(
        self,
        item: QueueItem,
        finding_categories: set[str] | frozenset[str] | None = None,
        named_missed: set[str] | None = None,
        *,
        marked: frozenset[str] = frozenset(),
        read_in_swedish: bool = True,
    ) -> list[FormError]:
        """What is wrong with the form; ``finding_categories`` are the categories of the findings
        the editor saw (the item's assessment) other than language marks, the only ones that can
        be judged, besides ``named_missed`` (named missed earlier for this text), which can only
        be marked wrong.  ``marked`` are the categories whose only findings are language marks
        (no verdict); without ``read_in_swedish`` no category can be named missed."""
        found: list[FormError] = []
        unknown = [a for a in self.actions if a not in FORM_ACTIONS]
        if not self.actions or unknown:
            found.append(FormError("Välj minst en åtgärd.", "atgarder"))
        elif "none" in self.actions and len(self.actions) > 1:
            found.append(
                FormError("Ingen åtgärd kan inte väljas tillsammans med andra åtgärder.", "atgard-none")
            )
        policy_reply = item.recommendation.get("texts", {}).get("reply")
        if set(NEEDS_TEXT) & set(self.actions) and not (self.reply_text.strip() or policy_reply):
            found.append(FormError("Skriv en svarstext: Hänvisa och Svara publicerar den.", "svarstext"))
        if not self.reason.strip():
            found.append(FormError("Skriv en motivering till beslutet.", "motivering"))
        elif len(self.reason) > 2000:
            found.append(FormError("Motiveringen får vara högst 2000 tecken.", "motivering"))
        if len(self.reply_text) > 8000:
            found.append(FormError("Svarstexten får vara högst 8000 tecken.", "svarstext"))
        found_categories = finding_categories if finding_categories is not None else set(item.categories)
        withdrawn = {c for c, v in self.feedback.items() if v == "wrong" and c in (named_missed or set())}
        judged = {c for c, v in self.feedback.items() if v} - withdrawn
        if judged & marked:
            found.append(
                FormError(
                    "Språkmarkeringen är ingen bedömning av texten och kan inte bekräftas eller avvisas. "
                    "Läs texten och besluta utan omdöme om den.",
                    "omdomen",
                )
            )
        elif any(v not in VERDICTS for v in self.feedback.values() if v) or not judged <= found_categories:
            found.append(
                FormError(
                    "Välj Stämmer eller Fel för fynden som kommentaren har, och bara Fel för en kategori "
                    "som tidigare angetts som saknad.",
                    "omdomen",
                )
            )
        if self.missed and not read_in_swedish:
            found.append(
                FormError(
                    "Kommentaren verkar inte vara skriven på svenska, så ingen kategori kan anges som "
                    "saknad: modellerna läser bara svenska.",
                    "missade",
                )
            )
        elif any(c not in CATEGORY_LABELS or c in found_categories for c in self.missed):
            found.append(FormError("Välj bara kategorier som saknas bland fynden.", "missade"))
        elif withdrawn & set(self.missed):
            found.append(
                FormError("En kategori kan inte både vara fel och saknas: välj det ena av dem.", "missade")
            )
        if self.forward_to and "forward" not in self.actions:
            found.append(
                FormError("Välj Vidarebefordra för att skicka kommentaren till en mottagare.", "mottagare")
            )
        self.field_errors = {e.target: e.text for e in found}
        return found

    def after_conflict(self, item: QueueItem) -> DecisionForm:
        """The same choices against the item as it is now, to send again after reading it."""
        return DecisionForm(
            actions=self.actions,
            reason=self.reason,
            reply_text=self.reply_text,
            version=item.version,
            reverse=item.status == "decided",
            feedback=self.feedback,
            missed=self.missed,
            forward_to=self.forward_to,
        )


def label_scope(session: Session, item: QueueItem) -> learning.LabelScope:
    """What the findings shown on the item page (its assessment's) let the editor label, read
    from the assessment alone rather than by building the whole item view."""
    assessment = session.get(Assessment, item.assessment_id) if item.assessment_id else None
    return learning.label_scope(assessment.findings if assessment is not None else [])


def service_error(exc: UppsiktError) -> FormError:
    if isinstance(exc, Conflict):
        return FormError(
            "Någon annan hann ändra eller besluta om kommentaren medan du arbetade. Ditt beslut är inte "
            "sparat, men dina val står kvar i formuläret. Läs det nya läget ovan och skicka igen om ditt "
            "beslut fortfarande behövs.",
            "atgarder",
        )
    return FormError(
        "Beslutet kunde inte sparas med de här åtgärderna för den här plattformen. Kontrollera valen.",
        "atgarder",
    )


@dataclass
class PoliceReviewForm:
    reported: str = ""
    reason: str = ""
    field_errors: dict[str, str] = field(default_factory=dict)

    def errors(self) -> list[FormError]:
        found = []
        if self.reported not in ("ja", "nej"):
            found.append(FormError("Välj om innehållet har polisanmälts.", "anmald-ja"))
        if not self.reason.strip():
            found.append(FormError("Skriv en motivering till prövningen.", "polis-motivering"))
        elif len(self.reason) > 2000:
            found.append(FormError("Motiveringen får vara högst 2000 tecken.", "polis-motivering"))
        self.field_errors = {e.target: e.text for e in found}
        return found


def police_error(exc: UppsiktError) -> FormError:
    if isinstance(exc, Conflict):
        return FormError("Ingen prövning väntar längre; någon annan har redan sparat den.", "anmald-ja")
    return FormError("Bara kontoansvariga och administratörer prövar polisanmälan.", "anmald-ja")


def action_names(actions: list[str]) -> str:
    return ", ".join(ACTION_LABELS.get(a, a) for a in actions)


def evidence_json(snapshot: EvidenceSnapshot) -> dict[str, Any]:
    return {
        "id": snapshot.id,
        "comment_id": snapshot.comment_id,
        "account_id": snapshot.account_id,
        "reason": snapshot.reason,
        "taken_at": snapshot.taken_at.isoformat(),
        "sha256": snapshot.sha256,
        "document": snapshot.document,
    }
