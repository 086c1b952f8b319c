"""Open the database: any SQLAlchemy URL, SQLite by default with WAL and foreign keys on.

Opening migrates the schema to the current revision with Alembic, after a backup copy of a SQLite file
that held an older schema. Alembic is imported only when a migration is needed, which keeps start-up fast.
"""

from __future__ import annotations

import shutil
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import Engine, create_engine, event, inspect, text
from sqlalchemy.orm import Session, sessionmaker

from app.config import database_url

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
SCHEMA_REVISION = "0001"  # the head of migrations/versions; a test checks they agree


@dataclass
class Database:
    """An engine and its session factory; created once at start-up and handed down."""

    engine: Engine
    sessions: sessionmaker[Session]

    @contextmanager
    def transaction(self):
        """A session whose work is committed at the end of the block, or rolled back on any error."""
        with self.sessions() as session, session.begin():
            yield session

    def dispose(self) -> None:
        self.engine.dispose()


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def create(location: str) -> Engine:
    url = database_url(location)
    if url.startswith("sqlite:///") and url != "sqlite:///:memory:":
        Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url)
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    return engine


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        if not inspect(conn).has_table("alembic_version"):
            return None
        return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()


def migrate(engine: Engine) -> None:
    """Bring the schema to ``SCHEMA_REVISION``; a SQLite file with an older schema is copied aside first."""
    revision = current_revision(engine)
    if revision == SCHEMA_REVISION:
        return
    if revision is not None and engine.dialect.name == "sqlite" and engine.url.database:
        source = Path(engine.url.database)
        shutil.copy2(source, source.with_name(f"{source.name}.{revision}.{datetime.now():%Y%m%d-%H%M%S}.bak"))
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, "head")


def open_database(location: str) -> Database:
    """Open (creating and migrating if needed) the database at a file path or SQLAlchemy URL."""
    engine = create(location)
    migrate(engine)
    return Database(engine, sessionmaker(engine, expire_on_commit=False))
