"""The worker stores an assessment for every new comment version (and only then)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from app.models import Assessment, CommentVersion
from tests.factories import feed_change


def test_every_new_version_is_assessed_once(world_factory: Any) -> None:
    world = world_factory("malmo")
    world.comment(message="Fint väder idag!")
    world.process()
    world.deliver(
        feed_change(
            verb="edited",
            comment="1",
            post="777",
            page_id=world.account.external_id,
            message="Du är en jävla idiot",
            extra={"edited_time": 1_700_000_500},
        )
    )
    world.process()
    # A replay of the edit and a hide (same text) add no version and no assessment.
    world.deliver(
        feed_change(
            verb="edited",
            comment="1",
            post="777",
            page_id=world.account.external_id,
            message="Du är en jävla idiot",
            extra={"edited_time": 1_700_000_500},
        )
        | {"x": 1}
    )
    world.deliver(
        feed_change(
            verb="hide",
            comment="1",
            post="777",
            page_id=world.account.external_id,
            message="Du är en jävla idiot",
        )
    )
    world.process()
    world.session.commit()
    versions = world.session.scalars(select(CommentVersion).order_by(CommentVersion.seq)).all()
    assessments = world.session.scalars(select(Assessment).order_by(Assessment.id)).all()
    assert [a.comment_version_id for a in assessments] == [v.id for v in versions]
    assert assessments[0].categories == []
    assert "profanity" in assessments[1].categories or "harassment" in assessments[1].categories
    for finding in assessments[1].findings:
        assert finding["spans"] and finding["explanation"] and finding["model_version"]
