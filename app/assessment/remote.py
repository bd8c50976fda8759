"""A municipality's own model for some categories, behind an HTTP endpoint.

A municipality with a GPU may run a larger model (a Swedish or multilingual
transformer) and let it decide, say, hate speech and harassment.  Its answer
becomes findings of the same shape as the built-in ones: category, score, the
words that speak for it (the built-in linear model's content words, since the
endpoint answers with a score, not with words) and one Swedish sentence naming
the model.  The built-in model stays the fallback: a slow, failing or nonsensical
endpoint never loses or delays a comment beyond the timeout, and after a failure
it is left alone for a while so that a dead endpoint costs one timeout, not one
per comment.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, replace
from typing import Any

import httpx

from app.errors import ConfigurationError
from app.logging import get_logger
from app.settings import Settings
from classifiers import CATEGORIES, CATEGORY_LABELS_SV, Assessment, Finding, Span

log = get_logger("app.assessment.remote")

Explain = Callable[[str, str], tuple[Span, ...]]


@dataclass(frozen=True, slots=True)
class RemoteModelConfig:
    url: str
    categories: frozenset[str]
    #: The endpoint's label -> our category code (labels that already are codes need no entry).
    labels: Mapping[str, str]
    threshold: float
    timeout_s: float
    pause_s: float
    name: str
    token: str = ""

    @classmethod
    def from_settings(cls, settings: Settings) -> RemoteModelConfig | None:
        """The configuration, or ``None`` when no endpoint is set (the default)."""
        if not settings.remote_model_url.strip():
            return None
        categories = frozenset(c.strip() for c in settings.remote_model_categories.split(",") if c.strip())
        labels = dict(
            (label.strip(), code.strip())
            for label, _, code in (pair.partition("=") for pair in settings.remote_model_labels.split(","))
            if label.strip() and code.strip()
        )
        unknown = sorted((categories | set(labels.values())) - set(CATEGORIES))
        if unknown or not categories:
            raise ConfigurationError(
                "UPPSIKT_REMOTE_MODEL_CATEGORIES och _LABELS måste ange kategorikoder som "
                f"hate_speech eller harassment (okända: {', '.join(unknown) or 'inga angivna'})"
            )
        return cls(
            url=settings.remote_model_url.strip(),
            categories=categories,
            labels=labels,
            threshold=settings.remote_model_threshold,
            timeout_s=settings.remote_model_timeout_s,
            pause_s=settings.remote_model_pause_s,
            name=settings.remote_model_name,
            token=settings.remote_model_token.get_secret_value(),
        )


def _label_scores(body: Any) -> Iterable[tuple[str, float]]:
    """``[{"label", "score"}]``, or that list wrapped once more (one per input), as scores."""
    if isinstance(body, list) and len(body) == 1 and isinstance(body[0], list):
        body = body[0]
    if not isinstance(body, list):
        raise ValueError("the answer is not a list of labels")
    for entry in body:
        if not isinstance(entry, dict):
            raise ValueError("a label entry is not an object")
        score = float(entry["score"])
        if not 0.0 <= score <= 1.0:
            raise ValueError("a score outside 0..1")
        yield str(entry["label"]), score


class RemoteModel:
    """The endpoint: scores per category for one text, or ``None`` when it cannot answer now."""

    def __init__(self, config: RemoteModelConfig, *, client: httpx.Client | None = None) -> None:
        self.config = config
        self._client = client or httpx.Client(timeout=config.timeout_s)
        self._lock = threading.Lock()
        self._paused_until = 0.0

    def close(self) -> None:
        self._client.close()

    def scores(self, text: str) -> dict[str, float] | None:
        if time.monotonic() < self._paused_until:
            return None
        headers = {"Authorization": f"Bearer {self.config.token}"} if self.config.token else {}
        try:
            answer = self._client.post(
                self.config.url, json={"inputs": text}, headers=headers, timeout=self.config.timeout_s
            )
            answer.raise_for_status()
            found: dict[str, float] = {}
            for label, score in _label_scores(answer.json()):
                category = self.config.labels.get(label, label)
                if category in self.config.categories:
                    found[category] = max(score, found.get(category, 0.0))
            return found
        except (httpx.HTTPError, ValueError, KeyError, TypeError) as exc:
            with self._lock:
                self._paused_until = time.monotonic() + self.config.pause_s
            log.warning(
                "assessment.remote_model_failed",
                model=self.config.name,
                error=type(exc).__name__,
                paused_s=self.config.pause_s,
            )
            return None

    def apply(self, text: str, assessment: Assessment, explain: Explain) -> Assessment:
        """The built-in assessment with the endpoint's categories decided by the endpoint.

        When the endpoint does not answer, the built-in findings stand (the fallback)."""
        scores = self.scores(text)
        if scores is None:
            return assessment
        kept = [f for f in assessment.findings if f.category not in self.config.categories]
        decided = [
            self._finding(text, category, scores[category], explain)
            for category in sorted(self.config.categories)
            if scores.get(category, 0.0) >= self.config.threshold
        ]
        return replace(
            assessment,
            findings=tuple(sorted(decided + kept, key=lambda f: CATEGORIES.index(f.category))),
            model_version=f"{assessment.model_version}+remote:{self.config.name}",
        )

    def _finding(self, text: str, category: str, score: float, explain: Explain) -> Finding:
        spans = explain(text, category)
        label = CATEGORY_LABELS_SV[category].lower()
        if spans:
            words = ", ".join(f"”{w}”" for w in dict.fromkeys(s.text for s in spans))
            why = f"främst på grund av {words}"
        else:
            why = "utan att peka ut några ord – läs hela kommentaren"
        return Finding(
            category=category,
            subtype="remote",
            score=score,
            spans=spans,
            explanation=f"Kommunens modell {self.config.name} bedömer texten som {label} "
            f"(säkerhet {score:.2f}), {why}.",
            rule_id=f"{category}.remote",
            model_version=f"remote:{self.config.name}",
        )
