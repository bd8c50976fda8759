"""Evaluation helpers: the metrics and the keyword baseline are what the report relies on."""

from __future__ import annotations

import pytest

from classifiers.evaluate import (
    Scores,
    keyword_baseline,
    keyword_lists,
    micro,
    render_report,
    score_predictions,
)
from classifiers.train import choose_thresholds, fold_of, folds_of


def test_scores_per_category() -> None:
    gold = [{"spam"}, {"spam", "question"}, set(), {"question"}]
    pred = [{"spam"}, {"question"}, {"spam"}, set()]
    scores = score_predictions(gold, pred, ["spam", "question"])
    assert scores["spam"] == Scores(tp=1, fp=1, fn=1)
    assert scores["question"] == Scores(tp=1, fp=0, fn=1)
    assert scores["spam"].precision == pytest.approx(0.5)
    assert scores["question"].recall == pytest.approx(0.5)
    assert scores["question"].f1 == pytest.approx(2 / 3)
    assert Scores(0, 0, 0).f1 == 0.0


def test_micro_average_pools_every_decision() -> None:
    scores = {"spam": Scores(tp=1, fp=1, fn=1), "question": Scores(tp=3, fp=0, fn=1)}
    pooled = micro(scores)
    assert pooled == Scores(tp=4, fp=1, fn=2)
    assert pooled.precision == pytest.approx(0.8)
    assert pooled.recall == pytest.approx(4 / 6)


def test_keyword_baseline_is_plain_substring_matching() -> None:
    predict = keyword_baseline({"profanity": ["jävla"], "question": ["?"]})
    assert predict("Vilken JÄVLA dag") == {"profanity"}
    assert predict("j@vla") == set()  # no normalisation: that is the point of the baseline
    assert predict("Öppet idag?") == {"question"}


def test_keyword_lists_come_from_the_lexicons_without_weak_words() -> None:
    lists = keyword_lists()
    assert "jävla" in lists["profanity"]
    assert "rabattkod" in lists["advertising"]
    assert "pris" not in lists["advertising"]  # a "weak" word, not a flag word on its own
    assert all(lists[c] for c in ("hate_speech", "harassment", "threat", "spam", "question"))


def test_thresholds_maximise_f1_of_rules_or_model() -> None:
    import numpy as np

    labels = [{"spam"}, {"spam"}, set(), set()]
    probs = np.array([[0.9], [0.6], [0.7], [0.1]])
    thresholds, f1 = choose_thresholds(probs, ["spam"], labels, [set(), set(), set(), set()])
    # Any threshold in (0.1, 0.6] flags rows 0, 1 and 2 (F1 0.8), the best possible.
    # Read with its neighbours, 0.15 (next to 0.10's F1 0.67) is the plateau's edge:
    # the lowest grid value whose neighbours score 0.8 too wins.
    # (The grid starts at 0.05: calibrated probabilities of rare categories are low.)
    assert thresholds["spam"] == pytest.approx(0.20)
    assert f1["spam"] == pytest.approx(0.8)
    # With the rule already catching both positives the model cannot help: off.
    thresholds, f1 = choose_thresholds(probs, ["spam"], labels, [{"spam"}, {"spam"}, set(), set()])
    assert thresholds["spam"] > 1 and f1["spam"] == 1.0


def test_folds_keep_variants_together_and_are_stable() -> None:
    assert fold_of("b00001") == fold_of("b00001")
    assert {fold_of(f"b{i:05d}") for i in range(200)} == {0, 1, 2, 3, 4}


def test_a_writer_outside_the_team_is_wholly_in_one_fold() -> None:
    team = [{"base_id": f"b{i:05d}", "writer": "team"} for i in range(200)]
    outside = [
        {"base_id": f"{w}{i:04d}", "writer": w}
        for w, n in (("c", 90), ("e", 60), ("h", 50), ("k", 40), ("m", 30), ("p", 20))
        for i in range(n)
    ]
    rows = team + outside
    folds = folds_of(rows)
    assert folds == folds_of(rows)
    for writer in "cehkmp":
        assert len({f for r, f in zip(rows, folds, strict=True) if r["writer"] == writer}) == 1, writer
    # The team's comments are split by base comment, as before.
    assert folds[: len(team)] == [fold_of(r["base_id"]) for r in team]
    # Each writer in turn into the emptiest fold: the folds stay about equal.
    sizes = [folds.count(k) for k in range(5)]
    assert max(sizes) - min(sizes) <= 60, sizes


def test_a_new_writer_moves_no_earlier_writer_to_another_fold() -> None:
    """Writers are named in the order they were commissioned; adding the next one (whose
    name sorts last) must leave every earlier row's fold as it was, or the out-of-fold
    thresholds move for reasons that have nothing to do with the new comments."""
    team = [{"base_id": f"b{i:05d}", "writer": "team"} for i in range(200)]
    outside = [
        {"base_id": f"{w}{i:04d}", "writer": w}
        for w, n in (("c", 20), ("e", 60), ("h", 90), ("k", 40), ("m", 30), ("p", 50))
        for i in range(n)
    ]
    before = folds_of(team + outside)
    newcomer = [{"base_id": f"q{i:04d}", "writer": "q"} for i in range(120)]
    after = folds_of(team + outside + newcomer)
    assert after[: len(before)] == before


def test_report_is_rendered_from_the_figures() -> None:
    ours = score_predictions([{"spam"}], [{"spam"}])
    keyword = score_predictions([{"spam"}], [set()])
    result = {
        "model_version": "v-test",
        "n_test": 1,
        "n_train": 2,
        "ours": ours,
        "keyword": keyword,
        "presidio": None,
    }
    report = render_report(result)
    assert "v-test" in report
    assert "| `spam` | 1 | 1.00 / 1.00 / **1.00** | 0.00 / 0.00 / **0.00** | — | yes |" in report
    assert "## Limits" in report


def test_report_compares_writers_only_when_there_are_two() -> None:
    from classifiers.evaluate import render_by_writer

    team = {c: Scores(0, 0, 0) for c in ("spam", "question")}
    team["spam"] = Scores(tp=3, fp=1, fn=0)
    other = {c: Scores(0, 0, 0) for c in ("spam", "question")}
    other["spam"] = Scores(tp=1, fp=0, fn=3)
    assert "one writer only" in render_by_writer({"team": team})
    table = render_by_writer({"team": team, "b": other})
    assert "writer b (unseen writer)" in table
    assert "| `spam` | 0.86 (3) | 0.40 (4) |" in table


def test_the_measured_only_writers_are_reported_apart_with_the_recall_target() -> None:
    from classifiers.evaluate import render_dev

    ours = score_predictions([{"spam"}, {"spam"}, {"confidential"}], [{"spam"}, {"spam"}, set()])
    keyword = score_predictions([{"spam"}, {"spam"}, {"confidential"}], [set(), set(), set()])
    table = render_dev({"writers": {"n": 3}, "ours": ours, "keyword": keyword})
    assert "writer n (3 comments)" in table
    assert "| `spam` | 2 | 1.00 / 1.00 / **1.00** | 0.00 / 0.00 / **0.00** | yes |" in table
    assert "| `confidential` | 1 | 0.00 / 0.00 / **0.00** | 0.00 / 0.00 / **0.00** | **no** |" in table
    assert "| `threat` |" not in table  # no support: no row
    assert "No measured-only" in render_dev(None)


def test_two_measured_only_writers_are_also_shown_apart() -> None:
    from classifiers.evaluate import render_dev

    n = score_predictions([{"spam"}, {"threat"}], [{"spam"}, {"threat"}])
    o = score_predictions([{"spam"}, {"threat"}], [{"spam"}, set()])
    pooled = score_predictions([{"spam"}, {"threat"}] * 2, [{"spam"}, {"threat"}, {"spam"}, set()])
    dev = {"writers": {"n": 2, "o": 2}, "ours": pooled, "keyword": pooled}
    assert "| writer |" not in render_dev({**dev, "by_writer": {"n": n}})  # one writer: the pool is it
    table = render_dev({**dev, "by_writer": {"n": n, "o": o}})
    assert "| n | 2 | 1.00 / 1.00 / **1.00** | none |" in table
    assert "| o | 2 | 1.00 / 0.50 / **0.67** | `threat` 0.00 |" in table


def test_short_comments_count_harmless_flagged_and_harmful_missed() -> None:
    from classifiers.evaluate import render_short, short_comment_scores

    gold = [set(), set(), set(), {"spam"}, {"threat", "harassment"}, {"question"}]
    ours = [set(), {"harassment"}, set(), {"spam"}, {"harassment"}, {"spam"}]
    short = short_comment_scores(gold, ours, [set()] * len(gold))
    # One of three harmless flagged; the threat-and-harassment one is not missed (one of its
    # categories was found), the question taken for spam is.
    assert short["harmless_flagged"] == (1, 3)
    assert short["harmful_missed"] == (1, 3)
    table = render_short(short)
    assert "flagged with any category: 1 of 3 (33.3 %)" in table
    assert "none of their categories found: 1 of 3 (33.3 %)" in table
    assert "| `spam` | 1 | 0.50 / 1.00 / **0.67** |" in table
    assert "| `harassment` | 1 | 0.50 / 1.00 / **0.67** |" in table
    assert "| `threat` | 1 | 0.00 / 0.00 / **0.00** |" in table
    assert "| `profanity` |" not in table  # neither written nor found: no row
    assert "No measured-only short" in render_short(None)


def test_forum_register_drops_capitals_and_marks_but_keeps_numbers() -> None:
    from classifiers.evaluate import forum_register

    text = "Hej! Kalle Olsson, på Storgatan 5: när öppnar ni? Han hade 1,8 promille."
    assert forum_register(text) == "hej kalle olsson på storgatan 5 när öppnar ni? han hade 1,8 promille"
    assert forum_register(text, question_marks=False).endswith("när öppnar ni han hade 1,8 promille")
    # Marks before a question mark, a quote or a bracket end a word too.
    assert forum_register('Va!? Han skrev "sluta!" (igen).') == 'va? han skrev "sluta" (igen)'
    assert forum_register("Va!?", question_marks=False) == "va"


def test_the_plain_letters_register_types_swedish_letters_as_plain_ones() -> None:
    from classifiers.evaluate import plain_letters_register

    typed = plain_letters_register("Får vi gå på Äppelgården? Idé: café!")
    assert typed == "Far vi ga pa Appelgarden? Ide: cafe!"


def test_the_forum_register_table_puts_each_register_beside_the_text_as_written() -> None:
    from classifiers.evaluate import render_registers

    gold = [{"question"}, {"question"}]
    written = score_predictions(gold, [{"question"}, {"question"}])
    forum = score_predictions(gold, [{"question"}, set()])
    unmarked = score_predictions(gold, [set(), set()])
    plain = score_predictions(gold, [{"question"}, {"question", "spam"}])
    registers = {"forum": forum, "forum_no_question_marks": unmarked, "plain_letters": plain}
    table = render_registers({"ours": written, "registers": registers})
    assert "| `question` | 1.00 | 0.67 | 0.00 | 1.00 |" in table
    assert "test, no å ä ö" in table
    assert "| `spam` |" not in table  # no support: no row
    assert "measured-only" not in table  # no measured-only writers: no columns for them
    assert render_registers({"ours": written}) == "Not measured."
