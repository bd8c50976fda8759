"""``openapi.yaml`` is generated from the app; this fails when it is out of date."""

from __future__ import annotations

from pathlib import Path

from app.openapi import openapi_yaml

ROOT = Path(__file__).resolve().parents[1]


def test_openapi_yaml_is_up_to_date() -> None:
    committed = (ROOT / "openapi.yaml").read_text(encoding="utf-8")
    assert committed == openapi_yaml(), "openapi.yaml is stale: run `uppsikt openapi --out openapi.yaml`"
