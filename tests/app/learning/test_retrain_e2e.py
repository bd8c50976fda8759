"""Retraining from decisions, end to end: decide with labels → ``uppsikt model retrain`` →
the new version is activated → the running worker's next assessments carry it → roll back.
A retrain whose labels make the frozen test split worse is refused; one tenant's labels
never reach another tenant's model."""

from __future__ import annotations

import json
import zlib
from typing import Any

import pytest
from sqlalchemy import select

import classifiers
from app.models import Assessment, ClassifierModel, DecisionLabel, EvidenceSnapshot, ModerationLogEntry
from classifiers.train import load_corpus
from tests.e2e.server import uppsikt
from tests.factories import create_account, create_tenant

#: What these tests check of the database (labels and models stored, activated, rolled back)
#: runs on both engines in the end-to-end test; the guards that refuse a model are the same
#: arithmetic on either, and each costs a whole retrain (about 40 s), so they run on
#: PostgreSQL, the production engine, only.
ENGINE_INDEPENDENT = pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)

#: Flagged comments and the text categories the editor says apply (agreeing with the corpus).
#: What the classifier found is confirmed, what it did not find is named as missed:
#: which is which depends on the shipped model, the labels do not.
DECISIONS = [
    ("Du är en jävla idiot, Anders.", ["harassment", "profanity"]),
    ("Hon är en riktig häxa den där grannen", ["harassment"]),
    ("Köp billiga solglasögon på www.billigt-sol.shop idag!", ["advertising"]),
    ("Invandrare är parasiter som borde kastas ut", ["hate_speech", "incitement"]),
    ("Varför är soptunnan inte tömd på Storgatan?", ["question", "individual_case"]),
]


def decide_with_labels(world: Any) -> None:
    for n, (text, _) in enumerate(DECISIONS, start=1):
        world.comment(comment=str(n), message=text)
    world.process()
    items = {world.item(i["id"])["comment"]["text"]: i["id"] for i in world.items()}
    missed_in_all = 0
    for text, applies in DECISIONS:
        found = {f["category"] for f in world.item(items[text])["findings"]}
        missed = [c for c in applies if c not in found]
        missed_in_all += len(missed)
        r = world.decide(
            items[text],
            actions=["hide"],
            reason="Bedömt av redaktören.",
            finding_feedback=[{"category": c, "verdict": "confirmed"} for c in applies if c in found],
            missed_categories=missed,
        )
        assert r.status_code == 200, r.text
    # Both kinds of label reach the retrain (pick another text if the model finds them all).
    assert 0 < missed_in_all < sum(len(applies) for _, applies in DECISIONS)


def latest_assessment(world: Any) -> Assessment:
    world.session.commit()
    found = world.session.scalars(select(Assessment).order_by(Assessment.id.desc()).limit(1)).one()
    assert isinstance(found, Assessment)
    return found


def new_comment_version(world: Any, n: int) -> str:
    """A new comment through the running worker; the model version its assessment carries."""
    world.comment(comment=str(100 + n), message=f"Ni är korrupta idioter allihop, nummer {n}.")
    world.process()
    return latest_assessment(world).model_version


def test_decide_label_retrain_activate_and_roll_back(world_factory: Any) -> None:
    world = world_factory("helsingborg")
    shipped = classifiers.MODEL_VERSION
    decide_with_labels(world)
    assert new_comment_version(world, 1) == shipped

    retrained = uppsikt(world.settings.database_url, "model", "retrain", "--tenant", "helsingborg")
    assert retrained.returncode == 0, retrained.stdout + retrained.stderr
    report = retrained.stdout
    assert "modell helsingborg-1" in report and "Aktiverad: helsingborg-1 ersätter shipped" in report
    assert "mikro-F1" in report and "harassment" in report  # before → after per category
    world.session.commit()
    model = world.session.scalars(select(ClassifierModel)).one()
    assert model.active and model.version == "helsingborg-1"
    assert "helsingborg-1" in model.model_version and model.model_version != shipped
    payload = json.loads(zlib.decompress(model.artefact))
    trained_on = model.figures["trained_on"]
    assert payload["metadata"]["n_labels"] == trained_on > 0
    assert trained_on + model.figures["held_back"] == 8  # the labels above, all text categories

    # The same worker, without a restart, classifies with the new model from its next batch.
    assessment_version = new_comment_version(world, 2)
    assert assessment_version == model.model_version
    assessment = latest_assessment(world)
    assert {f["model_version"] for f in assessment.findings if f["category"] == "harassment"} == {
        model.model_version.split("+", 1)[1].rsplit("+", 1)[0]
    }
    snapshot = world.session.scalars(
        select(EvidenceSnapshot).where(EvidenceSnapshot.assessment_id == assessment.id)
    ).one()
    assert snapshot.document["assessment"]["model_version"] == model.model_version

    listed = uppsikt(world.settings.database_url, "model", "list", "--tenant", "helsingborg")
    assert listed.returncode == 0, listed.stderr
    assert "* helsingborg-1" in listed.stdout and "  shipped" in listed.stdout

    back = uppsikt(world.settings.database_url, "model", "activate", "shipped", "--tenant", "helsingborg")
    assert back.returncode == 0, back.stderr
    assert "ersätter helsingborg-1" in back.stdout
    assert new_comment_version(world, 3) == shipped

    again = uppsikt(world.settings.database_url, "model", "activate", "helsingborg-1")
    assert again.returncode == 0, again.stderr
    assert new_comment_version(world, 4) == model.model_version

    unknown = uppsikt(world.settings.database_url, "model", "activate", "helsingborg-9")
    assert unknown.returncode == 2 and unknown.stderr.startswith("fel: ") and "model list" in unknown.stderr

    world.session.commit()
    actions = list(
        world.session.scalars(
            select(ModerationLogEntry.action)
            .where(ModerationLogEntry.action.like("model.%"))
            .order_by(ModerationLogEntry.id)
        )
    )
    assert actions == ["model.retrained", "model.activated", "model.activated"]


@ENGINE_INDEPENDENT
def test_a_retrain_that_makes_the_test_split_worse_is_refused(world_factory: Any) -> None:
    """Editors (here: arranged rows) calling plain comments harassment, threats and hate would teach the model
    to flag plain comments: the held-back labels agree, the test split does not."""
    world = world_factory("helsingborg")
    world.comment(comment="1", message="Du är en jävla idiot, Anders.")
    world.process()
    [item] = world.items()
    r = world.decide(item["id"], actions=["hide"], reason="x", finding_feedback=[])
    assert r.status_code == 200, r.text
    world.session.commit()
    decision_id = r.json()["decision"]["id"]
    plain = [row["text"] for row in load_corpus() if row["split"] == "train" and not row["labels"]][:600]
    world.session.add_all(
        DecisionLabel(
            tenant_id=world.tenant.id,
            item_id=item["id"],
            comment_id=item["comment_id"],
            decision_id=decision_id,
            text=text,
            category=category,
            verdict="missed",
            actor="user:red@kommun.example",
        )
        for text in plain
        for category in ("harassment", "threat", "hate_speech")
    )
    world.session.commit()

    refused = uppsikt(world.settings.database_url, "model", "retrain")
    assert refused.returncode == 3, refused.stdout + refused.stderr
    assert "Inte aktiverad: testdelens mikro-F1 sjönk" in refused.stdout
    world.session.commit()
    assert world.session.scalars(select(ClassifierModel)).all() == []
    [entry] = world.session.scalars(
        select(ModerationLogEntry).where(ModerationLogEntry.action == "model.retrain_refused")
    ).all()
    assert entry.payload["after"]["test_micro_f1"] < entry.payload["before"]["test_micro_f1"]
    assert new_comment_version(world, 1) == classifiers.MODEL_VERSION


def test_labels_of_one_tenant_never_reach_another_tenants_model(world_factory: Any) -> None:
    world = world_factory("helsingborg")
    decide_with_labels(world)
    other = create_tenant(world.session, name="finspang", preset="finspang")
    create_account(world.session, tenant=other, external_id="5550000000999")
    world.session.commit()

    nothing = uppsikt(world.settings.database_url, "model", "retrain", "--tenant", "finspang")
    assert nothing.returncode == 2
    assert "finspang har inga etiketter" in nothing.stderr
