"""Tenant and account isolation, walked over every ``/v1/`` route the app serves.

The walker reads the routes from the app itself (the OpenAPI document and the
router, so a route left out of the schema is walked too), fills every path id
with an object of tenant A and every body with a small valid instance of its
schema, and calls it as tenant B (each role), as an editor and an account owner
of A's *other* account, and as each role of A that the route does not admit.
Each must be refused (401/403/404) or, for a list, answered with the caller's
own data only — and no response body may carry any of A's content.  The
rightful callers are checked too, so a refusal cannot come from a wrong id.

``RULES`` is the allow-list: a route without a rule fails the walk, so a route
added later has to state who may call it before the suite passes again.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Literal

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.main import create_app
from app.models import ApiKey, ModerationLogEntry, QueueItem, Registration, WebhookDelivery
from tests.conftest import make_settings
from tests.factories import auth
from tests.fakes.graph_api import FakeGraphAPI
from tests.security.routes import BODY_OVERRIDES, minimal_instance, v1_operations
from tests.security.tenancy import RichWorld, rich_world

ALL_ROLES = frozenset({"admin", "registrar", "editor", "account_owner"})
READERS = frozenset({"admin", "registrar"})
WORKERS = frozenset({"admin", "editor", "account_owner"})
ADMINS = frozenset({"admin"})

#: ``object``: the path (or body) names one of A's objects, so an outsider gets 403/404;
#: ``collection``: the caller's own tenant and accounts, so an outsider gets 200 without A's data.
Kind = Literal["object", "collection"]


@dataclass(frozen=True)
class Rule:
    roles: frozenset[str]
    kind: Kind
    writes: bool = False
    #: The rightful caller's answer must show A's content (proves the marker search can hit).
    shows: bool = False


RULES: dict[tuple[str, str], Rule] = {
    ("POST", "/v1/comments"): Rule(WORKERS, "object", writes=True),
    ("GET", "/v1/comments"): Rule(ALL_ROLES, "collection", shows=True),
    ("GET", "/v1/comments/{comment_id}"): Rule(ALL_ROLES, "object", shows=True),
    ("GET", "/v1/log"): Rule(READERS, "collection", shows=True),
    ("GET", "/v1/log.csv"): Rule(READERS, "collection", shows=True),
    ("GET", "/v1/log/verify"): Rule(READERS, "collection", shows=True),
    ("GET", "/v1/accounts"): Rule(ALL_ROLES, "collection", shows=True),
    ("GET", "/v1/queue"): Rule(ALL_ROLES, "collection"),
    ("GET", "/v1/queue/{item_id}"): Rule(ALL_ROLES, "object", shows=True),
    ("POST", "/v1/queue/{item_id}/claim"): Rule(WORKERS, "object", writes=True),
    ("POST", "/v1/queue/{item_id}/decision"): Rule(WORKERS, "object", writes=True),
    ("POST", "/v1/queue/{item_id}/police-review"): Rule(
        frozenset({"admin", "account_owner"}), "object", writes=True
    ),
    ("GET", "/v1/policy"): Rule(ALL_ROLES, "collection"),
    ("GET", "/v1/evidence/{evidence_id}"): Rule(ALL_ROLES, "object", shows=True),
    ("GET", "/v1/evidence/{evidence_id}/pdf"): Rule(ALL_ROLES, "object"),
    ("GET", "/v1/registrations"): Rule(READERS, "collection", shows=True),
    ("GET", "/v1/registrations/{registration_id}"): Rule(READERS, "object", shows=True),
    ("POST", "/v1/registrations/{registration_id}"): Rule(READERS, "object", writes=True),
    ("GET", "/v1/registrations/{registration_id}/package"): Rule(READERS, "object"),
    ("GET", "/v1/search"): Rule(READERS, "collection", shows=True),
    ("GET", "/v1/apikeys"): Rule(ADMINS, "collection", shows=True),
    ("POST", "/v1/apikeys"): Rule(ADMINS, "collection", writes=True),
    ("POST", "/v1/apikeys/{key_id}/rotate"): Rule(ADMINS, "object", writes=True),
    ("DELETE", "/v1/apikeys/{key_id}"): Rule(ADMINS, "object", writes=True),
    ("GET", "/v1/destinations"): Rule(ADMINS, "collection", shows=True),
    ("GET", "/v1/tenant/known-parties"): Rule(ADMINS, "collection", shows=True),
    ("PUT", "/v1/tenant/known-parties"): Rule(ADMINS, "collection", writes=True),
    ("POST", "/v1/destinations"): Rule(ADMINS, "collection", writes=True),
    ("DELETE", "/v1/destinations/{destination_id}"): Rule(ADMINS, "object", writes=True),
}

DENIED = {401, 403, 404}


@dataclass(frozen=True)
class Call:
    method: str
    template: str
    path: str
    params: dict[str, Any]
    body: Any
    headers: dict[str, str]


# -- discovering routes and building requests ---------------------------------------------


def build_call(
    app: Any, method: str, template: str, operation: dict[str, Any], ids: dict[str, int], with_query: bool
) -> Call:
    spec = app.openapi()
    names = re.findall(r"{([^}]+)}", template)
    missing = [n for n in names if n not in ids]
    assert not missing, f"{method} {template}: no object of tenant A for path parameter(s) {missing}"
    path = template
    for name in names:
        path = path.replace("{" + name + "}", str(ids[name]))
    params: dict[str, Any] = {}
    if with_query:
        for param in operation.get("parameters", []):
            if param.get("in") == "query" and param["name"] in ids:
                params[param["name"]] = ids[param["name"]]
    body = None
    content = operation.get("requestBody", {}).get("content", {})
    if "application/json" in content:
        body = minimal_instance(
            spec, content["application/json"]["schema"], {"account_id": ids["account_id"]}
        )
        body.update(BODY_OVERRIDES.get((method, template), {}))
    elif method in ("POST", "PUT", "PATCH") and not operation:
        body = {}
    return Call(method, template, path, params, body, {})


def unruled(app: Any) -> list[str]:
    return sorted(f"{m} {p}" for m, p in v1_operations(app) if (m, p) not in RULES)


# -- the walk -------------------------------------------------------------------------------


def fingerprint(session: Session, world: RichWorld) -> dict[str, Any]:
    """What a write into tenant A would change."""
    session.rollback()
    item = session.get(QueueItem, world.ids["item_id"])
    registration = session.get(Registration, world.ids["registration_id"])
    assert item is not None and registration is not None
    result = {
        "log": session.scalar(
            select(func.count())
            .select_from(ModerationLogEntry)
            .where(ModerationLogEntry.tenant_id == world.tenant_a)
        ),
        "deliveries": session.scalar(select(func.count()).select_from(WebhookDelivery)),
        "item": (item.version, item.status, item.claimed_by, item.police_review),
        "registration": (registration.status, registration.diarienummer),
        "keys": sorted(
            (k.id, k.revoked_at is not None)
            for k in session.scalars(select(ApiKey).where(ApiKey.tenant_id == world.tenant_a))
        ),
    }
    session.rollback()
    return result


def send(world: RichWorld, call: Call, key: str | None, accept: str | None = None) -> tuple[int, str]:
    headers = dict(call.headers)
    if key is not None:
        headers.update(auth(key))
    if accept:
        headers["Accept"] = accept
    r = world.client.request(call.method, call.path, params=call.params, json=call.body, headers=headers)
    return r.status_code, r.content.decode("utf-8", "replace")


def leaked(body: str, markers: list[str]) -> list[str]:
    lowered = body.lower()
    return [m for m in markers if m.lower() in lowered]


def walk(world: RichWorld, session: Session) -> tuple[list[str], int]:
    """Every denial check; returns the problems found and how many requests were made."""
    app = world.client.app
    operations = v1_operations(app)
    missing = unruled(app)
    assert not missing, f"routes without an isolation rule in RULES (add who may call them): {missing}"

    problems: list[str] = []
    requests = 0
    outsiders = [(f"B:{role}", key, role) for role, key in world.keys_b.items()]
    other_account = [
        ("A2:editor", world.keys_a["editor_a2"], "editor"),
        ("A2:account_owner", world.keys_a["owner_a2"], "account_owner"),
    ]
    everything_of_a = world.markers_a1 + world.markers_a
    before = fingerprint(session, world)

    for (method, template), operation in sorted(operations.items()):
        rule = RULES[(method, template)]
        for with_query in (False, True):
            call = build_call(app, method, template, operation, world.ids, with_query)
            if with_query and not call.params:
                continue
            accepts: tuple[str | None, ...] = (None, "application/x-ndjson") if method == "GET" else (None,)
            for accept in accepts:
                label = f"{method} {call.path}{'?' + str(call.params) if call.params else ''}"
                # No key, and a well-formed key that does not exist.
                for who, key in (("anonymous", None), ("unknown key", "upk_nosuchprefix_" + "x" * 40)):
                    status, body = send(world, call, key, accept)
                    requests += 1
                    if status != 401:
                        problems.append(f"{label} as {who}: {status}, expected 401")
                    if hits := leaked(body, everything_of_a):
                        problems.append(f"{label} as {who}: leaks {hits}")
                callers = [(w, k, r, everything_of_a) for w, k, r in outsiders] + [
                    (w, k, r, world.markers_a1) for w, k, r in other_account
                ]
                callers += [
                    (f"A:{role} (not allowed)", world.keys_a[role], role, everything_of_a)
                    for role in sorted(ALL_ROLES - rule.roles)
                ]
                for who, key, role, markers in callers:
                    status, body = send(world, call, key, accept)
                    requests += 1
                    if role not in rule.roles:
                        expected = {403}
                    elif rule.kind == "object":
                        expected = {403, 404}
                    elif with_query:
                        expected = {200, 403, 404}
                    else:
                        expected = {200, 201, 202}
                    if status not in expected:
                        problems.append(f"{label} as {who}: {status}, expected one of {sorted(expected)}")
                    if hits := leaked(body, markers):
                        problems.append(f"{label} as {who}: {status} leaks {hits}")

    after = fingerprint(session, world)
    if after != before:
        problems.append(f"refused calls changed tenant A: {before} -> {after}")
    return problems, requests


def rightful_callers(world: RichWorld, session: Session) -> list[str]:
    """A's own callers reach every object: so the refusals above were about who, not what."""
    app = world.client.app
    problems = []
    # Reads first: the writes below move A's log head on.
    ordered = sorted(v1_operations(app).items(), key=lambda kv: (RULES[kv[0]].writes, kv[0]))
    for (method, template), operation in ordered:
        rule = RULES[(method, template)]
        call = build_call(app, method, template, operation, world.ids, with_query=True)
        for role in sorted(rule.roles):
            status, body = send(world, call, world.keys_a[role])
            ok = 200 <= status < 300 or (rule.writes and status == 409)
            if not ok:
                problems.append(f"{method} {call.path} as A:{role}: {status} {body[:200]}")
            elif rule.shows and 200 <= status < 300 and not leaked(body, world.markers_a1 + world.markers_a):
                problems.append(f"{method} {call.path} as A:{role}: answer shows none of A's data")
    return problems


def test_every_v1_route_keeps_tenants_and_accounts_apart(
    database_url: str, graph: tuple[FakeGraphAPI, str], capsys: pytest.CaptureFixture[str]
) -> None:
    with rich_world(database_url, graph) as world, world.session_factory() as session:
        problems, requests = walk(world, session)
        problems += rightful_callers(world, session)
        with capsys.disabled():
            print(
                f"\n[{database_url.split(':')[0]}] isolation walk: "
                f"{len(v1_operations(world.client.app))} routes, {requests} refused-caller requests"
            )
    assert not problems, "\n".join(problems)


def test_a_route_without_a_rule_is_reported() -> None:
    """A route added without stating who may call it must stop the walk."""
    app = create_app(make_settings("sqlite://"))
    assert unruled(app) == []

    @app.get("/v1/unruled-for-test")
    def _unruled() -> dict[str, str]:
        return {}

    assert unruled(app) == ["GET /v1/unruled-for-test"]
