"""``uppsikt archive`` run as a real process: the three files, their manifest, exactly the
period's comments with their moderation, and clear refusals."""

from __future__ import annotations

import hashlib
import io
import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from app.cli import main
from app.errors import BadRequest
from app.models import Comment
from app.records.archive import parse_period, resolve_account
from tests.app.search.helpers import note
from tests.e2e.server import uppsikt
from tests.factories import auth, create_account

PNR_TEXT = "Ring mig, mitt personnummer är 19850101-2390 om ni behöver det för ärendet."
#: Comment → when it was first received.  The period is the first half of 2026 in Swedish
#: time, so the edges are 2025-12-31T23:00Z and 2026-06-30T22:00Z.
RECEIVED = {
    "777_1": datetime(2026, 1, 15, 9, 0, tzinfo=UTC),
    "777_2": datetime(2026, 6, 30, 21, 30, tzinfo=UTC),  # 23:30 on the last day, Swedish time: inside
    "777_3": datetime(2026, 6, 30, 22, 10, tzinfo=UTC),  # 00:10 on 1 July, Swedish time: outside
    "777_4": datetime(2025, 12, 31, 22, 30, tzinfo=UTC),  # 23:30 on New Year's Eve: outside
    "777_5": datetime(2025, 12, 31, 23, 0, tzinfo=UTC),  # midnight, the first moment: inside
}
INSIDE = {"777_1", "777_2", "777_5"}


def test_archive_extract_of_a_half_year(
    world_factory: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    world = world_factory("finspang")
    world.comment(comment="1", message=PNR_TEXT)
    world.comment(comment="2", message="Tack för att ni plogade så snabbt i morse!")
    world.comment(comment="3", message="Bra jobbat med cykelvägarna.")
    world.comment(comment="4", message="Gott nytt år, kommunen!")
    world.comment(comment="5", message="Hej! När öppnar biblioteket igen efter helgerna?")
    world.process()
    [item] = [i for i in world.items() if i["comment_id"] == 1]
    rec = world.item(item["id"])["recommendation"]
    assert world.decide(item["id"], actions=rec["actions"], reason="Personnummer.").status_code == 200
    world.actions.run_until_idle()
    registration = world.client.get("/v1/registrations", headers=auth(world.registrar)).json()["items"][0]
    r = world.client.post(
        f"/v1/registrations/{registration['id']}",
        json={"diarienummer": "KS 2026/12"},
        headers=auth(world.registrar),
    )
    assert r.status_code == 200, r.text
    # Another account's comment in the same period stays out.
    other = create_account(
        world.session, tenant=world.tenant, external_id="5550000000002", name="Biblioteket"
    )
    elsewhere = Comment(
        tenant_id=world.tenant.id,
        account_id=other.id,
        platform="facebook",
        external_id="888_1",
        first_received_at=datetime(2026, 3, 1, tzinfo=UTC),
    )
    world.session.add(elsewhere)
    world.session.flush()
    note(world.session, elsewhere, "comment.stored", "comment", elsewhere.id, {})
    for comment in world.session.scalars(select(Comment).where(Comment.account_id == world.account.id)):
        comment.first_received_at = RECEIVED[comment.external_id]
    world.session.commit()

    out = tmp_path / "arkiv" / "2026-h1"
    run = uppsikt(
        world.settings.database_url,
        "archive",
        "--account",
        world.account.external_id,
        "--from",
        "2026-01-01",
        "--to",
        "2026-06-30",
        "--out",
        str(out),
    )
    assert run.returncode == 0, run.stderr
    assert sorted(p.name for p in out.iterdir()) == ["MANIFEST.sha256", "extract.json", "extract.pdf"]
    manifest = {}
    for line in (out / "MANIFEST.sha256").read_text().splitlines():
        digest, name = line.split("  ", 1)
        manifest[name] = digest
    assert manifest == {
        name: hashlib.sha256((out / name).read_bytes()).hexdigest()
        for name in ("extract.json", "extract.pdf")
    }

    extract = json.loads((out / "extract.json").read_text(encoding="utf-8"))
    comments = {c["external_id"]: c for c in extract["comments"]}
    assert set(comments) == INSIDE
    assert extract["counts"]["comments"] == 3 and extract["account"]["id"] == world.account.id
    assert extract["period"]["from"] == "2025-12-31T23:00:00+00:00"
    assert extract["period"]["to"] == "2026-06-30T22:00:00+00:00"
    assert "access_token_ciphertext" not in extract["account"]
    flagged = comments["777_1"]
    assert [v["text"] for v in flagged["versions"]] == [PNR_TEXT]
    assert flagged["state"] == "deleted_by_us" and flagged["events"]
    assert "personal_data" in flagged["assessments"][0]["categories"]
    assert flagged["queue_item"]["status"] == "decided"
    assert [d["reason"] for d in flagged["decisions"]] == ["Personnummer."]
    assert {a["kind"] for a in flagged["actions"]} == {"delete"}
    assert [(r["status"], r["diarienummer"]) for r in flagged["registrations"]] == [
        ("registered", "KS 2026/12")
    ]
    logged = [e["action"] for e in flagged["log"]]
    assert {"evidence.snapshot_taken", "queue.decided", "registration.registered"} <= set(logged)
    assert all(e["comment_id"] == flagged["id"] for e in flagged["log"])
    assert [e["seq"] for e in flagged["log"]] == sorted(e["seq"] for e in flagged["log"])
    assert flagged["evidence"] and all(len(e["sha256"]) == 64 for e in flagged["evidence"])
    assert comments["777_2"]["queue_item"] is None and comments["777_2"]["decisions"] == []

    text = "".join(
        page.extract_text() for page in PdfReader(io.BytesIO((out / "extract.pdf").read_bytes())).pages
    )
    flat = " ".join(text.split())
    assert "Arkivutdrag" in flat and "2026-01-01 – 2026-06-30" in flat
    assert "plogade så snabbt" in flat and "KS 2026/12" in flat
    assert "Gott nytt år" not in flat and "cykelvägarna" not in flat

    # Making the extract is logged, with the files' hashes, and the chain still verifies.
    log = world.client.get(
        "/v1/log", params={"action": "records.archive_extracted"}, headers=auth(world.registrar)
    )
    [entry] = log.json()["entries"]
    assert entry["payload"]["sha256"] == manifest and entry["payload"]["comments"] == 3
    verified = world.client.get("/v1/log/verify", headers=auth(world.registrar)).json()
    assert verified["ok"] is True

    # The account by its own id, and refusals with exit code 2 (in-process: the process path is above).
    assert resolve_account(world.session, str(world.account.id)).id == world.account.id
    assert resolve_account(world.session, world.account.external_id).id == world.account.id
    world.session.commit()
    monkeypatch.setenv("UPPSIKT_DATABASE_URL", world.settings.database_url)
    common = ["--out", str(tmp_path / "x")]
    assert main(["archive", "--account", "nope", "--from", "2026-01-01", "--to", "2026-06-30", *common]) == 2
    assert "fel: Inget konto har id:t 'nope'" in capsys.readouterr().err
    assert main(["archive", "--account", "1", "--from", "2026-07-01", "--to", "2026-01-01", *common]) == 2
    assert "baklänges" in capsys.readouterr().err
    assert not (tmp_path / "x").exists()


@pytest.mark.parametrize(
    ("start", "end", "message"),
    [
        ("2026-07-01", "2026-06-30", "baklänges"),
        ("2026-06-30T12:00:00+02:00", "2026-06-30T12:00:00+02:00", "baklänges"),
        ("2026-13-01", "2026-12-31", "är inget datum"),
        ("igår", "2026-12-31", "är inget datum"),
    ],
)
def test_period_refusals(start: str, end: str, message: str) -> None:
    with pytest.raises(BadRequest, match=message):
        parse_period(start, end)


def test_a_single_day_is_a_whole_swedish_day_across_daylight_saving() -> None:
    period = parse_period("2026-03-29", "2026-03-29")  # clocks go forward: a 23-hour day
    assert period.start == datetime(2026, 3, 28, 23, tzinfo=UTC)
    assert period.end == datetime(2026, 3, 29, 22, tzinfo=UTC)
    assert (period.first_day.isoformat(), period.last_day.isoformat()) == ("2026-03-29", "2026-03-29")
