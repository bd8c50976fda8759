"""``uppsikt retention run`` as a real process, on both databases."""

from __future__ import annotations

import json
from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import Comment, ModerationLogEntry, utcnow
from tests.app.search.helpers import add_comment
from tests.app.test_cli import uppsikt
from tests.factories import LI_ORG, create_account, create_tenant


def test_dry_run_then_run_print_the_same_counts(database_url: str, session: Session) -> None:
    now = utcnow()
    tenant = create_tenant(session, name="finspang", preset="finspang")
    other = create_tenant(session, name="annan", preset="malmo")
    page = create_account(session, tenant=tenant, external_id="111")
    linkedin = create_account(session, tenant=tenant, platform="linkedin", external_id=LI_ORG)
    old = add_comment(session, account=page, external_id="1", received_at=now - timedelta(days=40))
    recent = add_comment(session, account=page, external_id="2", received_at=now - timedelta(days=3))
    li_old = add_comment(
        session,
        account=linkedin,
        external_id="urn:li:comment:(urn:li:activity:1,1)",
        received_at=now - timedelta(days=3),
    )
    elsewhere = add_comment(
        session,
        account=create_account(session, tenant=other, external_id="222"),
        external_id="1",
        received_at=now - timedelta(days=40),
    )
    session.commit()

    dry = uppsikt(database_url, "retention", "run", "--dry-run", "--tenant", "finspang")
    assert dry.returncode == 0, dry.stderr
    dry_report = json.loads(dry.stdout)
    assert dry_report["dry_run"] is True
    assert [t["tenant"] for t in dry_report["tenants"]] == ["finspang"]
    assert dry_report["totals"] == {
        "examined": 2,
        "culled": 2,
        "kept_hold": 0,
        "kept_flagged": 0,
        "kept_registered": 0,
    }
    assert dry_report["tenants"][0]["days"]["linkedin"] == 2
    assert session.scalars(select(Comment).where(Comment.culled_at.is_not(None))).all() == []
    session.commit()

    real = uppsikt(database_url, "retention", "run", "--tenant", "finspang", "--batch-size", "1")
    assert real.returncode == 0, real.stderr
    real_report = json.loads(real.stdout)
    assert real_report["dry_run"] is False
    assert real_report["totals"] == dry_report["totals"]
    culled = {c.id for c in session.scalars(select(Comment).where(Comment.culled_at.is_not(None)))}
    assert culled == {old.id, li_old.id}
    assert recent.id not in culled and elsewhere.id not in culled
    entries = session.scalars(
        select(ModerationLogEntry.payload).where(ModerationLogEntry.action == "retention.run")
    ).all()
    assert [(e["dry_run"], e["counts"]["culled"]) for e in entries] == [(True, 2), (False, 2)]
    session.commit()

    missing = uppsikt(database_url, "retention", "run", "--tenant", "nowhere")
    assert missing.returncode == 2 and "nowhere" in missing.stderr
