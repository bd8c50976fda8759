"""Assess a new comment version and store what was found.

The worker calls ``assess_version`` after a new version becomes a comment's
current text.  The classifiers are a pure library; this is where their
findings meet the database and the moderation log.  Later stages (policy,
evidence, queue) follow in ``app.queue.service.on_assessed``, in the same
transaction, so a comment is never assessed without its queue item.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy.orm import Session

from app.models import Assessment, Comment, CommentVersion
from app.modlog.service import record

Classify = Callable[[str, dict[str, Any] | None], Any]


def default_classifier() -> Classify | None:
    """``classifiers.classify`` once it exists; until then assessment is a no-op."""
    import classifiers

    classify = getattr(classifiers, "classify", None)
    return classify if callable(classify) else None


class Assessor:
    def __init__(self, classify: Classify | None = None) -> None:
        self.classify = classify

    def warm_up(self) -> None:
        """Build the detectors now, so the first comment is not the slow one."""
        import classifiers

        warm = getattr(classifiers, "warm_up", None)
        if self.classify is not None and callable(warm):
            warm()

    def __call__(self, session: Session, comment: Comment, version: CommentVersion) -> Assessment | None:
        if self.classify is None:
            return None
        context = {"platform": comment.platform}
        result = self.classify(version.text, context)
        findings = [f.as_dict() for f in result.findings]
        assessment = Assessment(
            tenant_id=comment.tenant_id,
            comment_id=comment.id,
            comment_version_id=version.id,
            model_version=result.model_version,
            categories=sorted(result.categories),
            findings=findings,
        )
        session.add(assessment)
        session.flush()
        record(
            session,
            tenant_id=comment.tenant_id,
            actor="worker",
            action="comment.assessed",
            subject_type="comment",
            subject_id=comment.id,
            account_id=comment.account_id,
            comment_id=comment.id,
            payload={
                "version": version.seq,
                "model_version": result.model_version,
                "categories": sorted(result.categories),
                "assessment_id": assessment.id,
            },
        )
        from app.queue.service import on_assessed

        on_assessed(session, comment=comment, version=version, assessment=assessment)
        return assessment
