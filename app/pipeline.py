"""What happens to a delivery, stage by stage.

The worker claims a batch of stored deliveries and runs ``process`` on it in
one unit of work.  Each stage takes what the previous one returned and
returns what the next one needs; no stage calls the next:

1. ``parse``      raw bytes → platform events (pure; a malformed body fails
                  its own row and nothing else)
2. ``route``      events → the accounts they belong to (unknown ones ignored);
                  our own replies coming back are recognised here
3. ``apply``      events → comments and versions, idempotently and order-free
3b. ``set_aside`` our own replies → linked to the decision that posted them,
                  never assessed or queued
4. ``assess``     new current texts → classifier findings (one pass per batch)
5. ``recommend``  findings → the tenant's policy recommendation
6. ``snapshot``   flagged comments and questions → evidence, before anything else
7. ``enqueue``    → queue items for editors (new, or reassessed)
8. ``act``        → the automatic actions the policy allows (outbox rows)
9. ``alert``      → urgent new items told to the account's editors (message outbox)

Every stage records its state changes in the unit of work's moderation-log
journal, written when the batch commits (``app.unit_of_work``).  If a batch
fails, the worker rolls it back and runs each delivery on its own so that
one bad row cannot hold up the others.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.orm import Session

from app.actions import repository as actions_repository
from app.actions import service as actions
from app.comments.service import EventToApply, apply_events
from app.evidence.media import FETCHED_PLATFORMS, MAX_PER_COMMENT, FetchedMedia, MediaFetcher
from app.evidence.service import SnapshotRequest, take_snapshots
from app.models import (
    Account,
    Assessment,
    Comment,
    CommentVersion,
    PlatformAction,
    QueueItem,
    Tenant,
    WebhookDelivery,
    utcnow,
)
from app.modlog.service import record
from app.notifications.service import alert_new_items
from app.platforms import CommentEvent, MalformedDelivery, PlatformAdapter
from app.platforms.capabilities import comment_capabilities, is_live_comment
from app.policies import recommendation as policy_recommendation
from app.policies.effective import effective_policy
from app.policies.recommendation import Recommendation
from app.queue import repository as queue_repository
from app.queue.service import findings_of, log_item, request_registration
from app.sql import insert_returning_ids
from app.tenants import repository as tenant_repository

#: ``classifiers.classify``'s shape: text and context in, a result with findings out.
Classify = Callable[[str, dict[str, Any] | None], Any]

#: The platforms a delivery source's events may name.
SOURCE_PLATFORMS = {"meta": ("facebook", "instagram"), "linkedin": ("linkedin",)}


# -- what the stages hand on ----------------------------------------------------------------


@dataclass(slots=True)
class Parsed:
    row: WebhookDelivery
    events: list[CommentEvent]
    ignored: list[str]
    error: str | None = None


@dataclass(frozen=True, slots=True)
class OwnComment:
    """A comment the account itself wrote: a reply Uppsikt posted (``action`` set) or
    one the Page or organisation wrote on the platform directly."""

    account_id: int
    external_id: str
    action: PlatformAction | None


@dataclass(slots=True)
class Routed:
    row: WebhookDelivery
    events: list[tuple[Account, CommentEvent]]
    ignored: int
    #: ``(account id, comment external id)`` → the account's own comment among the events.
    own: dict[tuple[int, str], OwnComment] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class NewText:
    """A version that became its comment's current text: it needs assessing."""

    comment: Comment
    version: CommentVersion


@dataclass(frozen=True, slots=True)
class Assessed:
    comment: Comment
    version: CommentVersion
    assessment: Assessment


@dataclass(frozen=True, slots=True)
class Recommended:
    assessed: Assessed
    recommendation: Recommendation
    #: The comment's queue item if it has one already (an edited comment).
    item: QueueItem | None


@dataclass(frozen=True, slots=True)
class Evidenced:
    recommended: Recommended
    evidence_id: int


@dataclass(frozen=True, slots=True)
class Queued:
    evidenced: Evidenced
    item: QueueItem


@dataclass(slots=True)
class Lookups:
    """Accounts and tenants read once per batch (the identity map keeps an
    object only while something refers to it)."""

    accounts: dict[tuple[str, str], Account | None] = field(default_factory=dict)
    tenants: dict[int, Tenant] = field(default_factory=dict)

    def account(self, session: Session, platform: str, external_id: str) -> Account | None:
        key = (platform, external_id)
        if key not in self.accounts:
            self.accounts[key] = found = tenant_repository.account_by_platform_id(session, *key)
            if found is not None and found.tenant_id not in self.tenants:
                tenant = tenant_repository.tenant_by_id(session, found.tenant_id)
                assert tenant is not None
                self.tenants[found.tenant_id] = tenant
        return self.accounts[key]


@dataclass(frozen=True, slots=True)
class Outcome:
    """What a batch did, for the worker's metrics and log line."""

    deliveries: int
    failed: list[Parsed]
    comments_changed: int
    assessed: int
    queued: int


# -- the stages -----------------------------------------------------------------------------


def parse(rows: Iterable[WebhookDelivery], adapters: dict[str, PlatformAdapter]) -> list[Parsed]:
    parsed = []
    for row in rows:
        try:
            result = adapters[row.source].parse(row.body)
        except MalformedDelivery as exc:
            parsed.append(Parsed(row, [], [], error=str(exc)))
            continue
        parsed.append(Parsed(row, list(result.events), list(result.ignored)))
    return parsed


def route(session: Session, parsed: Iterable[Parsed], lookups: Lookups) -> list[Routed]:
    """Each event to its account; events for an account no tenant has, for a
    platform the source may not speak for, or for another tenant than the one
    the delivery came in for, are ignored."""
    routed = []
    for p in parsed:
        allowed = SOURCE_PLATFORMS.get(p.row.source)
        kept: list[tuple[Account, CommentEvent]] = []
        ignored = len(p.ignored)
        for event in p.events:
            account = lookups.account(session, event.platform, event.account_external_id)
            if (
                account is None
                or (allowed is not None and event.platform not in allowed)
                or (p.row.tenant_id is not None and account.tenant_id != p.row.tenant_id)
            ):
                ignored += 1
                continue
            kept.append((account, event))
        routed.append(Routed(p.row, kept, ignored))
    ours = actions_repository.replies_by_result(
        session, [(a.id, e.comment_external_id) for r in routed for a, e in r.events]
    )
    for r in routed:
        for account, event in r.events:
            key = (account.id, event.comment_external_id)
            action = ours.get(key)
            # The Page's own replies come back as ``feed`` ``add`` from the Page id; LinkedIn's
            # as ``ADMIN_COMMENT`` by the organisation (shared/platforms.md §7.8).
            if action is not None or event.author_external_id == account.external_id:
                r.own[key] = OwnComment(account.id, event.comment_external_id, action)
    return routed


def apply(session: Session, routed: Sequence[Routed], *, actor: str) -> list[NewText]:
    """Apply every event; returns the versions that became a comment's current text."""
    for r in routed:
        for tenant_id in dict.fromkeys(account.tenant_id for account, _ in r.events):
            record(
                session,
                tenant_id=tenant_id,
                actor=actor,
                action="delivery.received",
                subject_type="delivery",
                subject_id=r.row.id,
                payload={
                    "source": r.row.source,
                    "sha256": r.row.body_sha256,
                    "received_at": r.row.received_at.isoformat(),
                    "signature": r.row.signature_scheme,
                },
            )
    batch = [EventToApply(account, event, r.row.id) for r in routed for account, event in r.events]
    results = iter(apply_events(session, batch, actor=actor))
    new_texts: dict[int, NewText] = {}
    now = utcnow()
    for r in routed:
        applied = 0
        for _ in r.events:
            result = next(results)
            if result is None:
                continue
            applied += 1
            if result.new_version is not None:
                new_texts[result.comment.id] = NewText(result.comment, result.new_version)
        r.row.status, r.row.handled_at, r.row.last_error = "done", now, None
        r.row.events_count, r.row.ignored_count = applied, r.ignored
    # Only the text each comment shows now is assessed (events of a batch may arrive out of order).
    return [n for n in new_texts.values() if n.comment.current_version_id == n.version.id]


def set_aside(
    session: Session, routed: Sequence[Routed], new_texts: list[NewText], *, actor: str
) -> list[NewText]:
    """The account's own comments are not assessed or queued; a reply Uppsikt posted is
    linked to its decision in the log.  Returns the texts that still need assessing."""
    own = {key: o for r in routed for key, o in r.own.items()}
    kept = []
    for n in new_texts:
        found = own.get((n.comment.account_id, n.comment.external_id))
        if found is None:
            kept.append(n)
            continue
        action = found.action
        record(
            session,
            tenant_id=n.comment.tenant_id,
            actor=actor,
            action="comment.own_reply" if action is not None else "comment.own",
            subject_type="comment",
            subject_id=n.comment.id,
            account_id=n.comment.account_id,
            comment_id=n.comment.id,
            payload={
                "version": n.version.seq,
                "action_id": action.id if action else None,
                "decision_id": action.decision_id if action else None,
                "item_id": action.item_id if action else None,
                "reply_to_comment_id": action.comment_id if action else None,
            },
        )
    return kept


def assess(
    session: Session, new_texts: Sequence[NewText], classify: Classify | None, *, actor: str
) -> list[Assessed]:
    """Classify every new text of the batch and store what was found."""
    if classify is None or not new_texts:
        return []
    # The tenant picks the model (``app.assessment.service``); the library itself ignores it.
    results = [
        classify(n.version.text, {"platform": n.comment.platform, "tenant_id": n.comment.tenant_id})
        for n in new_texts
    ]
    now = utcnow()
    rows = [
        {
            "tenant_id": n.comment.tenant_id,
            "comment_id": n.comment.id,
            "comment_version_id": n.version.id,
            "model_version": result.model_version,
            "categories": sorted(result.categories),
            "findings": [f.as_dict() for f in result.findings],
            "created_at": now,
        }
        for n, result in zip(new_texts, results, strict=True)
    ]
    ids = insert_returning_ids(session, Assessment, rows)
    # Plain objects from what was inserted: the next stages read them, nothing changes them.
    assessments = [Assessment(id=i, **row) for i, row in zip(ids, rows, strict=True)]
    assessed = []
    for n, assessment in zip(new_texts, assessments, strict=True):
        record(
            session,
            tenant_id=n.comment.tenant_id,
            actor=actor,
            action="comment.assessed",
            subject_type="comment",
            subject_id=n.comment.id,
            account_id=n.comment.account_id,
            comment_id=n.comment.id,
            payload={
                "version": n.version.seq,
                "model_version": assessment.model_version,
                "categories": assessment.categories,
                "assessment_id": assessment.id,
            },
        )
        assessed.append(Assessed(n.comment, n.version, assessment))
    return assessed


def recommend(session: Session, assessed: Sequence[Assessed], lookups: Lookups) -> list[Recommended]:
    """The tenant's policy for each assessment; keeps those that need a person
    (flagged, or a question to answer) or already have a queue item."""
    items = queue_repository.items_for_comments(session, [a.comment.id for a in assessed])
    kept = []
    for a in assessed:
        tenant = lookups.tenants.get(a.comment.tenant_id) or session.get(Tenant, a.comment.tenant_id)
        assert tenant is not None
        recommendation = policy_recommendation.recommend(
            effective_policy(tenant),
            findings_of(a.assessment),
            platform=a.comment.platform,
            received_at=a.version.received_at,
            live=is_live_comment(a.comment.platform_metadata),
        )
        item = items.get(a.comment.id)
        if needs_person(recommendation) or item is not None:
            kept.append(Recommended(a, recommendation, item))
    return kept


def needs_person(recommendation: Recommendation) -> bool:
    return recommendation.flagged or "answer" in recommendation.actions


def snapshot(
    session: Session,
    recommended: Sequence[Recommended],
    *,
    actor: str,
    media: Mapping[str, FetchedMedia] | None = None,
) -> list[Evidenced]:
    """Evidence first: every comment that goes to a person is saved as it is now, with the
    images it carries (downloaded before the transaction: ``prefetch_media``)."""
    taken = take_snapshots(
        session,
        [
            SnapshotRequest(
                r.assessed.comment,
                "assessed",
                assessment=r.assessed.assessment,
                recommendation=r.recommendation.as_dict(),
            )
            for r in recommended
        ],
        actor=actor,
        media=media,
    )
    return [Evidenced(r, t.id) for r, t in zip(recommended, taken, strict=True)]


def enqueue(session: Session, evidenced: Sequence[Evidenced], *, actor: str) -> list[Queued]:
    """A queue item per comment: new, or updated (and reopened on a new concern) after an edit."""
    now = utcnow()
    queued: list[Queued] = []
    created: list[Queued] = []
    for e in evidenced:
        r = e.recommended
        comment, assessment = r.assessed.comment, r.assessed.assessment
        rec = r.recommendation.as_dict()
        categories = sorted(assessment.categories)
        item = r.item
        if item is None:
            item = QueueItem(
                tenant_id=comment.tenant_id,
                account_id=comment.account_id,
                comment_id=comment.id,
                status="open",
                priority=r.recommendation.priority or 5,
                due_at=r.recommendation.due_at,
                categories=categories,
                recommendation=rec,
                assessment_id=assessment.id,
                evidence_id=e.evidence_id,
                created_at=now,
                updated_at=now,
            )
            created.append(Queued(e, item))
        else:
            reopened = (
                item.status == "decided" and needs_person(r.recommendation) and categories != item.categories
            )
            item.categories = categories
            item.recommendation, item.assessment_id, item.evidence_id = rec, assessment.id, e.evidence_id
            if r.recommendation.priority is not None:
                item.priority = r.recommendation.priority
            item.due_at = r.recommendation.due_at or item.due_at
            item.updated_at, item.version = now, item.version + 1
            if reopened:
                item.status = "open"
            log_item(
                session,
                item,
                actor,
                "queue.item_reassessed",
                {"categories": categories, "evidence_id": e.evidence_id, "reopened": reopened},
            )
        queued.append(Queued(e, item))
    queue_repository.add_all(session, [q.item for q in created])
    for q in created:
        log_item(
            session,
            q.item,
            actor,
            "queue.item_created",
            {
                "categories": q.item.categories,
                "priority": q.item.priority,
                "evidence_id": q.evidenced.evidence_id,
                "rules": [rule["id"] for rule in q.item.recommendation["rules"]],
            },
        )
    return queued


#: The outbox action for each automatic policy action that touches the platform.
AUTO_ACTION_KINDS = {"hide": "hide", "remove": "delete"}


def act(session: Session, queued: Sequence[Queued], *, actor: str) -> int:
    """The automatic actions the policy allows, after the snapshot; the item
    still waits for a person.  Returns how many were queued or requested."""
    done = 0
    for q in queued:
        r = q.evidenced.recommended
        comment = r.assessed.comment
        for action in r.recommendation.auto_actions:
            if action == "register":
                request_registration(
                    session,
                    item=q.item,
                    comment=comment,
                    decision_id=None,
                    evidence_id=q.evidenced.evidence_id,
                    actor=actor,
                )
                done += 1
                continue
            kind = AUTO_ACTION_KINDS.get(action)
            caps = comment_capabilities(comment.platform, comment.platform_metadata)
            if kind is None or not caps.can(action):
                continue
            done += actions.enqueue(
                session,
                comment=comment,
                kind=kind,
                target_external_id=comment.external_id,
                idempotency_key=f"auto:{q.evidenced.evidence_id}:{kind}",
                item_id=q.item.id,
                decision_id=None,
                evidence_id=q.evidenced.evidence_id,
                actor=actor,
            )
    return done


def preclassify(
    session: Session,
    rows: Iterable[WebhookDelivery],
    *,
    adapters: dict[str, PlatformAdapter],
    classify: Classify | None,
) -> Classify | None:
    """Classify the texts of deliveries before their write transaction (``classify`` is
    pure); returns a classifier that answers those texts from memory.  Used where a
    write transaction holds the only write lock (SQLite).  Each text is classified
    for the tenant whose account it came to, as ``assess`` will ask for it."""
    if classify is None:
        return None
    lookups = Lookups()
    known: dict[tuple[str, str, int], Any] = {}
    for p in parse(rows, adapters):
        for event in p.events:
            if event.text is None:
                continue
            account = lookups.account(session, event.platform, event.account_external_id)
            if account is None or (event.text, event.platform, account.tenant_id) in known:
                continue
            context = {"platform": event.platform, "tenant_id": account.tenant_id}
            try:
                known[(event.text, event.platform, account.tenant_id)] = classify(event.text, context)
            except Exception:  # noqa: S112 - the assess stage meets it again, inside its row's handling
                continue

    def answer(text: str, context: dict[str, Any] | None) -> Any:
        platform = str((context or {}).get("platform", ""))
        tenant_id = (context or {}).get("tenant_id")
        found = known.get((text, platform, tenant_id)) if isinstance(tenant_id, int) else None
        return found if found is not None else classify(text, context)

    return answer


def media_urls(rows: Iterable[WebhookDelivery], adapters: dict[str, PlatformAdapter]) -> list[str]:
    """The image links the deliveries' platform comments carry (pure: parsing only)."""
    urls: dict[str, None] = {}
    for p in parse(rows, adapters):
        for event in p.events:
            if event.platform in FETCHED_PLATFORMS:
                urls.update(dict.fromkeys(event.media_urls[:MAX_PER_COMMENT]))
    return list(urls)


def prefetch_media(urls: Sequence[str], *, max_bytes: int, timeout: float) -> dict[str, FetchedMedia]:
    """Download the images before the write transaction (a CDN may take seconds; on SQLite
    every webhook acknowledgement waits for the write lock).  The snapshot stage keeps
    those of comments that get evidence; the rest are dropped with this batch.
    ``max_bytes`` 0: nothing is downloaded."""
    if not urls or max_bytes <= 0:
        return {}
    with MediaFetcher(max_bytes=max_bytes, timeout=timeout) as fetcher:
        return {url: fetcher.fetch(url) for url in urls}


# -- the whole chain ------------------------------------------------------------------------


def process(
    session: Session,
    rows: Sequence[WebhookDelivery],
    *,
    adapters: dict[str, PlatformAdapter],
    classify: Classify | None,
    actor: str,
    media: Mapping[str, FetchedMedia] | None = None,
) -> Outcome:
    """Run a batch of claimed deliveries through every stage, in order."""
    lookups = Lookups()
    parsed = parse(rows, adapters)
    failed = [p for p in parsed if p.error is not None]
    routed = route(session, [p for p in parsed if p.error is None], lookups)
    new_texts = apply(session, routed, actor=actor)
    to_assess = set_aside(session, routed, new_texts, actor=actor)
    assessed = assess(session, to_assess, classify, actor=actor)
    recommended = recommend(session, assessed, lookups)
    evidenced = snapshot(session, recommended, actor=actor, media=media)
    queued = enqueue(session, evidenced, actor=actor)
    act(session, queued, actor=actor)
    alert_new_items(session, [q.item for q in queued], actor=actor)
    return Outcome(
        deliveries=len(rows),
        failed=failed,
        comments_changed=len(new_texts),
        assessed=len(assessed),
        queued=len(queued),
    )
