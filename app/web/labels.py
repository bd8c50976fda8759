"""What people read: Swedish names for the codes the services use."""

from __future__ import annotations

from app.assessment.language import LABEL_SV as LANGUAGE_LABEL
from app.assessment.language import LANGUAGE_NOT_ASSESSED
from app.platforms.capabilities import CAPABILITIES
from app.policies.models import ACTION_LABELS_SV
from classifiers import CATEGORY_LABELS_SV

ROLE_LABELS = {
    "editor": "redaktör",
    "account_owner": "kontoansvarig",
    "registrar": "registrator",
    "admin": "administratör",
}
ACTION_LABELS = ACTION_LABELS_SV
PLATFORM_LABELS = {p: c.label[:1].upper() + c.label[1:] for p, c in CAPABILITIES.items()}
STATUS_LABELS = {"open": "Öppen", "decided": "Beslutad"}
ACTION_STATUS_LABELS = {
    "pending": "Väntar",
    "running": "Pågår",
    "done": "Utförd",
    "failed": "Misslyckades",
    "cancelled": "Avbruten",
}
COMMENT_STATE_LABELS = {
    "visible": "Synlig",
    "hidden": "Dold",
    "deleted_by_us": "Borttagen av oss",
    "deleted_by_author": "Borttagen av skribenten",
}
ACTION_KIND_LABELS = {"hide": "Dölj", "unhide": "Visa igen", "delete": "Ta bort", "reply": "Svar"}
CATEGORY_LABELS = dict(CATEGORY_LABELS_SV)
#: The inbox's category choice for comments nobody has assessed in their language: the
#: classifier files them under ``question``, which the "question" choice leaves out.
NOT_ASSESSED_FILTER = LANGUAGE_NOT_ASSESSED

GLOBALS = {
    "role_labels": ROLE_LABELS,
    "action_labels": ACTION_LABELS,
    "platform_labels": PLATFORM_LABELS,
    "status_labels": STATUS_LABELS,
    "action_status_labels": ACTION_STATUS_LABELS,
    "comment_state_labels": COMMENT_STATE_LABELS,
    "action_kind_labels": ACTION_KIND_LABELS,
    "category_labels": CATEGORY_LABELS,
    #: A category whose only findings are language marks ("question", as they are filed).
    "language_label": LANGUAGE_LABEL,
    "not_assessed_filter": NOT_ASSESSED_FILTER,
}
