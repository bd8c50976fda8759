"""Two tenants with real data in them, built through the service's own paths.

Tenant A is rich: two Facebook Pages, comments that arrived as signed
deliveries and went through the real classifiers, a flagged comment with its
queue item, evidence, a decision whose actions ran against the fake Graph API,
a registration request and the log entries all of that wrote.  Tenant B is
plain but deliberately confusable: its editor and account owner carry the same
subject names as A's, so a scope that forgot the tenant would show.

Every piece of A's content carries an ASCII marker (comment texts, author
names, external ids, display names, the decision's reason) so a test can
search any response body for a leak without knowing its shape.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient
from pydantic import SecretStr
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from app.actions.worker import ActionWorker
from app.assessment.service import default_classifier
from app.crypto import TokenCipher
from app.destinations.service import add_destination
from app.main import create_app
from app.models import ApiKey, EvidenceSnapshot, ModerationLogEntry, Tenant
from app.settings import Settings
from app.tenants.service import set_known_parties
from app.worker.inbox import InboxWorker
from tests.conftest import make_settings
from tests.factories import (
    auth,
    create_account,
    create_key,
    create_tenant,
    feed_change,
    meta_json,
    page_delivery,
    sign_meta,
)
from tests.fakes.graph_api import FakeGraphAPI
from tests.testdata import skatteverket_numbers

TOKEN = "EAAG-fake-page-token"  # the fake Graph API's valid token
ROOT = Path(__file__).resolve().parents[2]

PAGE_A1 = "5550000000111"
PAGE_A2 = "5550000000122"
PAGE_B = "5550000000233"
POST = "778"

#: The same people are named in both tenants: a subject is only unique within a tenant.
EDITOR = "red@isoa.example"
OWNER = "chef@isoa.example"
EDITOR_A2 = "red2@isoa.example"
OWNER_A2 = "chef2@isoa.example"

#: Settings that keep per-key rate limits and auth-failure limits out of a test that
#: calls every route many times (unknown names are ignored by ``Settings``).
UNLIMITED: dict[str, Any] = {"rate_limit_per_minute": 0, "auth_failures_per_minute": 0}


def skatteverket_personnummer(index: int = 0) -> str:
    """A personnummer from Skatteverket's test list, as ``YYYYMMDD-NNNN``."""
    wanted = [n for n in skatteverket_numbers() if n.startswith("1985")][index]
    return f"{wanted[:8]}-{wanted[8:]}"


@dataclass
class RichWorld:
    client: TestClient
    session_factory: sessionmaker[Session]
    settings: Settings
    graph: FakeGraphAPI
    worker: InboxWorker
    actions: ActionWorker
    tenant_a: int
    tenant_b: int
    account_a1: int
    account_a2: int
    account_b: int
    #: role name → key.  A: admin, registrar, editor, account_owner (all of account A1),
    #: editor_a2, owner_a2 (only account A2).  B: the four roles.
    keys_a: dict[str, str]
    keys_b: dict[str, str]
    #: The ids of A's objects, by path-parameter name.
    ids: dict[str, int]
    #: Text that only tenant A's account A1 holds (texts, names, ids, hashes).
    markers_a1: list[str] = field(default_factory=list)
    #: Text of tenant A outside account A1 (account A2's comment, A's log hashes, A's name).
    markers_a: list[str] = field(default_factory=list)

    def deliver(self, page: str, *changes: dict[str, Any]) -> None:
        body = meta_json(page_delivery(*changes, page_id=page))
        r = self.client.post("/webhooks/meta", content=body, headers=sign_meta(body))
        assert r.status_code == 200, r.text

    def process(self) -> None:
        self.worker.run_until_idle()
        self.actions.run_until_idle()


def _comment(world: RichWorld, page: str, comment: str, text: str, author: str) -> None:
    world.graph.add_comment(f"{POST}_{comment}", "facebook", text)
    change = feed_change(comment=comment, message=text, post=POST, page_id=page)
    change["value"]["from"] = {"id": f"id-{comment}", "name": author}
    world.deliver(page, change)


@contextmanager
def rich_world(
    database_url: str,
    graph: tuple[FakeGraphAPI, str],
    *,
    raise_server_exceptions: bool = True,
    **overrides: Any,
) -> Iterator[RichWorld]:
    fake, url = graph
    fake.reset()
    fake.add_comment(f"{PAGE_A1}_{POST}", "facebook", "Inlägg om snöröjningen")
    settings = make_settings(
        database_url,
        meta_graph_url=url,
        secret_key=SecretStr("test-secret-key-for-tokens"),
        platform_timeout_s=0.5,
        action_backoff_base_s=0.01,
        action_backoff_cap_s=0.05,
        **{**UNLIMITED, **overrides},
    )
    app = create_app(settings)
    cipher = TokenCipher(settings)
    with (
        TestClient(app, raise_server_exceptions=raise_server_exceptions) as client,
        app.state.session_factory() as s,
    ):
        # Härjedalen asks for a police review of a personnummer: that gives the item a
        # pending review, so the police-review route has something to refuse.
        a = create_tenant(s, name="isoa-kommun", preset="harjedalen")
        b = create_tenant(s, name="isob-kommun", preset="helsingborg")
        a1 = create_account(
            s, tenant=a, external_id=PAGE_A1, name="Isoakonto Ett", owner=OWNER, editors=(EDITOR,)
        )
        a2 = create_account(
            s, tenant=a, external_id=PAGE_A2, name="Isoakonto Tva", owner=OWNER_A2, editors=(EDITOR_A2,)
        )
        acct_b = create_account(
            s, tenant=b, external_id=PAGE_B, name="Isobkonto", owner=OWNER, editors=(EDITOR,)
        )
        for account in (a1, a2, acct_b):
            account.access_token_ciphertext = cipher.encrypt(TOKEN)
        s.commit()
        keys_a = {
            "admin": create_key(s, tenant=a, role="admin"),
            "registrar": create_key(s, tenant=a, role="registrar"),
            "editor": create_key(s, tenant=a, role="editor", subject=EDITOR),
            "account_owner": create_key(s, tenant=a, role="account_owner", subject=OWNER),
            "editor_a2": create_key(s, tenant=a, role="editor", subject=EDITOR_A2),
            "owner_a2": create_key(s, tenant=a, role="account_owner", subject=OWNER_A2),
            # Only for the key routes to rotate and revoke; nothing else uses it.
            "victim": create_key(s, tenant=a, role="registrar", subject="ISOAKEYSUBJECT"),
        }
        # A's own contact details: the known-parties route must show them to A's admin only.
        set_known_parties(
            s,
            tenant=a,
            raw={"emails": ["isoaknown@kommun.example"], "public_officials": ["Isoa Knownofficial"]},
            actor="test",
        )
        # A's registrar mailbox: the destination routes have something to refuse.
        destination = add_destination(
            s,
            tenant=a,
            name="ISOADEST registrator",
            kind="email",
            address="isoadest@kommun.example",
            secret=None,
            registrar=True,
            cipher=cipher,
            actor="test",
        )
        s.commit()
        keys_b = {
            "admin": create_key(s, tenant=b, role="admin"),
            "registrar": create_key(s, tenant=b, role="registrar"),
            "editor": create_key(s, tenant=b, role="editor", subject=EDITOR),
            "account_owner": create_key(s, tenant=b, role="account_owner", subject=OWNER),
        }
        world = RichWorld(
            client=client,
            session_factory=app.state.session_factory,
            settings=settings,
            graph=fake,
            worker=InboxWorker(app.state.session_factory, settings, classify=default_classifier()),
            actions=ActionWorker(app.state.session_factory, settings, name="actions:test"),
            tenant_a=a.id,
            tenant_b=b.id,
            account_a1=a1.id,
            account_a2=a2.id,
            account_b=acct_b.id,
            keys_a=keys_a,
            keys_b=keys_b,
            ids={
                "key_id": _key_id(s, keys_a["victim"]),
                "admin_key_id": _key_id(s, keys_a["admin"]),
                "destination_id": destination.id,
            },
        )
        try:
            _populate(world)
            _collect_markers(world, s)
            yield world
        finally:
            world.actions.close()


def _key_id(s: Any, key: str) -> int:
    found = s.scalar(select(ApiKey.id).where(ApiKey.prefix == key.split("_")[1]))
    assert found is not None
    return int(found)


def _populate(world: RichWorld) -> None:
    pnr = skatteverket_personnummer()
    _comment(world, PAGE_A1, "isoaext1", f"ISOAMARKONE ring mig, personnummer {pnr}", "Ingrid Isoasson")
    _comment(world, PAGE_A1, "isoaext2", "ISOAMARKTWO tack for snorojningen", "Bertil Isoasson")
    _comment(world, PAGE_A1, "isoaext3", "ISOAMARKTHREE nar oppnar badet?", "Gunnel Isoasson")
    _comment(
        world, PAGE_A2, "isoaext4", f"ISOAMARKFOUR personnummer {skatteverket_personnummer(1)}", "Sven Isotva"
    )
    _comment(world, PAGE_B, "isobext1", f"ISOBMARK personnummer {skatteverket_personnummer(2)}", "Berit Isob")
    world.process()

    editor = auth(world.keys_a["editor"])
    items = world.client.get("/v1/queue", headers=editor).json()["items"]
    item = next(i for i in items if i["account_id"] == world.account_a1)
    decision = world.client.post(
        f"/v1/queue/{item['id']}/decision",
        headers=editor,
        json={"actions": ["hide", "register", "police_review"], "reason": "ISOADECISION personnummer"},
    )
    assert decision.status_code == 200, decision.text
    world.process()
    detail = world.client.get(f"/v1/queue/{item['id']}", headers=editor).json()
    assert detail["registration"] is not None, detail
    assert detail["police_review"] == "pending", detail
    assert {a["status"] for a in detail["actions"]} == {"done"}, detail["actions"]
    assert world.graph.comment(f"{POST}_isoaext1").hidden
    world.ids.update(
        comment_id=detail["comment_id"],
        item_id=item["id"],
        evidence_id=detail["evidence"][-1]["id"],
        registration_id=detail["registration"]["id"],
        account_id=world.account_a1,
    )


def _collect_markers(world: RichWorld, s: Any) -> None:
    s.rollback()
    a1 = [
        "ISOAMARKONE",
        "ISOAMARKTWO",
        "ISOAMARKTHREE",
        "Isoasson",
        "isoaext1",
        "isoaext2",
        "isoaext3",
        "Isoakonto Ett",
        PAGE_A1,
        "ISOADECISION",
    ]
    other: list[str] = []
    for snap in s.scalars(select(EvidenceSnapshot).where(EvidenceSnapshot.tenant_id == world.tenant_a)):
        hashes = [snap.sha256, *(v["text_sha256"] for v in snap.document["comment"]["versions"])]
        (a1 if snap.account_id == world.account_a1 else other).extend(hashes)
    a1.append(hashlib.sha256(b"ISOAMARKTWO tack for snorojningen").hexdigest())
    entries = s.scalars(
        select(ModerationLogEntry).where(ModerationLogEntry.tenant_id == world.tenant_a)
    ).all()
    tenant = s.get(Tenant, world.tenant_a)
    assert tenant is not None
    tenant_name = tenant.name
    world.markers_a1 = a1
    world.markers_a = [
        "ISOAMARKFOUR",
        "Isotva",
        "isoaext4",
        "Isoakonto Tva",
        PAGE_A2,
        tenant_name,
        "ISOAKEYSUBJECT",
        "ISOADEST",
        "isoadest@",
        "isoaknown@",
        "Knownofficial",
        *(key.split("_")[1] for key in world.keys_a.values()),
        *other,
        *(e.hash for e in entries),
    ]
    s.rollback()
