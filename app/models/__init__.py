"""All ORM classes, imported in one place so Alembic sees the whole schema."""

from app.models.base import Base, UTCDateTime, utcnow
from app.models.comments import Assessment, Comment, CommentEvent, CommentVersion
from app.models.inbox import WebhookDelivery
from app.models.learning import ClassifierModel, DecisionLabel
from app.models.media import CommentMedia, MediaBlob
from app.models.modlog import LogChainHead, ModerationLogEntry
from app.models.notifications import DESTINATION_KINDS, Destination, OutboundMessage
from app.models.queue import Decision, EvidenceSnapshot, PlatformAction, QueueItem, Registration
from app.models.reconcile import ApiQuotaUsage, ReconcileState
from app.models.tenants import MEMBER_ROLES, PLATFORMS, ROLES, Account, AccountMember, ApiKey, Tenant
from app.models.web import LoginLink, WebSession

__all__ = [
    "DESTINATION_KINDS",
    "MEMBER_ROLES",
    "PLATFORMS",
    "ROLES",
    "Account",
    "AccountMember",
    "ApiKey",
    "ApiQuotaUsage",
    "Assessment",
    "Base",
    "ClassifierModel",
    "Comment",
    "CommentEvent",
    "CommentMedia",
    "CommentVersion",
    "Decision",
    "DecisionLabel",
    "Destination",
    "EvidenceSnapshot",
    "LogChainHead",
    "LoginLink",
    "MediaBlob",
    "ModerationLogEntry",
    "OutboundMessage",
    "PlatformAction",
    "QueueItem",
    "ReconcileState",
    "Registration",
    "Tenant",
    "UTCDateTime",
    "WebSession",
    "WebhookDelivery",
    "utcnow",
]
