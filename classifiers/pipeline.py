"""The classification pipeline: privacy detectors plus text detectors, built once.

``classify`` normalises nothing itself for the privacy detectors: identity
numbers, phone numbers and names are found in the original text by
``classifiers.pii``.  The text detectors work on the normalised text and map
their spans back.  Only a comment typed without å, ä and ö is read with them
by every detector (``classifiers.text.diacritics``, letter for letter, so the
offsets hold); its findings then quote the comment as written.  The privacy
package is imported lazily so that this library works (rules and models for
the text categories) while it is absent or cannot be imported, e.g. in a slim
environment without presidio.

The pipeline is deterministic: the same text and context give an equal
``Assessment`` for a given ``model_version``, and findings are sorted by
category (in ``CATEGORIES`` order), first span, subtype and rule id.
"""

from __future__ import annotations

import dataclasses
import importlib
import re
import threading
from collections.abc import Callable
from typing import Any

from classifiers.context import entries_of
from classifiers.normalize import normalize
from classifiers.text import TextDetector, diacritics
from classifiers.text.diacritics import restore_diacritics
from classifiers.text.model import LinearTextModel
from classifiers.types import CATEGORIES, Assessment, Finding, Span

__all__ = ["LIBRARY_VERSION", "Pipeline", "get_pipeline", "pipeline_with_model"]

LIBRARY_VERSION = "1.0"

_ORDER = {c: i for i, c in enumerate(CATEGORIES)}


def _sort_key(f: Finding) -> tuple[Any, ...]:
    first = f.spans[0].start if f.spans else -1
    spans = tuple((s.start, s.end) for s in f.spans)
    return (_ORDER[f.category], first, f.subtype, f.rule_id, spans, f.explanation)


class Pipeline:
    """Text detectors and (when importable) the privacy detectors."""

    def __init__(self, *, text_detector: TextDetector | None = None, use_privacy: bool = True) -> None:
        self.text = text_detector or TextDetector()
        diacritics.warm_up()
        self._find_privacy: Callable[[str, dict[str, Any] | None], list[Finding]] | None = None
        privacy_version = "absent"
        if use_privacy:
            try:
                pii = importlib.import_module("classifiers.pii")
                pii.warm_up()
                self._find_privacy = pii.find_privacy
                privacy_version = str(pii.MODEL_VERSION)
            except (ImportError, AttributeError):
                self._find_privacy = None
        self.model_version = f"uppsikt-classifiers-{LIBRARY_VERSION}+{self.text.version}+{privacy_version}"
        model = self.text.model
        #: Whether the text detectors are given a plainly typed comment read with å, ä and
        #: ö: only with a model trained so (a tenant's earlier artefact was not).  The
        #: privacy detectors, which have no model, always are.
        self.reads_plain_letters = model is None or model.reads_plain_letters

    def read(self, text: str) -> str:
        """``text`` as the text detectors read it (a plainly typed comment with å, ä and ö)."""
        return restore_diacritics(text) if self.reads_plain_letters else text

    def classify(self, text: str, context: dict[str, Any] | None = None) -> Assessment:
        read = restore_diacritics(text)
        read_context = _read_alike(context) if read is not text and context else context
        if self.reads_plain_letters:
            findings = list(self.text.detect(read, read_context, norm=normalize(read), typed=text))
        else:
            findings = list(self.text.detect(text, context, norm=normalize(text)))
        if self._find_privacy is not None:
            findings.extend(self._find_privacy(read, read_context))
        if read is not text:
            findings = [_quoting(f, text, read) for f in findings]
        findings.sort(key=_sort_key)
        return Assessment(findings=tuple(findings), model_version=self.model_version)


#: A quotation in an explanation: 'ord', „ord“, "ord" or «ord».
_QUOTED = re.compile(r"'([^'\n]+)'|„([^“\n]+)“|\"([^\"\n]+)\"|«([^»\n]+)»")


def _quoting(finding: Finding, typed: str, read: str) -> Finding:
    """``finding`` quoting the comment as the visitor typed it, not its reading with å, ä
    and ö: its spans, and what its explanation quotes from the reading (the privacy
    detectors quote the words they found, „sitter i fängelse“).  Only a quotation with one
    of those letters that is found as it stands in the reading is mapped back, so a word
    of the explanation's own is never touched."""
    spans = tuple(Span(s.start, s.end, typed[s.start : s.end]) for s in finding.spans)

    def as_typed(match: re.Match[str]) -> str:
        quoted = next(g for g in match.groups() if g is not None)
        at = read.find(quoted) if diacritics.SWEDISH_LETTER.search(quoted) else -1
        if at < 0:
            return match.group()
        return match.group().replace(quoted, typed[at : at + len(quoted)])

    return dataclasses.replace(finding, spans=spans, explanation=_QUOTED.sub(as_typed, finding.explanation))


def _read_alike(context: dict[str, Any]) -> dict[str, Any]:
    """``context`` read like a plainly typed comment: the post it answers (a copy of it is
    spam), and the officials' names also in their spelling with å, ä and ö, so that an
    allow-listed "Lena Sjoberg" still matches what the comment is read as."""
    read = dict(context)
    if isinstance(post := context.get("post_text"), str):
        read["post_text"] = restore_diacritics(post)
    if names := entries_of(context.get("public_officials")):
        read["public_officials"] = [*names, *map(restore_diacritics, names)]
    return read


def explain(text: str, category: str) -> tuple[Span, ...]:
    """Content-word spans of ``text`` that speak for ``category`` (the shipped model's view)."""
    pipeline = get_pipeline()
    spans = pipeline.text.explain(pipeline.read(text), category)
    return tuple(Span(a, b, text[a:b]) for a, b in spans)


def pipeline_with_model(raw: bytes | None, *, use_privacy: bool = True) -> Pipeline:
    """A pipeline whose text models are the artefact ``raw`` (a retrained model,
    ``classifiers.learning``); the shipped models when ``None``.  Rules, lexicons
    and the privacy detectors are the same; the model version names the artefact."""
    if raw is None:
        return Pipeline(use_privacy=use_privacy)
    model = LinearTextModel.from_bytes(raw)
    return Pipeline(text_detector=TextDetector(model=model), use_privacy=use_privacy)


_lock = threading.Lock()
_pipeline: Pipeline | None = None


def get_pipeline() -> Pipeline:
    """The process-wide pipeline, built on first use (thread-safe)."""
    global _pipeline
    if _pipeline is None:
        with _lock:
            if _pipeline is None:
                _pipeline = Pipeline()
    return _pipeline
