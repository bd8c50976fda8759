"""Start-up checks: is the database there and at the schema's head, are the secrets set?

``uppsikt serve``, ``uppsikt worker`` and the other commands that use the
database run these before anything else, so that an operator gets one line
that says what to do instead of a traceback, a 503 "database unavailable" per
request or a worker that logs the same failure ten times a second.  The
messages are Swedish (an operator reads them); a setting is named by its
environment variable and its value is never shown (a URL may hold a password).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from alembic.script import ScriptDirectory
from sqlalchemy import Engine
from sqlalchemy.engine import make_url

from app import schema
from app.errors import DatabaseNotReady
from app.settings import Settings

MIGRATE_HINT = "kör `uppsikt migrate` först"


def safe_url(database_url: str) -> str:
    """The URL without its password, for messages and logs."""
    return make_url(database_url).render_as_string(hide_password=True)


def sqlite_file(database_url: str) -> Path | None:
    """The file of a file-backed SQLite URL; ``None`` for PostgreSQL and in-memory SQLite."""
    url = make_url(database_url)
    if url.get_backend_name() != "sqlite" or url.database in (None, "", ":memory:"):
        return None
    if url.database.startswith("file:"):  # a URI filename; SQLite decides
        return None
    return Path(url.database)


def require_database_file(settings: Settings) -> None:
    """Refuse before connecting when the SQLite file does not exist.

    Connecting would create an empty file, which the next command would then
    take for a database; only ``uppsikt migrate`` creates the database.
    """
    path = sqlite_file(settings.database_url)
    if path is not None and not path.exists():
        raise DatabaseNotReady(f"Databasen {path} finns inte än: {MIGRATE_HINT}.")


def require_schema_at_head(engine: Engine) -> str:
    """The schema's revision if it is the migrations' head; otherwise a one-line refusal."""
    head = schema.head_revision()
    current = schema.current_revision(engine)
    if current == head and head is not None:
        return head
    if current is None:
        raise DatabaseNotReady(f"Databasen saknar Uppsikts tabeller: {MIGRATE_HINT}.")
    if current in _known_revisions():
        raise DatabaseNotReady(
            f"Databasens schema ({current}) är äldre än den här versionen av Uppsikt ({head}): "
            "kör `uppsikt migrate`."
        )
    raise DatabaseNotReady(
        f"Databasens schema ({current}) är okänt för den här versionen av Uppsikt ({head}): "
        "databasen är migrerad av en nyare version; uppgradera Uppsikt."
    )


def _known_revisions() -> set[str]:
    script = ScriptDirectory.from_config(schema.alembic_config("sqlite://"))
    return {revision.revision for revision in script.walk_revisions()}


def check_database(settings: Settings) -> str:
    """The whole pre-flight check, on an engine of its own; returns the head revision."""
    from app.db import make_engine

    require_database_file(settings)
    engine = make_engine(settings)
    try:
        return require_schema_at_head(engine)
    finally:
        engine.dispose()


@dataclass(frozen=True)
class MissingSecret:
    setting: str
    consequence: str


def missing_secrets(settings: Settings) -> list[MissingSecret]:
    """The secrets that are not set, each with what does not work without it."""
    missing = []
    if not settings.meta_secrets:
        missing.append(
            MissingSecret(
                "UPPSIKT_META_APP_SECRETS",
                "leveranser från Facebook och Instagram avvisas (signaturen kan inte kontrolleras)",
            )
        )
    if not settings.meta_verify_token.get_secret_value():
        missing.append(
            MissingSecret(
                "UPPSIKT_META_VERIFY_TOKEN",
                "Meta kan inte bekräfta webhooken, så ingen prenumeration kan skapas",
            )
        )
    if not settings.linkedin_secrets:
        missing.append(
            MissingSecret(
                "UPPSIKT_LINKEDIN_CLIENT_SECRET",
                "leveranser från LinkedIn avvisas (signaturen kan inte kontrolleras)",
            )
        )
    if not settings.secret_key.get_secret_value():
        missing.append(
            MissingSecret(
                "UPPSIKT_SECRET_KEY",
                "plattformarnas åtkomsttoken kan varken sparas eller användas, "
                "så Uppsikt kan inte dölja eller ta bort kommentarer på plattformen",
            )
        )
    return missing


def warn_missing_secrets(
    settings: Settings, log: Any, *, only: set[str] | None = None
) -> list[MissingSecret]:
    """One loud warning per missing secret, by the setting's name (never a value)."""
    missing = [s for s in missing_secrets(settings) if only is None or s.setting in only]
    for secret in missing:
        log.warning(
            "startup.secret_missing",
            setting=secret.setting,
            message=f"VARNING: {secret.setting} är inte satt: {secret.consequence}.",
        )
    return missing
