"""Editors are told about urgent items at once, about overdue ones in working hours, and the
account owner when nobody acts; a digest each working morning."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta
from typing import Any

from app.models import QueueItem, Tenant
from app.notifications import service
from app.policies.clock import is_working_day

THREAT = "Jag ska döda dig din jävel"
QUESTION = "Hej! När öppnar badhuset igen efter renoveringen?"
EDITORS = ("red@kommun.example", "red2@kommun.example")
OWNER = "chef@kommun.example"


def tick(n: Any, now: datetime) -> int:
    session = n.world.session
    session.rollback()
    done = service.tick(session, now=now, actor="test")
    session.commit()
    return done


def next_weekday_at(after: datetime, hour_utc: int, *, working: bool) -> datetime:
    day = after.date() + timedelta(days=1)
    while is_working_day(day) != working:
        day += timedelta(days=1)
    return datetime(day.year, day.month, day.day, hour_utc, tzinfo=UTC)


def test_a_threat_reaches_the_editors_within_a_minute(notified: Any) -> None:
    n = notified("haparanda")
    started = time.monotonic()
    n.world.comment(message=THREAT)
    n.world.process()
    [item] = n.world.items()
    assert "threat" in item["categories"]
    rows = n.send_until_settled("alert")
    assert time.monotonic() - started < 60
    assert sorted(r.recipient or "" for r in rows) == sorted(EDITORS)
    assert {r.status for r in rows} == {"sent"}
    for editor in EDITORS:
        [mail] = n.smtp.to(editor)
        subject = str(mail.message["Subject"])
        assert subject.startswith("Brådskande i Uppsikt") and str(item["id"]) in subject
        body = mail.message.get_body().get_content()
        assert THREAT not in body and THREAT not in subject  # people get the pointer, not the text
        assert f"https://uppsikt.kommun.example/inkorg/{item['id']}" in body
    assert n.smtp.to(OWNER) == []
    # The same item processed again (a replay, an edit) alerts nobody twice.
    n.world.comment(message=THREAT)
    n.world.process()
    assert len(n.rows("alert")) == 2


def test_an_ordinary_question_alerts_nobody(notified: Any) -> None:
    n = notified("haparanda")
    n.world.comment(message=QUESTION)
    n.world.process()
    [item] = n.world.items()
    assert item["priority"] > 1
    assert n.rows() == []


def test_overdue_goes_to_the_editors_then_to_the_owner_only_in_working_time(notified: Any) -> None:
    n = notified("haparanda")
    n.world.comment(message=QUESTION)
    n.world.process()
    [item] = n.world.items()
    session = n.world.session
    tenant = session.get(Tenant, n.world.tenant.id)
    tenant.notifications = {"escalate_after_minutes": 30, "digest": False}
    row = session.get(QueueItem, item["id"])
    monday = next_weekday_at(datetime.now(UTC), 8, working=True)
    row.due_at = monday
    session.commit()

    assert tick(n, monday - timedelta(minutes=1)) == 0  # not overdue yet
    weekend = next_weekday_at(monday, 10, working=False)
    row.due_at = weekend - timedelta(hours=2)
    session.commit()
    assert tick(n, weekend) == 0  # quiet outside working days
    row.due_at = monday
    session.commit()

    assert tick(n, monday + timedelta(minutes=5)) == 2  # both editors
    assert tick(n, monday + timedelta(minutes=10)) == 0  # once per due time
    assert tick(n, monday + timedelta(minutes=31)) == 1  # the account owner
    rows = n.send_until_settled()
    assert sorted((r.kind, r.recipient) for r in rows) == sorted(
        [("overdue", EDITORS[0]), ("overdue", EDITORS[1]), ("escalation", OWNER)]
    )
    [escalation] = n.smtp.to(OWNER)
    assert str(escalation.message["Subject"]).startswith("Obehandlat ärende i Uppsikt")
    assert "kontoansvarig" in escalation.message.get_body().get_content()

    # A decided item is nobody's worry any more.
    session.rollback()
    n.world.decide(item["id"], actions=["answer"], reason="Besvarad.", reply_text="Den 1 mars!")
    row = session.get(QueueItem, item["id"])
    row.due_at = monday + timedelta(hours=1)
    session.commit()
    assert tick(n, monday + timedelta(hours=3)) == 0


def test_a_digest_each_working_morning(notified: Any) -> None:
    n = notified("haparanda")
    n.world.comment(message=QUESTION)
    n.world.process()
    monday = next_weekday_at(datetime.now(UTC), 8, working=True)  # 09:00 or 10:00 in Stockholm
    # Due after the mornings ticked here, so that only the digest is counted: with the
    # answer due a working day after the comment came in, a run early on a working day
    # had the owner's escalation fall between the two morning ticks.
    [item] = n.world.items()
    n.world.session.get(QueueItem, item["id"]).due_at = monday + timedelta(days=14)
    n.world.session.commit()
    assert tick(n, monday) == 2  # one digest per editor
    assert tick(n, monday + timedelta(hours=1)) == 0
    saturday = next_weekday_at(monday, 9, working=False)
    assert tick(n, saturday) == 0
    rows = n.send_until_settled("digest")
    assert sorted(r.recipient or "" for r in rows) == sorted(EDITORS)
    [mail] = [m for m in n.smtp.to(EDITORS[0]) if "sammanfattning" in str(m.message["Subject"])]
    assert "1 öppna ärenden" in mail.message.get_body().get_content()
