"""``uppsikt reconcile`` on demand, and the worker's schedule: one run per account and interval."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from app.cli import main
from app.models import ModerationLogEntry
from app.reconcile.schedule import ReconcileSchedule
from tests.app.reconcile.conftest import GRAPH_TOKEN, World

PAGE = "5550000000002"


def _arrange(world: World) -> None:
    now = datetime.now(UTC)
    world.account("facebook", PAGE, GRAPH_TOKEN)
    world.graph.add_post(
        f"{PAGE}_1",
        account_id=PAGE,
        platform="facebook",
        created_time=(now - timedelta(days=3)).strftime("%Y-%m-%dT%H:%M:%S+0000"),
    )
    world.graph.add_listed_comment(
        f"1_{1}",
        post_id=f"{PAGE}_1",
        message="Hej kommunen",
        created_time=(now - timedelta(days=2)).strftime("%Y-%m-%dT%H:%M:%S+0000"),
    )


@pytest.fixture
def env(world: World, monkeypatch: pytest.MonkeyPatch) -> World:
    s = world.settings
    monkeypatch.setenv("UPPSIKT_DATABASE_URL", s.database_url)
    monkeypatch.setenv("UPPSIKT_META_GRAPH_URL", s.meta_graph_url)
    monkeypatch.setenv("UPPSIKT_SECRET_KEY", s.secret_key.get_secret_value())
    monkeypatch.setenv("UPPSIKT_LOG_JSON", "true")
    return world


def test_reconcile_command_prints_one_swedish_line(env: World, capsys: pytest.CaptureFixture[str]) -> None:
    _arrange(env)
    assert main(["reconcile", "--tenant", "helsingborg"]) == 0
    out = capsys.readouterr().out.strip().splitlines()
    assert out == [
        f"Facebook-kontot Kommunen (id {env.accounts['facebook'].id}): 1 kommentarer lästa, 1 saknades, "
        "0 ändrade, 0 borttagna – lagda i inkorgen."
    ]
    env.worker.run_until_idle()
    assert list(env.comments("facebook")) == ["1_1"]

    # --since after the post: nothing is listed, nothing stored.
    tomorrow = (datetime.now(UTC) + timedelta(days=1)).date().isoformat()
    assert main(["reconcile", "--tenant", "helsingborg", "--account", PAGE, "--since", tomorrow]) == 0
    assert "0 kommentarer lästa" in capsys.readouterr().out

    assert main(["reconcile", "--tenant", "ingen"]) == 2
    assert capsys.readouterr().err.startswith("fel: Det finns ingen tenant som heter ingen")
    assert main(["reconcile", "--tenant", "helsingborg", "--since", "igår"]) == 2
    assert "--since ska vara ett datum" in capsys.readouterr().err

    # A throttled platform: exit 3, the line says so, and the next command waits for it.
    env.graph.fail_next(1, "429")
    assert main(["reconcile", "--tenant", "helsingborg"]) == 3
    assert "avbröts: Plattformen begränsar antalet anrop" in capsys.readouterr().out
    calls = len(env.graph.calls)
    assert main(["reconcile", "--tenant", "helsingborg"]) == 3
    assert "inte avstämt – plattformen bad oss vänta till" in capsys.readouterr().out
    assert len(env.graph.calls) == calls


def test_the_schedule_runs_each_account_once_per_interval(world: World) -> None:
    _arrange(world)
    factory = world.client.app.state.session_factory  # type: ignore[attr-defined]
    settings = world.settings.model_copy(update={"reconcile_interval_s": 600.0})
    first, second = (
        ReconcileSchedule(factory, settings, actor="w1"),
        ReconcileSchedule(factory, settings, actor="w2"),
    )
    try:
        now = datetime.now(UTC)
        assert [s.added for s in first.run_due(now)] == [1]
        assert second.run_due(now + timedelta(seconds=1)) == [], "another worker ran it just now"
        assert first.run_due(now + timedelta(seconds=599)) == []
        assert len(second.run_due(now + timedelta(seconds=601))) == 1
        off = ReconcileSchedule(factory, world.settings.model_copy(update={"reconcile_interval_s": 0.0}))
        assert off.run_due(now + timedelta(days=1)) == []
        off.close()
    finally:
        first.close()
        second.close()
    world.session.rollback()
    assert (
        world.session.scalar(
            select(func.count())
            .select_from(ModerationLogEntry)
            .where(ModerationLogEntry.action == "reconcile.run")
        )
        == 2
    )
