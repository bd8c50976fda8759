"""Signed delivery → worker → queue item with the preset's recommendation → evidence →
decision → exactly the expected calls on the fake platform → item state."""

from __future__ import annotations

import hashlib
import io
import json
import threading
from typing import Any

import pytest
from pypdf import PdfReader
from sqlalchemy import func, select

from app.evidence.service import canonical_json
from app.models import EvidenceSnapshot, PlatformAction, Registration
from app.policies import preset_source
from app.policies.recommendation import recommend
from tests.factories import auth, feed_change

PNR_TEXT = "Ring mig, mitt personnummer är 19850101-2390 om ni behöver det för ärendet."
SEED_OF = {
    "helsingborg": "helsingborg-instruktioner.txt",
    "harjedalen": "harjedalen-riktlinjer.txt",
    "malmo": "malmo-riktlinjer.txt",
    "finspang": "finspang-riktlinjer.txt",
    "haparanda": "haparanda-riktlinjer.txt",
}
#: What each municipality's guideline makes of a valid personnummer (see app/policies/presets).
EXPECTED = {
    "finspang": {"remove", "register"},
    "helsingborg": {"hide", "remove", "register"},
    "harjedalen": {"hide", "remove", "register", "police_review"},
    "malmo": {"remove", "notify_author"},
    "haparanda": {"remove", "notify_author"},
}


def platform_calls(world: Any) -> list[tuple[str, str, dict[str, str]]]:
    # ``appsecret_proof`` is on every call (the fake requires it); the rest is what differs.
    return [
        (
            c.method,
            c.path.split("/", 2)[-1],
            {k: v for k, v in {**c.query, **c.form}.items() if k != "appsecret_proof"},
        )
        for c in world.graph.calls
    ]


@pytest.mark.parametrize("preset", sorted(EXPECTED))
def test_personnummer_end_to_end_per_preset(world_factory: Any, preset: str) -> None:
    world = world_factory(preset)
    world.comment(message=PNR_TEXT)
    world.process()
    [item] = world.items()
    detail = world.item(item["id"])
    rec = detail["recommendation"]
    assert set(rec["actions"]) == EXPECTED[preset]
    # Every rule behind the recommendation quotes its guideline, verbatim.
    seed = " ".join(preset_source(SEED_OF[preset]).split())
    assert rec["rules"]
    for rule in rec["rules"]:
        assert rule["source"] == SEED_OF[preset]
        assert " ".join(rule["quote"].split()) in seed
    finding = next(f for f in detail["findings"] if f["subtype"] == "personnummer")
    assert finding["spans"][0]["text"] == "19850101-2390"
    assert finding["explanation"]
    # Evidence first: a snapshot with a hash over its canonical JSON, and a PDF.
    [evidence] = detail["evidence"]
    snap = world.client.get(evidence["json"], headers=auth(world.registrar)).json()
    assert snap["sha256"] == hashlib.sha256(canonical_json(snap["document"])).hexdigest()
    assert snap["document"]["comment"]["versions"][0]["text"] == PNR_TEXT
    pdf = world.client.get(evidence["pdf"], headers=auth(world.registrar))
    assert pdf.headers["content-type"] == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.content)).pages)
    assert snap["sha256"][:16] in text.replace("\n", "").replace(" ", "")

    auto = platform_calls(world)
    assert auto == (
        [("DELETE", "777_1", {})]
        if preset == "finspang"
        else [("POST", "777_1", {"is_hidden": "true"})]
        if preset == "helsingborg"
        else []
    )

    r = world.decide(item["id"], actions=rec["actions"], reason="Personnummer ska inte synas.")
    assert r.status_code == 200, r.text
    assert r.json()["decision"]["followed_recommendation"] is True
    world.actions.run_until_idle()
    calls = platform_calls(world)[len(auto) :]
    expected_calls = []
    if "notify_author" in rec["actions"]:
        expected_calls.append(
            ("POST", f"{world.account.external_id}_777/comments", {"message": rec["texts"]["notify_author"]})
        )
    if "hide" in rec["actions"] and preset != "helsingborg":
        expected_calls.append(("POST", "777_1", {"is_hidden": "true"}))
    if "remove" in rec["actions"] and preset != "finspang":
        expected_calls.append(("DELETE", "777_1", {}))
    assert calls == expected_calls
    final = world.item(item["id"])
    assert final["status"] == "decided"
    assert {a["status"] for a in final["actions"]} == {"done"}
    assert final["comment"]["state"] == "deleted_by_us"
    assert (final["registration"] is not None) == ("register" in rec["actions"])
    assert final["police_review"] == ("pending" if preset == "harjedalen" else None)


def test_five_presets_give_five_different_recommendations(world_factory: Any) -> None:
    from app.policies import load_preset
    from app.queue.service import FindingView

    finding = FindingView("personal_data", "personnummer", 1.0)
    from datetime import UTC, datetime

    recs = {
        name: recommend(
            load_preset(name),
            [finding],
            platform="facebook",
            received_at=datetime(2026, 11, 23, 10, tzinfo=UTC),
        )
        for name in EXPECTED
    }
    keys = {(r.actions, r.auto_actions, r.priority, tuple(x.id for x in r.rules)) for r in recs.values()}
    assert len(keys) == 5


def test_remove_with_faults_ends_done_never_doubled(world_factory: Any) -> None:
    world = world_factory("malmo", action_max_attempts=10)
    world.comment(message=PNR_TEXT)
    world.process()
    [item] = world.items()
    for kind in ("429", "500", "timeout", "throttle"):
        world.graph.fail_next(1, kind)
    assert world.decide(item["id"], actions=["remove"], reason="Personuppgifter").status_code == 200
    for _ in range(30):
        world.actions.run_until_idle()
        detail = world.item(item["id"])
        if all(a["status"] in ("done", "failed") for a in detail["actions"]):
            break
        import time

        time.sleep(0.05)
    [delete] = detail["actions"]
    assert delete["status"] == "done"
    assert delete["attempts"] == 5
    succeeded = [c for c in platform_calls(world) if c[0] == "DELETE"]
    assert len(succeeded) == 5  # four faults, one success
    assert world.graph.comment("777_1").deleted


def test_permanent_failures_end_failed_with_a_reason(world_factory: Any) -> None:
    world = world_factory("malmo")
    world.comment(message=PNR_TEXT)
    world.comment(comment="2", message=PNR_TEXT.replace("2390", "2382"))
    world.process()
    first, second = sorted(world.items(), key=lambda i: i["id"])
    world.graph.fail_next(1, "190")
    world.decide(first["id"], actions=["remove"], reason="x")
    world.actions.run_until_idle()
    [action] = world.item(first["id"])["actions"]
    assert (action["status"], action["error_code"]) == ("failed", "token_invalid")
    assert "190" in action["last_error"] and "token" in action["last_error"].lower()
    world.graph.fail_next(1, "gone")
    world.decide(second["id"], actions=["remove"], reason="x")
    world.actions.run_until_idle()
    [action] = world.item(second["id"])["actions"]
    assert action["status"] == "failed"
    assert "finns inte" in action["last_error"]


def test_transient_failures_that_never_stop_fail_with_reason(world_factory: Any) -> None:
    world = world_factory("malmo", action_max_attempts=3)
    world.comment(message=PNR_TEXT)
    world.process()
    [item] = world.items()
    world.graph.fail_next(10, "500")
    world.decide(item["id"], actions=["remove"], reason="x")
    for _ in range(40):
        world.actions.run_until_idle()
        [action] = world.item(item["id"])["actions"]
        if action["status"] != "pending":
            break
        import time

        time.sleep(0.03)
    assert (action["status"], action["attempts"], action["error_code"]) == ("failed", 3, "gave_up")


def test_two_editors_deciding_at_once_one_wins(world_factory: Any) -> None:
    world = world_factory("malmo")
    world.comment(message=PNR_TEXT)
    world.process()
    [item] = world.items()
    barrier = threading.Barrier(2)
    results: list[int] = []

    def decide(actions: list[str]) -> None:
        barrier.wait()
        results.append(world.decide(item["id"], actions=actions, reason="samtidigt").status_code)

    threads = [threading.Thread(target=decide, args=(a,)) for a in (["remove"], ["none"])]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results) == [200, 409]
    assert len(world.item(item["id"])["decisions"]) == 1


def test_reversal_needs_a_reason_and_unhides(world_factory: Any) -> None:
    world = world_factory("helsingborg")
    world.comment(message="Du är en idiot och borde skämmas, Kalle Svensson")
    world.process()
    [item] = world.items()
    world.graph.reset()
    world.graph.add_comment("777_1", "facebook", "x")
    assert world.decide(item["id"], actions=["hide"], reason="Personangrepp").status_code == 200
    again = world.decide(item["id"], actions=["unhide"], reason="Ändrat beslut")
    assert again.status_code == 409  # already decided, no reversal asked for
    r = world.decide(
        item["id"], actions=["unhide"], reason="Ångrar: kritiken var saklig", reverse_previous=True
    )
    assert r.status_code == 200
    assert r.json()["decision"]["reverses_decision_id"] is not None
    world.actions.run_until_idle()
    assert [(m, p, f.get("is_hidden")) for m, p, f in platform_calls(world)] == [
        ("POST", "777_1", "true"),
        ("POST", "777_1", "false"),
    ]
    assert world.item(item["id"])["comment"]["state"] == "visible"


def test_edited_comment_is_reassessed_and_author_deletion_is_marked(world_factory: Any) -> None:
    world = world_factory("malmo")
    world.comment(message="Vilken fin park!")
    world.process()
    assert world.items() == []
    world.deliver(
        feed_change(
            verb="edited",
            comment="1",
            post="777",
            page_id=world.account.external_id,
            message=PNR_TEXT,
            extra={"edited_time": 1_700_000_900},
        )
    )
    world.process()
    [item] = world.items()
    assert "personal_data" in item["categories"]
    world.deliver(
        feed_change(verb="remove", comment="1", post="777", page_id=world.account.external_id, message=None),
    )
    world.process()
    detail = world.item(item["id"])
    assert detail["comment"]["deleted_by_author"] is True
    assert detail["evidence"]  # the evidence stays


def test_our_removal_echoing_back_creates_no_new_work(world_factory: Any) -> None:
    world = world_factory("malmo")
    world.comment(message=PNR_TEXT)
    world.process()
    [item] = world.items()
    world.decide(item["id"], actions=["remove"], reason="x")
    world.actions.run_until_idle()
    world.deliver(
        feed_change(verb="remove", comment="1", post="777", page_id=world.account.external_id, message=None)
    )
    world.process()
    detail = world.item(item["id"])
    assert detail["comment"]["state"] == "deleted_by_us"
    assert len(detail["actions"]) == 1
    assert len(world.items()) == 1


def test_police_review_is_recorded_by_the_owner(world_factory: Any) -> None:
    world = world_factory("harjedalen")
    world.comment(message=PNR_TEXT)
    world.process()
    [item] = world.items()
    world.decide(item["id"], actions=["remove", "register", "police_review"], reason="Lagbrott")
    editor_try = world.client.post(
        f"/v1/queue/{item['id']}/police-review",
        headers=auth(world.editor),
        json={"reported": True, "reason": "x"},
    )
    assert editor_try.status_code == 403
    r = world.client.post(
        f"/v1/queue/{item['id']}/police-review",
        headers=auth(world.owner),
        json={"reported": False, "reason": "Inget brott enligt bedömning"},
    )
    assert r.status_code == 200, r.text
    assert r.json()["police_review"] == "not_reported"


def test_claims_expire_and_conflict(world_factory: Any) -> None:
    # Long enough that a loaded machine cannot let the first claim lapse before the second try.
    world = world_factory("malmo", claim_ttl_s=3)
    world.comment(message=PNR_TEXT)
    world.process()
    [item] = world.items()
    other = world.client.post  # a second editor on the same account
    from tests.factories import create_key

    second = create_key(world.session, tenant=world.tenant, role="editor", subject="red2@kommun.example")
    assert world.client.post(f"/v1/queue/{item['id']}/claim", headers=auth(world.editor)).status_code == 200
    assert other(f"/v1/queue/{item['id']}/claim", headers=auth(second)).status_code == 409
    assert world.items(assigned=True)[0]["claimed_by"]
    import time

    time.sleep(3.1)
    assert other(f"/v1/queue/{item['id']}/claim", headers=auth(second)).status_code == 200


def test_queue_order_filters_and_pagination(world_factory: Any) -> None:
    world = world_factory("finspang")
    world.comment(comment="1", message="Rösta på Moderaterna i september! Sverigedemokraterna är värst.")
    world.comment(comment="2", message=PNR_TEXT)
    world.comment(comment="3", message="När öppnar badhuset igen efter renoveringen?")
    world.process()
    items = world.items()
    assert [i["priority"] for i in items] == sorted(i["priority"] for i in items)
    assert items[0]["categories"] and "personal_data" in items[0]["categories"]
    pages, cursor = [], None
    while True:
        r = world.client.get(
            "/v1/queue",
            params={"limit": 1, **({"cursor": cursor} if cursor else {})},
            headers=auth(world.editor),
        ).json()
        pages += [i["id"] for i in r["items"]]
        cursor = r["next_cursor"]
        if not cursor:
            break
    assert pages == [i["id"] for i in items]
    only_pd = world.items(category="personal_data")
    assert [i["id"] for i in only_pd] == [items[0]["id"]]


def test_linkedin_has_no_hide(world_factory: Any) -> None:
    world = world_factory("helsingborg")
    from datetime import UTC, datetime

    from app.policies import load_preset
    from app.queue.service import FindingView

    rec = recommend(
        load_preset("helsingborg"),
        [FindingView("personal_data", "personnummer", 1.0)],
        platform="linkedin",
        received_at=datetime.now(UTC),
    )
    assert "hide" not in rec.actions and "hide" not in rec.auto_actions
    assert world  # the world fixture builds fine for the same database


def test_every_hide_and_delete_has_evidence_taken_before_it(world_factory: Any) -> None:
    world = world_factory("helsingborg")
    world.comment(message=PNR_TEXT)
    world.process()
    [item] = world.items()
    world.decide(item["id"], actions=["hide", "remove", "register"], reason="x")
    world.actions.run_until_idle()
    world.session.commit()
    for action in world.session.scalars(
        select(PlatformAction).where(PlatformAction.kind.in_(("hide", "delete")))
    ):
        snapshot = world.session.get(EvidenceSnapshot, action.evidence_id)
        assert snapshot is not None and snapshot.taken_at <= action.created_at
    assert world.session.scalar(select(func.count()).select_from(Registration)) == 1


def test_policy_endpoint_shows_effective_policy(world_factory: Any) -> None:
    world = world_factory("finspang")
    r = world.client.get("/v1/policy", headers=auth(world.editor))
    assert r.status_code == 200
    body = r.json()
    assert body["name"] == "finspang"
    assert any(rule["category"] == "party_political" for rule in body["rules"])
    assert json.dumps(body)
