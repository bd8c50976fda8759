"""All ORM classes, imported in one place so Alembic sees the whole schema."""

from app.models.base import Base, UTCDateTime, utcnow
from app.models.comments import Assessment, Comment, CommentEvent, CommentVersion
from app.models.inbox import WebhookDelivery
from app.models.modlog import LogChainHead, ModerationLogEntry
from app.models.queue import Decision, EvidenceSnapshot, PlatformAction, QueueItem, Registration
from app.models.tenants import MEMBER_ROLES, PLATFORMS, ROLES, Account, AccountMember, ApiKey, Tenant

__all__ = [
    "MEMBER_ROLES",
    "PLATFORMS",
    "ROLES",
    "Account",
    "AccountMember",
    "ApiKey",
    "Assessment",
    "Base",
    "Comment",
    "CommentEvent",
    "CommentVersion",
    "Decision",
    "EvidenceSnapshot",
    "LogChainHead",
    "ModerationLogEntry",
    "PlatformAction",
    "QueueItem",
    "Registration",
    "Tenant",
    "UTCDateTime",
    "WebhookDelivery",
    "utcnow",
]
