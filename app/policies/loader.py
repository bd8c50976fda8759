"""Loading presets and tenant overrides, with errors an operator can act on.

A policy file is edited by hand, by people who are not programmers, and a
mistake in it changes what happens to citizens' comments.  So a bad file must
fail loudly at load time, and the message must say where: the file, the rule
(by id, or by position when the id itself is missing) and the field, e.g.
``finspang.yaml: rule 'finspang.question' field 'due_hours': must be > 0``.
pydantic's own messages are kept for the unusual cases; the common ones are
rephrased to be short.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from importlib import resources
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError
from pydantic_core import ErrorDetails

from app.policies.models import ACTIONS, Policy, Rule

_PRESET_PACKAGE = "app.policies"
_PRESET_DIR = "presets"
#: The guideline texts the bundled presets quote (``sources/README.md``).
_SOURCE_DIR = "sources"


class PolicyFileError(ValueError):
    """A policy file or override that cannot be used; the message says where and why."""


def _number(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _describe(error: ErrorDetails) -> str:
    kind = error["type"]
    ctx = error.get("ctx") or {}
    if kind == "missing":
        return "is required"
    if kind == "extra_forbidden":
        return "unknown field"
    if kind == "greater_than":
        return f"must be > {_number(ctx.get('gt'))}"
    if kind == "greater_than_equal":
        return f"must be >= {_number(ctx.get('ge'))}"
    if kind == "less_than":
        return f"must be < {_number(ctx.get('lt'))}"
    if kind == "less_than_equal":
        return f"must be <= {_number(ctx.get('le'))}"
    if kind == "literal_error":
        if "'hide'" in str(ctx.get("expected", "")):
            return f"unknown action {error['input']!r}; expected one of: {', '.join(ACTIONS)}"
        return f"{error['input']!r} is not one of: {ctx.get('expected')}"
    if kind == "value_error":
        return str(ctx.get("error", error["msg"]))
    return str(error["msg"])


def _rule_label(index: int, raw_rules: Any) -> str:
    if isinstance(raw_rules, Sequence) and 0 <= index < len(raw_rules):
        raw = raw_rules[index]
        if isinstance(raw, Mapping) and isinstance(raw.get("id"), str) and raw["id"]:
            return f"rule {raw['id']!r}"
    return f"rule #{index}"


def _field_path(parts: Sequence[int | str]) -> str:
    # A list position inside a field (actions[2]) reads better than "actions.2".
    out = ""
    for part in parts:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + part
    return out


def _format_errors(label: str, exc: ValidationError, raw: Any, *, joiner: str = ": ") -> str:
    """One line per problem: ``<label><joiner>rule 'id' field 'name': what is wrong``."""
    raw_rules = raw.get("rules") if isinstance(raw, Mapping) else None
    lines = []
    for error in exc.errors():
        loc = list(error["loc"])
        subject = []
        if len(loc) >= 2 and loc[0] == "rules" and isinstance(loc[1], int):
            subject.append(_rule_label(loc[1], raw_rules))
            loc = loc[2:]
        field = _field_path(loc)
        if field:
            subject.append(f"field {field!r}")
        where = label + joiner + " ".join(subject) if subject else label
        lines.append(f"{where}: {_describe(error)}")
    return "\n".join(lines)


def _duplicate_ids(label: str, rules: Sequence[Rule]) -> None:
    first_seen: dict[str, int] = {}
    for index, rule in enumerate(rules):
        if rule.id in first_seen:
            raise PolicyFileError(
                f"{label}: rule {rule.id!r} field 'id': duplicate rule id "
                f"(rules #{first_seen[rule.id]} and #{index})"
            )
        first_seen[rule.id] = index


def parse_policy(data: Any, *, label: str) -> Policy:
    """Validate already-parsed data (a mapping) as a policy; ``label`` names it in errors."""
    if not isinstance(data, Mapping):
        raise PolicyFileError(f"{label}: expected a mapping at the top level, got {type(data).__name__}")
    try:
        policy = Policy.model_validate(data)
    except ValidationError as exc:
        raise PolicyFileError(_format_errors(label, exc, data)) from None
    _duplicate_ids(label, policy.rules)
    return policy


def load_policy_file(path: str | Path) -> Policy:
    """Load and validate one policy YAML file."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise PolicyFileError(f"{path.name}: cannot read: {exc.strerror or exc}") from None
    return _parse_yaml(text, label=path.name)


def _parse_yaml(text: str, *, label: str) -> Policy:
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise PolicyFileError(f"{label}: not valid YAML: {exc}") from None
    return parse_policy(data, label=label)


def available_presets() -> list[str]:
    """Names of the bundled presets, sorted."""
    folder = resources.files(_PRESET_PACKAGE).joinpath(_PRESET_DIR)
    return sorted(
        entry.name.removesuffix(".yaml")
        for entry in folder.iterdir()
        if entry.is_file() and entry.name.endswith(".yaml")
    )


@functools.lru_cache(maxsize=16)
def load_preset(name: str) -> Policy:
    """The bundled preset ``name`` (e.g. ``"finspang"``).

    Cached: the worker asks for a tenant's policy for every comment, and a
    ``Policy`` is immutable, so one parsed instance can be shared.
    """
    presets = available_presets()
    if name not in presets:
        raise PolicyFileError(f"unknown preset {name!r}; available: {', '.join(presets)}")
    entry = resources.files(_PRESET_PACKAGE).joinpath(_PRESET_DIR, f"{name}.yaml")
    policy = _parse_yaml(entry.read_text(encoding="utf-8"), label=f"{name}.yaml")
    if policy.name != name:
        raise PolicyFileError(f"{name}.yaml: field 'name': is {policy.name!r}, expected {name!r}")
    return policy


def preset_source(filename: str) -> str:
    """The text of a bundled guideline (a preset's ``source``), as the presets cite it.

    Line numbers in ``source_line`` count lines of this text, from 1.
    """
    entry = resources.files(_PRESET_PACKAGE).joinpath(_SOURCE_DIR, filename)
    if "/" in filename or "\\" in filename or not entry.is_file():
        raise PolicyFileError(f"no bundled guideline text named {filename!r}")
    return entry.read_text(encoding="utf-8")


def apply_overrides(
    policy: Policy,
    overrides: Sequence[Mapping[str, Any]],
    *,
    label: str = "overrides",
) -> Policy:
    """A copy of ``policy`` with a tenant's rule overrides applied.

    Each override is a mapping with an ``id``.  If a rule with that id exists,
    the override's fields replace that rule's fields (``texts`` is merged key
    by key, so a tenant can reword one text and keep the other); otherwise the
    override is a new rule and must be complete.  The result is validated
    exactly like a preset, and errors name the override by position and id.
    """
    by_id = {rule.id: index for index, rule in enumerate(policy.rules)}
    rules: list[dict[str, Any]] = [rule.model_dump(exclude_none=True) for rule in policy.rules]
    for index, override in enumerate(overrides):
        if not isinstance(override, Mapping):
            raise PolicyFileError(
                f"{label}: override #{index}: expected a mapping, got {type(override).__name__}"
            )
        rule_id = override.get("id")
        if not isinstance(rule_id, str) or not rule_id:
            raise PolicyFileError(f"{label}: override #{index} field 'id': is required")
        where = f"{label}: override #{index} (rule {rule_id!r})"
        if rule_id in by_id:
            merged = dict(rules[by_id[rule_id]])
            for key, value in override.items():
                if key == "texts" and isinstance(value, Mapping) and isinstance(merged.get("texts"), Mapping):
                    merged["texts"] = {**merged["texts"], **value}
                else:
                    merged[key] = value
            candidate = merged
        else:
            candidate = dict(override)
        try:
            Rule.model_validate(candidate)
        except ValidationError as exc:
            raise PolicyFileError(_format_errors(where, exc, candidate, joiner=" ")) from None
        if rule_id in by_id:
            rules[by_id[rule_id]] = candidate
        else:
            by_id[rule_id] = len(rules)
            rules.append(candidate)
    data = policy.model_dump(exclude_none=True)
    data["rules"] = rules
    return parse_policy(data, label=label)
