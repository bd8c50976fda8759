"""What keeps a retrain honest: every tenant gets its turn, nothing measured is fitted on, a
model may not drift below the shipped one, held-back labels are compared one by one, and a
refused model's name is never given to another."""

from __future__ import annotations

import hashlib
from typing import Any

import pytest
from sqlalchemy import select

from app.errors import Unprocessable
from app.learning import repository, service
from app.models import ClassifierModel, DecisionLabel, ModerationLogEntry, utcnow
from classifiers.learning import (
    Comparison,
    Figures,
    Label,
    compare,
    encode_payload,
    figures,
    frozen_test_split,
    is_held_back,
    shipped_payload,
)
from classifiers.pipeline import pipeline_with_model
from classifiers.text import TEXT_CATEGORIES
from classifiers.train import load_corpus, training_variants
from tests.app.learning.test_decision_labels import flagged_item
from tests.app.learning.test_retrain_e2e import ENGINE_INDEPENDENT
from tests.e2e.server import uppsikt
from tests.factories import create_tenant

#: Plain comments (no category) that say something no one would call harassment.
PLAIN = ["Tack för informationen om sophämtningen.", "Bra att biblioteket har öppet på lördagar."]


def stand_in(name: str) -> bytes:
    """An artefact that flags every comment as advertising and is otherwise the shipped one:
    far worse on the test split, the same on every other category.  No fitting needed."""
    payload = shipped_payload()
    payload["intercept"]["advertising"] += 20.0
    payload["name"] = name
    return encode_payload(payload)


def arrange(world: Any, labels: dict[int, list[tuple[str, str, str]]]) -> None:
    """Per tenant id, labels (text, category, verdict) as many editors' decisions would leave
    them; as rows, on one decided item, since deciding hundreds of comments takes minutes."""
    item = flagged_item(world)
    r = world.decide(item["id"], actions=["hide"], reason="x")
    assert r.status_code == 200, r.text
    world.session.commit()
    world.session.add_all(
        DecisionLabel(
            tenant_id=tenant_id,
            item_id=item["id"],
            comment_id=item["comment_id"],
            decision_id=r.json()["decision"]["id"],
            text=text,
            category=category,
            verdict=verdict,
            actor="user:red@kommun.example",
        )
        for tenant_id, rows in labels.items()
        for text, category, verdict in rows
    )
    world.session.commit()


def group_of(tenant_id: int, text: str) -> str:
    """The service's hold-back group of a text (what ``is_held_back`` is asked about)."""
    [label] = service.training_labels(
        [DecisionLabel(tenant_id=tenant_id, text=text, category="harassment", verdict="missed")]
    )
    return str(label.group)


@ENGINE_INDEPENDENT
def test_retraining_every_tenant_skips_one_with_nothing_a_text_model_learns(world_factory: Any) -> None:
    world = world_factory("helsingborg")
    other = create_tenant(world.session, name="finspang", preset="finspang")
    world.session.commit()
    # Privacy labels are found by rules, not learnt; an empty text teaches nothing.
    arrange(
        world,
        {
            world.tenant.id: [(PLAIN[0], "personal_data", "missed")],
            other.id: [("", "harassment", "missed"), ("   ", "threat", "missed")],
        },
    )

    everyone = uppsikt(world.settings.database_url, "model", "retrain")
    assert everyone.returncode == 0, everyone.stdout + everyone.stderr
    notes = [line for line in everyone.stdout.splitlines() if "Hoppar över den och går vidare" in line]
    assert len(notes) == 2, everyone.stdout
    assert "Tenanten helsingborg har etiketter bara i kategorier som textmodellen inte lär sig" in notes[0]
    assert "Tenanten finspang har etiketter bara i kategorier" in notes[1]

    one = uppsikt(world.settings.database_url, "model", "retrain", "--tenant", "finspang")
    assert one.returncode == 2
    assert "finspang har etiketter bara i kategorier som textmodellen inte lär sig" in one.stderr
    assert "inga etiketter" not in one.stderr
    world.session.commit()
    assert world.session.scalars(select(ClassifierModel)).all() == []
    assert (
        world.session.scalars(
            select(ModerationLogEntry).where(ModerationLogEntry.action.like("model.%"))
        ).all()
        == []
    )


def test_held_back_labels_are_compared_one_by_one() -> None:
    """The same number right can hide a label lost: B was right and is wrong, C the reverse."""
    shipped = pipeline_with_model(None, use_privacy=False)
    flags_ads = pipeline_with_model(stand_in("test-1"), use_privacy=False)
    held = [
        Label(PLAIN[0], "advertising", False, "b"),  # not advertising: the shipped model agrees
        Label(PLAIN[1], "advertising", True, "c"),  # arranged: only the stand-in agrees
    ]
    before, after = figures(shipped, [], held), figures(flags_ads, [], held)
    assert before.labels_right == after.labels_right == 1
    comparison = compare(before, after)
    assert not comparison.accepted
    assert "1 som var rätt förut blir fel" in comparison.reasons[0]
    assert PLAIN[0] not in str(before.as_dict())  # the log gets figures, never texts
    assert compare(before, before).accepted


@ENGINE_INDEPENDENT
def test_a_retrain_may_not_drift_below_the_shipped_model_and_fits_on_nothing_it_is_measured_on(
    world_factory: Any,
) -> None:
    """A retrained model in use that is worse than the shipped one (arranged: it flags everything
    as advertising) must not be the yardstick: a new model better than it but worse than the
    shipped one is refused.  The refused model's name stays taken."""
    world = world_factory("helsingborg")
    tenant_id = world.tenant.id
    plain = [
        r["text"]
        for r in load_corpus()
        if r["split"] == "train" and not r["labels"] and not training_variants(r["text"])
    ][:1200]
    # A question trained on whose form without "?" is a held-back label's text, word for word.
    asks = (f"Är du helt dum i huvudet, {name}?" for name in ("Anders", "Bertil", "Cecilia", "David", "Erik"))
    pair = next(
        (q, bare)
        for q in asks
        for bare in [v for v in training_variants(q) if "?" not in v]
        if not is_held_back(group_of(tenant_id, q)) and is_held_back(group_of(tenant_id, bare))
    )
    test_row = next(
        r
        for r in frozen_test_split()
        if set(r["labels"]) & set(TEXT_CATEGORIES) and not is_held_back(group_of(tenant_id, r["text"]))
    )
    arrange(
        world,
        {
            tenant_id: [(text, "harassment", "missed") for text in plain]
            + [(pair[0], "harassment", "confirmed"), (pair[1], "harassment", "missed")]
            + [(test_row["text"], sorted(set(test_row["labels"]) & set(TEXT_CATEGORIES))[0], "missed")]
        },
    )
    raw = stand_in("helsingborg-1")
    world.session.add(
        ClassifierModel(
            tenant_id=tenant_id,
            version="helsingborg-1",
            seq=1,
            model_version="uppsikt-classifiers-arranged+model-helsingborg-1",
            sha256=hashlib.sha256(raw).hexdigest(),
            artefact=service.pack(raw),
            figures={},
            active=True,
            activated_at=utcnow(),
            created_by="test",
            created_at=utcnow(),
        )
    )
    world.session.commit()

    refused = uppsikt(world.settings.database_url, "model", "retrain", "--tenant", "helsingborg")
    report = refused.stdout
    assert refused.returncode == 3, report + refused.stderr
    assert "modell helsingborg-2" in report and "jämförd med helsingborg-1" in report
    assert "Inte aktiverad: testdelens mikro-F1" in report and "lägre än den levererade modellens" in report
    assert "sjönk" not in report  # better than the model in use: only the shipped one refuses it
    assert "(den levererade modellen: " in report
    assert "1 av etiketterna tränades inte på: texten finns i testdelen" in report
    assert "1 textvariant tränades inte på" in report

    world.session.commit()
    [entry] = world.session.scalars(
        select(ModerationLogEntry).where(ModerationLogEntry.action == "model.retrain_refused")
    ).all()
    assert entry.payload["version"] == "helsingborg-2" and entry.payload["seq"] == 2
    assert entry.payload["in_test_split"] == 1 and entry.payload["forms_left_out"] == 1
    assert entry.payload["after"]["test_micro_f1"] > entry.payload["before"]["test_micro_f1"]
    assert entry.payload["after"]["test_micro_f1"] < entry.payload["shipped"]["test_micro_f1"] - 0.005
    [kept] = world.session.scalars(select(ClassifierModel)).all()
    assert kept.version == "helsingborg-1" and kept.active

    # helsingborg-2 was printed and logged: the next model is helsingborg-3, whatever it is.
    assert repository.next_seq(world.session, tenant_id) == 3
    for args in (("helsingborg-2",), ("helsingborg-2", "--tenant", "helsingborg")):
        gone = uppsikt(world.settings.database_url, "model", "activate", *args)
        assert gone.returncode == 2, gone.stdout + gone.stderr
        assert "aktiverades aldrig: den mättes som sämre" in gone.stderr
        assert "ingen modell" not in gone.stderr


def test_a_refused_version_number_is_never_handed_out_again(world_factory: Any) -> None:
    """Its name was printed and logged; only the tenant it belongs to skips the number."""
    world = world_factory("helsingborg")
    other = create_tenant(world.session, name="finspang", preset="finspang")
    world.session.commit()
    nothing = Figures({}, 0, 0)
    service.conclude(
        world.session,
        candidate=service.Candidate(
            tenant_id=world.tenant.id,
            tenant="helsingborg",
            version="helsingborg-4",
            seq=4,
            model_version="uppsikt-classifiers-arranged+model-helsingborg-4",
            raw=b"",
            previous=service.SHIPPED,
            trained_on=1,
            held_back=0,
            comparison=Comparison(nothing, nothing, False, ("arranged",)),
        ),
        actor="test",
    )
    world.session.commit()
    assert world.session.scalars(select(ClassifierModel)).all() == []
    assert repository.next_seq(world.session, world.tenant.id) == 5
    assert repository.next_seq(world.session, other.id) == 1
    with pytest.raises(Unprocessable, match="aktiverades aldrig"):
        service.activate(world.session, version="helsingborg-4", tenant=None, actor="test")
