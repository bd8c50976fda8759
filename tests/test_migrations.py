"""The migrations build the schema the models describe, both ways, on both databases."""

from __future__ import annotations

from sqlalchemy import create_engine, inspect

from app import schema
from app.models import Base


def test_upgrade_head_matches_models_and_round_trips(database_url: str) -> None:
    schema.check(database_url)  # models and migrations agree (alembic check)
    engine = create_engine(database_url)
    try:
        assert schema.current_revision(engine) == schema.head_revision()
        schema.downgrade(database_url, "base")
        assert set(inspect(engine).get_table_names()) <= {"alembic_version"}
        schema.upgrade(database_url)
        assert set(Base.metadata.tables) <= set(inspect(engine).get_table_names())
        schema.check(database_url)
    finally:
        engine.dispose()
