"""The bundled presets: they load, cover every category and quote their guideline verbatim.

The quotes are the product's promise to editors ("this is the sentence of
your guideline that applies"), so each one is checked against the guideline
text it claims to come from (``app/policies/sources/``, shipped with the
package), with its line number.
"""

from __future__ import annotations

import pytest

from app.policies import ACTIONS, Policy, PolicyFileError, available_presets, load_preset, preset_source
from classifiers.types import CATEGORIES

PRESETS = ("finspang", "haparanda", "harjedalen", "helsingborg", "malmo")


def _normalised_with_lines(text: str) -> tuple[str, list[int]]:
    """Collapse whitespace runs to one space, remembering each character's line."""
    chars: list[str] = []
    lines: list[int] = []
    line = 1
    pending_space = False
    for ch in text:
        if ch.isspace():
            pending_space = bool(chars)
            if ch == "\n":
                line += 1
            continue
        if pending_space:
            chars.append(" ")
            lines.append(line)
            pending_space = False
        chars.append(ch)
        lines.append(line)
    return "".join(chars), lines


def _lines_where_quoted(seed: str, quote: str) -> set[int]:
    haystack, lines = _normalised_with_lines(seed)
    needle = " ".join(quote.split())
    found: set[int] = set()
    start = haystack.find(needle)
    while start != -1:
        found.add(lines[start])
        start = haystack.find(needle, start + 1)
    return found


def _citations(policy: Policy) -> list[tuple[str, str, int | None]]:
    """Every (where, quote, line) the preset cites, including see_also and retention."""
    cites: list[tuple[str, str, int | None]] = []
    for rule in policy.rules:
        cites.append((rule.id, rule.quote, rule.source_line))
        cites.extend((f"{rule.id} see_also", c.quote, c.source_line) for c in rule.see_also)
    if policy.retention.quote is not None:
        cites.append(("retention", policy.retention.quote, policy.retention.source_line))
    cites.extend((f"accounts {r.require}", r.quote, r.source_line) for r in policy.accounts)
    if policy.registrar_before_removal is not None:
        c = policy.registrar_before_removal
        cites.append(("registrar_before_removal", c.quote, c.source_line))
    return cites


def test_the_five_presets_are_available() -> None:
    assert available_presets() == list(PRESETS)


@pytest.mark.parametrize("name", PRESETS)
def test_preset_loads_and_covers_every_category(name: str) -> None:
    policy = load_preset(name)
    assert policy.name == name
    covered = {rule.category for rule in policy.rules}
    assert covered == set(CATEGORIES), f"{name} lacks rules for {sorted(set(CATEGORIES) - covered)}"
    for rule in policy.rules:
        assert rule.id.startswith(f"{name}."), rule.id
        assert rule.source_line is not None, f"{rule.id} has no source_line"
        assert rule.source is None, f"{rule.id} should cite the preset's own guideline"


@pytest.mark.parametrize("name", PRESETS)
def test_rules_that_allow_a_comment_explain_why(name: str) -> None:
    for rule in load_preset(name).rules:
        if rule.is_none:
            assert rule.note, f"{rule.id} allows the comment without a note saying why"
            assert rule.due_hours is None
            assert not rule.auto_actions


@pytest.mark.parametrize("name", PRESETS)
def test_retention_keeps_linkedin_comments_at_most_48_hours(name: str) -> None:
    retention = load_preset(name).retention
    assert retention.days_for("linkedin") == 2
    assert retention.days_for("LinkedIn") == 2
    assert retention.days_for("facebook") == retention.unflagged_days
    assert retention.unflagged_days > retention.days_for("linkedin")


@pytest.mark.parametrize("name", PRESETS)
def test_every_quote_is_verbatim_from_the_seed_on_the_cited_line(name: str) -> None:
    policy = load_preset(name)
    seed = preset_source(policy.source)
    assert len(_citations(policy)) > 10
    problems = []
    for where, quote, line in _citations(policy):
        found = _lines_where_quoted(seed, quote)
        if not found:
            problems.append(f"{where}: quote not found in {policy.source}: {quote[:60]!r}")
        elif line not in found:
            problems.append(f"{where}: quote is on line(s) {sorted(found)}, not {line}")
    assert not problems, "\n".join(problems)


def test_quote_check_catches_a_wrong_line_and_a_paraphrase() -> None:
    # The checker itself must be able to fail, or the test above proves nothing.
    seed = preset_source("finspang-riktlinjer.txt")
    assert _lines_where_quoted(seed, "Partipolitiskt budskap.") == {388}
    assert _lines_where_quoted(seed, "Partipolitiska budskap.") == set()
    # A sentence broken over two lines in the seed is still found, at its first line.
    assert _lines_where_quoted(seed, "För sociala medier rekommenderas svar så snart som") == {143}


@pytest.mark.parametrize("name", PRESETS)
def test_every_preset_says_who_answers_for_an_account(name: str) -> None:
    # The account register's warnings come from here, citing the tenant's own guideline.
    assert load_preset(name).accounts, name


def test_every_preset_source_ships_with_the_package() -> None:
    sources = {load_preset(name).source for name in PRESETS}
    assert len(sources) == len(PRESETS)
    for source in sources:
        assert preset_source(source).count("\n") > 50, source
    with pytest.raises(PolicyFileError):
        preset_source("../presets/malmo.yaml")
    with pytest.raises(PolicyFileError):
        preset_source("stockholm-riktlinjer.txt")


def test_line_mapping_of_the_normaliser() -> None:
    text, lines = _normalised_with_lines("a  b\n\n  c\td\n")
    assert text == "a b c d"
    assert [lines[i] for i in range(len(text)) if text[i] != " "] == [1, 1, 3, 3]


@pytest.mark.parametrize("name", PRESETS)
def test_actions_are_listed_in_canonical_order(name: str) -> None:
    for rule in load_preset(name).rules:
        assert list(rule.actions) == sorted(rule.actions, key=ACTIONS.index), rule.id


def test_presets_are_cached_and_immutable() -> None:
    policy = load_preset("malmo")
    assert load_preset("malmo") is policy
    with pytest.raises(ValueError, match="frozen"):
        policy.rules[0].priority = 5
