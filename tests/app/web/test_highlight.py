"""Highlighting: the triggering words marked, overlaps merged, long texts cut around them."""

from __future__ import annotations

from app.web.highlight import segments


def test_marks_spans_and_merges_overlaps() -> None:
    text = "Ring mig på 070-123 45 67 nu"
    assert segments(text, [(12, 22), (16, 25)]) == [
        ("Ring mig på ", False),
        ("070-123 45 67", True),
        (" nu", False),
    ]


def test_spans_outside_the_text_are_ignored() -> None:
    assert segments("Hej", [(5, 9), (2, 1)]) == [("Hej", False)]


def test_a_long_text_is_cut_around_the_first_marked_word() -> None:
    text = "a " * 200 + "idiot" + " b" * 200
    start = text.index("idiot")
    pieces = segments(text, [(start, start + 5)], limit=100)
    assert pieces[0] == ("…", False) and pieces[-1] == ("…", False)
    assert ("idiot", True) in pieces
    assert sum(len(p) for p, _ in pieces[1:-1]) <= 100


def test_actor_names() -> None:
    from app.web.pages import actor_name

    assert actor_name("user:red@kommun.example") == "red@kommun.example"
    assert actor_name("apikey:7") == "API-nyckel 7"
    assert actor_name("worker") == "Uppsikt (automatiskt)"
