"""Culling (gallring): what goes, what stays, what the log says, and that it still verifies."""

from __future__ import annotations

import threading
from datetime import timedelta
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.db import commit
from app.errors import NotFound, Unprocessable
from app.models import Assessment, Comment, CommentVersion, ModerationLogEntry, Tenant
from app.retention.schedule import RetentionSchedule, retention_guard
from app.retention.service import KEPT_METADATA, run_retention
from app.settings import Settings
from tests.app.search.helpers import BASE, add_comment, flag, note, register
from tests.factories import LI_ORG, auth, create_account, create_key, create_tenant

OLD = BASE - timedelta(days=31)  # past the presets' 30 days
RECENT = BASE - timedelta(days=29)


@pytest.fixture
def world(session: Session) -> dict[str, Any]:
    a = create_tenant(session, name="a-kommun")  # helsingborg: 30 days, LinkedIn 2
    b = create_tenant(session, name="b-kommun", preset="malmo")
    page = create_account(session, tenant=a, external_id="111")
    held_page = create_account(session, tenant=a, external_id="112", name="Under bevarande")
    held_page.legal_hold = True
    linkedin = create_account(
        session, tenant=a, platform="linkedin", external_id=LI_ORG, name="A på LinkedIn"
    )
    page_b = create_account(session, tenant=b, external_id="222")
    session.commit()
    return {
        "a": a,
        "b": b,
        "page": page,
        "held_page": held_page,
        "linkedin": linkedin,
        "page_b": page_b,
        "registrar": create_key(session, tenant=a, role="registrar"),
    }


def arrange(session: Session, world: dict[str, Any]) -> dict[str, Comment]:
    page = world["page"]
    made = {
        "old": add_comment(
            session,
            account=page,
            external_id="1",
            texts=("Första texten, Åsa", "Andra texten"),
            author_name="Åsa Öberg",
            received_at=OLD,
            metadata={"post": {"id": "111_9"}, "is_hidden": False, "photo": "https://cdn.example/face.jpg"},
            media=("https://cdn.example/face.jpg",),
        ),
        "old_removed": add_comment(session, account=page, external_id="2", received_at=OLD, then="removed"),
        "recent": add_comment(session, account=page, external_id="3", received_at=RECENT),
        "flagged": add_comment(session, account=page, external_id="4", texts=("Du är dum",), received_at=OLD),
        "assessed": add_comment(session, account=page, external_id="5", received_at=OLD),
        "registered": add_comment(session, account=page, external_id="6", received_at=OLD),
        "held": add_comment(session, account=page, external_id="7", received_at=OLD),
        "account_held": add_comment(session, account=world["held_page"], external_id="8", received_at=OLD),
        "li_3_days": add_comment(
            session,
            account=world["linkedin"],
            external_id="urn:li:comment:(urn:li:activity:1,1)",
            author_id="urn:li:person:abc",
            author_name=None,
            received_at=BASE - timedelta(days=3),
            metadata={"action": "COMMENT", "notification_id": "1", "post": {}},
        ),
        "li_1_day": add_comment(
            session,
            account=world["linkedin"],
            external_id="urn:li:comment:(urn:li:activity:1,2)",
            received_at=BASE - timedelta(days=1),
        ),
        "other_tenant": add_comment(session, account=world["page_b"], external_id="9", received_at=OLD),
    }
    flag(session, made["flagged"])
    # An assessment that found something counts as flagged even without a queue item.
    assessed = made["assessed"]
    session.add(
        Assessment(
            tenant_id=assessed.tenant_id,
            comment_id=assessed.id,
            comment_version_id=assessed.current_version_id,
            model_version="test",
            categories=["question"],
            findings=[],
        )
    )
    session.flush()
    note(session, assessed, "comment.assessed", "comment", assessed.id, {})
    register(session, flag(session, made["registered"]), diarienummer=None)
    made["held"].legal_hold = True
    session.commit()
    return made


def versions(session: Session, comment_id: int) -> list[CommentVersion]:
    return list(
        session.scalars(
            select(CommentVersion).where(CommentVersion.comment_id == comment_id).order_by(CommentVersion.seq)
        )
    )


def retention_entries(session: Session, tenant_id: int) -> list[ModerationLogEntry]:
    return list(
        session.scalars(
            select(ModerationLogEntry)
            .where(ModerationLogEntry.tenant_id == tenant_id, ModerationLogEntry.action == "retention.run")
            .order_by(ModerationLogEntry.seq)
        )
    )


def test_culls_only_old_unflagged_unregistered_unheld_and_dry_run_agrees(
    client: TestClient, session: Session, world: dict[str, Any]
) -> None:
    made = arrange(session, world)
    a = world["a"]
    hashes = {name: [v.text_sha256 for v in versions(session, c.id)] for name, c in made.items()}
    session.commit()

    dry = run_retention(session, now=BASE, dry_run=True, tenant_id=a.id)
    session.commit()
    expected = {"examined": 8, "culled": 3, "kept_hold": 2, "kept_flagged": 2, "kept_registered": 1}
    assert dry.totals.as_dict() == expected
    assert dry.tenants[0].by_platform["linkedin"].as_dict() == {
        "examined": 1,
        "culled": 1,
        "kept_hold": 0,
        "kept_flagged": 0,
        "kept_registered": 0,
    }
    # Nothing changed by the dry run.
    assert session.scalar(select(Comment.id).where(Comment.culled_at.is_not(None))) is None
    assert versions(session, made["old"].id)[0].text == "Första texten, Åsa"
    session.commit()

    real = run_retention(session, now=BASE, dry_run=False, tenant_id=a.id)
    session.commit()
    assert real.totals.as_dict() == dry.totals.as_dict()
    assert real.tenants[0].by_platform == dry.tenants[0].by_platform

    culled = {n for n, c in made.items() if session.get(Comment, c.id, populate_existing=True).culled_at}
    assert culled == {"old", "old_removed", "li_3_days"}
    for name in culled:
        comment = session.get(Comment, made[name].id)
        assert comment is not None and comment.culled_at == BASE
        assert comment.author_name is None and comment.author_external_id is None and comment.media_urls == []
        assert set(comment.platform_metadata) <= set(KEPT_METADATA)
        assert [(v.text, v.text_exact) for v in versions(session, comment.id)] == [("", None)] * len(
            hashes[name]
        )
        assert [v.text_sha256 for v in versions(session, comment.id)] == hashes[name]
    old = session.get(Comment, made["old"].id)
    assert old is not None and old.platform_metadata == {"post": {"id": "111_9"}, "is_hidden": False}
    assert (
        old.state == "visible" and session.get(Comment, made["old_removed"].id).state == "deleted_by_author"
    )
    for name in set(made) - culled:
        assert all(v.text for v in versions(session, made[name].id)), name
        assert session.get(Comment, made[name].id).author_external_id is not None or name == "li_1_day"

    # One entry per run, with the criteria and the counts; the other tenant untouched.
    dry_entry, real_entry = retention_entries(session, a.id)
    assert retention_entries(session, world["b"].id) == []
    for entry, is_dry in ((dry_entry, True), (real_entry, False)):
        assert entry.actor == "retention" and entry.subject_type == "tenant" and entry.subject_id == str(a.id)
        assert entry.payload["dry_run"] is is_dry
        assert entry.payload["counts"] == expected
        assert entry.payload["unflagged_days"] == 30
        assert entry.payload["days"] == {
            "facebook": 30,
            "instagram": 30,
            "linkedin": 2,
            "youtube": 30,
            "web": 30,
        }
        assert entry.payload["cutoffs"]["linkedin"] == (BASE - timedelta(days=2)).isoformat()
        assert entry.payload["cutoffs"]["facebook"] == (BASE - timedelta(days=30)).isoformat()
        assert entry.at == BASE
    session.commit()

    # Culling again finds nothing new; the chain still verifies.
    again = run_retention(session, now=BASE, dry_run=False, tenant_id=a.id)
    session.commit()
    assert again.totals.as_dict() == {**expected, "examined": 5, "culled": 0}
    key = world["registrar"]
    verified = client.get("/v1/log/verify", headers=auth(key)).json()
    assert verified["ok"] is True and verified["entries"] > 3

    # Culled comments are still listed, with their hashes, but without text or author.
    old_id = made["old"].id
    listed = client.get("/v1/comments", params={"limit": 500}, headers=auth(key)).json()["items"]
    row = next(c for c in listed if c["id"] == old_id)
    assert not row["text"] and row["author_name"] is None and row["version_count"] == 2
    detail = client.get(f"/v1/comments/{old_id}", headers=auth(key)).json()
    assert [v["text_sha256"] for v in detail["versions"]] == hashes["old"]
    assert all(v["text"] == "" for v in detail["versions"])
    hits = client.get("/v1/search", params={"limit": 500}, headers=auth(key)).json()["items"]
    hit = next(h for h in hits if h["id"] == old_id)
    assert hit["text"] is None and hit["culled_at"].startswith("2031-03-01T12:00:00")
    assert [v["text_sha256"] for v in hit["versions"]] == hashes["old"]
    assert hit["author"] == {"external_id": None, "name": None}
    # …and the culled words or name no longer find anything.
    for params in ({"text": "Första texten"}, {"author": "Åsa"}):
        assert client.get("/v1/search", params=params, headers=auth(key)).json()["items"] == []


def test_tenant_overrides_and_per_platform_days(session: Session, world: dict[str, Any]) -> None:
    a = world["a"]
    fb_6 = add_comment(session, account=world["page"], external_id="1", received_at=BASE - timedelta(days=6))
    fb_4 = add_comment(session, account=world["page"], external_id="2", received_at=BASE - timedelta(days=4))
    li_36h = add_comment(
        session,
        account=world["linkedin"],
        external_id="urn:li:comment:(urn:li:activity:1,1)",
        received_at=BASE - timedelta(hours=36),
    )
    li_12h = add_comment(
        session,
        account=world["linkedin"],
        external_id="urn:li:comment:(urn:li:activity:1,2)",
        received_at=BASE - timedelta(hours=12),
    )
    # With the preset, only nothing of these is old enough (30 days; LinkedIn 2 days).
    report = run_retention(session, now=BASE, dry_run=True, tenant_id=a.id)
    assert report.totals.examined == 0
    session.rollback()
    tenant = session.get(Tenant, a.id)
    assert tenant is not None
    tenant.retention = {"unflagged_days": 5, "platforms": {"linkedin": 1}}
    session.commit()
    report = run_retention(session, now=BASE, dry_run=False, tenant_id=a.id)
    session.commit()
    assert report.tenants[0].days["facebook"] == 5 and report.tenants[0].days["linkedin"] == 1
    culled = {c.id for c in (fb_6, fb_4, li_36h, li_12h) if session.get(Comment, c.id).culled_at}
    assert culled == {fb_6.id, li_36h.id}
    tenant.retention = {"unflagged_days": -1}
    session.commit()
    with pytest.raises(Unprocessable, match="unflagged_days"):
        run_retention(session, now=BASE, dry_run=True, tenant_id=a.id)
    session.rollback()
    tenant.retention = {"unflaged_days": 3}
    session.commit()
    with pytest.raises(Unprocessable, match="unflaged_days"):
        run_retention(session, now=BASE, dry_run=True, tenant_id=a.id)
    session.rollback()
    with pytest.raises(NotFound):
        run_retention(session, now=BASE, dry_run=True, tenant_id=a.id + 1000)


def test_batches_commit_as_they_go_and_log_once(
    client: TestClient, session: Session, world: dict[str, Any]
) -> None:
    made = [
        add_comment(session, account=world["page"], external_id=str(i), received_at=OLD) for i in range(5)
    ]
    commits: list[int] = []

    def counting_commit(s: Session) -> None:
        commits.append(len(s.dirty))
        commit(s)

    report = run_retention(
        session, now=BASE, dry_run=False, tenant_id=world["a"].id, batch_size=2, commit=counting_commit
    )
    assert report.totals.culled == 5
    assert len(commits) == 3  # after the first two batches of two, then the last batch with the log entry
    assert all(session.get(Comment, c.id, populate_existing=True).culled_at == BASE for c in made)
    assert len(retention_entries(session, world["a"].id)) == 1
    session.commit()
    assert client.get("/v1/log/verify", headers=auth(world["registrar"])).json()["ok"] is True


def test_schedule_runs_once_per_interval_across_workers(
    app: FastAPI, settings: Settings, session: Session, world: dict[str, Any]
) -> None:
    old = add_comment(session, account=world["page"], external_id="1", received_at=OLD)
    hourly = settings.model_copy(update={"retention_interval_s": 3600.0})
    factory = app.state.session_factory
    first = RetentionSchedule(factory, hourly, actor="worker:1")
    assert first.maybe_run(BASE) is True
    assert session.get(Comment, old.id, populate_existing=True).culled_at == BASE
    session.commit()
    # Another worker reads the last run from the log; the first remembers it.
    second = RetentionSchedule(factory, hourly, actor="worker:2")
    assert second.maybe_run(BASE + timedelta(minutes=59)) is False
    assert first.maybe_run(BASE + timedelta(minutes=59)) is False
    # A dry run does not count as the last run.
    run_retention(session, now=BASE + timedelta(minutes=61), dry_run=True)
    session.commit()
    # While someone else holds the guard, nobody runs.
    with retention_guard(session.get_bind()) as held:
        assert held is True
        assert RetentionSchedule(factory, hourly).maybe_run(BASE + timedelta(minutes=61)) is False
    if settings.database_url.startswith("postgresql"):
        # Another process holding the advisory lock stops every worker here too.
        import psycopg

        from app.retention.schedule import ADVISORY_KEY

        dsn = settings.database_url.replace("postgresql+psycopg://", "postgresql://", 1)
        with psycopg.connect(dsn, autocommit=True) as other:
            other.execute("SELECT pg_advisory_lock(%s)", (ADVISORY_KEY,))
            assert RetentionSchedule(factory, hourly).maybe_run(BASE + timedelta(minutes=61)) is False
            # Released before closing: a closed connection's locks go only when its backend exits.
            other.execute("SELECT pg_advisory_unlock(%s)", (ADVISORY_KEY,))
    # Several workers at once when it is due: exactly one runs.
    results: list[bool] = []
    workers = [RetentionSchedule(factory, hourly, actor=f"worker:{i}") for i in range(3)]
    threads = [
        threading.Thread(target=lambda w=w: results.append(w.maybe_run(BASE + timedelta(minutes=62))))
        for w in workers
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert sorted(results) == [False, False, True]
    real_runs = [e for e in retention_entries(session, world["a"].id) if not e.payload["dry_run"]]
    assert [e.at for e in real_runs] == [BASE, BASE + timedelta(minutes=62)]
    session.commit()
    off = RetentionSchedule(factory, settings.model_copy(update={"retention_interval_s": 0.0}))
    assert off.maybe_run(BASE + timedelta(days=10)) is False
