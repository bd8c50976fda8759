"""The app's own list of ``/v1/`` routes, and small valid bodies built from their schemas.

Tests that walk every route read them from here, so a route added later is
walked without anyone editing the tests.
"""

from __future__ import annotations

from typing import Any

from fastapi.routing import APIRoute

#: Bodies the schema alone does not make valid (a model validator adds a rule).
BODY_OVERRIDES: dict[tuple[str, str], dict[str, Any]] = {
    ("POST", "/v1/apikeys"): {"role": "registrar", "name": "isolationstest"},
    ("POST", "/v1/destinations"): {
        "name": "isolationstest",
        "kind": "email",
        "address": "iso@kommun.example",
    },
}


def v1_operations(app: Any) -> dict[tuple[str, str], dict[str, Any]]:
    """Every (method, path) under ``/v1/`` with its OpenAPI operation ({} if not in the schema)."""
    spec = app.openapi()
    found: dict[tuple[str, str], dict[str, Any]] = {}
    for path, item in spec["paths"].items():
        for method, operation in item.items():
            if path.startswith("/v1/") and method in ("get", "post", "put", "patch", "delete"):
                found[(method.upper(), path)] = operation
    for route in app.routes:
        if isinstance(route, APIRoute) and route.path.startswith("/v1/"):
            for method in (route.methods or set()) - {"HEAD", "OPTIONS"}:
                found.setdefault((method, route.path), {})
    return found


def _resolve(spec: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[-1]
        schema = spec["components"]["schemas"][name]
    return schema


def minimal_instance(spec: dict[str, Any], schema: dict[str, Any], overrides: dict[str, Any]) -> Any:
    """The smallest value the schema accepts (required properties only), ``overrides`` by name."""
    schema = _resolve(spec, schema)
    for key in ("anyOf", "oneOf"):
        if key in schema:
            options = [s for s in schema[key] if _resolve(spec, s).get("type") != "null"]
            return minimal_instance(spec, options[0], overrides)
    if "examples" in schema:
        return schema["examples"][0]
    if "enum" in schema:
        return schema["enum"][0]
    kind = schema.get("type")
    if kind == "object":
        props = schema.get("properties", {})
        return {
            name: overrides[name] if name in overrides else minimal_instance(spec, props[name], overrides)
            for name in schema.get("required", [])
        }
    if kind == "array":
        item = minimal_instance(spec, schema.get("items", {}), overrides)
        return [item] * max(1, schema.get("minItems", 1))
    if kind == "integer":
        return max(1, schema.get("minimum", 1))
    if kind == "number":
        return 1.0
    if kind == "boolean":
        return False
    if kind == "string":
        if schema.get("format") == "date-time":
            return "2026-01-01T00:00:00Z"
        return "isolationstest"[: schema.get("maxLength", 14)].ljust(schema.get("minLength", 1), "x")
    return {}
