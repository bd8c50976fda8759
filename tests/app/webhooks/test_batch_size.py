"""The webhook body limit fits Meta's largest batch (1,000 changes); the API keeps its own limit."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from app.main import create_app
from app.models import WebhookDelivery
from tests.conftest import make_settings
from tests.factories import feed_change, meta_json, page_delivery, sign_meta


def _thousand_changes() -> bytes:
    # Swedish text is escaped to \\uXXXX by Meta, which makes a batch larger than its characters.
    text = "Hej kommunen! När plogas gatorna på Östra sidan? Det är halt överallt. " * 10
    body = meta_json(page_delivery(*(feed_change(comment=str(n), message=text) for n in range(1000))))
    assert len(body) > 1024 * 1024  # more than the API's default limit
    return body


@pytest.mark.parametrize("fast_path", [True, False])
def test_a_batch_of_1000_changes_is_stored(database_url: str, fast_path: bool) -> None:
    settings = make_settings(database_url, webhook_fast_path=fast_path)
    body = _thousand_changes()
    with TestClient(create_app(settings)) as client:
        response = client.post("/webhooks/meta", content=body, headers=sign_meta(body))
        assert response.status_code == 200, response.text
        # The API's own limit is unchanged: a body of that size to /v1/ is still refused.
        api = client.post("/v1/comments", content=body, headers={"Content-Type": "application/json"})
        assert api.status_code == 413
        with client.app.state.session_factory() as session:  # type: ignore[attr-defined]
            assert _stored(session) == 1


def _stored(session: Session) -> int:
    return session.query(WebhookDelivery).count()
