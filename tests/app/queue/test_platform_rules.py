"""The outbox and the pipeline follow the platforms' rules (shared/platforms.md §7), over real HTTP.

A throttle pauses the whole account; Graph's 100/33 is told apart (gone or wrong token)
by asking with the same token; a retired LinkedIn-Version is an operator alert, not a
rejected action; a reply to a LinkedIn reply goes under the top-level comment; our own
replies coming back through the webhook are linked to their decision and never queued;
comments on an Instagram live broadcast are offered no platform action.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from pydantic import SecretStr
from sqlalchemy import select

from app.actions.worker import ActionWorker
from app.assessment.service import default_classifier
from app.crypto import TokenCipher
from app.main import create_app
from app.models import Account, ModerationLogEntry, PlatformAction, utcnow
from app.worker.inbox import InboxWorker
from tests.app.queue.conftest import PAGE
from tests.conftest import make_settings
from tests.factories import (
    IG_ACCOUNT_ID,
    LI_ORG,
    auth,
    create_account,
    create_key,
    create_tenant,
    feed_change,
    instagram_delivery,
    linkedin_delivery,
    linkedin_notification,
    meta_json,
    sign_linkedin,
    sign_meta,
)
from tests.fakes.graph_api import FakeGraphAPI
from tests.fakes.linkedin_api import FakeLinkedInAPI

#: Skatteverket's test personnummer: flagged for removal by Malmö's guideline.
PNR_TEXT = "Ring mig, mitt personnummer är 19121212-1212 om ni behöver det för ärendet."
QUESTION = "Hej! När töms soptunnorna på Storgatan nästa gång?"


def _fresh(session: Any) -> None:
    """End the read transaction and forget loaded rows (the factory keeps them after commit)."""
    session.commit()
    session.expire_all()


def _log(world: Any, action: str) -> list[ModerationLogEntry]:
    _fresh(world.session)
    return list(world.session.scalars(select(ModerationLogEntry).where(ModerationLogEntry.action == action)))


def _actions(world: Any) -> list[PlatformAction]:
    _fresh(world.session)
    return list(world.session.scalars(select(PlatformAction).order_by(PlatformAction.id)))


# --- a throttle pauses the account --------------------------------------------------------------


@pytest.mark.parametrize("batch", [1, 10])
def test_a_throttle_pauses_the_accounts_other_actions_until_the_resume_time(
    world_factory: Any, batch: int
) -> None:
    world = world_factory("malmo", action_batch_size=batch)
    world.comment(message=PNR_TEXT)
    world.comment(comment="2", message=PNR_TEXT.replace("ärendet", "saken"))
    world.process()
    first, second = sorted(world.items(), key=lambda i: i["id"])
    world.graph.fail_next(1, "429")  # Retry-After: 1 (the module's fake)
    for item in (first, second):
        assert world.decide(item["id"], actions=["remove"], reason="Personnummer").status_code == 200

    world.actions.run_until_idle()

    deletes = [c for c in world.graph.calls if c.method == "DELETE"]
    assert len(deletes) == 1  # the second action was not called while the Page was throttled
    _fresh(world.session)
    account = world.session.get(Account, world.account.id)
    assert account.actions_paused_until is not None
    assert account.actions_paused_until > utcnow() + timedelta(seconds=0.3)
    waiting = [a for a in _actions(world) if a.kind == "delete"]
    assert {a.status for a in waiting} == {"pending"}
    untouched = next(a for a in waiting if a.attempts == 0)  # not counted as a try
    if batch > 1:  # leased in the same batch as the throttled one: put back until the resume time
        assert untouched.next_attempt_at >= account.actions_paused_until - timedelta(seconds=0.01)

    time.sleep(max(0.0, (account.actions_paused_until - utcnow()).total_seconds()) + 0.05)
    for _ in range(40):
        world.actions.run_until_idle()
        if all(a.status == "done" for a in _actions(world) if a.kind == "delete"):
            break
        time.sleep(0.05)
    assert [a.status for a in _actions(world) if a.kind == "delete"] == ["done", "done"]


# --- Graph 100/33: gone, or the wrong token? -------------------------------------------------


def test_100_33_with_the_page_readable_is_reported_as_gone(world_factory: Any) -> None:
    world = world_factory("malmo")
    world.comment(message=PNR_TEXT)
    world.process()
    [item] = world.items()
    world.graph.fail_next(1, "gone")
    world.decide(item["id"], actions=["remove"], reason="x")
    world.actions.run_until_idle()
    [action] = world.item(item["id"])["actions"]
    assert (action["status"], action["error_code"]) == ("failed", "comment_gone")
    assert action["last_error"] == "Kommentaren finns inte längre på plattformen."
    probe = world.graph.calls[-1]
    assert (probe.method, probe.path, probe.query.get("fields")) == ("GET", f"/v25.0/{PAGE}", "id")


def test_100_33_with_a_token_that_cannot_read_the_page_is_not_called_gone(world_factory: Any) -> None:
    world = world_factory("malmo")
    world.comment(message=PNR_TEXT)
    world.process()
    [item] = world.items()
    world.graph.fail_next(2, "gone")  # the delete, and the check of the Page with the same token
    world.decide(item["id"], actions=["remove"], reason="x")
    world.actions.run_until_idle()
    [action] = world.item(item["id"])["actions"]
    assert (action["status"], action["error_code"]) == ("failed", "token_wrong_account")
    assert "finns inte längre" not in action["last_error"]
    assert "fel token eller saknad behörighet" in action["last_error"]


# --- our own replies come back ----------------------------------------------------------------


def test_our_reply_echoed_back_is_linked_to_its_decision_and_not_queued(world_factory: Any) -> None:
    world = world_factory("malmo")
    world.comment(message=PNR_TEXT)
    world.process()
    [item] = world.items()
    r = world.decide(item["id"], actions=["answer"], reason="Svar", reply_text=QUESTION)
    assert r.status_code == 200, r.text
    world.actions.run_until_idle()
    [reply] = [a for a in _actions(world) if a.kind == "reply"]
    assert reply.status == "done" and reply.result_id
    post, number = reply.result_id.split("_")

    # Meta may leave ``from`` out (§6.9): the id returned by the reply call is what recognises it.
    echo = feed_change(comment=number, message=QUESTION, post=post, parent=f"{post}_1", page_id=PAGE)
    del echo["value"]["from"]
    world.deliver(echo)
    # The same text from a citizen is a question that goes to the queue: the control.
    world.deliver(feed_change(comment="3", message=QUESTION, post=post, page_id=PAGE))
    world.process()

    items = world.items()
    assert len(items) == 2
    assert all(i["id"] != 0 for i in items)
    [linked] = _log(world, "comment.own_reply")
    assert linked.payload["decision_id"] == reply.decision_id
    assert linked.payload["action_id"] == reply.id
    assert linked.payload["item_id"] == item["id"]
    # Stored as the comment it is (part of the thread's record), never assessed.
    assessed_comments = {e.comment_id for e in _log(world, "comment.assessed")}
    assert linked.comment_id not in assessed_comments


def test_a_comment_by_the_page_itself_is_not_assessed_or_queued(world_factory: Any) -> None:
    world = world_factory("malmo")
    world.comment(
        message=QUESTION, extra={"from": {"id": PAGE, "name": "Kommunen"}}
    )  # the Page wrote it on Facebook directly
    world.process()
    assert world.items() == []
    [own] = _log(world, "comment.own")
    assert own.payload["decision_id"] is None
    assert _log(world, "comment.assessed") == []


# --- Instagram live comments ----------------------------------------------------------------


def test_live_comments_are_offered_no_platform_action(world_factory: Any) -> None:
    world = world_factory("helsingborg")
    world.session.commit()
    ig = create_account(
        world.session,
        tenant=world.tenant,
        platform="instagram",
        external_id=IG_ACCOUNT_ID,
        name="Kommunen IG",
        editors=("red@kommun.example",),
    )
    ig.access_token_ciphertext = TokenCipher(world.settings).encrypt("EAAG-fake-page-token")
    world.session.commit()
    value = {
        "id": "17865799348089039",
        "text": PNR_TEXT,
        "from": {"id": "232323232", "username": "testa.testsson"},
        "media": {"id": "123123123", "media_product_type": "LIVE"},
    }
    body = meta_json(instagram_delivery(value, field="live_comments"))
    assert world.client.post("/webhooks/meta", content=body, headers=sign_meta(body)).status_code == 200
    world.process()

    [item] = world.items()
    rec = world.item(item["id"])["recommendation"]
    assert not {"hide", "remove", "answer", "notify_author", "refer"} & set(rec["actions"])
    assert not {"hide", "remove"} & set(rec["auto_actions"])
    assert world.graph.calls == []  # Helsingborg's automatic hide does not run on a live comment
    refused = world.decide(item["id"], actions=["hide"], reason="x")
    assert refused.status_code == 422
    assert "livesändning" in refused.json()["detail"]
    # The web inbox's decision form offers the same: no platform action, the others stay.
    from tests.web.test_inbox_http import browser_as

    page = browser_as(world, "red@kommun.example").get(f"/inkorg/{item['id']}").text
    offered = set(re.findall(r'name="atgarder" value="([a-z_]+)"', page))
    assert offered and not {"hide", "remove", "answer", "notify_author", "refer"} & offered
    assert "register" in offered


# --- LinkedIn: a retired version, and replies to replies -------------------------------------

LI_TOKEN = "AQV-fake-linkedin-token"
TOP = "urn:li:comment:(urn:li:activity:6001,7001)"
NESTED = "urn:li:comment:(urn:li:activity:6001,7002)"


@pytest.fixture
def li_world(
    database_url: str, graph: tuple[FakeGraphAPI, str], linkedin_api: tuple[FakeLinkedInAPI, str]
) -> Iterator[dict[str, Any]]:
    fake, url = linkedin_api
    fake.reset()
    fake.add_comment(TOP, organization_urn=LI_ORG, text="x")
    settings = make_settings(
        database_url,
        meta_graph_url=graph[1],
        linkedin_api_url=url,
        linkedin_api_version="202401",
        secret_key=SecretStr("k"),
        platform_timeout_s=0.5,
        action_backoff_base_s=0.01,
        action_backoff_cap_s=0.05,
        action_max_attempts=2,
    )
    app = create_app(settings)
    with TestClient(app) as client, app.state.session_factory() as session:
        tenant = create_tenant(session, name="helsingborg", preset="helsingborg")
        account = create_account(
            session, tenant=tenant, platform="linkedin", external_id=LI_ORG, editors=("red@kommun.example",)
        )
        account.access_token_ciphertext = TokenCipher(settings).encrypt(LI_TOKEN)
        session.commit()
        actions = ActionWorker(app.state.session_factory, settings)
        yield {
            "client": client,
            "session": session,
            "account": account,
            "fake": fake,
            "actions": actions,
            "worker": InboxWorker(app.state.session_factory, settings, classify=default_classifier()),
            "editor": create_key(session, tenant=tenant, role="editor", subject="red@kommun.example"),
        }
        actions.close()
    fake.retired_versions = set()


def _li_deliver(w: dict[str, Any], **kw: Any) -> dict[str, Any]:
    body = json.dumps(linkedin_delivery(linkedin_notification(**kw))).encode()
    assert (
        w["client"].post("/webhooks/linkedin", content=body, headers=sign_linkedin(body)).status_code == 200
    )
    w["worker"].run_until_idle()
    [item] = w["client"].get("/v1/queue", headers=auth(w["editor"])).json()["items"]
    return dict(item)


def test_a_retired_linkedin_version_alerts_the_operator_and_the_action_waits(
    li_world: dict[str, Any],
) -> None:
    w = li_world
    w["fake"].retired_versions = {"202401"}
    item = _li_deliver(w, text=PNR_TEXT)
    r = w["client"].post(
        f"/v1/queue/{item['id']}/decision",
        headers=auth(w["editor"]),
        json={"actions": ["remove"], "reason": "x"},
    )
    assert r.status_code == 200, r.text
    for _ in range(4):  # more rounds than action_max_attempts: the tries are not used up
        w["actions"].run_until_idle()
        w["session"].commit()
        w["session"].execute(
            PlatformAction.__table__.update().values(next_attempt_at=utcnow())  # type: ignore[attr-defined]
        )
        w["session"].execute(Account.__table__.update().values(actions_paused_until=None))  # type: ignore[attr-defined]
        w["session"].commit()

    [action] = w["client"].get(f"/v1/queue/{item['id']}", headers=auth(w["editor"])).json()["actions"]
    assert (action["status"], action["error_code"]) == ("pending", "version_retired")
    assert "UPPSIKT_LINKEDIN_API_VERSION" in action["last_error"]
    account = w["session"].get(Account, w["account"].id)
    w["session"].refresh(account)
    assert account.platform_alert == "linkedin_version_retired"
    warnings = w["client"].get("/v1/accounts", headers=auth(w["editor"])).json()["accounts"][0]["warnings"]
    assert any(x["code"] == "linkedin_version_retired" for x in warnings)
    assert "uppsikt_account_alerts" in w["client"].get("/metrics").text

    # The operator sets a current version: the action goes through and the alert ends.
    w["fake"].retired_versions = set()
    w["actions"].run_until_idle()
    [action] = w["client"].get(f"/v1/queue/{item['id']}", headers=auth(w["editor"])).json()["actions"]
    assert action["status"] == "done"
    w["session"].commit()
    w["session"].refresh(account)
    assert account.platform_alert is None


def test_a_reply_to_a_linkedin_reply_goes_under_the_top_level_comment(li_world: dict[str, Any]) -> None:
    w = li_world
    w["fake"].add_comment(NESTED, organization_urn=LI_ORG, text="y")
    w["fake"].comment(NESTED).parent_urn = TOP
    nested = linkedin_notification(comment="7002", text=PNR_TEXT)
    nested["decoratedGeneratedActivity"]["comment"]["object"] = TOP  # a reply to the top-level comment
    body = json.dumps(linkedin_delivery(nested)).encode()
    assert (
        w["client"].post("/webhooks/linkedin", content=body, headers=sign_linkedin(body)).status_code == 200
    )
    w["worker"].run_until_idle()
    [item] = w["client"].get("/v1/queue", headers=auth(w["editor"])).json()["items"]
    r = w["client"].post(
        f"/v1/queue/{item['id']}/decision",
        headers=auth(w["editor"]),
        json={"actions": ["answer"], "reason": "Svar", "reply_text": "Tack, vi återkommer."},
    )
    assert r.status_code == 200, r.text
    w["actions"].run_until_idle()
    [action] = w["client"].get(f"/v1/queue/{item['id']}", headers=auth(w["editor"])).json()["actions"]
    assert action["status"] == "done", action
    [call] = [c for c in w["fake"].calls if c.method == "POST"]
    assert call.path == f"/rest/socialActions/{TOP}/comments"
    reply = w["fake"].comment(action["result_id"] if "result_id" in action else _result(w))
    assert reply.parent_urn == TOP


def _result(w: dict[str, Any]) -> str:
    w["session"].commit()
    action = w["session"].scalars(select(PlatformAction).where(PlatformAction.kind == "reply")).one()
    return str(action.result_id)
