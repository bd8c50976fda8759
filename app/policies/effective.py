"""A tenant's effective policy: its preset with its own overrides applied.

Presets come with the package (``app/policies/presets``); an operator may add
the municipality's own policy files in ``UPPSIKT_POLICY_DIR``.  All of them
are loaded and validated when the service starts, so a bad file stops it
there with a message naming the file, rule and field.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

from app.models import Tenant
from app.policies import Policy, apply_overrides, available_presets, load_policy_file, load_preset

_local: dict[str, Policy] = {}


def load_policies(policy_dir: Path | None) -> list[str]:
    """Validate every bundled preset and every file in ``policy_dir``; returns all names."""
    for name in available_presets():
        load_preset(name)
    local: dict[str, Policy] = {}
    if policy_dir is not None:
        for path in sorted(policy_dir.glob("*.yaml")):
            policy = load_policy_file(path)
            local[policy.name] = policy
    _local.clear()
    _local.update(local)
    _effective.cache_clear()
    return policy_names()


def policy_names() -> list[str]:
    return sorted({*available_presets(), *_local})


def base_policy(name: str) -> Policy:
    return _local[name] if name in _local else load_preset(name)


@lru_cache(maxsize=256)
def _effective(preset: str, overrides_json: str) -> Policy:
    policy = base_policy(preset)
    overrides = json.loads(overrides_json)
    return apply_overrides(policy, overrides, label="tenant overrides") if overrides else policy


def effective_policy(tenant: Tenant) -> Policy:
    return _effective(tenant.preset, json.dumps(tenant.policy_overrides or [], sort_keys=True))
