"""Comment text cut into plain and marked pieces, so a template can put the words that
triggered a finding in ``<mark>`` while escaping everything (no HTML is built here)."""

from __future__ import annotations

from collections.abc import Sequence

ELLIPSIS = "…"


def _merged(spans: Sequence[tuple[int, int]], length: int) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for start, end in sorted((max(0, s), min(length, e)) for s, e in spans):
        if start >= end:
            continue
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def segments(
    text: str, spans: Sequence[tuple[int, int]], *, limit: int | None = None, before: int = 60
) -> list[tuple[str, bool]]:
    """``[(piece, marked), …]``; with ``limit``, a window of about that many characters
    starting a little before the first marked word, with an ellipsis where text is cut."""
    marked = _merged(spans, len(text))
    lo, hi = 0, len(text)
    if limit is not None and len(text) > limit:
        first = marked[0][0] if marked else 0
        lo = max(0, min(first - before, len(text) - limit))
        if lo > 0:
            space = text.rfind(" ", 0, lo + 1)
            lo = space + 1 if space >= lo - 20 else lo
        hi = min(len(text), lo + limit)
    pieces: list[tuple[str, bool]] = [(ELLIPSIS, False)] if lo > 0 else []
    at = lo
    for start, end in marked:
        if end <= lo or start >= hi:
            continue
        start, end = max(start, lo), min(end, hi)
        if start > at:
            pieces.append((text[at:start], False))
        pieces.append((text[start:end], True))
        at = end
    if at < hi:
        pieces.append((text[at:hi], False))
    if hi < len(text):
        pieces.append((ELLIPSIS, False))
    return pieces
