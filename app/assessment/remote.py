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

The endpoint decides only the categories its answer scores: an answer that
leaves out a category has not said "no", so the built-in findings of that
category stand.  An answer that scores none of them is no answer at all.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Iterable, Mapping
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass, replace
from typing import Any

import httpx

from app.errors import ConfigurationError
from app.http_answers import AS_SENT, EncodedAnswer, raw_chunks
from app.logging import get_logger
from app.settings import Settings
from classifiers import CATEGORIES, CATEGORY_LABELS_SV, Assessment, Finding, Span

log = get_logger("app.assessment.remote")

Explain = Callable[[str, str], tuple[Span, ...]]

#: An answer is a few labels with scores; anything this large is not one, and is not read into memory.
MAX_ANSWER_BYTES = 1024 * 1024
#: The name ends up in every assessment's model version (a column of 200 characters, shared
#: with the built-in model's version), after a ``+`` that separates the parts.
MAX_NAME_CHARS = 64


class RemoteModelFailed(Exception):
    """The endpoint gave no usable answer; the message says why, for the operator's log."""


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
    #: The tenants (by name) whose comments may be sent; no name, no comment leaves the service.
    tenants: frozenset[str] = frozenset()

    @classmethod
    def from_settings(cls, settings: Settings) -> RemoteModelConfig | None:
        """The configuration, or ``None`` when no endpoint is set (the default).

        Everything that would otherwise fail per comment, or silently decide nothing,
        stops the start here with one Swedish line."""
        if not settings.remote_model_url.strip():
            return None
        categories = frozenset(_split(settings.remote_model_categories))
        unknown = sorted(categories - set(CATEGORIES))
        if unknown or not categories:
            raise ConfigurationError(
                "UPPSIKT_REMOTE_MODEL_CATEGORIES måste ange kategorikoder som "
                f"hate_speech eller harassment (okända: {', '.join(unknown) or 'inga angivna'})"
            )
        labels = _labels(settings.remote_model_labels, categories)
        name = settings.remote_model_name.strip()
        if not name or len(name) > MAX_NAME_CHARS or "+" in name:
            raise ConfigurationError(
                f"UPPSIKT_REMOTE_MODEL_NAME måste vara 1–{MAX_NAME_CHARS} tecken utan ”+” "
                "(namnet blir en del av varje bedömnings modellversion)"
            )
        return cls(
            url=settings.remote_model_url.strip(),
            categories=categories,
            labels=labels,
            threshold=settings.remote_model_threshold,
            timeout_s=settings.remote_model_timeout_s,
            pause_s=settings.remote_model_pause_s,
            name=name,
            token=settings.remote_model_token.get_secret_value(),
            tenants=frozenset(_split(settings.remote_model_tenants)),
        )


def _split(raw: str) -> Iterable[str]:
    return (part.strip() for part in raw.split(",") if part.strip())


def _labels(raw: str, categories: frozenset[str]) -> dict[str, str]:
    """``label=category`` pairs; a pair that cannot mean anything stops the start rather than
    being dropped, since a dropped pair makes the endpoint's answer decide nothing."""
    labels: dict[str, str] = {}
    for pair in _split(raw):
        label, sep, code = (part.strip() for part in pair.partition("="))
        if not sep or not label or not code:
            raise ConfigurationError(
                "UPPSIKT_REMOTE_MODEL_LABELS måste vara par som etikett=kategorikod, "
                f"åtskilda med kommatecken, t.ex. toxic=harassment (fel: ”{pair}”)"
            )
        if code not in categories:
            raise ConfigurationError(
                f"UPPSIKT_REMOTE_MODEL_LABELS översätter till {code}, som inte finns i "
                f"UPPSIKT_REMOTE_MODEL_CATEGORIES ({', '.join(sorted(categories))})"
            )
        labels[label] = code
    return labels


def _is_score(value: Any) -> bool:
    # ``bool`` is an ``int``; NaN and the infinities fail the comparison, and a huge integer
    # is compared exactly (``float()`` of it would raise).
    return isinstance(value, (int, float)) and not isinstance(value, bool) and 0 <= value <= 1


def _label_scores(body: Any) -> Iterable[tuple[str, float]]:
    """``[{"label", "score"}]``, or that list wrapped once more (one per input), as scores."""
    if isinstance(body, list) and len(body) == 1 and isinstance(body[0], list):
        body = body[0]
    if not isinstance(body, list):
        raise RemoteModelFailed("svaret är inte en lista med etiketter")
    for entry in body:
        if not isinstance(entry, dict) or not isinstance(entry.get("label"), str):
            raise RemoteModelFailed("en etikett i svaret saknar namn")
        if not _is_score(entry.get("score")):
            raise RemoteModelFailed("en poäng i svaret är inte ett tal mellan 0 och 1")
        yield entry["label"], float(entry["score"])


class RemoteModel:
    """The endpoint: scores per category for one text, or ``None`` when it cannot answer now."""

    def __init__(self, config: RemoteModelConfig, *, client: httpx.Client | None = None) -> None:
        self.config = config
        self._client = client or httpx.Client(timeout=config.timeout_s)
        # httpx's timeout is per read, so a server sending a byte now and then is never timed
        # out by it; the call runs in a thread that is waited for no longer than the timeout.
        self._calls = ThreadPoolExecutor(max_workers=2, thread_name_prefix="uppsikt-remote-model")
        self._lock = threading.Lock()
        self._paused_until = 0.0
        #: Why the latest call failed (HTTP status included), in Swedish; ``None`` after an answer.
        self.last_error: str | None = None

    def close(self) -> None:
        self._calls.shutdown(wait=False, cancel_futures=True)
        self._client.close()

    def scores(self, text: str) -> dict[str, float] | None:
        """The categories the endpoint scored; ``None`` when it gave no usable answer.

        Every way of failing (refused, slow, too large, nonsense, an exception
        nobody foresaw) counts the same: the comment falls back to the built-in
        model, and the endpoint is paused."""
        if time.monotonic() < self._paused_until:
            return None
        deadline = time.monotonic() + self.config.timeout_s
        try:
            call = self._calls.submit(self._call, text, deadline)
            try:
                body = call.result(timeout=max(deadline - time.monotonic(), 0.0))
            except FutureTimeout:
                call.cancel()
                raise RemoteModelFailed(f"inget svar inom {self.config.timeout_s:g} s") from None
            found: dict[str, float] = {}
            for label, score in _label_scores(json.loads(body)):
                category = self.config.labels.get(label, label)
                if category in self.config.categories:
                    found[category] = max(score, found.get(category, 0.0))
            if not found:
                raise RemoteModelFailed("svaret bedömer ingen av kategorierna (okända etiketter?)")
        except Exception as exc:  # whatever it was, the built-in model answers
            self._failed(exc)
            return None
        self.last_error = None
        return found

    def _call(self, text: str, deadline: float) -> bytes:
        headers = dict(AS_SENT)
        if self.config.token:
            headers["Authorization"] = f"Bearer {self.config.token}"
        with self._client.stream(
            "POST", self.config.url, json={"inputs": text}, headers=headers, timeout=self.config.timeout_s
        ) as answer:
            answer.raise_for_status()
            body = bytearray()
            for chunk in raw_chunks(answer):
                body += chunk
                if len(body) > MAX_ANSWER_BYTES:
                    raise RemoteModelFailed(f"svaret är större än {MAX_ANSWER_BYTES} byte")
                if time.monotonic() > deadline:
                    raise RemoteModelFailed(f"inget svar inom {self.config.timeout_s:g} s")
            return bytes(body)

    def _failed(self, exc: Exception) -> None:
        status = exc.response.status_code if isinstance(exc, httpx.HTTPStatusError) else None
        if status is not None:
            reason = f"svarade HTTP {status}"
        elif isinstance(exc, (RemoteModelFailed, EncodedAnswer)):
            reason = str(exc)
        else:
            reason = type(exc).__name__
        with self._lock:
            self._paused_until = time.monotonic() + self.config.pause_s
            self.last_error = reason
        log.warning(
            "assessment.remote_model_failed",
            model=self.config.name,
            error=type(exc).__name__,
            status=status,
            reason=reason,
            paused_s=self.config.pause_s,
        )

    def apply(self, text: str, assessment: Assessment, explain: Explain) -> Assessment:
        """The built-in assessment with the categories the endpoint scored decided by the endpoint.

        When the endpoint does not answer, the built-in findings stand (the fallback); a
        category its answer leaves out keeps the built-in findings too."""
        scores = self.scores(text)
        if scores is None:
            return assessment
        kept = [f for f in assessment.findings if f.category not in scores]
        decided = [
            self._finding(text, category, score, explain)
            for category, score in sorted(scores.items())
            if score >= self.config.threshold
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
