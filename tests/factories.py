"""Plain keyword factories for arranging test data, and signed payload builders."""

from __future__ import annotations

import hashlib
import hmac
import json
from typing import Any

from sqlalchemy.orm import Session

from app.models import Account, Tenant
from app.tenants.service import add_account, create_api_key
from app.tenants.service import create_tenant as _create_tenant
from tests.conftest import LINKEDIN_SECRET, META_SECRET

PAGE_ID = "111111111111111"
IG_ACCOUNT_ID = "17841400000000001"
LI_ORG = "urn:li:organization:2414183"


def create_tenant(session: Session, *, name: str = "kommun", preset: str = "helsingborg") -> Tenant:
    tenant = _create_tenant(session, name=name, preset=preset, actor="test")
    session.commit()
    return tenant


def create_account(
    session: Session,
    *,
    tenant: Tenant,
    platform: str = "facebook",
    external_id: str = PAGE_ID,
    name: str = "Kommunen",
    owner: str | None = "agare@example.se",
    editors: tuple[str, ...] = ("red1@example.se", "red2@example.se"),
) -> Account:
    account = add_account(
        session,
        tenant=tenant,
        platform=platform,
        external_id=external_id,
        display_name=name,
        owner=owner,
        editors=editors,
        actor="test",
    )
    session.commit()
    return account


def create_key(
    session: Session, *, tenant: Tenant, role: str = "registrar", subject: str | None = None
) -> str:
    _, plaintext = create_api_key(session, tenant=tenant, role=role, subject=subject, actor="test")
    session.commit()
    return plaintext


def auth(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}


def meta_json(payload: Any) -> bytes:
    """Serialise as Meta does: non-ASCII escaped as \\uXXXX with lowercase hex."""
    return json.dumps(payload, ensure_ascii=True).encode("ascii")


def sign_meta(body: bytes, secret: str = META_SECRET) -> dict[str, str]:
    digest = hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    return {"X-Hub-Signature-256": f"sha256={digest}", "Content-Type": "application/json"}


def sign_linkedin(
    body: bytes, secret: str = LINKEDIN_SECRET, *, reading: str = "A", prefixed_header: bool = False
) -> dict[str, str]:
    message = b"hmacsha256=" + body if reading == "A" else body
    digest = hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()
    value = f"hmacsha256={digest}" if prefixed_header else digest
    return {"X-LI-Signature": value, "Content-Type": "application/json"}


def feed_change(
    *,
    verb: str = "add",
    comment: str = "1",
    message: str | None = "Hej kommunen!",
    created: int = 1_700_000_000,
    parent: str | None = None,
    post: str = "900",
    extra: dict[str, Any] | None = None,
    page_id: str = PAGE_ID,
) -> dict[str, Any]:
    post_id = f"{page_id}_{post}"
    value: dict[str, Any] = {
        "item": "comment",
        "verb": verb,
        "comment_id": f"{post}_{comment}",
        "post_id": post_id,
        "parent_id": parent or post_id,
        "from": {"id": "5550001", "name": "Testa Testsson"},
    }
    if verb != "remove":
        value["created_time"] = created
    if message is not None:
        value["message"] = message
    value.update(extra or {})
    return {"field": "feed", "value": value}


def page_delivery(
    *changes: dict[str, Any], page_id: str = PAGE_ID, time: int = 1_700_000_100
) -> dict[str, Any]:
    return {"object": "page", "entry": [{"id": page_id, "time": time, "changes": list(changes)}]}


def instagram_delivery(
    *values: dict[str, Any], field: str = "comments", account: str = IG_ACCOUNT_ID, time: int = 1_700_000_100
) -> dict[str, Any]:
    return {
        "object": "instagram",
        "entry": [{"id": account, "time": time, "changes": [{"field": field, "value": v} for v in values]}],
    }


def linkedin_notification(
    *,
    action: str = "COMMENT",
    notification_id: int = 1,
    comment: str = "7001",
    text: str | None = "Bra initiativ!",
    activity: str = "6001",
    at_ms: int = 1_700_000_000_000,
    org: str = LI_ORG,
) -> dict[str, Any]:
    urn = f"urn:li:comment:(urn:li:activity:{activity},{comment})"
    comment_body: dict[str, Any] = {
        "owner": "urn:li:person:abc123",
        "entity": urn,
        "object": f"urn:li:activity:{activity}",
    }
    if text is not None:
        comment_body["text"] = text
    return {
        "notificationId": notification_id,
        "organizationalEntity": org,
        "action": action,
        "sourcePost": f"urn:li:activity:{activity}",
        "generatedActivity": f"urn:li:comment:(activity:{activity},{comment})",
        "decoratedGeneratedActivity": {"comment": comment_body},
        "lastModifiedAt": at_ms,
        "subscriber": "urn:li:person:admin1",
    }


def linkedin_delivery(*notifications: dict[str, Any]) -> dict[str, Any]:
    return {"type": "ORGANIZATION_SOCIAL_ACTION_NOTIFICATIONS", "notifications": list(notifications)}
