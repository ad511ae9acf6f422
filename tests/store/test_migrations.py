"""Migrations: automatic on a new SQLite file, explicit for PostgreSQL, in step with the models."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect, text
from typer.testing import CliRunner

from cli.app import app
from indexer.store import create_store
from indexer.store.engine import (
    WRITE_OPTION,
    alembic_config,
    current_revision,
    head_revision,
    make_engine,
)
from indexer.store.models import Base
from schemas.errors import ConfigurationError, StoreError, StoreNotMigratedError
from tests.store.builders import make_forge


def test_a_new_sqlite_file_is_migrated_on_first_use(tmp_path: Path) -> None:
    """create_store on a file that does not exist yet creates every table at the head revision."""
    path = tmp_path / "new.db"
    store = create_store(f"sqlite:///{path}")
    try:
        assert head_revision() == current_revision(store.engine)
        tables = set(inspect(store.engine).get_table_names())
        assert set(Base.metadata.tables) <= tables
        with store.engine.connect() as connection:
            assert "wal" == connection.exec_driver_sql("PRAGMA journal_mode").scalar()
            assert 1 == connection.exec_driver_sql("PRAGMA foreign_keys").scalar()
            assert 30000 == connection.exec_driver_sql("PRAGMA busy_timeout").scalar()
    finally:
        store.close()
    assert path.is_file()


def test_in_memory_sqlite_keeps_its_data_across_calls() -> None:
    """``sqlite://`` shares one connection, so data written is there for the next call."""
    store = create_store("sqlite://")
    try:
        store.add_forge(make_forge("memory"))
        assert ["memory"] == [forge.name for forge in store.list_forges()]
    finally:
        store.close()


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("mysql://user@host/db", "SQLite or PostgreSQL only"),
        ("not a url", "not a SQLAlchemy URL"),
        ("sqlite:////nonexistent-dir-xyz/codereuse.db", "does not exist"),
    ],
)
def test_unusable_database_urls_are_refused_with_the_reason(url: str, message: str) -> None:
    """Other databases, malformed URLs and missing directories raise ConfigurationError."""
    with pytest.raises(ConfigurationError, match=message):
        create_store(url)


def test_a_database_from_a_newer_codereuse_is_refused(tmp_path: Path) -> None:
    """A schema revision this codereuse does not know asks to upgrade codereuse."""
    url = f"sqlite:///{tmp_path / 'future.db'}"
    create_store(url).close()
    engine = make_engine(url)
    with engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = 'f00dcafe'"))
    engine.dispose()
    with pytest.raises(StoreNotMigratedError, match="upgrade codereuse"):
        create_store(url)


@pytest.mark.postgres
def test_postgresql_is_not_migrated_implicitly(
    postgres_schema_factory: Callable[[], str],
) -> None:
    """An empty PostgreSQL schema is refused with the command to run, and migrate=True fixes it."""
    url = postgres_schema_factory()
    with pytest.raises(StoreNotMigratedError, match="codereuse db upgrade"):
        create_store(url)
    store = create_store(url, migrate=True)
    try:
        assert 0 == store.count_records()
    finally:
        store.close()


def _autogenerate_diff(url: str) -> list[object]:
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            return list(compare_metadata(context, Base.metadata))
    finally:
        engine.dispose()


def test_models_and_migrations_agree_on_sqlite(tmp_path: Path) -> None:
    """Autogenerate against a migrated SQLite file finds nothing to add (alembic check)."""
    url = f"sqlite:///{tmp_path / 'check.db'}"
    create_store(url).close()
    assert [] == _autogenerate_diff(url)


@pytest.mark.postgres
def test_models_and_migrations_agree_on_postgresql(postgres_url: str) -> None:
    """Autogenerate against the migrated PostgreSQL schema finds nothing to add."""
    assert [] == _autogenerate_diff(postgres_url)


def test_migrations_downgrade_to_empty_and_upgrade_again(tmp_path: Path) -> None:
    """The initial migration's downgrade drops every table; upgrading restores them."""
    url = f"sqlite:///{tmp_path / 'down.db'}"
    create_store(url).close()
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            connection.execution_options(**{WRITE_OPTION: True})
            with connection.begin():
                command.downgrade(alembic_config(connection), "base")
        assert {"alembic_version"} == set(inspect(engine).get_table_names())
    finally:
        engine.dispose()
    create_store(url).close()
    assert [] == _autogenerate_diff(url)


def test_db_upgrade_command_migrates_the_configured_database(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`codereuse db upgrade` migrates CODEREUSE_DATABASE_URL, then reports it is current."""
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    monkeypatch.setenv("CODEREUSE_DATABASE_URL", url)
    runner = CliRunner()
    first = runner.invoke(app, ["db", "upgrade"])
    assert 0 == first.exit_code, first.output
    assert f"{url}: upgraded from (empty database) to revision {head_revision()}" in first.output
    second = runner.invoke(app, ["db", "upgrade"])
    assert f"{url}: already at schema revision {head_revision()}" in second.output


@pytest.mark.postgres
def test_db_upgrade_command_takes_a_database_url_option(
    postgres_schema_factory: Callable[[], str],
) -> None:
    """`codereuse db upgrade --database-url` migrates a PostgreSQL schema create_store then opens."""
    url = postgres_schema_factory()
    result = CliRunner().invoke(app, ["db", "upgrade", "--database-url", url])
    assert 0 == result.exit_code, result.output
    assert "upgraded from (empty database)" in result.output
    create_store(url).close()


def test_db_upgrade_command_rejects_a_bad_url() -> None:
    """An unusable URL exits with status 2 and says why."""
    result = CliRunner().invoke(app, ["db", "upgrade", "--database-url", "mysql://h/db"])
    assert 2 == result.exit_code
    assert "SQLite or PostgreSQL only" in result.output


def test_an_unreachable_server_is_reported_without_the_password() -> None:
    """A database that does not answer raises StoreError naming it with the password masked."""
    with pytest.raises(StoreError) as caught:
        create_store("postgresql://codereuse:s3cret-pw@127.0.0.1:1/codereuse")
    message = str(caught.value)
    assert "s3cret-pw" not in message
    assert "postgresql+psycopg://codereuse:***@127.0.0.1:1/codereuse" in message
