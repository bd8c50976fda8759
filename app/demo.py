"""The demo tenant and a signed sample delivery, for trying Uppsikt locally.

Nothing here is used in production: the demo secret is public by design and
``serve --demo`` only falls back to it when no Meta secret is configured.
"""

from __future__ import annotations

import json
import time
from datetime import timedelta

from sqlalchemy.orm import Session

from app.platforms.signatures import hmac_sha256_hex
from app.tenants import repository
from app.tenants.service import add_account, create_api_key, create_tenant

DEMO_TENANT = "demo"
DEMO_PAGE_ID = "100000000000001"
DEMO_META_SECRET = "demo-app-secret"  # noqa: S105 - public demo value, only with --demo
DEMO_VERIFY_TOKEN = "demo-verify-token"  # noqa: S105
#: The demo's people, as on the demo Page's lists, and what each is called in the printout.
DEMO_PEOPLE: tuple[tuple[str, str, str], ...] = (
    ("redaktör", "redaktor1@demo.example", "editor"),
    ("registrator", "registrator@demo.example", "registrar"),
    ("kontoansvarig", "kontoansvarig@demo.example", "account_owner"),
    # Mottagare, egna uppgifter (kommunens nummer och företrädare) and keys are the admin's.
    ("administratör", "admin@demo.example", "admin"),
)


def ensure_demo(session: Session) -> tuple[str, str]:
    """Create the demo tenant and Page if missing; return fresh (editor, registrar) keys."""
    tenant = repository.tenant_by_name(session, DEMO_TENANT)
    if tenant is None:
        tenant = create_tenant(session, name=DEMO_TENANT, preset="helsingborg", actor="demo")
        add_account(
            session,
            tenant=tenant,
            platform="facebook",
            external_id=DEMO_PAGE_ID,
            display_name="Demo kommun",
            owner="kontoansvarig@demo.example",
            editors=["redaktor1@demo.example", "redaktor2@demo.example"],
            actor="demo",
        )
    _, editor_key = create_api_key(
        session,
        tenant=tenant,
        role="editor",
        subject="redaktor1@demo.example",
        name="demo editor",
        actor="demo",
    )
    _, registrar_key = create_api_key(
        session, tenant=tenant, role="registrar", name="demo registrar", actor="demo"
    )
    return editor_key, registrar_key


def sample_delivery(
    *,
    page_id: str = DEMO_PAGE_ID,
    text: str = "Hej! När plogas Storgatan? 😊",
    comment_seq: int | None = None,
) -> bytes:
    """A Facebook Page ``feed`` comment delivery, serialised the way Meta does
    (non-ASCII escaped), so the signature is computed over the same bytes."""
    now = int(time.time())
    seq = comment_seq if comment_seq is not None else now
    post_id = f"{page_id}_200000000000001"
    payload = {
        "object": "page",
        "entry": [
            {
                "id": page_id,
                "time": now,
                "changes": [
                    {
                        "field": "feed",
                        "value": {
                            "item": "comment",
                            "verb": "add",
                            "comment_id": f"200000000000001_{seq}",
                            "post_id": post_id,
                            "parent_id": post_id,
                            "created_time": now,
                            "from": {"id": "300000000000001", "name": "Testa Testsson"},
                            "message": text,
                        },
                    }
                ],
            }
        ],
    }
    return json.dumps(payload, ensure_ascii=True).encode("ascii")


def sign_meta(body: bytes, secret: str) -> str:
    return "sha256=" + hmac_sha256_hex(secret.encode(), body)


def sign_in_links(session: Session, *, ttl: timedelta) -> list[tuple[str, str]]:
    """One fresh one-time sign-in token per demo person: (who, token).

    Printed by ``serve --demo`` so that trying the web inbox needs no identity provider.
    """
    from app.web.sessions import create_login_link

    return [
        (label, create_login_link(session, tenant_name=DEMO_TENANT, subject=subject, role=role, ttl=ttl)[1])
        for label, subject, role in DEMO_PEOPLE
    ]
