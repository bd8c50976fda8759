"""Derive the name gazetteers and the common-word list from the Swedish NER corpus.

The corpus (``train_corpus.txt`` of klintan/swedish-ner-corpus, commit 8795071,
CC BY 4.0) is news text, one token per line with a tag.  Its sentences are split
deterministically: the first 80 % build the derived lists under ``data/``, the last
20 % are never looked at here and serve as the held-out set for measuring the name
detector (:func:`evaluate_names`), so the figures are not inflated by names the
detector learnt from the same sentences.

Run ``python -m classifiers.pii.gazetteer_build <path to train_corpus.txt>`` after changing
the rules; the output files are committed, nothing is built at run time.  The repository
ships only the held-out part (``tests/data/swedish-ner/held_out.txt``, for the tests).
"""

from __future__ import annotations

import sys
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

DATA_DIR = Path(__file__).parent / "data"
TRAIN_SHARE = 0.8

Sentence = list[tuple[str, str]]


def read_corpus(path: Path) -> list[Sentence]:
    """Sentences as (token, tag) pairs; the file mixes tab and space separators."""
    sentences: list[Sentence] = []
    current: Sentence = []
    for line in path.read_text(encoding="utf-8").splitlines():
        parts = line.rsplit(None, 1)
        if len(parts) != 2:
            if current:
                sentences.append(current)
                current = []
            continue
        # Some tokens start with a soft hyphen in the source.
        current.append((parts[0].replace("\u00ad", ""), parts[1]))
    if current:
        sentences.append(current)
    return sentences


def split_corpus(sentences: list[Sentence]) -> tuple[list[Sentence], list[Sentence]]:
    cut = int(len(sentences) * TRAIN_SHARE)
    return sentences[:cut], sentences[cut:]


def person_spans(sentence: Sentence) -> list[tuple[int, int]]:
    """Token ranges of consecutive PER tags (the corpus has no B-/I- distinction)."""
    spans = []
    start = None
    for index, (_, tag) in enumerate([*sentence, ("", "0")]):
        if tag == "PER" and start is None:
            start = index
        elif tag != "PER" and start is not None:
            spans.append((start, index))
            start = None
    return spans


def _is_name_token(token: str) -> bool:
    return len(token) >= 2 and token[0].isupper() and token.replace("-", "").isalpha() and not token.isupper()


def derive_lists(train: Iterable[Sentence]) -> tuple[list[str], list[str], list[str]]:
    """First names, surnames and common lower-case words seen in the training part."""
    lower_counts: Counter[str] = Counter()
    first: Counter[str] = Counter()
    last: Counter[str] = Counter()
    for sentence in train:
        for index, (token, tag) in enumerate(sentence):
            if tag == "0" and token.isalpha() and token.islower() and index > 0:
                lower_counts[token] += 1
        for start, end in person_spans(sentence):
            tokens = [t for t, _ in sentence[start:end]]
            if end - start >= 2:
                if _is_name_token(tokens[0]):
                    first[tokens[0]] += 1
                if _is_name_token(tokens[-1]):
                    last[tokens[-1]] += 1
            elif _is_name_token(tokens[0]):
                last[tokens[0]] += 1
    common = sorted(word for word, count in lower_counts.items() if count >= 2)
    common_set = set(common)
    firsts = sorted(name for name in first if name.lower() not in common_set)
    lasts = {name for name in last if name.lower() not in common_set and name not in first}
    # Genitives ("Berglunds") of a name already on a list add nothing.
    lasts = {n for n in lasts if not (n.endswith("s") and (n[:-1] in lasts or n[:-1] in first))}
    return firsts, sorted(lasts), common


def _write(path: Path, header: str, lines: list[str]) -> None:
    path.write_text(header + "".join(f"{line}\n" for line in lines), encoding="utf-8")


def build(corpus: Path) -> None:
    train, _ = split_corpus(read_corpus(corpus))
    firsts, lasts, common = derive_lists(train)
    note = (
        "# Derived by classifiers/pii/gazetteer_build.py from the first 80 % of sentences of\n"
        "# klintan/swedish-ner-corpus (train_corpus.txt), CC BY 4.0. See README.md.\n"
    )
    _write(DATA_DIR / "ner_first_names.txt", note, firsts)
    _write(DATA_DIR / "ner_surnames.txt", note, lasts)
    _write(DATA_DIR / "common_words.txt", note, common)


@dataclass(frozen=True)
class NameScores:
    gold: int
    predicted: int
    exact: int
    gold_tokens: int
    predicted_tokens: int
    overlapping_tokens: int

    @property
    def precision(self) -> float:
        return self.exact / self.predicted if self.predicted else 0.0

    @property
    def recall(self) -> float:
        return self.exact / self.gold if self.gold else 0.0

    @property
    def token_precision(self) -> float:
        return self.overlapping_tokens / self.predicted_tokens if self.predicted_tokens else 0.0

    @property
    def token_recall(self) -> float:
        return self.overlapping_tokens / self.gold_tokens if self.gold_tokens else 0.0


def evaluate_names(
    sentences: Iterable[Sentence],
    detect: Callable[[str], list[tuple[int, int]]],
    min_gold_tokens: int = 1,
) -> NameScores:
    """Span and token precision/recall of ``detect`` against the PER tags.

    ``detect`` gets the sentence as text (tokens joined by spaces) and returns
    character spans.  ``min_gold_tokens=2`` scores full names only; predicted
    spans that overlap a shorter gold span are then left out of the count, since
    the gold side ignores them.
    """
    gold_n = predicted_n = exact = 0
    gold_tokens = predicted_tokens = overlap_tokens = 0
    for sentence in sentences:
        offsets = []
        position = 0
        for token, _ in sentence:
            offsets.append((position, position + len(token)))
            position += len(token) + 1
        text = " ".join(token for token, _ in sentence)
        gold_all = person_spans(sentence)
        gold = {span for span in gold_all if span[1] - span[0] >= min_gold_tokens}
        ignored = {span for span in gold_all if span not in gold}
        predicted = set()
        for start, end in detect(text):
            covered = [i for i, (s, e) in enumerate(offsets) if s < end and e > start]
            if covered:
                predicted.add((covered[0], covered[-1] + 1))
        predicted = {p for p in predicted if not any(p[0] < i[1] and i[0] < p[1] for i in ignored)}
        gold_n += len(gold)
        predicted_n += len(predicted)
        exact += len(gold & predicted)
        gold_set = {i for s, e in gold for i in range(s, e)}
        predicted_set = {i for s, e in predicted for i in range(s, e)}
        gold_tokens += len(gold_set)
        predicted_tokens += len(predicted_set)
        overlap_tokens += len(gold_set & predicted_set)
    return NameScores(gold_n, predicted_n, exact, gold_tokens, predicted_tokens, overlap_tokens)


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1:
        print("usage: python -m classifiers.pii.gazetteer_build PATH/train_corpus.txt", file=sys.stderr)
        return 2
    build(Path(args[0]))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
