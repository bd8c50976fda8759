"""Hostile input through both doors: signed platform deliveries and ``POST /v1/comments``.

A comment field is written by anyone on the internet, and a platform relays
whatever it was given.  What we hold to, whatever arrives:

* a comment is stored *faithfully*: the API shows the text the database can
  hold, and where that differs (NUL bytes, unpaired surrogates) the exact
  original is kept and shown in the evidence's ``text_exact_base64``;
* it is classified like any other comment;
* nothing answers 500, and one bad delivery never holds up the good ones
  around it (nothing already acknowledged is lost);
* our REST bodies are strict (unknown fields → 422) and no error body carries
  a stack trace, a query or a secret.
"""

from __future__ import annotations

import base64
import copy
import hashlib
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from app.assessment.service import default_classifier
from app.main import create_app
from app.models import Comment, CommentVersion, WebhookDelivery
from app.worker.inbox import InboxWorker
from tests.conftest import LINKEDIN_SECRET, META_SECRET, OLD_META_SECRET, VERIFY_TOKEN, make_settings
from tests.factories import (
    PAGE_ID,
    auth,
    create_account,
    create_key,
    create_tenant,
    feed_change,
    meta_json,
    page_delivery,
    sign_meta,
)
from tests.security.routes import BODY_OVERRIDES, minimal_instance, v1_operations
from tests.security.tenancy import UNLIMITED, skatteverket_personnummer

PNR = skatteverket_personnummer(3)
SECRETS = (META_SECRET, OLD_META_SECRET, LINKEDIN_SECRET, VERIFY_TOKEN)
#: What an error body must never contain: a traceback, a driver's message, an SQL statement.
LEAK_PATTERNS = re.compile(
    r"Traceback|File \"|sqlalchemy|psycopg|sqlite3|SELECT |INSERT |UPDATE |\.py\b", re.IGNORECASE
)

#: name → text.  Texts the database cannot hold as-is carry a personnummer, so the comment is
#: flagged and gets an evidence snapshot, whose ``text_exact_base64`` must give the original back.
TEXTS = {
    "nul": f"Hej\x00kommunen\x00 {PNR}",
    "lone_surrogate": f"Hej \ud800 kommunen \udfff {PNR}",
    "rtl_override": "Hej \u202eanummok\u202c och \u2067isolat\u2069 kommunen",
    "zero_width": "H\u200be\u200cj\u200d k\ufeffommunen\u2060!",
    "long": "Snöröjningen på Björkvägen är för dålig. " * 2500,
    "emoji_flood": "\U0001f600\U0001f44d\U0001f3fd\u200d\U0001f469\u200d\U0001f467" * 2000,
    "combining": "Z\u0351\u0352\u0353a\u0300\u0301\u0302\u0303l\u0304\u0305g\u0306o" * 50,
}


def exact_bytes(text: str) -> bytes:
    return text.encode("utf-8", "surrogatepass")


def fits_database(text: str) -> bool:
    return "\x00" not in text and not any(0xD800 <= ord(c) <= 0xDFFF for c in text)


@dataclass
class Hostile:
    client: TestClient
    session: Session
    worker: InboxWorker
    account_id: int
    admin: str
    registrar: str

    def deliver(self, body: bytes, expect: int | None = 200) -> Any:
        r = self.client.post("/webhooks/meta", content=body, headers=sign_meta(body))
        assert r.status_code < 500, r.text
        if expect is not None:
            assert r.status_code == expect, r.text
        return r

    def drain(self, idle_rounds: int = 10) -> None:
        """Process until nothing is pending, or until ``idle_rounds`` rounds in a row got
        nowhere (a stalled inbox); a row failing transiently is due again at once in tests."""
        idle = 0
        while idle < idle_rounds:
            handled = self.worker.run_once()
            self.session.rollback()
            pending = self.session.scalar(
                select(func.count()).select_from(WebhookDelivery).where(WebhookDelivery.status == "pending")
            )
            if not pending:
                return
            idle = 0 if handled else idle + 1

    def deliveries(self) -> list[WebhookDelivery]:
        self.session.rollback()
        return list(self.session.scalars(select(WebhookDelivery).order_by(WebhookDelivery.id)))

    def comment(self, external_id: str) -> Comment | None:
        self.session.rollback()
        return self.session.scalars(select(Comment).where(Comment.external_id == external_id)).one_or_none()


@pytest.fixture
def hostile(database_url: str) -> Iterator[Hostile]:
    settings = make_settings(database_url, **UNLIMITED)
    app = create_app(settings)
    with TestClient(app, raise_server_exceptions=False) as client, app.state.session_factory() as s:
        tenant = create_tenant(s, preset="helsingborg")
        account = create_account(s, tenant=tenant)
        yield Hostile(
            client=client,
            session=s,
            worker=InboxWorker(app.state.session_factory, settings, classify=default_classifier()),
            account_id=account.id,
            admin=create_key(s, tenant=tenant, role="admin"),
            registrar=create_key(s, tenant=tenant, role="registrar"),
        )


def good_delivery(n: int) -> bytes:
    return meta_json(page_delivery(feed_change(comment=f"good{n}", message=f"Tack för infon {n}")))


def assert_good_ones_processed(h: Hostile, count: int) -> None:
    for n in range(count):
        comment = h.comment(f"900_good{n}")
        assert comment is not None, f"good delivery {n} was held up by a hostile one"


def assert_stored_faithfully(h: Hostile, external_id: str, text: str) -> None:
    comment = h.comment(external_id)
    assert comment is not None, f"{external_id} was not stored"
    r = h.client.get(f"/v1/comments/{comment.id}", headers=auth(h.registrar))
    assert r.status_code == 200, r.text
    detail = r.json()
    [version] = detail["versions"]
    assert version["text_sha256"] == hashlib.sha256(exact_bytes(text)).hexdigest()
    assert detail["assessments"], f"{external_id} was not classified"
    stored = h.session.get(CommentVersion, comment.current_version_id)
    assert stored is not None
    if fits_database(text):
        assert detail["text"] == text
        assert stored.text_exact is None
        return
    # What the database holds is readable text; the exact original is kept beside it.
    assert "\x00" not in detail["text"]
    assert detail["text"].replace("\ufffd", "") == "".join(c for c in text if fits_database(c))
    assert stored.text_exact == exact_bytes(text)
    evidence = h.client.get("/v1/queue", headers=auth(h.admin)).json()["items"]
    [item] = [i for i in evidence if i["comment_id"] == comment.id]
    links = h.client.get(f"/v1/queue/{item['id']}", headers=auth(h.admin)).json()["evidence"]
    snapshot = h.client.get(links[-1]["json"], headers=auth(h.registrar))
    assert snapshot.status_code == 200, snapshot.text
    [snap_version] = snapshot.json()["document"]["comment"]["versions"]
    assert base64.b64decode(snap_version["text_exact_base64"]) == exact_bytes(text)


# -- comment texts ----------------------------------------------------------------------------


def test_hostile_texts_through_the_webhook_are_stored_exactly(hostile: Hostile) -> None:
    for n, (name, text) in enumerate(TEXTS.items()):
        hostile.deliver(meta_json(page_delivery(feed_change(comment=name, message=text))))
        hostile.deliver(good_delivery(n))
    hostile.drain()
    assert {d.status for d in hostile.deliveries()} == {"done"}
    for name, text in TEXTS.items():
        assert_stored_faithfully(hostile, f"900_{name}", text)
    assert_good_ones_processed(hostile, len(TEXTS))


def test_hostile_texts_through_the_api_are_stored_exactly(hostile: Hostile) -> None:
    accepted = []
    for name, text in TEXTS.items():
        body = json.dumps(
            {"account_id": hostile.account_id, "comments": [{"external_id": f"web-{name}", "text": text}]}
        ).encode()
        r = hostile.client.post(
            "/v1/comments", content=body, headers={**auth(hostile.admin), "Content-Type": "application/json"}
        )
        if name == "lone_surrogate" and r.status_code == 422:
            # The strict model refuses a JSON string with an unpaired surrogate: a clear 4xx
            # the sender can act on — acceptable for our own API, never for a platform's.
            assert r.json()["error"] == "ValidationError"
            continue
        assert r.status_code == 202, (name, r.text)
        accepted.append(name)
    hostile.drain()
    assert {d.status for d in hostile.deliveries()} == {"done"}
    for name in accepted:
        assert_stored_faithfully(hostile, f"web-{name}", TEXTS[name])
    assert len(accepted) >= len(TEXTS) - 1


def test_duplicate_keys_keep_the_last_value_like_every_json_parser(hostile: Hostile) -> None:
    body = meta_json(page_delivery(feed_change(comment="dup", message="FIRST"))).replace(
        b'"message": "FIRST"', b'"message": "FIRST", "message": "SECOND"'
    )
    assert body.count(b'"message"') == 2
    hostile.deliver(body)
    hostile.drain()
    comment = hostile.comment("900_dup")
    assert comment is not None, [d.last_error for d in hostile.deliveries()]
    r = hostile.client.get(f"/v1/comments/{comment.id}", headers=auth(hostile.admin))
    assert r.json()["text"] == "SECOND"


# -- deliveries that cannot be read ----------------------------------------------------------


def test_invalid_utf8_is_kept_raw_and_failed_without_holding_up_others(hostile: Hostile) -> None:
    body = meta_json(page_delivery(feed_change(comment="rawff", message="RAWMARK"))).replace(
        b"RAWMARK", b"Hej \xff\xfe kommunen \xc3"
    )
    hostile.deliver(body)
    hostile.deliver(good_delivery(0))
    hostile.drain()
    bad, good = hostile.deliveries()
    assert bad.body == body  # the exact bytes Meta signed, kept for an operator
    assert bad.status == "failed" and bad.last_error and bad.attempts == 1
    assert good.status == "done"
    assert_good_ones_processed(hostile, 1)


DEEP_BODIES = {
    "deep_list": b"[" * 100_000 + b"]" * 100_000,
    "deep_object": b'{"a":' * 50_000 + b"1" + b"}" * 50_000,
    "deep_inside_a_valid_delivery": meta_json(
        page_delivery(feed_change(comment="deepin", message="x"))
    ).replace(b'"x"', b"[" * 50_000 + b"]" * 50_000),
}


def test_deeply_nested_deliveries_fail_once_and_hold_up_nothing(hostile: Hostile) -> None:
    stored = []
    for name, body in DEEP_BODIES.items():
        if hostile.deliver(body, expect=None).status_code == 200:
            stored.append(name)
    hostile.deliver(good_delivery(0))
    hostile.drain()
    assert_good_ones_processed(hostile, 1)
    rows = {r.body: r for r in hostile.deliveries()}
    # They can never parse: failed at once with a reason, not retried for hours.
    retried = [
        f"{name}: {rows[DEEP_BODIES[name]].status} after {rows[DEEP_BODIES[name]].attempts} attempts"
        for name in stored
        if (rows[DEEP_BODIES[name]].status, rows[DEEP_BODIES[name]].attempts) != ("failed", 1)
    ]
    assert not retried, f"{retried}; last error: {rows[DEEP_BODIES[stored[0]]].last_error}"


#: name → (bytes replaced in a valid delivery, by what, whether its comment must be stored).
HUGE_NUMBERS = {
    "float_overflow_time": (b"1700000000", b"1e400", True),
    "huge_negative_time": (b"1700000000", b"-1700000000000000000000", True),
    "huge_numeric_comment_id": (b'"900_huge_numeric_comment_id"', b"9" * 250, True),
    "int_beyond_python_limit": (b"1700000000", b"1" + b"0" * 5000, False),
}


def test_huge_numbers_never_stall_a_delivery(hostile: Hostile) -> None:
    for name, (old, new, _) in HUGE_NUMBERS.items():
        body = meta_json(page_delivery(feed_change(comment=name, message="Stora tal"))).replace(old, new)
        assert new in body
        hostile.deliver(body)
    hostile.deliver(good_delivery(0))
    hostile.drain()
    assert_good_ones_processed(hostile, 1)
    rows = hostile.deliveries()
    for (name, (_, _, must_store)), row in zip(HUGE_NUMBERS.items(), rows, strict=False):
        assert row.attempts <= 1, f"{name}: retried {row.attempts} times: {row.last_error}"
        assert row.status in ("done", "failed"), name
        if must_store:
            assert row.status == "done", f"{name}: {row.last_error}"
            external = "9" * 250 if name == "huge_numeric_comment_id" else f"900_{name}"
            assert hostile.comment(external) is not None, name


#: Every JSON type where the field should have another, plus empty and huge values.
WRONG_VALUES: list[Any] = [None, 0, -1, 1.5, True, "", "x", [], {}, [1], {"a": 1}, 10**30, "9" * 400]


def _paths(value: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    if isinstance(value, dict):
        for key, child in value.items():
            yield from _paths(child, (*path, key))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            yield from _paths(child, (*path, index))
    if path:
        yield path


def test_wrong_types_in_every_field_of_a_feed_change(hostile: Hostile) -> None:
    base = page_delivery(feed_change(comment="typed", message="Hej"))
    sent = 0
    for path in _paths(base):
        for wrong in WRONG_VALUES:
            payload = copy.deepcopy(base)
            target = payload
            for key in path[:-1]:
                target = target[key]
            target[path[-1]] = wrong
            hostile.deliver(meta_json(payload))
            sent += 1
    hostile.deliver(good_delivery(0))
    hostile.drain()
    rows = hostile.deliveries()
    assert len(rows) == len({r.body_sha256 for r in rows})
    retried = [(r.id, r.attempts, r.last_error) for r in rows if r.attempts > 1 or r.status == "pending"]
    assert not retried, (
        f"deliveries never finished (retried, or stalled behind one that cannot be stored): {retried}"
    )
    failed = [r.last_error for r in rows if r.status == "failed"]
    assert all(failed), "a failed delivery without a reason"
    assert sent > 200
    assert_good_ones_processed(hostile, 1)


#: Values no database column of ours may receive raw: PostgreSQL refuses NUL in text and
#: a string longer than its column; an unpaired surrogate cannot be encoded as UTF-8 at all.
ODD_VALUES = {"nul": "\x00", "lone_surrogate": "\ud800", "too_long": "x" * 400}
ODD_FIELDS = ("author_name", "author_id", "comment_id", "post_id")


def _odd_change(field: str, odd: str) -> dict[str, Any]:
    change = feed_change(comment="odd", message="Hej från en konstig avsändare")
    value = change["value"]
    if field == "author_name":
        value["from"]["name"] = f"Ingrid{odd}Udda"
    elif field == "author_id":
        value["from"]["id"] = f"555{odd}0001"
    elif field == "comment_id":
        value["comment_id"] = f"900_odd{odd}"
    else:
        value["post_id"] = f"{PAGE_ID}_900{odd}"
    return change


def test_odd_names_and_ids_are_stored_and_stall_nothing(hostile: Hostile) -> None:
    """Each case alone, with good deliveries behind it; a case that stalls the inbox is
    written off by hand afterwards so that the next case starts from an empty inbox."""
    problems = []
    for field in ODD_FIELDS:
        for name, odd in ODD_VALUES.items():
            case = f"{field} with {name}"
            first = len(hostile.deliveries())
            hostile.deliver(meta_json(page_delivery(_odd_change(field, odd))))
            goods = [f"{field}{name}{n}" for n in range(2)]
            for tag in goods:
                hostile.deliver(meta_json(page_delivery(feed_change(comment=tag, message=f"Tack {tag}"))))
            hostile.drain()
            rows = hostile.deliveries()[first:]
            if any(hostile.comment(f"900_{tag}") is None for tag in goods):
                problems.append(f"{case}: good deliveries behind it were held up ({rows[0].status})")
            elif rows[0].status != "done":
                # The comment is a public record too: stored, not dropped after retries.
                problems.append(
                    f"{case}: {rows[0].status} after {rows[0].attempts} attempts, {rows[0].last_error}"
                )
            stuck = [r.id for r in rows if r.status == "pending"]
            if stuck:
                hostile.session.execute(
                    update(WebhookDelivery).where(WebhookDelivery.id.in_(stuck)).values(status="failed")
                )
                hostile.session.commit()
    assert not problems, "\n".join(problems)


# -- our REST API ------------------------------------------------------------------------------


def test_every_rest_body_refuses_unknown_fields(hostile: Hostile) -> None:
    app = hostile.client.app
    spec = app.openapi()  # type: ignore[attr-defined]
    checked, lenient = [], []
    for (method, template), operation in sorted(v1_operations(app).items()):
        content = operation.get("requestBody", {}).get("content", {})
        if "application/json" not in content:
            continue
        body = minimal_instance(
            spec, content["application/json"]["schema"], {"account_id": hostile.account_id}
        )
        assert isinstance(body, dict), (method, template)
        body.update(BODY_OVERRIDES.get((method, template), {}), unexpected_field="x")
        # Ids of nothing: the body is judged before any object is looked up (or changed).
        path = re.sub(r"{[^}]+}", "999999", template)
        r = hostile.client.request(method, path, json=body, headers=auth(hostile.admin))
        checked.append(f"{method} {template}")
        if r.status_code != 422 or "unexpected_field" not in r.text:
            lenient.append(f"{method} {template}: {r.status_code} {r.text[:160]}")
    assert checked
    assert not lenient, "bodies that accept unknown fields:\n" + "\n".join(lenient)


HOSTILE_BODIES = {
    "int_beyond_python_limit": b'{"account_id":1' + b"0" * 5000 + b',"comments":[{"external_id":"x"}]}',
    "float_overflow": b'{"account_id":1e400,"comments":[{"external_id":"x"}]}',
    "nan": b'{"account_id":NaN,"comments":[{"external_id":"x"}]}',
    "invalid_utf8": b'{"account_id":1,"comments":[{"external_id":"x","text":"ab\xffcd"}]}',
    "truncated": b'{"account_id":',
    "deep": b'{"account_id":1,"comments":' + b"[" * 10_000 + b"]" * 10_000 + b"}",
    "wrong_types": b'{"account_id":"1","comments":[{"external_id":5,"text":7,"created_at":true}]}',
    "empty": b"",
    "array": b"[]",
    "null": b"null",
    "nul_in_id": b'{"account_id":1,"comments":[{"external_id":"x\\u0000y","text":"a"}]}',
}


def _assert_clean_error(label: str, status: int, text: str) -> None:
    assert status < 500, f"{label}: {status} {text[:300]}"
    if status >= 400:
        body = json.loads(text)
        assert set(body) == {"error", "detail"}, f"{label}: not our error shape: {text[:300]}"
        assert not LEAK_PATTERNS.search(text), f"{label}: {text[:300]}"
        assert not any(secret in text for secret in SECRETS), label


def test_hostile_rest_bodies_get_a_clean_4xx(hostile: Hostile) -> None:
    problems = []
    for name, raw in HOSTILE_BODIES.items():
        body = raw.replace(b'"account_id":1', f'"account_id":{hostile.account_id}'.encode(), 1)
        r = hostile.client.post(
            "/v1/comments", content=body, headers={**auth(hostile.admin), "Content-Type": "application/json"}
        )
        try:
            _assert_clean_error(name, r.status_code, r.text)
        except AssertionError as exc:
            problems.append(str(exc).splitlines()[0])
    hostile.drain()
    stuck = [r.body[:120] for r in hostile.deliveries() if r.status == "pending"]
    if stuck:
        problems.append(f"accepted bodies that stall the inbox: {stuck}")
    assert not problems, "\n".join(problems)


def test_hostile_path_ids_get_a_clean_4xx(hostile: Hostile) -> None:
    problems = []
    for value in ("0", "-1", "99999999999999999999999", "1e3", "%00", "1%20OR%201=1", "%F0%9F%98%80"):
        for (method, template), _ in sorted(v1_operations(hostile.client.app).items()):
            if "{" not in template:
                continue
            path = re.sub(r"{[^}]+}", value, template)
            body: dict[str, Any] | None = {} if method in ("POST", "PUT", "PATCH") else None
            r = hostile.client.request(method, path, json=body, headers=auth(hostile.admin))
            try:
                _assert_clean_error(f"{method} {path}", r.status_code, r.text)
            except AssertionError as exc:
                problems.append(str(exc).splitlines()[0])
    assert not problems, "\n".join(problems)


def test_errors_on_webhooks_carry_no_secrets(hostile: Hostile) -> None:
    body = meta_json(page_delivery(feed_change(comment="x", message="hemligt")))
    answers = [
        hostile.client.post("/webhooks/meta", content=body, headers={"X-Hub-Signature-256": "sha256=00"}),
        hostile.client.post("/webhooks/meta", content=body),
        hostile.client.post("/webhooks/linkedin", content=body, headers={"X-LI-Signature": "00"}),
        hostile.client.get(
            "/webhooks/meta",
            params={"hub.mode": "subscribe", "hub.verify_token": "fel", "hub.challenge": "1"},
        ),
        hostile.client.post("/webhooks/meta", content=b"x" * (2 * 1024 * 1024), headers=sign_meta(b"x")),
    ]
    for r in answers:
        assert 400 <= r.status_code < 500, r.text
        _assert_clean_error(str(r.request.url), r.status_code, r.text)
        assert "hemligt" not in r.text
