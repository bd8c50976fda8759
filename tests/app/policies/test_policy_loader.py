"""Bad policy files and overrides fail with a message naming the file, the rule and the field."""

from __future__ import annotations

import copy
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import yaml

from app.policies import PolicyFileError, apply_overrides, load_policy_file, load_preset
from app.policies.recommendation import recommend
from classifiers.types import CATEGORIES, Finding

MakeFinding = Callable[..., Finding]
FRIDAY_15 = datetime(2025, 3, 14, 15, 0, tzinfo=ZoneInfo("Europe/Stockholm"))


def _finspang_data() -> dict[str, Any]:
    return copy.deepcopy(load_preset("finspang").as_dict())


def _rule(data: dict[str, Any], rule_id: str) -> dict[str, Any]:
    return next(r for r in data["rules"] if r["id"] == rule_id)


def _load(tmp_path: Path, data: Any, name: str = "finspang.yaml") -> Any:
    path = tmp_path / name
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return load_policy_file(path)


def test_a_preset_round_trips_through_a_file(tmp_path: Path) -> None:
    assert _load(tmp_path, _finspang_data()) == load_preset("finspang")


def test_due_hours_must_be_positive(tmp_path: Path) -> None:
    data = _finspang_data()
    _rule(data, "finspang.question")["due_hours"] = 0
    with pytest.raises(PolicyFileError) as err:
        _load(tmp_path, data)
    assert str(err.value) == "finspang.yaml: rule 'finspang.question' field 'due_hours': must be > 0"


def test_missing_field(tmp_path: Path) -> None:
    data = _finspang_data()
    del _rule(data, "finspang.question")["quote"]
    with pytest.raises(PolicyFileError) as err:
        _load(tmp_path, data)
    assert str(err.value) == "finspang.yaml: rule 'finspang.question' field 'quote': is required"


def test_due_hours_is_required_when_a_rule_acts(tmp_path: Path) -> None:
    data = _finspang_data()
    del _rule(data, "finspang.question")["due_hours"]
    with pytest.raises(PolicyFileError) as err:
        _load(tmp_path, data)
    assert str(err.value) == (
        "finspang.yaml: rule 'finspang.question' field 'due_hours': "
        "is required when the rule recommends an action"
    )


def test_missing_rule_id_names_the_rule_by_position(tmp_path: Path) -> None:
    data = _finspang_data()
    del data["rules"][3]["id"]
    with pytest.raises(PolicyFileError) as err:
        _load(tmp_path, data)
    assert str(err.value) == "finspang.yaml: rule #3 field 'id': is required"


def test_unknown_action(tmp_path: Path) -> None:
    data = _finspang_data()
    _rule(data, "finspang.question")["actions"] = ["answer", "reply"]
    with pytest.raises(PolicyFileError) as err:
        _load(tmp_path, data)
    assert str(err.value).startswith(
        "finspang.yaml: rule 'finspang.question' field 'actions[1]': "
        "unknown action 'reply'; expected one of: hide, remove,"
    )


def test_unknown_category(tmp_path: Path) -> None:
    data = _finspang_data()
    _rule(data, "finspang.question")["category"] = "questions"
    with pytest.raises(PolicyFileError) as err:
        _load(tmp_path, data)
    assert str(err.value).startswith(
        "finspang.yaml: rule 'finspang.question' field 'category': unknown category 'questions'"
    )


@pytest.mark.parametrize(("score", "expected"), [(1.5, "must be <= 1"), (-0.1, "must be >= 0")])
def test_score_out_of_range(tmp_path: Path, score: float, expected: str) -> None:
    data = _finspang_data()
    _rule(data, "finspang.personnummer")["min_score"] = score
    with pytest.raises(PolicyFileError) as err:
        _load(tmp_path, data)
    assert str(err.value) == f"finspang.yaml: rule 'finspang.personnummer' field 'min_score': {expected}"


def test_duplicate_rule_id(tmp_path: Path) -> None:
    data = _finspang_data()
    data["rules"].append(copy.deepcopy(_rule(data, "finspang.question")))
    with pytest.raises(PolicyFileError) as err:
        _load(tmp_path, data)
    last = len(data["rules"]) - 1
    assert str(err.value) == (
        f"finspang.yaml: rule 'finspang.question' field 'id': duplicate rule id (rules #15 and #{last})"
    )


def test_unknown_top_level_key(tmp_path: Path) -> None:
    data = _finspang_data()
    data["colour"] = "blue"
    with pytest.raises(PolicyFileError) as err:
        _load(tmp_path, data)
    assert str(err.value) == "finspang.yaml: field 'colour': unknown field"


def test_unknown_rule_key(tmp_path: Path) -> None:
    data = _finspang_data()
    _rule(data, "finspang.question")["due_hour"] = 4
    with pytest.raises(PolicyFileError) as err:
        _load(tmp_path, data)
    assert str(err.value) == "finspang.yaml: rule 'finspang.question' field 'due_hour': unknown field"


def test_every_problem_is_reported(tmp_path: Path) -> None:
    data = _finspang_data()
    _rule(data, "finspang.question")["priority"] = 0
    _rule(data, "finspang.advertising")["category"] = "ads"
    with pytest.raises(PolicyFileError) as err:
        _load(tmp_path, data)
    assert str(err.value).splitlines() == [
        "finspang.yaml: rule 'finspang.advertising' field 'category': "
        f"unknown category 'ads'; expected one of: {', '.join(CATEGORIES)}",
        "finspang.yaml: rule 'finspang.question' field 'priority': must be >= 1",
    ]


@pytest.mark.parametrize(
    ("rule_id", "change", "field", "message"),
    [
        (
            "finspang.question",
            {"auto_actions": ["answer"]},
            "auto_actions",
            "answer can never run automatically",
        ),
        (
            "finspang.advertising",
            {"auto_actions": ["hide"]},
            "auto_actions",
            "hide not among the rule's actions",
        ),
        (
            "finspang.advertising",
            {"actions": ["remove", "forward"]},
            "forward_to",
            "is required when the rule forwards the comment",
        ),
        (
            "finspang.advertising",
            {"forward_to": "Socialtjänsten"},
            "forward_to",
            "is only meaningful when the rule forwards the comment",
        ),
        (
            "finspang.advertising",
            {"actions": ["refer"]},
            "texts",
            "needs 'reply' because the rule refers the visitor elsewhere",
        ),
        (
            "finspang.advertising",
            {"actions": ["remove", "notify_author"]},
            "texts",
            "needs 'notify_author' because the rule notifies the author",
        ),
        (
            "finspang.advertising",
            {"actions": ["none", "remove"]},
            "actions",
            "'none' cannot be combined with other actions",
        ),
        ("finspang.advertising", {"actions": ["remove", "remove"]}, "actions", "lists an action twice"),
        (
            "finspang.advertising",
            {"id": "Advertising"},
            "id",
            "must look like 'municipality.rule_name' (lower case, dots, underscores)",
        ),
    ],
)
def test_cross_field_checks_name_the_field(
    tmp_path: Path, rule_id: str, change: dict[str, Any], field: str, message: str
) -> None:
    data = _finspang_data()
    _rule(data, rule_id).update(change)
    with pytest.raises(PolicyFileError) as err:
        _load(tmp_path, data)
    label = change.get("id", rule_id)
    assert str(err.value) == f"finspang.yaml: rule {label!r} field {field!r}: {message}"


def test_office_hours_must_open_before_closing(tmp_path: Path) -> None:
    data = _finspang_data()
    data["office_hours"] = ["17:00", "08:00"]
    with pytest.raises(
        PolicyFileError, match=r"^finspang.yaml: field 'office_hours': office hours must open"
    ):
        _load(tmp_path, data)
    data["office_hours"] = ["08:00", "17:00"]
    assert str(_load(tmp_path, data).office_hours[0]) == "08:00:00"


def test_not_yaml_and_not_a_mapping(tmp_path: Path) -> None:
    bad = tmp_path / "broken.yaml"
    bad.write_text("name: [unclosed\n", encoding="utf-8")
    with pytest.raises(PolicyFileError, match=r"^broken.yaml: not valid YAML"):
        load_policy_file(bad)
    with pytest.raises(PolicyFileError, match=r"^list.yaml: expected a mapping at the top level, got list"):
        _load(tmp_path, [1, 2], name="list.yaml")
    with pytest.raises(PolicyFileError, match=r"^missing.yaml: cannot read"):
        load_policy_file(tmp_path / "missing.yaml")


def test_unknown_preset() -> None:
    with pytest.raises(PolicyFileError, match=r"unknown preset 'stockholm'; available: finspang, haparanda"):
        load_preset("stockholm")


# --- tenant overrides -------------------------------------------------------------------------


def test_override_merges_fields_into_an_existing_rule() -> None:
    base = load_preset("finspang")
    changed = apply_overrides(base, [{"id": "finspang.question", "due_hours": 24, "priority": 2}])
    rule = changed.rule("finspang.question")
    assert (rule.due_hours, rule.priority) == (24, 2)
    assert rule.quote == base.rule("finspang.question").quote
    assert [r.id for r in changed.rules] == [r.id for r in base.rules]
    # The preset itself is untouched (it is cached and shared).
    assert base.rule("finspang.question").due_hours == 48
    assert load_preset("finspang").rule("finspang.question").due_hours == 48


def test_override_merges_texts_key_by_key() -> None:
    base = load_preset("haparanda")
    changed = apply_overrides(
        base, [{"id": "haparanda.social_neglect", "texts": {"reply": "Tack, vi tar det vidare."}}]
    )
    texts = changed.rule("haparanda.social_neglect").texts
    assert texts.reply == "Tack, vi tar det vidare."
    assert texts.notify_author == base.rule("haparanda.social_neglect").texts.notify_author


def test_override_changes_what_is_recommended(make_finding: MakeFinding) -> None:
    # A Malmö tenant decides that party-political posts are referred after all.
    policy = apply_overrides(
        load_preset("malmo"),
        [
            {
                "id": "malmo.party_political",
                "actions": ["refer"],
                "due_hours": 24,
                "priority": 4,
                "texts": {"reply": "Partipolitiska frågor diskuterar vi inte här."},
                "note": "Beslut i kommunikationsavdelningen.",
            }
        ],
    )
    rec = recommend(policy, [make_finding("party_political")], platform="facebook", received_at=FRIDAY_15)
    assert rec.flagged and rec.actions == ("refer",)
    assert rec.texts["reply"] == "Partipolitiska frågor diskuterar vi inte här."


def test_override_adds_a_new_rule(make_finding: MakeFinding) -> None:
    new_rule = {
        "id": "haparanda.tenant_spam",
        "category": "spam",
        "min_score": 0.9,
        "actions": ["hide"],
        "priority": 4,
        "due_hours": 24,
        "quote": "Beslut KS 2025/1: uppenbar skräppost döljs.",
        "source": "tenant-beslut",
    }
    policy = apply_overrides(load_preset("haparanda"), [new_rule])
    assert policy.rules[-1].id == "haparanda.tenant_spam"
    rec = recommend(policy, [make_finding("spam", "", 0.95)], platform="facebook", received_at=FRIDAY_15)
    assert rec.actions == ("hide",)
    added = next(r for r in rec.rules if r.id == "haparanda.tenant_spam")
    assert added.source == "tenant-beslut"
    assert (
        recommend(policy, [make_finding("spam", "", 0.5)], platform="facebook", received_at=FRIDAY_15).flagged
        is False
    )


def test_override_error_names_the_override_rule_and_field() -> None:
    with pytest.raises(PolicyFileError) as err:
        apply_overrides(
            load_preset("finspang"),
            [
                {"id": "finspang.advertising", "priority": 5},
                {"id": "finspang.question", "due_hours": -1},
            ],
        )
    assert (
        str(err.value) == "overrides: override #1 (rule 'finspang.question') field 'due_hours': must be > 0"
    )


def test_a_new_rule_from_an_override_must_be_complete() -> None:
    with pytest.raises(PolicyFileError) as err:
        apply_overrides(
            load_preset("finspang"),
            [
                {
                    "id": "finspang.extra",
                    "category": "spam",
                    "actions": ["hide"],
                    "priority": 4,
                    "due_hours": 8,
                }
            ],
        )
    assert str(err.value) == "overrides: override #0 (rule 'finspang.extra') field 'quote': is required"


def test_override_needs_an_id_and_known_fields() -> None:
    with pytest.raises(PolicyFileError, match=r"^overrides: override #0 field 'id': is required$"):
        apply_overrides(load_preset("finspang"), [{"priority": 2}])
    with pytest.raises(PolicyFileError) as err:
        apply_overrides(load_preset("finspang"), [{"id": "finspang.question", "prio": 2}], label="tenant 7")
    assert str(err.value) == "tenant 7: override #0 (rule 'finspang.question') field 'prio': unknown field"
