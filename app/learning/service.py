"""Learning from editors' decisions: labels with decisions, retraining, activation.

With a decision an editor may confirm a finding, mark it wrong, or name a
category the classifier missed (``record_labels``, called by
``app.queue.service.decide``); a later decision may mark a category named
missed for the same text wrong, which withdraws it (the latest label on a
text and category wins).  The labels stay with their tenant.
``retrain`` fits a model on the shipped corpus plus one tenant's labels
(``classifiers.learning``), measures it against the model in use on the
frozen test split and on the labels held back from training (and against the
shipped model on the test split), and stores and activates it only if neither
got worse.  ``activate`` names the model a tenant's comments are classified
with from the next worker batch on (rolling back to an earlier one, or to the
shipped model).  Every step is in the moderation log.

A language mark (``app.assessment.language``: the classifier did not read the
text, which is not in Swedish) is no judgement: it can be neither confirmed nor
marked wrong, and a text no model read in Swedish takes no "missed" labels, so
no label ever says a comment nobody assessed is or is not a question.
"""

from __future__ import annotations

import hashlib
import zlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from app.assessment import language
from app.errors import NotFound, Unprocessable
from app.learning import repository
from app.models import (
    Assessment,
    ClassifierModel,
    Comment,
    CommentVersion,
    Decision,
    DecisionLabel,
    QueueItem,
    Tenant,
    utcnow,
)
from app.modlog.service import record

#: The name of the model that ships with Uppsikt, for ``uppsikt model activate``.
SHIPPED = "shipped"

VERDICTS = ("confirmed", "wrong", "missed")

#: Why a verdict on a category whose only findings are language marks is refused.
LANGUAGE_MARK_REFUSED = (
    "Språkmarkeringen är ingen bedömning av texten och kan inte bekräftas eller avvisas ({categories}): "
    "kommentaren verkar inte vara skriven på svenska, så ingen har bedömt om den är en fråga. "
    "Läs texten och besluta utan omdöme om markeringen."
)
#: Why no category can be named missed for a text the models did not read in Swedish.
NOT_READ_REFUSED = (
    "Kommentaren verkar inte vara skriven på svenska och textkategorierna har inte bedömts; "
    "modellerna läser bara svenska, så kategorier som saknas ({categories}) kan inte bli etiketter "
    "att träna på. Läs texten och besluta utan saknade kategorier."
)


class NothingToTrainOn(Unprocessable):
    """A tenant has no label a text model can learn from: none yet, or only labels in the
    categories rules detect (privacy) or on empty texts.  ``uppsikt model retrain`` without
    ``--tenant`` skips such a tenant instead of stopping at it."""


# -- labels --------------------------------------------------------------------------------


def labelled_text(session: Session, item: QueueItem, assessment: Assessment | None) -> str:
    """The text a decision's labels are about: the one assessed, as it was (else the current one)."""
    if assessment is not None:
        version_id: int | None = assessment.comment_version_id
    else:
        comment = session.get(Comment, item.comment_id)
        version_id = comment.current_version_id if comment is not None else None
    version = session.get(CommentVersion, version_id) if version_id is not None else None
    return version.text if version is not None else ""


def named_missed(session: Session, item: QueueItem) -> dict[str, str]:
    """Categories an editor named missed for the text ``item``'s labels are about, each with
    the latest verdict on it: the labels a decision on this item can still withdraw."""
    assessment = session.get(Assessment, item.assessment_id) if item.assessment_id else None
    return repository.named_missed(session, item.tenant_id, labelled_text(session, item, assessment))


@dataclass(frozen=True, slots=True)
class LabelScope:
    """What an assessment's findings let an editor label (``app.assessment.language``)."""

    #: Categories with a finding that is not a language mark: these can be confirmed or marked wrong.
    found: frozenset[str]
    #: Categories whose only findings are language marks: no verdict on them.
    marked: frozenset[str]
    #: Whether the text categories were assessed in Swedish; if not, none can be named missed.
    read: bool


def label_scope(findings: Sequence[Any]) -> LabelScope:
    return LabelScope(
        found=frozenset(language.assessed_categories(findings)),
        marked=frozenset(language.marked_only(findings)),
        read=language.read_in_swedish(findings),
    )


def check_feedback(
    session: Session, *, item: QueueItem, feedback: Sequence[tuple[str, str]], missed: Sequence[str]
) -> Assessment | None:
    """Refuse what cannot be so, before anything is decided; returns the assessment judged.

    A finding can only be confirmed or marked wrong if the assessment the
    editor saw has one in that category; a missed category must be one it
    did not find; each category is judged once.  A category named missed
    earlier for the same text can be marked wrong although there is no
    finding: otherwise an editor's mistake would stay a label for good.
    A language mark is no finding to judge, and a text the models did not read
    in Swedish takes no missed category (:func:`refuse_unassessed`).
    """
    from classifiers import CATEGORIES

    assessment = session.get(Assessment, item.assessment_id) if item.assessment_id else None
    if not feedback and not missed:
        return assessment
    findings = assessment.findings if assessment is not None else []
    found = label_scope(findings).found
    categories = [c for c, _ in feedback] + list(missed)
    unknown = sorted({c for c in categories if c not in CATEGORIES})
    if unknown:
        raise Unprocessable(f"Unknown categories: {', '.join(unknown)}; use the classifier's category codes.")
    bad = sorted({v for _, v in feedback if v not in ("confirmed", "wrong")})
    if bad:
        raise Unprocessable(f"Unknown verdicts: {', '.join(bad)}; use confirmed or wrong.")
    twice = sorted({c for c in categories if categories.count(c) > 1})
    if twice:
        raise Unprocessable(f"Judge each category once per decision: {', '.join(twice)}.")
    earlier = named_missed(session, item) if feedback else {}
    refuse_unassessed(findings, feedback=feedback, missed=missed, earlier=earlier)
    not_found = [(c, v) for c, v in feedback if c not in found]
    if not_found:
        not_found = [(c, v) for c, v in not_found if not (v == "wrong" and c in earlier)]
    if not_found:
        raise Unprocessable(
            f"The item has no finding in {', '.join(c for c, _ in not_found)} to confirm or mark wrong; "
            "name a category the classifier missed in missed_categories (one named missed earlier "
            "for this text can be marked wrong)."
        )
    already = [c for c in missed if c in found]
    if already:
        raise Unprocessable(
            f"The item already has a finding in {', '.join(already)}; judge it in finding_feedback instead."
        )
    return assessment


def refuse_unassessed(
    findings: Sequence[Any],
    *,
    feedback: Sequence[tuple[str, str]],
    missed: Sequence[str],
    earlier: dict[str, str] | None = None,
) -> None:
    """Refuse (422, in Swedish) a label the classifier's language mark would turn into one.

    A verdict on a category whose only findings are language marks is refused,
    except marking wrong a category named missed earlier for the same text
    (``earlier``), which withdraws that label.  Missed categories are refused when
    the text categories were not assessed in Swedish (a language mark and no
    finding only Swedish makes): the models only read Swedish, and what an editor
    reads in a Finnish comment cannot teach them.  A partly Swedish comment with
    findings for its Swedish sentences is judged as any other.
    """
    scope = label_scope(findings)
    withdrawn = {c for c, v in feedback if v == "wrong" and c in (earlier or {})}
    on_mark = sorted({c for c, _ in feedback if c in scope.marked} - withdrawn)
    if on_mark:
        raise Unprocessable(LANGUAGE_MARK_REFUSED.format(categories=", ".join(on_mark)))
    if missed and not scope.read:
        raise Unprocessable(NOT_READ_REFUSED.format(categories=", ".join(missed)))


def record_labels(
    session: Session,
    *,
    item: QueueItem,
    comment: Comment,
    decision: Decision,
    assessment: Assessment | None,
    feedback: Sequence[tuple[str, str]],
    missed: Sequence[str],
    actor: str,
) -> list[DecisionLabel]:
    """Store what the editor said (checked by :func:`check_feedback`), with the assessed text."""
    if not feedback and not missed:
        return []
    # Checked again where labels are made, so that no path stores one on a language mark.
    refuse_unassessed(
        assessment.findings if assessment is not None else [],
        feedback=feedback,
        missed=missed,
        earlier=named_missed(session, item),
    )
    text = labelled_text(session, item, assessment)
    now = utcnow()
    labels = [
        DecisionLabel(
            tenant_id=item.tenant_id,
            item_id=item.id,
            comment_id=comment.id,
            decision_id=decision.id,
            assessment_id=assessment.id if assessment is not None else None,
            model_version=assessment.model_version if assessment is not None else None,
            text=text,
            category=category,
            verdict=verdict,
            actor=actor,
            created_at=now,
        )
        for category, verdict in [*feedback, *((c, "missed") for c in missed)]
    ]
    repository.add_all(session, labels)
    record(
        session,
        tenant_id=item.tenant_id,
        actor=actor,
        action="learning.labels_recorded",
        subject_type="queue_item",
        subject_id=item.id,
        account_id=item.account_id,
        comment_id=item.comment_id,
        payload={
            "decision_id": decision.id,
            "assessment_id": assessment.id if assessment is not None else None,
            "model_version": assessment.model_version if assessment is not None else None,
            "labels": [{"id": lab.id, "category": lab.category, "verdict": lab.verdict} for lab in labels],
        },
    )
    return labels


def training_labels(
    labels: Sequence[DecisionLabel], *, findings_of: Callable[[str], Sequence[Any]] | None = None
) -> list[Any]:
    """The classifier's labels: the latest judgement per text and category.

    ``confirmed`` and ``missed`` say the category applies, ``wrong`` that it
    does not.  Labels are grouped by text for holding back, so the same text
    (a spam posted on many comments) is never both trained on and measured.
    Categories the text models do not decide (the privacy ones, detected by
    rules) are kept in the table but not trained on, and so are labels a
    language mark would have made (:func:`made_on_language_mark`, with the
    findings ``findings_of`` a text, by default the shipped classifier's: the
    language is told apart the same way by every model), however they were
    stored: the models only read Swedish.
    """
    from classifiers.learning import Label
    from classifiers.text import TEXT_CATEGORIES

    latest: dict[tuple[str, str], DecisionLabel] = {}
    for label in labels:
        latest[(label.text, label.category)] = label
    kept = [lab for lab in latest.values() if lab.category in TEXT_CATEGORIES and lab.text.strip()]
    classify = findings_of or _shipped_findings
    found: dict[str, Sequence[Any]] = {}
    for lab in kept:
        if lab.text not in found:
            found[lab.text] = classify(lab.text)
    return [
        Label(
            text=lab.text,
            category=lab.category,
            positive=lab.verdict != "wrong",
            group=f"{lab.tenant_id}:{hashlib.sha256(lab.text.encode('utf-8')).hexdigest()}",
        )
        for lab in kept
        if not made_on_language_mark(lab.category, lab.verdict, found.get(lab.text, ()))
    ]


def _shipped_findings(text: str) -> Sequence[Any]:
    from classifiers.pipeline import get_pipeline

    return get_pipeline().classify(text).findings


def made_on_language_mark(category: str, verdict: str, findings: Sequence[Any]) -> bool:
    """Whether a label on a text with ``findings`` would say what a language mark cannot:
    confirming a category whose only findings are marks, or anything but an assessed
    finding (spam, checked in every language) on a text not read in Swedish."""
    scope = label_scope(findings)
    if verdict == "confirmed" and category in scope.marked:
        return True
    return not scope.read and category not in scope.found


# -- models -------------------------------------------------------------------------------


def pack(raw: bytes) -> bytes:
    return zlib.compress(raw, 6)


def unpack(stored: bytes) -> bytes:
    return zlib.decompress(stored)


@dataclass(frozen=True, slots=True)
class Candidate:
    """A retrained model and how it measured against the tenant's model in use."""

    tenant_id: int
    tenant: str
    version: str
    seq: int
    model_version: str
    raw: bytes
    previous: str
    trained_on: int
    held_back: int
    comparison: Any  # classifiers.learning.Comparison
    #: Training labels not fitted on because their text is in the frozen test split.
    in_test_split: int = 0
    #: Texts not fitted on because they are held-back labels' or test-split texts (mostly
    #: generated variants of a label: a group swapped, the question mark dropped).
    forms_left_out: int = 0

    @property
    def accepted(self) -> bool:
        return bool(self.comparison.accepted)

    def figures(self) -> dict[str, Any]:
        shipped = self.comparison.shipped
        return {
            "before": self.comparison.before.as_dict(),
            "after": self.comparison.after.as_dict(),
            **({"shipped": shipped.as_dict()} if shipped is not None else {}),
            "trained_on": self.trained_on,
            "held_back": self.held_back,
            "in_test_split": self.in_test_split,
            "forms_left_out": self.forms_left_out,
            "previous": self.previous,
        }


def train_candidate(session: Session, *, tenant: Tenant) -> Candidate:
    """Fit a model on the shipped corpus plus ``tenant``'s labels and measure it.

    Reads and computes only (several seconds): the caller ends its read
    transaction and stores the outcome with :func:`conclude` in a short
    write transaction.  The new model is compared with the tenant's model in
    use (the shipped one if none) on the test split and on the held-back
    labels, neither of which either model was trained on; when a retrained
    model is in use, also with the shipped one on the test split, so that
    retrains cannot drift down a tolerance at a time.
    """
    from classifiers.learning import Label, compare, encode_payload, figures, frozen_test_split, is_held_back
    from classifiers.learning import retrain as fit
    from classifiers.pipeline import get_pipeline, pipeline_with_model

    stored = repository.labels_of_tenant(session, tenant.id)
    labels: list[Label] = training_labels(stored)
    if not stored:
        raise NothingToTrainOn(
            f"Tenanten {tenant.name} har inga etiketter att träna på ännu: redaktörerna ger dem "
            "med sina beslut (finding_feedback, missed_categories)."
        )
    if not labels:
        raise NothingToTrainOn(
            f"Tenanten {tenant.name} har etiketter bara i kategorier som textmodellen inte lär sig "
            "(personuppgifter och annat som regler hittar), på tomma texter eller på texter som inte är "
            "skrivna på svenska; det finns inget att träna om på."
        )
    held = [lab for lab in labels if is_held_back(lab.group)]
    train = [lab for lab in labels if not is_held_back(lab.group)]
    current = repository.active_model(session, tenant.id)
    seq = repository.next_seq(session, tenant.id)
    version = f"{tenant.name}-{seq}"
    payload = fit(train, name=version, held_back=[lab.text for lab in held])
    raw = encode_payload(payload)
    # The shipped model is the process's own pipeline: built once, not once per use here.
    old = pipeline_with_model(unpack(current.artefact)) if current is not None else get_pipeline()
    new = pipeline_with_model(raw)
    tests = frozen_test_split()
    shipped = figures(get_pipeline(), tests, held) if current is not None else None
    return Candidate(
        tenant_id=tenant.id,
        tenant=tenant.name,
        version=version,
        seq=seq,
        model_version=new.model_version,
        raw=raw,
        previous=current.version if current is not None else SHIPPED,
        trained_on=len(train),
        held_back=len(held),
        comparison=compare(figures(old, tests, held), figures(new, tests, held), shipped=shipped),
        in_test_split=int(payload["metadata"]["n_labels_in_test_split"]),
        forms_left_out=int(payload["metadata"]["n_forms_left_out"]),
    )


def conclude(session: Session, *, candidate: Candidate, actor: str) -> ClassifierModel | None:
    """Store and activate an accepted candidate; log either outcome.  Returns the stored model."""
    figures = candidate.figures()
    stored = None
    if candidate.accepted:
        stored = ClassifierModel(
            tenant_id=candidate.tenant_id,
            version=candidate.version,
            seq=candidate.seq,
            model_version=candidate.model_version,
            sha256=hashlib.sha256(candidate.raw).hexdigest(),
            artefact=pack(candidate.raw),
            figures=figures,
            active=False,
            created_by=actor,
            created_at=utcnow(),
        )
        repository.add_all(session, [stored])
        repository.set_active(session, candidate.tenant_id, stored.id, utcnow())
    record(
        session,
        tenant_id=candidate.tenant_id,
        actor=actor,
        action="model.retrained" if candidate.accepted else "model.retrain_refused",
        subject_type="classifier_model",
        subject_id=stored.id if stored is not None else candidate.version,
        payload={
            "version": candidate.version,
            # A refused candidate keeps its number: the next model never takes its name.
            "seq": candidate.seq,
            "model_version": candidate.model_version,
            "activated": candidate.accepted,
            "reasons": list(candidate.comparison.reasons),
            **figures,
        },
    )
    return stored


def activate(session: Session, *, version: str, tenant: Tenant | None, actor: str) -> tuple[Tenant, str]:
    """Make ``version`` the tenant's model (``shipped``: the model Uppsikt ships with);
    returns the tenant and the version it replaced."""
    if version == SHIPPED:
        if tenant is None:
            raise Unprocessable("Ange --tenant: vilken tenant ska tillbaka till den levererade modellen?")
        model = None
    else:
        model = repository.model_by_version(session, version)
        if model is None and repository.was_refused(session, version):
            raise Unprocessable(
                f"Modellen {version!r} aktiverades aldrig: den mättes som sämre vid omträningen och "
                "sparades inte (se model.retrain_refused i moderationsloggen). "
                "`uppsikt model list` visar de modeller som finns."
            )
        if model is None or (tenant is not None and model.tenant_id != tenant.id):
            raise NotFound(f"Det finns ingen modell {version!r}; `uppsikt model list` visar dem.")
        tenant = session.get(Tenant, model.tenant_id)
        assert tenant is not None
    current = repository.active_model(session, tenant.id)
    previous = current.version if current is not None else SHIPPED
    repository.set_active(session, tenant.id, model.id if model is not None else None, utcnow())
    record(
        session,
        tenant_id=tenant.id,
        actor=actor,
        action="model.activated",
        subject_type="classifier_model",
        subject_id=model.id if model is not None else SHIPPED,
        payload={
            "version": version,
            "model_version": model.model_version if model is not None else None,
            "previous": previous,
        },
    )
    return tenant, previous
