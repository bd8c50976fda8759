"""The operator's first hour: every trap a fresh install meets is one Swedish line.

Each test runs the real ``uppsikt`` command in an empty folder, as a new
operator would, and checks the line on standard error, the exit code, that no
traceback is shown (only with ``--debug``) and that a failed command leaves no
database file behind.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from app import schema
from app.cli import main
from tests.conftest import POSTGRES_ADMIN_URL, make_settings

REPO = Path(__file__).resolve().parents[2]


def run(cwd: Path, *args: str, timeout: float = 120, **env: str) -> subprocess.CompletedProcess[str]:
    """``uppsikt *args`` in ``cwd`` with only the given ``UPPSIKT_*`` settings."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith("UPPSIKT_")}
    clean["PYTHONPATH"] = str(REPO)
    return subprocess.run(
        [sys.executable, "-m", "app.cli", *args],
        cwd=cwd,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def one_line(result: subprocess.CompletedProcess[str], code: int = 2) -> str:
    """The single ``fel: …`` line of a failed command, checked for shape."""
    assert result.returncode == code, (result.returncode, result.stderr)
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("fel: "), lines[0]
    return lines[0]


def migrated(folder: Path, revision: str = "head") -> str:
    url = f"sqlite:///{folder / 'uppsikt.db'}"
    schema.upgrade(url, revision)
    return url


# --- A database that is not there, not migrated or behind --------------------------------------


def test_tenant_create_before_migrate_says_run_migrate_and_creates_no_file(tmp_path: Path) -> None:
    result = run(tmp_path, "tenant", "create", "finspang", "--preset", "finspang")
    line = one_line(result)
    assert line == "fel: Databasen uppsikt.db finns inte än: kör `uppsikt migrate` först."
    assert list(tmp_path.iterdir()) == []  # no empty database file left behind


def test_debug_shows_the_traceback_too(tmp_path: Path) -> None:
    result = run(tmp_path, "--debug", "tenant", "create", "finspang", "--preset", "finspang")
    assert result.returncode == 2
    assert "Traceback (most recent call last)" in result.stderr
    assert result.stderr.strip().splitlines()[-1].startswith("fel: Databasen uppsikt.db finns inte än")


def test_an_empty_database_file_is_not_a_database(tmp_path: Path) -> None:
    (tmp_path / "uppsikt.db").touch()  # what the command used to leave behind
    line = one_line(run(tmp_path, "apikey", "list", "--tenant", "finspang"))
    assert line == "fel: Databasen saknar Uppsikts tabeller: kör `uppsikt migrate` först."


def test_commands_of_feature_packages_are_checked_too(tmp_path: Path) -> None:
    line = one_line(run(tmp_path, "retention", "run", "--dry-run"))
    assert "kör `uppsikt migrate` först" in line
    assert list(tmp_path.iterdir()) == []


def test_serve_refuses_a_database_that_is_not_migrated(tmp_path: Path) -> None:
    started = time.monotonic()
    line = one_line(run(tmp_path, "serve", "--port", "1", timeout=60))
    assert line == "fel: Databasen uppsikt.db finns inte än: kör `uppsikt migrate` först."
    assert time.monotonic() - started < 60  # refused before the classifier or the server started


def test_serve_refuses_an_own_model_with_unknown_categories(tmp_path: Path) -> None:
    url = migrated(tmp_path)
    result = run(
        tmp_path,
        *("serve", "--port", "1"),
        timeout=60,
        UPPSIKT_DATABASE_URL=url,
        UPPSIKT_REMOTE_MODEL_URL="http://127.0.0.1:9/predict",
        UPPSIKT_REMOTE_MODEL_CATEGORIES="toxicity",
    )
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert result.stderr.strip().splitlines()[-1].startswith("fel: UPPSIKT_REMOTE_MODEL_CATEGORIES")
    assert "okända: toxicity" in result.stderr


def test_serve_and_worker_refuse_a_schema_behind_head(tmp_path: Path) -> None:
    head = schema.head_revision()
    assert head is not None and head != "0004"
    url = migrated(tmp_path, "0004")
    for command in (["serve", "--port", "1"], ["worker", "--until-idle"]):
        line = one_line(run(tmp_path, *command, timeout=60, UPPSIKT_DATABASE_URL=url))
        assert line == (
            f"fel: Databasens schema (0004) är äldre än den här versionen av Uppsikt ({head}): "
            "kör `uppsikt migrate`."
        ), command


def test_a_schema_from_a_newer_version_says_upgrade_uppsikt(tmp_path: Path) -> None:
    import sqlite3

    url = migrated(tmp_path)
    with sqlite3.connect(tmp_path / "uppsikt.db") as conn:
        conn.execute("UPDATE alembic_version SET version_num = '9999'")
    line = one_line(run(tmp_path, "tenant", "create", "x", "--preset", "malmo", UPPSIKT_DATABASE_URL=url))
    assert "(9999) är okänt" in line and "uppgradera Uppsikt" in line


def test_migrate_into_a_folder_that_does_not_exist(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'saknas' / 'uppsikt.db'}"
    line = one_line(run(tmp_path, "migrate", UPPSIKT_DATABASE_URL=url))
    assert line.startswith(f"fel: Databasfilen {tmp_path / 'saknas' / 'uppsikt.db'} kan inte öppnas")
    assert f"finns mappen {tmp_path / 'saknas'}" in line


# --- Database URLs that are wrong, servers that do not answer --------------------------------


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("mysql://uppsikt:hemligt1@db/uppsikt", "bara SQLite och PostgreSQL stöds"),
        ("postgresql://uppsikt:hemligt1@db:port/uppsikt", "går inte att tolka som en databas-URL"),
        ("inte en url", "går inte att tolka som en databas-URL"),
    ],
)
def test_a_malformed_database_url_names_the_setting_not_its_value(
    tmp_path: Path, url: str, reason: str
) -> None:
    line = one_line(run(tmp_path, "migrate", UPPSIKT_DATABASE_URL=url))
    assert line.startswith(
        "fel: Ogiltig inställning, rätta den i miljön eller i .env: UPPSIKT_DATABASE_URL: "
    )
    assert reason in line
    assert "hemligt1" not in line
    assert list(tmp_path.iterdir()) == []


def test_other_invalid_settings_are_named_with_a_swedish_reason(tmp_path: Path) -> None:
    line = one_line(
        run(tmp_path, "worker", "--until-idle", UPPSIKT_WORKER_NICE="50", UPPSIKT_MAX_BODY_BYTES="x")
    )
    assert line == (
        "fel: Ogiltig inställning, rätta den i miljön eller i .env: UPPSIKT_MAX_BODY_BYTES: måste vara "
        "ett heltal; UPPSIKT_WORKER_NICE: får vara högst 19."
    )


def test_an_unreachable_postgresql_is_one_line_without_the_password(tmp_path: Path) -> None:
    url = "postgresql://uppsikt:hemligt2@127.0.0.1:1/uppsikt"
    line = one_line(run(tmp_path, "tenant", "create", "x", "--preset", "malmo", UPPSIKT_DATABASE_URL=url))
    assert line == (
        "fel: Kan inte ansluta till postgresql+psycopg://uppsikt:***@127.0.0.1:1/uppsikt: ingen server "
        "tar emot anslutningar där. Kontrollera UPPSIKT_DATABASE_URL och att PostgreSQL är igång."
    )


def test_a_postgresql_database_that_does_not_exist(tmp_path: Path) -> None:
    base, _, _ = POSTGRES_ADMIN_URL.rpartition("/")
    line = one_line(run(tmp_path, "migrate", UPPSIKT_DATABASE_URL=f"{base}/uppsikt_finns_inte"))
    assert line.startswith("fel: Kan inte ansluta till postgresql+psycopg://")
    assert "databasen finns inte på servern" in line


# --- serve without secrets ------------------------------------------------------------------


def test_serve_warns_about_each_missing_secret_by_name(tmp_path: Path) -> None:
    url = migrated(tmp_path)
    clean = {k: v for k, v in os.environ.items() if not k.startswith("UPPSIKT_")}
    env = {
        **clean,
        "PYTHONPATH": str(REPO),
        "UPPSIKT_DATABASE_URL": url,
        "UPPSIKT_META_APP_SECRETS": "hemligt-meta-3",
        "UPPSIKT_WORKER_IN_PROCESS": "false",
        "UPPSIKT_LOG_JSON": "false",
    }
    proc = subprocess.Popen(
        [sys.executable, "-m", "app.cli", "serve", "--port", "0"],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    lines: list[str] = []
    try:
        assert proc.stderr is not None
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            line = proc.stderr.readline()
            if not line:
                break
            lines.append(line)
            if "Application startup complete" in line:
                break
    finally:
        proc.terminate()
        proc.communicate(timeout=30)
    text = "".join(lines)
    assert "Application startup complete" in text, text
    warned = [line for line in lines if "startup.secret_missing" in line]
    assert len(warned) == 3, text
    for setting, consequence in [
        ("UPPSIKT_META_VERIFY_TOKEN", "Meta kan inte bekräfta webhooken"),
        ("UPPSIKT_LINKEDIN_CLIENT_SECRET", "leveranser från LinkedIn avvisas"),
        ("UPPSIKT_SECRET_KEY", "kan inte dölja eller ta bort kommentarer på plattformen"),
    ]:
        assert any(f"VARNING: {setting} är inte satt: " in w and consequence in w for w in warned), setting
    assert "UPPSIKT_META_APP_SECRETS" not in text  # it is set
    assert "hemligt-meta-3" not in text


# --- sample-delivery outside the demo -------------------------------------------------------


def test_sample_delivery_for_a_page_no_tenant_has_says_how_to_add_it(tmp_path: Path) -> None:
    url = migrated(tmp_path)
    # Port 1: nothing listens, so a delivery that was sent would fail differently.
    result = run(
        tmp_path, "sample-delivery", "--url", "http://127.0.0.1:1", "--secret", "s", UPPSIKT_DATABASE_URL=url
    )
    assert one_line(result) == (
        f"fel: Facebooksidan 100000000000001 hör inte till någon tenant i {url}, så leveransen skulle "
        "tas emot men aldrig behandlas: lägg till sidan med `uppsikt account add --tenant <tenant> "
        "--platform facebook --external-id 100000000000001 --name <namn>` eller prova med "
        "`uppsikt serve --demo`."
    )


def test_sample_delivery_to_no_server_says_start_one(tmp_path: Path) -> None:
    url = migrated(tmp_path)
    added = run(tmp_path, "tenant", "create", "demo2", "--preset", "malmo", UPPSIKT_DATABASE_URL=url)
    assert added.returncode == 0, added.stderr
    assert "Tenanten demo2 är skapad" in added.stdout
    page = run(
        tmp_path,
        *("account", "add", "--tenant", "demo2", "--platform", "facebook"),
        *("--external-id", "100000000000001", "--name", "Demo"),
        UPPSIKT_DATABASE_URL=url,
    )
    assert page.returncode == 0, page.stderr
    result = run(
        tmp_path, "sample-delivery", "--url", "http://127.0.0.1:1", "--secret", "s", UPPSIKT_DATABASE_URL=url
    )
    assert one_line(result) == (
        "fel: Ingen Uppsikt svarar på http://127.0.0.1:1: starta `uppsikt serve` eller ange rätt --url."
    )


# --- Service errors, usage errors and the unexpected ------------------------------------------


def test_service_errors_are_swedish_lines(tmp_path: Path) -> None:
    url = migrated(tmp_path)
    line = one_line(run(tmp_path, "tenant", "create", "x", "--preset", "stockholm", UPPSIKT_DATABASE_URL=url))
    assert (
        line
        == "fel: Okänt förval 'stockholm'; välj ett av finspang, haparanda, harjedalen, helsingborg, malmo."
    )
    line = one_line(
        run(tmp_path, "tenant", "create", "x" * 101, "--preset", "malmo", UPPSIKT_DATABASE_URL=url)
    )
    assert line == "fel: Tenantens namn måste vara 1–100 tecken, t.ex. kommunens namn."
    line = one_line(run(tmp_path, "inbox", "retry", "7", UPPSIKT_DATABASE_URL=url))
    assert line == "fel: Det finns ingen misslyckad leverans med id 7; se `uppsikt inbox failed`."


def test_usage_errors_are_swedish(tmp_path: Path) -> None:
    result = run(tmp_path, "tenant", "create")
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert result.stderr.strip().splitlines() == [
        "användning: uppsikt tenant create [-h] --preset PRESET name",
        "fel: de här argumenten saknas: name, --preset",
    ]
    helped = run(tmp_path, "--help")
    assert "Moderering av kommentarer för svenska kommuner." in helped.stdout
    assert "skapa databasen eller uppdatera den" in helped.stdout and "traceback" in helped.stdout
    assert helped.stdout.startswith("användning: uppsikt [-h] [--debug] <kommando> ...")
    assert "\nflaggor:\n" in helped.stdout and "visa den här hjälpen och avsluta" in helped.stdout
    sub = run(tmp_path, "tenant", "create", "--help")
    assert "\nargument:\n" in sub.stdout and "tenantens namn, t.ex. finspang" in sub.stdout
    assert "usage:" not in sub.stdout and "show this help" not in sub.stdout


def test_an_unexpected_error_is_one_line_that_points_at_debug(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def broken(_args: object) -> int:
        raise RuntimeError("intern text som inte ska visas")

    monkeypatch.setattr("app.cli.cmd_openapi", broken)
    assert main(["openapi"]) == 1
    err = capsys.readouterr().err
    assert err == (
        "fel: Oväntat fel (RuntimeError). Kör `uppsikt --debug …` för hela felutskriften "
        "och rapportera den.\n"
    )
    assert main(["--debug", "openapi"]) == 1
    assert "intern text som inte ska visas" in capsys.readouterr().err  # the traceback, on request


def test_migrate_says_what_it_did(tmp_path: Path) -> None:
    result = run(tmp_path, "migrate")
    assert result.returncode == 0, result.stderr
    head = schema.head_revision()
    assert result.stdout.strip() == f"Databasen sqlite:///uppsikt.db har det senaste schemat ({head})."
    assert make_settings(f"sqlite:///{tmp_path / 'uppsikt.db'}").is_sqlite


def test_an_app_on_an_unmigrated_database_says_migrate_not_unavailable(tmp_path: Path) -> None:
    """Started some other way than ``uppsikt serve`` (which refuses), the API still says what is wrong."""
    from fastapi.testclient import TestClient

    from app.main import create_app

    (tmp_path / "uppsikt.db").touch()
    settings = make_settings(f"sqlite:///{tmp_path / 'uppsikt.db'}", worker_in_process=False)
    with TestClient(create_app(settings)) as client:
        r = client.get("/v1/accounts", headers={"Authorization": f"Bearer upk_{'a' * 12}_{'b' * 43}"})
        ready = client.get("/readyz")
    assert r.status_code == 503, r.text
    assert r.json() == {
        "error": "DatabaseNotReady",
        "detail": "The database schema is not at the migrations' head; run `uppsikt migrate`.",
    }
    assert ready.status_code == 503 and ready.json()["migrations"] == "behind (None)"
