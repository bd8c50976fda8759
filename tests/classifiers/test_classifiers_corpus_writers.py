"""Writers outside the team are kept apart by split, so the test split can measure a new writer."""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path

from classifiers.data.build_corpus import TEAM, WRITER_SPLITS, split_of, writer_of

CORPUS = Path(__file__).resolve().parents[2] / "classifiers" / "data" / "corpus.jsonl"


def test_writer_comes_from_the_file_name() -> None:
    assert writer_of("w_b_forum") == "b"
    assert writer_of("w_c_village") == "c"
    assert writer_of("03_hate_speech") == TEAM
    assert writer_of("w_") == TEAM


def test_an_outside_writer_is_wholly_in_one_split_whatever_the_base_id() -> None:
    for writer, split in WRITER_SPLITS.items():
        assert {split_of(f"b{n:05d}", writer) for n in range(1, 200)} == {split}
    team = {split_of(f"b{n:05d}") for n in range(1, 200)}
    assert team == {"train", "test"}  # the team's comments are split by base comment


def test_the_corpus_keeps_writers_and_base_comments_apart() -> None:
    rows = [json.loads(line) for line in CORPUS.read_text(encoding="utf-8").splitlines() if line.strip()]
    splits_of_base: dict[str, set[str]] = defaultdict(set)
    for row in rows:
        assert row["writer"] == TEAM or row["writer"] in WRITER_SPLITS
        if row["writer"] in WRITER_SPLITS:
            assert row["split"] == WRITER_SPLITS[row["writer"]], row
        splits_of_base[row["base_id"]].add(row["split"])
    assert all(len(s) == 1 for s in splits_of_base.values())


def test_no_made_up_phone_number_reads_as_a_personnummer() -> None:
    """A compact fiction number like 0406280461 passes the personnummer check digit; the
    build would then refuse the corpus, so such numbers keep their separators."""
    import random

    from classifiers.data.build_corpus import _reads_as_identity_number, fake_phone

    assert _reads_as_identity_number("0406280461") and _reads_as_identity_number("0701740680")
    compact = 0
    for seed in range(20_000):
        phone = fake_phone(random.Random(seed))
        assert not _reads_as_identity_number(phone), phone
        compact += phone.isdigit()
    assert compact > 1_000  # the compact forms are still made when they are safe


def test_a_measured_only_writer_is_neither_trained_on_nor_varied() -> None:
    """Writer n is a stand-in for an outside sample: kept as written and out of training."""
    from classifiers.data.build_corpus import DEV
    from classifiers.train import load_corpus

    dev_writers = {w for w, s in WRITER_SPLITS.items() if s == DEV}
    assert dev_writers
    rows = [r for r in load_corpus(CORPUS) if r["writer"] in dev_writers]
    assert rows and {r["split"] for r in rows} == {DEV}
    assert {r["source"] for r in rows} == {"handwritten"}  # no variants
    assert len({r["base_id"] for r in rows}) == len(rows)
