"""Schemathesis against the app in process: every operation of ``openapi.yaml``, valid and
invalid inputs, as an administrator of a tenant with real data in it.

Checks: no 5xx, every answer's status code is one the operation documents, and
every documented answer matches its schema (and content type).  Failures are
collected over all operations and reported together, so one run names every
operation that breaks its contract.  Bounded: a fixed seed (``derandomize``),
a set number of examples per operation and mode.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import pytest
import schemathesis
import yaml
from hypothesis import HealthCheck, Phase, given
from hypothesis import settings as hypothesis_settings
from hypothesis.errors import Unsatisfiable
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)
from schemathesis.core.result import Ok
from schemathesis.generation import GenerationMode

from tests.fakes.graph_api import FakeGraphAPI
from tests.security.tenancy import ROOT, RichWorld, rich_world

CHECKS = [not_a_server_error, status_code_conformance, response_schema_conformance, content_type_conformance]


@dataclass
class FuzzReport:
    cases: int = 0
    server_errors: int = 0
    statuses: Counter[int] = field(default_factory=Counter)
    #: (operation, check message) → an example request.
    failures: dict[tuple[str, str], str] = field(default_factory=dict)


def _send(world: RichWorld, case: Any, key: str) -> Any:
    kwargs = case.as_transport_kwargs(
        base_url="http://testserver", headers={"Authorization": f"Bearer {key}"}
    )
    content = kwargs.get("data")
    headers = dict(kwargs.get("headers") or {})
    if kwargs.get("cookies"):
        headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in kwargs["cookies"].items())
    return world.client.request(
        kwargs["method"],
        kwargs["url"],
        params=kwargs.get("params"),
        headers=headers,
        json=kwargs.get("json") if content is None else None,
        content=content.encode() if isinstance(content, str) else content,
    )


def fuzz(world: RichWorld, *, max_examples: int) -> FuzzReport:
    spec = yaml.safe_load((ROOT / "openapi.yaml").read_text(encoding="utf-8"))
    schema = schemathesis.openapi.from_dict(spec)
    report = FuzzReport()
    key = world.keys_a["admin"]
    own_key_id = world.ids["admin_key_id"]
    for result in schema.get_all_operations():
        assert isinstance(result, Ok), f"openapi.yaml has an operation schemathesis cannot read: {result}"
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            _fuzz_operation(world, result.ok(), mode, key, own_key_id, max_examples, report)
    return report


def _fuzz_operation(
    world: RichWorld,
    operation: Any,
    mode: Any,
    key: str,
    own_key_id: int,
    max_examples: int,
    report: FuzzReport,
) -> None:
    @hypothesis_settings(
        max_examples=max_examples,
        derandomize=True,
        deadline=None,
        database=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(case=operation.as_strategy(generation_mode=mode))
    def run(case: Any) -> None:
        if (case.path_parameters or {}).get("key_id") == own_key_id:
            return  # rotating or revoking the fuzzer's own key would end the run early
        response = _send(world, case, key)
        report.cases += 1
        report.statuses[response.status_code] += 1
        if response.status_code >= 500:
            report.server_errors += 1
        try:
            case.validate_response(response, checks=CHECKS)
        except BaseExceptionGroup as group:
            for exc in group.exceptions:
                _record(report, operation, case, response, exc)
        except AssertionError as exc:
            _record(report, operation, case, response, exc)

    try:
        run()
    except Unsatisfiable:
        # Nothing to make invalid (an operation without parameters or body): only the
        # negative mode can end here, and the positive mode has covered the operation.
        assert mode == GenerationMode.NEGATIVE, operation.label


def _record(report: FuzzReport, operation: Any, case: Any, response: Any, exc: BaseException) -> None:
    message = " ".join(str(exc).split())[:240]
    example = f"{case.method} {case.formatted_path} -> {response.status_code} {response.text[:200]}"
    report.failures.setdefault((operation.label, message), example)


@pytest.mark.slow
def test_schemathesis_finds_no_server_error_and_no_contract_violation(
    database_url: str, graph: tuple[FakeGraphAPI, str], capsys: pytest.CaptureFixture[str]
) -> None:
    examples = 25 if database_url.startswith("sqlite") else 10
    with rich_world(database_url, graph, raise_server_exceptions=False) as world:
        report = fuzz(world, max_examples=examples)
    with capsys.disabled():
        print(
            f"\n[{database_url.split(':')[0]}] schemathesis {schemathesis.SCHEMATHESIS_VERSION}: "
            f"{report.cases} cases, {report.server_errors} answered 5xx, "
            f"{len(report.failures)} distinct failures; statuses {dict(sorted(report.statuses.items()))}"
        )
        for (label, message), example in sorted(report.failures.items()):
            print(f"  {label}: {message}\n      e.g. {example}")
    assert report.cases > 200
    assert report.server_errors == 0
    assert not report.failures, "\n".join(f"{k[0]}: {k[1]}" for k in sorted(report.failures))
