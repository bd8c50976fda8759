"""Literal facts read off regular expressions, used to skip searches that cannot match.

Both rule sets, the text rules (``classifiers.text.rules``) and the privacy
terms (``classifiers.pii.lexicon``), are long lists of patterns run over every
comment.  What every match must begin with or contain can be read off a
pattern's parse tree; a text that lacks it needs no search.  Everything here
is conservative: a pattern it does not understand gives ``None``, and the
matches found are always those of the plain pattern.
"""

from __future__ import annotations

import re
import re._constants as sre
import re._parser as sre_parse
from collections.abc import Callable, Iterable, Sequence
from collections.abc import Set as AbstractSet
from typing import Any

__all__ = [
    "AnchorIndex",
    "best_factor",
    "blanks_as_one",
    "compile_anchored",
    "first_characters",
    "required_factors",
    "required_substrings",
]


class AnchorIndex:
    """Which of many anchor substrings occur in a text.

    Searching a comment once per anchor costs more than every rule that the
    anchors then skip.  An anchor's longest run of non-blank characters (its
    *core*: "vart" in "vet vart", "(c)" in "(c)") can only occur inside one
    blank-separated chunk of the text, so cores are looked up per chunk, and
    the answer is remembered per chunk because comment vocabularies repeat.
    Only an anchor whose core was found and which is more than its core is
    then searched for in the text itself.  The result is exactly
    ``{a for a in anchors if a in text or a in blanks_as_one(text)}``: a pattern's
    blank class also matches two blanks or a line break, where an anchor of several
    words has one space.
    """

    def __init__(self, anchors: Iterable[str]) -> None:
        self._by_core: dict[str, list[str]] = {}
        self._blank: list[str] = []
        for anchor in sorted(set(anchors)):
            parts = anchor.split()
            if parts:
                # Of equally long parts the last: "inte fått" is found by "fått".
                self._by_core.setdefault(max(reversed(parts), key=len), []).append(anchor)
            else:
                self._blank.append(anchor)
        # A chunk not seen before is read once, position by position: the cores that
        # begin with the two characters there (a handful), checked with ``startswith``.
        # Asking ``core in chunk`` of all ~500 cores cost five times as much, and a
        # long-running worker still meets a few new chunks in every comment.
        self._single = frozenset(core for core in self._by_core if len(core) == 1)
        self._by_first_two: dict[str, tuple[str, ...]] = {}
        for core in self._by_core:
            if len(core) > 1:
                self._by_first_two[core[:2]] = (*self._by_first_two.get(core[:2], ()), core)
        self._chunk_cache: dict[str, frozenset[str]] = {}

    def _cores_in(self, chunk: str) -> frozenset[str]:
        found = set(self._single.intersection(chunk))
        starting = self._by_first_two.get
        for i in range(len(chunk) - 1):
            cores = starting(chunk[i : i + 2])
            if cores:
                found.update(core for core in cores if chunk.startswith(core, i))
        return frozenset(found)

    def present(self, text: str) -> set[str]:
        """The anchors that occur in ``text``."""
        found = {a for a in self._blank if a in text}
        cache = self._chunk_cache
        cores: set[str] = set()
        for chunk in text.split():
            inside = cache.get(chunk)
            if inside is None:
                inside = self._cores_in(chunk)
                if len(cache) > 50_000:
                    cache.clear()
                cache[chunk] = inside
            if inside:
                cores.update(inside)
        squashed: str | None = None
        for core in cores:
            for anchor in self._by_core[core]:
                if anchor == core or anchor in text:
                    found.add(anchor)
                elif " " in anchor:
                    if squashed is None:
                        squashed = blanks_as_one(text)
                    if anchor in squashed:
                        found.add(anchor)
        return found


def blanks_as_one(text: str) -> str:
    """``text`` with every run of blanks (spaces, tabs, line breaks) as one space."""
    return " ".join(text.split())


def first_characters(pattern: str) -> frozenset[str] | None:
    """Every character a match of ``pattern`` can begin with, or ``None`` when that is
    not a short list (a class like ``\\w``, an optional first item, a lookaround).

    Conservative by construction: anything it does not understand gives ``None``.
    """
    try:
        parsed = sre_parse.parse(pattern)
    except re.error:  # pragma: no cover - compile() reports it
        return None
    if parsed.state.flags & (re.IGNORECASE | re.VERBOSE):
        return None  # "(?i)" widens every literal; keep it simple and give up
    found = _first(list(parsed))
    return frozenset(found) if found else None


def _first(items: list[Any]) -> set[str] | None:
    """First characters of a sequence of parsed items; ``None`` when unknown or possibly empty."""
    optional: set[str] = set()  # first characters of optional items passed so far
    for op, arg in items:
        if op is sre.AT:  # \b, ^ and $ consume nothing: the next item decides
            continue
        if op in (sre.MAX_REPEAT, sre.MIN_REPEAT) and arg[0] == 0:
            sub = _first(list(arg[2]))
            if sub is None:
                return None
            optional |= sub  # "(?:en\s+)?bomb": an "e" or what follows
            continue
        chars = _first_of_item(op, arg)
        return None if chars is None else optional | chars
    return None  # only zero-width or optional items: the match may be empty


def _first_of_item(op: Any, arg: Any) -> set[str] | None:
    if op is sre.LITERAL:
        return {chr(arg)}
    if op is sre.IN:
        if all(kind is sre.LITERAL for kind, _ in arg):
            return {chr(c) for _, c in arg}
        return None
    if op is sre.BRANCH:
        return _union_of_branches(arg[1], _first)
    if op is sre.SUBPATTERN:
        _group, add_flags, del_flags, sub_pattern = arg
        return None if add_flags or del_flags else _first(list(sub_pattern))
    if op in (sre.MAX_REPEAT, sre.MIN_REPEAT):  # at least once
        return _first(list(arg[2]))
    return None


def required_substrings(pattern: str) -> frozenset[str] | None:
    """Literal strings of which every match of ``pattern`` contains at least one.

    A word list the pattern cannot match without ("döda", "skjuta", … in a
    threat), so a text with none of them needs no regex search at all.  Of
    the lists that qualify the one with the longest shortest member is
    taken.  ``None`` when nothing qualifies; conservative like
    :func:`first_characters`: lookarounds, classes and optional items are
    never used, and ``(?i)`` gives up.
    """
    found = best_factor(required_factors(pattern) or ())
    return frozenset(found) if found else None


def required_factors(pattern: str) -> tuple[frozenset[str], ...] | None:
    """Every list of literal strings that :func:`required_substrings` chooses among: each
    match of ``pattern`` contains a member of *each* list ("har ", " i " and "lön" in a
    salary term).  ``None`` when there is none or the pattern is not understood."""
    try:
        parsed = sre_parse.parse(pattern)
    except re.error:  # pragma: no cover - compile() reports it
        return None
    if parsed.state.flags & (re.IGNORECASE | re.VERBOSE):
        return None
    found = tuple(frozenset(f) for f in _factors(list(parsed)))
    return found or None


def best_factor(factors: Sequence[AbstractSet[str]]) -> AbstractSet[str] | None:
    """Of several lists of required strings, the one with the longest shortest member
    (the rarest to find by chance), fewer members breaking a tie."""
    return max(factors, key=lambda f: (min(map(len, f)), -len(f))) if factors else None


def _factors(items: list[Any]) -> list[set[str]]:
    """Lists of strings, each with a member inside every match of the sequence ``items``."""
    out: list[set[str]] = []
    i = 0
    while i < len(items):
        op, arg = items[i]
        if op is sre.LITERAL:
            run, i = _literal_run(items, i)
            out.append({run})
            continue
        if op is sre.SUBPATTERN:
            _group, add_flags, del_flags, sub = arg
            if not (add_flags or del_flags):
                out.extend(f for f in (_prefixes(list(sub)),) if f)
                out.extend(_factors(list(sub)))
        elif op is sre.BRANCH:
            out.extend(f for f in (_prefixes([items[i]]),) if f)
            # One list per alternative; together they cover every match.
            per = [best_factor(_factors(list(branch))) for branch in arg[1]]
            if all(per):
                out.append({s for f in per if f for s in f})
        elif op in (sre.MAX_REPEAT, sre.MIN_REPEAT) and arg[0] >= 1:
            out.extend(f for f in (_prefixes(list(arg[2])),) if f)
        i += 1
    return [f for f in out if all(f)]


def _prefixes(items: list[Any]) -> set[str] | None:
    """Literal strings one of which every match of the sequence ``items`` begins with."""
    i = 0
    while i < len(items) and items[i][0] is sre.AT:
        i += 1
    if i == len(items):
        return None
    op, arg = items[i]
    if op is sre.LITERAL:
        return {_literal_run(items, i)[0]}
    if op is sre.SUBPATTERN:
        _group, add_flags, del_flags, sub = arg
        return None if add_flags or del_flags else _prefixes(list(sub))
    if op is sre.BRANCH:
        return _union_of_branches(arg[1], _prefixes)
    if op in (sre.MAX_REPEAT, sre.MIN_REPEAT) and arg[0] >= 1:
        return _prefixes(list(arg[2]))
    return None


def compile_anchored(pattern: str, flags: int = 0) -> re.Pattern[str]:
    """``pattern`` compiled behind a lookahead of its possible first characters.

    Python's engine tries every alternative of a long alternation at every
    position of the text; a one-character class in front lets it skip the
    positions where no alternative can start.  The matches are the same.
    """
    chars = None if flags & re.IGNORECASE else first_characters(pattern)
    if not chars:
        return re.compile(pattern, flags)
    charset = "".join(re.escape(c) for c in sorted(chars))
    return re.compile(f"(?=[{charset}])(?:{_hoist_word_boundaries(pattern)})", flags)


def _hoist_word_boundaries(pattern: str) -> str:
    r"""``\bA|\bB|C`` as ``\b(?:A|B)|C``: the same matches, tried in the same order.

    Alternatives that start with ``\b`` make the engine test the boundary once
    per alternative at every position; hoisted, a position inside a word fails
    once for the whole run of them.  Only neighbouring alternatives are
    grouped, so which alternative wins at a position does not change.
    """
    parts = _top_level_alternatives(pattern)
    out: list[str] = []
    run: list[str] = []
    for part in [*parts, ""]:
        if part.startswith("\\b"):
            run.append(part[2:])
            continue
        if len(run) > 1:
            out.append("\\b(?:" + "|".join(run) + ")")
        elif run:
            out.append("\\b" + run[0])
        run = []
        out.append(part)
    return "|".join(out[:-1])


def _top_level_alternatives(pattern: str) -> list[str]:
    """``pattern`` split at the ``|`` outside groups and character classes."""
    parts: list[str] = []
    depth = 0
    start = 0
    i = 0
    n = len(pattern)
    while i < n:
        c = pattern[i]
        if c == "\\":
            i += 2
            continue
        if c == "[":
            # Skip the class; a "]" right after "[" or "[^" is a member, not its end.
            i += 1
            if i < n and pattern[i] == "^":
                i += 1
            if i < n and pattern[i] == "]":
                i += 1
            while i < n and pattern[i] != "]":
                i += 2 if pattern[i] == "\\" else 1
        elif c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
        elif c == "|" and depth == 0:
            parts.append(pattern[start:i])
            start = i + 1
        i += 1
    parts.append(pattern[start:])
    return parts


def _union_of_branches(
    branches: Iterable[Any], read: Callable[[list[Any]], set[str] | None]
) -> set[str] | None:
    """What ``read`` finds in every alternative of a branch, pooled; ``None`` if any is unknown."""
    found: set[str] = set()
    for branch in branches:
        sub = read(list(branch))
        if sub is None:
            return None
        found |= sub
    return found


def _literal_run(items: list[Any], i: int) -> tuple[str, int]:
    """The literal characters from ``items[i]`` on, as one string, and the index after them."""
    run = ""
    while i < len(items) and items[i][0] is sre.LITERAL:
        run += chr(items[i][1])
        i += 1
    return run, i
