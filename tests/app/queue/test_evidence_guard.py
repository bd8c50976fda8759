"""The outbox refuses a hide or removal that has no snapshot of the comment (design invariant 4).

The decision path always takes a snapshot first, so this guard is only
reached when something else went wrong — which is exactly why it is tested on
its own: an action row without evidence, or with another comment's evidence,
must never reach the platform.
"""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select

from app.actions import service as actions
from app.actions.worker import REASON_NO_EVIDENCE
from app.models import Comment, EvidenceSnapshot, PlatformAction
from tests.app.queue.conftest import World


def _queue(world: World, comment: Comment, kind: str, evidence_id: int | None) -> None:
    actions.enqueue(
        world.session,
        comment=comment,
        kind=kind,
        target_external_id=comment.external_id,
        idempotency_key=f"test:{kind}:{evidence_id}",
        item_id=None,
        decision_id=None,
        evidence_id=evidence_id,
        actor="test",
    )
    world.session.commit()


@pytest.mark.parametrize("kind", ["hide", "delete"])
def test_no_hide_or_delete_reaches_the_platform_without_the_comments_evidence(
    world_factory: Any, kind: str
) -> None:
    world: World = world_factory("helsingborg")
    world.comment(comment="1", message="Tack för en fin dag i parken!")
    world.comment(comment="2", message="Ni är värdelösa idioter, ring 070-123 45 67")
    world.process()
    world.session.commit()
    first, second = world.session.scalars(select(Comment).order_by(Comment.external_id)).all()
    others_evidence = world.session.scalars(
        select(EvidenceSnapshot.id).where(EvidenceSnapshot.comment_id == second.id)
    ).first()
    assert others_evidence is not None  # the flagged comment has evidence; the friendly one none
    world.graph.reset()

    _queue(world, first, kind, None)
    _queue(world, first, kind, others_evidence)
    world.actions.run_until_idle()

    world.session.commit()
    rows = world.session.scalars(select(PlatformAction).where(PlatformAction.comment_id == first.id)).all()
    assert [(r.status, r.error_code, r.last_error) for r in rows] == [
        ("failed", "no_evidence", REASON_NO_EVIDENCE),
        ("failed", "no_evidence", REASON_NO_EVIDENCE),
    ]
    assert world.graph.calls == []
