"""Forwards and registration requests leave the service over real SMTP and HTTP.

Haparanda forwards a fault report to the department's mailbox with the
evidence attached; a case system receives the same as a signed webhook;
Helsingborg's removal waits until the registrar has the evidence.
"""

from __future__ import annotations

import base64
import io
import json
import time
from datetime import UTC, datetime
from typing import Any

from pypdf import PdfReader
from sqlalchemy import select

from app.models import Assessment, QueueItem
from app.policies import load_preset
from app.policies.recommendation import recommend
from app.queue.service import FindingView, findings_of
from tests.app.notifications.conftest import SECRET
from tests.factories import auth
from tests.fakes.webhook_receiver import verify

PNR = "19121212-1212"
FAULT_REPORT = f"Det är ett stort hål i gatan utanför skolan på Storgatan, kan ni laga det? Mitt pnr är {PNR}"
DEPARTMENT = "Samhällsbyggnad/felanmälan"
DEPARTMENT_MAIL = "felanmalan@haparanda.example"


def pdf_text(content: bytes) -> str:
    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def as_fault_report(n: Any, item_id: int) -> None:
    """Give the item the recommendation Haparanda's policy makes for a fault report (the
    classifier names the category, individual_case; the fault-report subtype is the editor's call)."""
    session = n.world.session
    session.rollback()
    item = session.get(QueueItem, item_id)
    assessment = session.get(Assessment, item.assessment_id)
    findings = [*findings_of(assessment), FindingView("individual_case", "fault_report", 1.0)]
    rec = recommend(load_preset("haparanda"), findings, platform="facebook", received_at=item.created_at)
    item.recommendation = rec.as_dict()
    session.commit()


def log_actions(n: Any) -> list[dict[str, Any]]:
    r = n.world.client.get("/v1/log", headers=auth(n.world.registrar), params={"limit": 1000})
    assert r.status_code == 200, r.text
    return [e for e in r.json()["entries"] if e["action"].startswith("message.")]


def test_haparanda_forward_reaches_the_department_mailbox_with_the_evidence(notified: Any) -> None:
    n = notified("haparanda")
    n.add_destination(name=DEPARTMENT, kind="email", address=DEPARTMENT_MAIL)
    n.world.comment(message=FAULT_REPORT)
    n.world.process()
    [item] = n.world.items()
    as_fault_report(n, item["id"])
    assert n.world.item(item["id"])["recommendation"]["forward_to"] == [DEPARTMENT]

    r = n.world.decide(
        item["id"], actions=["refer", "forward"], reason="Felanmälan, skickas till samhällsbyggnad."
    )
    assert r.status_code == 200, r.text
    n.world.actions.run_until_idle()
    [row] = n.send_until_settled()
    assert (row.status, row.kind, row.attempts) == ("sent", "forward", 1)

    [mail] = n.smtp.to(DEPARTMENT_MAIL)
    message = mail.message
    subject = str(message["Subject"])
    assert subject.startswith("Vidarebefordrad kommentar från Facebook")
    assert PNR not in subject and "hål i gatan" not in subject and "Testa" not in subject
    assert f"<{row.message_id}@kommun.example>" == message["Message-ID"]
    body = message.get_body(preferencelist=("plain",)).get_content()
    assert FAULT_REPORT in body
    assert "Felanmälan, skickas till samhällsbyggnad." in body
    assert "Testa Testsson" in body and DEPARTMENT in body
    assert "vidarebefordra anmälingen till rätt mottagare/system" in body  # the guideline sentence
    [attachment] = list(message.iter_attachments())
    assert attachment.get_content_type() == "application/pdf"
    text = pdf_text(attachment.get_content())
    evidence = n.world.item(item["id"])["evidence"][-1]
    snapshot = n.world.client.get(evidence["json"], headers=auth(n.world.registrar)).json()
    assert snapshot["sha256"][:16] in text.replace("\n", "").replace(" ", "")

    # Sent once: another round, or the same decision's forward written again, sends nothing more.
    n.messages.run_until_idle()
    assert len(n.smtp.to(DEPARTMENT_MAIL)) == 1
    logged = [(e["action"], e["payload"]["kind"]) for e in log_actions(n)]
    assert logged == [("message.queued", "forward"), ("message.sent", "forward")]


def test_forward_to_names_an_existing_destination(notified: Any) -> None:
    n = notified("haparanda")
    n.world.comment(message=FAULT_REPORT)
    n.world.process()
    [item] = n.world.items()
    r = n.world.decide(item["id"], actions=["refer", "forward"], reason="x", forward_to=["Ingenstans"])
    assert r.status_code == 422 and "Ingenstans" in r.json()["detail"]
    assert n.world.item(item["id"])["status"] == "open"  # nothing of the decision was written
    r = n.world.decide(item["id"], actions=["refer"], reason="x", forward_to=[DEPARTMENT])
    assert r.status_code == 422
    assert n.rows() == []


def test_case_system_receives_a_signed_standard_webhook(notified: Any) -> None:
    n = notified("haparanda")
    # Two secrets while rotating: the receiver knows only the new one and still verifies.
    old = "whsec_" + base64.b64encode(b"o" * 24).decode()
    n.add_destination(name="Ärendesystem", kind="webhook", address=n.hook_url, secret=f"{old} {SECRET}")
    n.receiver.statuses.extend([500, 503])  # the case system is briefly down
    n.world.comment(message=FAULT_REPORT)
    n.world.process()
    [item] = n.world.items()
    r = n.world.decide(
        item["id"], actions=["refer", "forward"], reason="Till ärendesystemet.", forward_to=["Ärendesystem"]
    )
    assert r.status_code == 200, r.text
    [row] = n.send_until_settled()
    assert (row.status, row.attempts) == ("sent", 3)
    ids = {headers["webhook-id"] for headers, _ in n.receiver.requests}
    assert ids == {row.message_id}  # every retry is the same message
    headers, body = n.receiver.requests[-1]
    assert verify(SECRET, headers, body) and verify(old, headers, body)
    assert len(headers["webhook-signature"].split(" ")) == 2
    tampered = body.replace(b"Till", b"Hit")
    assert not verify(SECRET, headers, tampered)
    [payload] = n.receiver.accepted.values()
    assert payload["type"] == "comment.forwarded"
    data = payload["data"]
    assert data["note"] == "Till ärendesystemet."
    assert data["comment"]["text"] == FAULT_REPORT
    assert data["link"] == f"https://uppsikt.kommun.example/inkorg/{item['id']}"
    assert base64.b64decode(data["evidence_pdf"]["base64"]).startswith(b"%PDF")


def test_a_refusing_receiver_ends_failed_and_shows_it(notified: Any) -> None:
    n = notified("haparanda")
    n.add_destination(name="Ärendesystem", kind="webhook", address=n.hook_url, secret=SECRET)
    n.receiver.statuses.append(410)
    n.world.comment(message=FAULT_REPORT)
    n.world.process()
    [item] = n.world.items()
    n.world.decide(item["id"], actions=["refer", "forward"], reason="x", forward_to=["Ärendesystem"])
    [row] = n.send_until_settled()
    assert (row.status, row.error_code, row.attempts) == ("failed", "webhook_410", 1)
    [listed] = n.world.client.get("/v1/destinations", headers=auth(n.admin)).json()["destinations"]
    assert listed["failed"] == 1 and "410" in listed["last_error"]
    metrics = n.world.client.get("/metrics").text
    assert 'uppsikt_messages{destination="Ärendesystem",status="failed",tenant="haparanda"} 1.0' in metrics
    assert [e["action"] for e in log_actions(n)] == ["message.queued", "message.failed"]


def test_helsingborg_removal_reaches_the_registrar_before_the_delete(notified: Any) -> None:
    n = notified("helsingborg")
    n.add_destination(name="Registrator", kind="webhook", address=n.hook_url, secret=SECRET, registrar=True)
    n.world.comment(message=f"Här är hans personnummer {PNR}")
    n.world.process()
    [item] = n.world.items()
    rec = n.world.item(item["id"])["recommendation"]
    assert set(rec["actions"]) == {"hide", "remove", "register"}
    n.receiver.statuses.extend([500] * 3)  # the registrar's system is down for a while
    assert n.world.decide(item["id"], actions=rec["actions"], reason="Personnummer.").status_code == 200

    def deletes() -> list[Any]:
        return [c for c in n.world.graph.calls if c.method == "DELETE"]

    n.world.actions.run_until_idle()
    assert deletes() == []
    assert [a["status"] for a in n.world.item(item["id"])["actions"] if a["kind"] == "delete"] == ["pending"]
    failures = 0
    while True:  # the registrar fails, then takes it; the delete waits until it has
        n.messages.run_once()
        [row] = [r for r in n.rows() if r.kind == "registration"]
        assert row.holds_delete
        if row.status == "sent":
            break
        failures += row.status == "pending" and row.error_code == "webhook_500"
        n.world.actions.run_until_idle()
        assert deletes() == []
        time.sleep(0.01)
    assert failures >= 3
    n.world.actions.run_until_idle()
    assert len(deletes()) == 1
    [payload] = n.receiver.accepted.values()
    assert payload["type"] == "registration.requested" and payload["data"]["before_removal"] is True
    registration = n.world.item(item["id"])["registration"]
    assert payload["data"]["registration_id"] == registration["id"]
    # The log shows the order: the registrar's message was sent before the delete was done.
    entries = n.world.client.get("/v1/log", headers=auth(n.world.registrar), params={"limit": 1000}).json()
    order = [e["action"] for e in entries["entries"] if e["action"] in ("message.sent", "action.done")]
    assert order.index("message.sent") < len(order) - 1 and order[-1] == "action.done"


def test_helsingborg_remove_alone_still_sends_the_evidence_to_the_registrar(notified: Any) -> None:
    n = notified("helsingborg")
    n.add_destination(
        name="Registrator", kind="email", address="registrator@helsingborg.example", registrar=True
    )
    n.world.comment(message=f"Här är hans personnummer {PNR}")
    n.world.process()
    [item] = n.world.items()
    n.send_until_settled("alert")  # a personnummer is urgent: the editors were told first
    n.smtp.fail_next("data", 451, "Försök senare", times=2)
    assert n.world.decide(item["id"], actions=["remove"], reason="Bort.").status_code == 200
    n.world.actions.run_until_idle()
    assert not [c for c in n.world.graph.calls if c.method == "DELETE"]
    [row] = n.send_until_settled("registration")
    assert (row.status, row.attempts, row.kind) == ("sent", 3, "registration")
    n.world.actions.run_until_idle()
    assert [c.method for c in n.world.graph.calls if c.method == "DELETE"] == ["DELETE"]
    [mail] = n.smtp.to("registrator@helsingborg.example")
    assert PNR not in str(mail.message["Subject"])
    body = mail.message.get_body(preferencelist=("plain",)).get_content()
    assert "innan det raderas" in body and "dokumenthanteringsplanen" in body  # no registration asked
    [attachment] = list(mail.message.iter_attachments())
    assert "Rekommendation enligt riktlinjerna" in pdf_text(attachment.get_content())


def test_no_registrar_destination_leaves_the_delete_alone(notified: Any) -> None:
    n = notified("helsingborg")
    n.world.comment(message=f"Här är hans personnummer {PNR}")
    n.world.process()
    [item] = n.world.items()
    assert n.world.decide(item["id"], actions=["remove"], reason="Bort.").status_code == 200
    n.world.actions.run_until_idle()
    assert [c.method for c in n.world.graph.calls if c.method == "DELETE"] == ["DELETE"]
    assert n.rows("registration") == []


def test_teams_channel_gets_an_adaptive_card(notified: Any) -> None:
    n = notified("haparanda")
    n.receiver.secret = None
    try:
        n.add_destination(name="Teams", kind="teams", address=n.hook_url)
        n.world.comment(message=FAULT_REPORT)
        n.world.process()
        [item] = n.world.items()
        n.world.decide(item["id"], actions=["refer", "forward"], reason="x", forward_to=["Teams"])
        [row] = n.send_until_settled()
        assert row.status == "sent"
        [(headers, body)] = n.receiver.requests
        assert "webhook-signature" not in headers
        card = json.loads(body)
        assert card["type"] == "message"
        [attachment] = card["attachments"]
        assert attachment["contentType"] == "application/vnd.microsoft.card.adaptive"
        content = attachment["content"]
        assert content["type"] == "AdaptiveCard" and content["version"] == "1.4"
        assert content["$schema"] == "http://adaptivecards.io/schemas/adaptive-card.json"
        assert all(block["type"] == "TextBlock" for block in content["body"])
        assert content["actions"][0]["url"].endswith(f"/inkorg/{item['id']}")
        assert FAULT_REPORT not in body.decode()  # a channel gets the pointer, not the comment
    finally:
        from tests.app.notifications.conftest import SECRET as secret

        n.receiver.secret = secret


def test_registration_of_an_item_writes_one_message_whatever_replays(notified: Any) -> None:
    n = notified("helsingborg")
    n.add_destination(
        name="Registrator", kind="email", address="registrator@helsingborg.example", registrar=True
    )
    n.world.comment(message=f"Här är hans personnummer {PNR}")
    n.world.process()
    [item] = n.world.items()
    n.world.decide(item["id"], actions=["register"], reason="Diarieförs.")
    n.world.decide(item["id"], actions=["register"], reason="Igen.", reverse_previous=True)
    assert len(n.rows("registration")) == 1
    session = n.world.session
    session.rollback()
    assert session.scalar(select(QueueItem.status).where(QueueItem.id == item["id"])) == "decided"
    assert datetime.now(UTC)
