"""All ORM classes, imported in one place so Alembic sees the whole schema."""

from app.models.base import Base, UTCDateTime, utcnow
from app.models.comments import Assessment, Comment, CommentEvent, CommentVersion
from app.models.inbox import WebhookDelivery
from app.models.modlog import LogChainHead, ModerationLogEntry
from app.models.notifications import DESTINATION_KINDS, Destination, OutboundMessage
from app.models.queue import Decision, EvidenceSnapshot, PlatformAction, QueueItem, Registration
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
    "Assessment",
    "Base",
    "Comment",
    "CommentEvent",
    "CommentVersion",
    "Decision",
    "Destination",
    "EvidenceSnapshot",
    "LogChainHead",
    "LoginLink",
    "ModerationLogEntry",
    "OutboundMessage",
    "PlatformAction",
    "QueueItem",
    "Registration",
    "Tenant",
    "UTCDateTime",
    "WebSession",
    "WebhookDelivery",
    "utcnow",
]
