"""One registry says what each platform can do, and everything that acts asks it."""

from __future__ import annotations

import pytest

from app.platforms.capabilities import CAPABILITIES, PLATFORMS, capabilities
from app.policies import available_presets, load_preset
from app.policies.models import ACTIONS
from app.policies.recommendation import recommend
from app.queue.service import DECISION_ACTIONS, FindingView
from classifiers import CATEGORIES


def _findings_for_every_rule(preset: str) -> list[list[FindingView]]:
    """One finding set per rule of the preset (its category and first subtype), then all at once."""
    policy = load_preset(preset)
    per_rule = [
        [FindingView(rule.category, rule.subtype[0] if rule.subtype else None, 1.0)] for rule in policy.rules
    ]
    return [*per_rule, [f for fs in per_rule for f in fs], [FindingView(c, None, 1.0) for c in CATEGORIES]]


@pytest.mark.parametrize("platform", PLATFORMS)
@pytest.mark.parametrize("preset", available_presets())
def test_every_recommended_action_is_one_the_platform_can_carry_out(preset: str, platform: str) -> None:
    from datetime import UTC, datetime

    policy = load_preset(preset)
    caps = capabilities(platform)
    flagged = False
    for findings in _findings_for_every_rule(preset):
        rec = recommend(policy, findings, platform=platform, received_at=datetime(2026, 3, 2, 9, tzinfo=UTC))
        assert caps.cannot(rec.actions) == [], (preset, platform, rec.actions)
        assert caps.cannot(rec.auto_actions) == [], (preset, platform, rec.auto_actions)
        flagged |= rec.flagged
    # Dropping what a platform cannot do never drops the comment from the queue.
    assert flagged


def test_the_registry_covers_every_action_and_says_no_for_web() -> None:
    assert set(PLATFORMS) == {"facebook", "instagram", "linkedin", "youtube", "web"}
    for action in {*ACTIONS, *DECISION_ACTIONS}:
        for platform in PLATFORMS:
            capabilities(platform).can(action)  # every action has an answer, none raises
    web = CAPABILITIES["web"]
    assert web.cannot(["hide", "remove", "answer", "refer", "notify_author"]) == [
        "hide",
        "remove",
        "answer",
        "refer",
        "notify_author",
    ]
    assert web.cannot(["register", "forward", "police_review", "none"]) == []
    assert CAPABILITIES["linkedin"].cannot(["hide", "remove", "answer"]) == ["hide"]
    # YouTube: hide is "held for review", remove is comments.delete, answer is comments.insert.
    assert CAPABILITIES["youtube"].cannot(["hide", "unhide", "remove", "answer"]) == []
    assert capabilities("myspace").cannot(["hide", "register"]) == ["hide"]


@pytest.mark.parametrize("preset", available_presets())
def test_live_comments_are_recommended_no_platform_action(preset: str) -> None:
    """Instagram refuses hide, delete and reply on a live broadcast's comments (§3.3, §7.8)."""
    from datetime import UTC, datetime

    from app.platforms.capabilities import comment_capabilities, is_live_comment

    live = {"field": "live_comments", "media": {"id": "1", "media_product_type": "LIVE"}}
    assert is_live_comment(live) and is_live_comment({"media": {"media_product_type": "live"}})
    assert not is_live_comment({"field": "comments", "media": {"media_product_type": "FEED"}})
    caps = comment_capabilities("instagram", live)
    assert caps.cannot(["hide", "unhide", "remove", "answer", "refer", "notify_author"]) == [
        "hide",
        "unhide",
        "remove",
        "answer",
        "refer",
        "notify_author",
    ]
    assert caps.cannot(["register", "forward", "police_review", "none"]) == []
    policy = load_preset(preset)
    for findings in _findings_for_every_rule(preset):
        rec = recommend(
            policy, findings, platform="instagram", received_at=datetime(2026, 3, 2, 9, tzinfo=UTC), live=True
        )
        assert caps.cannot(rec.actions) == [], (preset, rec.actions)
        assert caps.cannot(rec.auto_actions) == [], (preset, rec.auto_actions)
