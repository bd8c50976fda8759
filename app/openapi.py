"""``openapi.yaml`` is generated from the app; a test fails when the file drifts."""

from __future__ import annotations

import yaml

from app.settings import Settings


def openapi_yaml() -> str:
    from app.main import create_app

    app = create_app(Settings(database_url="sqlite://", worker_in_process=False))
    return yaml.safe_dump(app.openapi(), sort_keys=False, allow_unicode=True, width=100)
