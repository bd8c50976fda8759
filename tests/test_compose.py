"""``docker-compose.yml`` cannot be started here (no Docker engine), so its
coherence is checked by reading it: every Uppsikt process reaches the
PostgreSQL service with the credentials that service is given, runs a
command the CLI accepts, sets only settings that exist, and starts in an
order the healthchecks can actually satisfy."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
import yaml

from app.cli import build_parser
from app.main import create_app
from app.settings import Settings

ROOT = Path(__file__).resolve().parent.parent
COMPOSE = ROOT / "docker-compose.yml"
VARIABLE = re.compile(r"\$\{(?P<name>[A-Z0-9_]+)(?::?(?P<op>[-?])(?P<arg>[^}]*))?\}")


def interpolate(value: str, env: dict[str, str]) -> str:
    """Compose's ``${NAME}``, ``${NAME:-default}`` and ``${NAME:?error}``, and ``$$``."""

    def substitute(match: re.Match[str]) -> str:
        name, op, arg = match["name"], match["op"], match["arg"]
        if name in env:
            return env[name]
        if op == "?":
            raise KeyError(f"{name} is required: {arg}")
        return arg or ""

    return VARIABLE.sub(substitute, value).replace("$$", "$")


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    document: dict[str, Any] = yaml.safe_load(COMPOSE.read_text(encoding="utf-8"))
    return document


@pytest.fixture(scope="module")
def services(compose: dict[str, Any]) -> dict[str, dict[str, Any]]:
    found: dict[str, dict[str, Any]] = compose["services"]
    return found


ENV = {
    "POSTGRES_PASSWORD": "pw-from-env",
    "UPPSIKT_META_APP_SECRETS": "meta",
    "UPPSIKT_META_VERIFY_TOKEN": "token",
    "UPPSIKT_SECRET_KEY": "key",
}


def uppsikt_services(services: dict[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {name: s for name, s in services.items() if s.get("command", [None])[0] == "uppsikt"}


def role(service: dict[str, Any]) -> str:
    return str(service["command"][1])


def test_the_expected_processes_are_there(services: dict[str, dict[str, Any]]) -> None:
    mine = uppsikt_services(services)
    assert sorted(n for n, s in mine.items() if role(s) == "serve") == ["api-1", "api-2"]
    assert sorted(n for n, s in mine.items() if role(s) == "worker") == ["worker-1", "worker-2"]
    assert [n for n, s in mine.items() if role(s) == "migrate"] == ["migrate"]
    assert services["postgres"]["image"].startswith("postgres:")


def test_every_uppsikt_process_runs_the_image_built_from_this_repository(
    services: dict[str, dict[str, Any]],
) -> None:
    for name, service in uppsikt_services(services).items():
        assert service["build"] == ".", name
        assert (ROOT / service["build"] / "Dockerfile").is_file()
        assert service["image"] == "uppsikt:latest", name


def test_every_command_is_one_the_cli_accepts(services: dict[str, dict[str, Any]]) -> None:
    parser = build_parser()
    for name, service in uppsikt_services(services).items():
        args = parser.parse_args(service["command"][1:])
        assert callable(args.fn), name
        if role(service) == "serve":
            assert not args.demo and args.host == "0.0.0.0", name  # noqa: S104 - inside a container


def test_every_process_reaches_the_postgres_service_with_its_credentials(
    services: dict[str, dict[str, Any]],
) -> None:
    pg_env = {k: interpolate(str(v), ENV) for k, v in services["postgres"]["environment"].items()}
    for name, service in uppsikt_services(services).items():
        url = urlsplit(interpolate(service["environment"]["UPPSIKT_DATABASE_URL"], ENV))
        assert url.scheme == "postgresql+psycopg", name
        assert url.hostname == "postgres" and (url.port or 5432) == 5432, name
        assert url.username == pg_env["POSTGRES_USER"], name
        assert url.password == pg_env["POSTGRES_PASSWORD"] == ENV["POSTGRES_PASSWORD"], name
        assert url.path.lstrip("/") == pg_env["POSTGRES_DB"], name


def test_environment_names_only_settings_that_exist(services: dict[str, dict[str, Any]]) -> None:
    known = {f"UPPSIKT_{field.upper()}" for field in Settings.model_fields}
    for name, service in uppsikt_services(services).items():
        unknown = set(service["environment"]) - known
        assert not unknown, f"{name}: {sorted(unknown)}"


def test_secrets_come_from_the_environment_and_are_required(services: dict[str, dict[str, Any]]) -> None:
    for name, service in uppsikt_services(services).items():
        env = service["environment"]
        for secret in ("UPPSIKT_META_APP_SECRETS", "UPPSIKT_META_VERIFY_TOKEN", "UPPSIKT_SECRET_KEY"):
            assert VARIABLE.fullmatch(env[secret]), f"{name}: {secret} is written into the file"
            with pytest.raises(KeyError):  # compose refuses to start without it
                interpolate(env[secret], {})


def test_api_replicas_leave_the_inbox_to_the_workers(services: dict[str, dict[str, Any]]) -> None:
    for name, service in uppsikt_services(services).items():
        in_process = service["environment"].get("UPPSIKT_WORKER_IN_PROCESS", "true")
        if role(service) == "serve":
            assert in_process == "false", name
            assert Settings(database_url="sqlite://", worker_in_process=in_process).worker_in_process is False


def test_healthchecks_probe_what_each_process_serves(services: dict[str, dict[str, Any]]) -> None:
    parser = build_parser()
    paths = set(create_app(Settings(database_url="sqlite://")).openapi()["paths"])
    for name, service in uppsikt_services(services).items():
        check = service["healthcheck"]
        if role(service) == "serve":
            port = parser.parse_args(service["command"][1:]).port
            probe = " ".join(check["test"])
            target = urlsplit(re.search(r"http://[^'\" ]+", probe)[0])  # type: ignore[index]
            assert target.port == port, name
            assert target.path in paths, name
        else:
            # The image's HEALTHCHECK probes the API port; a worker or the migration has none.
            assert check == {"disable": True}, name
    assert "pg_isready" in " ".join(services["postgres"]["healthcheck"]["test"])


def test_start_order_can_be_satisfied(services: dict[str, dict[str, Any]]) -> None:
    def has_healthcheck(name: str) -> bool:
        check: dict[str, Any] = services[name].get("healthcheck") or {}
        return bool(check) and not check.get("disable")

    for name, service in services.items():
        for dependency, spec in service.get("depends_on", {}).items():
            assert dependency in services, f"{name} depends on unknown {dependency}"
            condition = spec["condition"]
            if condition == "service_healthy":
                assert has_healthcheck(dependency), f"{name} waits for {dependency}, which has no healthcheck"
            elif condition == "service_completed_successfully":
                assert services[dependency].get("restart") == "no", f"{dependency} must run once"
    for name, service in uppsikt_services(services).items():
        needs = service["depends_on"]
        assert needs["postgres"]["condition"] == "service_healthy", name
        if role(service) != "migrate":
            # Nothing serves or processes before the schema is at head.
            assert needs["migrate"]["condition"] == "service_completed_successfully", name


def test_the_load_balancer_sends_to_every_api_replica(
    compose: dict[str, Any], services: dict[str, dict[str, Any]]
) -> None:
    lb = services["lb"]
    config = interpolate(compose["configs"][lb["configs"][0]["source"]]["content"], ENV)
    upstreams = set(re.findall(r"^\s*server\s+([\w-]+):(\d+)", config, flags=re.MULTILINE))
    apis = {n: s for n, s in uppsikt_services(services).items() if role(s) == "serve"}
    parser = build_parser()
    assert upstreams == {(n, str(parser.parse_args(s["command"][1:]).port)) for n, s in apis.items()}
    assert set(lb["depends_on"]) == set(apis)
    assert "$host" in config and "$$" not in config  # compose's escaping produced nginx variables
