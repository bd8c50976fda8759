"""LinkedIn end to end: signed notification → item (no hide on LinkedIn) → delete on the fake API."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from pydantic import SecretStr

from app.actions.worker import ActionWorker
from app.assessment.service import default_classifier
from app.crypto import TokenCipher
from app.main import create_app
from app.worker.inbox import InboxWorker
from tests.conftest import make_settings
from tests.factories import (
    LI_ORG,
    auth,
    create_account,
    create_key,
    create_tenant,
    linkedin_delivery,
    linkedin_notification,
    sign_linkedin,
)
from tests.fakes.graph_api import FakeGraphAPI
from tests.fakes.linkedin_api import FakeLinkedInAPI

LI_TOKEN = "AQV-fake-linkedin-token"
URN = "urn:li:comment:(urn:li:activity:6001,7001)"


@pytest.fixture
def li_world(
    database_url: str, graph: tuple[FakeGraphAPI, str], linkedin_api: tuple[FakeLinkedInAPI, str]
) -> Iterator[dict[str, Any]]:
    fake, url = linkedin_api
    fake.reset()
    fake.add_comment(URN, organization_urn=LI_ORG, text="x")
    settings = make_settings(
        database_url,
        meta_graph_url=graph[1],
        linkedin_api_url=url,
        secret_key=SecretStr("k"),
        platform_timeout_s=0.5,
        action_backoff_base_s=0.01,
        action_backoff_cap_s=0.05,
    )
    app = create_app(settings)
    with TestClient(app) as client, app.state.session_factory() as session:
        tenant = create_tenant(session, name="helsingborg", preset="helsingborg")
        account = create_account(
            session, tenant=tenant, platform="linkedin", external_id=LI_ORG, editors=("red@kommun.example",)
        )
        account.access_token_ciphertext = TokenCipher(settings).encrypt(LI_TOKEN)
        session.commit()
        actions = ActionWorker(app.state.session_factory, settings)
        yield {
            "client": client,
            "fake": fake,
            "actions": actions,
            "worker": InboxWorker(app.state.session_factory, settings, classify=default_classifier()),
            "editor": create_key(session, tenant=tenant, role="editor", subject="red@kommun.example"),
        }
        actions.close()


def test_linkedin_personnummer_is_removed_not_hidden(li_world: dict[str, Any]) -> None:
    client, fake = li_world["client"], li_world["fake"]
    body = json.dumps(
        linkedin_delivery(linkedin_notification(text="Mitt personnummer är 19850101-2390, ring mig!"))
    ).encode()
    assert client.post("/webhooks/linkedin", content=body, headers=sign_linkedin(body)).status_code == 200
    li_world["worker"].run_until_idle()
    li_world["actions"].run_until_idle()
    [item] = client.get("/v1/queue", headers=auth(li_world["editor"])).json()["items"]
    detail = client.get(f"/v1/queue/{item['id']}", headers=auth(li_world["editor"])).json()
    rec = detail["recommendation"]
    assert "hide" not in rec["actions"] and "hide" not in rec["auto_actions"]
    assert "remove" in rec["actions"]
    assert [c.method for c in fake.calls] == []  # Helsingborg's auto-hide cannot run on LinkedIn
    refused = client.post(
        f"/v1/queue/{item['id']}/decision",
        headers=auth(li_world["editor"]),
        json={"actions": ["hide"], "reason": "x"},
    )
    assert refused.status_code == 422
    r = client.post(
        f"/v1/queue/{item['id']}/decision",
        headers=auth(li_world["editor"]),
        json={"actions": ["remove", "register"], "reason": "Personnummer"},
    )
    assert r.status_code == 200, r.text
    li_world["actions"].run_until_idle()
    calls = fake.calls
    assert [c.method for c in calls] == ["DELETE"]
    assert calls[0].raw_path == (
        "/rest/socialActions/urn%3Ali%3Aactivity%3A6001/comments/7001?actor=urn%3Ali%3Aorganization%3A2414183"
    )
    final = client.get(f"/v1/queue/{item['id']}", headers=auth(li_world["editor"])).json()
    assert [a["status"] for a in final["actions"]] == ["done"]
    assert final["comment"]["state"] == "deleted_by_us"
