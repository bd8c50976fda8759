"""A tenant's effective policy: its preset with its own overrides applied."""

from __future__ import annotations

import json
from functools import lru_cache

from app.models import Tenant
from app.policies import Policy, apply_overrides, load_preset


@lru_cache(maxsize=256)
def _effective(preset: str, overrides_json: str) -> Policy:
    policy = load_preset(preset)
    overrides = json.loads(overrides_json)
    return apply_overrides(policy, overrides, label="tenant overrides") if overrides else policy


def effective_policy(tenant: Tenant) -> Policy:
    return _effective(tenant.preset, json.dumps(tenant.policy_overrides or [], sort_keys=True))
