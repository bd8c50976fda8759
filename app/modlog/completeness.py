"""Does every record have its log entries?  The other half of verification.

The hash chain proves that no entry was changed or removed after it was
written; it cannot prove that an entry was written at all.  A comment stored
without its ``comment.stored`` entry once passed verification as ``ok``
(issue 12).  This check walks the tenant's records — comments, assessments,
evidence, queue items, decisions, platform actions, registrations, editors'
labels and retrained models — and names every one whose entry is missing, so
such a gap cannot pass again.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from sqlalchemy.orm import Session

from app.models import (
    Assessment,
    ClassifierModel,
    Comment,
    Decision,
    DecisionLabel,
    EvidenceSnapshot,
    PlatformAction,
    QueueItem,
    Registration,
)
from app.modlog import repository as log

#: How many missing entries a report names (the count is always complete).
NAMED = 50


@dataclass(frozen=True, slots=True)
class MissingEntry:
    record: str
    record_id: int
    expected_action: str


@dataclass(slots=True)
class CompletenessReport:
    checked: int = 0
    missing_count: int = 0
    missing: list[MissingEntry] = field(default_factory=list)

    @property
    def complete(self) -> bool:
        return self.missing_count == 0

    def add(self, record: str, ids: Iterable[int], action: str) -> None:
        for record_id in sorted(ids):
            self.missing_count += 1
            if len(self.missing) < NAMED:
                self.missing.append(MissingEntry(record, record_id, action))


def check_tenant(session: Session, tenant_id: int) -> CompletenessReport:
    report = CompletenessReport()

    def each_has(record: str, ids: set[int], subject_type: str, actions: tuple[str, ...]) -> None:
        report.checked += len(ids)
        logged = log.logged_subject_ids(session, tenant_id, subject_type, actions)
        report.add(record, ids - logged, actions[0])

    def as_many(record: str, expected: dict[int, int], logged: dict[int, int], action: str) -> None:
        """Per parent (comment or item): as many entries as records."""
        report.checked += sum(expected.values())
        report.add(record, {k for k, n in expected.items() if logged.get(k, 0) < n}, action)

    each_has("comment", log.ids_where(session, Comment, tenant_id), "comment", ("comment.stored",))
    as_many(
        "comment_assessments",
        log.counts_by(session, Assessment, Assessment.comment_id, tenant_id),
        log.logged_counts_by_comment(session, tenant_id, "comment.assessed"),
        "comment.assessed",
    )
    each_has(
        "evidence",
        log.ids_where(session, EvidenceSnapshot, tenant_id),
        "evidence",
        ("evidence.snapshot_taken",),
    )
    each_has(
        "queue_item", log.ids_where(session, QueueItem, tenant_id), "queue_item", ("queue.item_created",)
    )
    as_many(
        "queue_item_decisions",
        log.counts_by(session, Decision, Decision.item_id, tenant_id),
        log.logged_counts_by_subject(session, tenant_id, "queue_item", "queue.decided"),
        "queue.decided",
    )
    as_many(
        "comment_platform_actions",
        log.counts_by(session, PlatformAction, PlatformAction.comment_id, tenant_id),
        log.logged_counts_by_comment(session, tenant_id, "action.queued"),
        "action.queued",
    )
    finished = log.ids_where(
        session, PlatformAction, tenant_id, PlatformAction.status.in_(("done", "failed"))
    )
    each_has("platform_action", finished, "platform_action", ("action.done", "action.failed"))
    as_many(
        "queue_item_registrations",
        log.counts_by(session, Registration, Registration.item_id, tenant_id),
        log.logged_counts_by_subject(session, tenant_id, "queue_item", "registration.requested"),
        "registration.requested",
    )
    registered = log.ids_where(session, Registration, tenant_id, Registration.status == "registered")
    each_has("registration", registered, "registration", ("registration.registered",))
    # What editors taught the classifier and the models it gave: a label or a
    # model nobody can trace in the log would change assessments unaccounted for.
    as_many(
        "queue_item_labels",
        log.counts_by(session, DecisionLabel, DecisionLabel.item_id, tenant_id),
        log.logged_label_counts(session, tenant_id),
        "learning.labels_recorded",
    )
    each_has(
        "classifier_model",
        log.ids_where(session, ClassifierModel, tenant_id),
        "classifier_model",
        ("model.retrained",),
    )
    return report
