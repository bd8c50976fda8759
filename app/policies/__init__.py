"""Municipal moderation policies: presets as data, overrides, recommendations, due times.

Each bundled preset (``presets/<name>.yaml``) turns one municipality's
guideline for social media into rules, and every rule quotes the guideline
sentence it implements, so that an editor can always answer "why was this
removed?" with the municipality's own words.  The package is pure: no
database and no web framework, so the worker, the API and the CLI can all use
it and tests run in milliseconds.
"""

from app.policies.clock import add_working_hours, is_overdue, is_working_day, non_working_reason
from app.policies.loader import (
    PolicyFileError,
    apply_overrides,
    available_presets,
    load_policy_file,
    load_preset,
    parse_policy,
    preset_source,
)
from app.policies.models import ACTIONS, FindingLike, Policy, Retention, Rule, RuleTexts
from app.policies.recommendation import MatchedRule, Recommendation

__all__ = [
    "ACTIONS",
    "FindingLike",
    "MatchedRule",
    "Policy",
    "PolicyFileError",
    "Recommendation",
    "Retention",
    "Rule",
    "RuleTexts",
    "add_working_hours",
    "apply_overrides",
    "available_presets",
    "is_overdue",
    "is_working_day",
    "load_policy_file",
    "load_preset",
    "non_working_reason",
    "parse_policy",
    "preset_source",
]
