"""Open the database: any SQLAlchemy URL, SQLite by default with WAL and foreign keys on.

Opening migrates the schema to the current revision with Alembic, after a backup (``backup_copy``) of a
database that held an older schema. Alembic is imported only when a migration is needed, which keeps start-up fast.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from itertools import islice
from operator import itemgetter
from pathlib import Path
from weakref import WeakSet

from sqlalchemy import URL, Connection, Date, Engine, Index, Table, create_engine, event, func, inspect, select, text
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, sessionmaker

from app.config import database_url
from app.domain.text import IsoDates
from app.models.backup_copy import live_file, write_backup

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
SCHEMA_REVISION = "0016"  # the head of migrations/versions; a test checks they agree
BUSY_TIMEOUT_MS = 10_000  # how long a write waits for another window's or command's write to end
SQLITE_BUSY, SQLITE_LOCKED = 5, 6
# PostgreSQL's lock_not_available (lock_timeout), serialization_failure and deadlock_detected
POSTGRESQL_CONFLICTS = frozenset({"55P03", "40001", "40P01"})


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

    @property
    def name(self) -> str:
        return display_name(self.engine.url)

    def dispose(self) -> None:
        self.engine.dispose()


def display_name(url: URL) -> str:
    """How a message names a database: its file, or its server's URL without the password."""
    if url.get_backend_name() == "sqlite":
        return url.database or ""
    return url.render_as_string(hide_password=True)


def held_by_another_writer(error: DBAPIError) -> bool:
    """Whether the database refused because another connection holds what this one needed beyond the wait
    (SQLite busy or locked; on PostgreSQL a lock timeout, a serialization failure or a deadlock): nothing of
    this transaction was written, and the same work tried again in a moment succeeds."""
    code = getattr(error.orig, "sqlite_errorcode", None)
    if code is not None:
        return code & 0xFF in (SQLITE_BUSY, SQLITE_LOCKED)  # extended codes keep the primary one in the low byte
    return getattr(error.orig, "sqlstate", None) in POSTGRESQL_CONFLICTS


# Dates handed straight to the driver (``bulk_insert``) are stored as SQLAlchemy stores them: "YYYY-MM-DD".
sqlite3.register_adapter(date, date.isoformat)


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")  # wait for another writer, then say so
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA cache_size=-65536")  # 64 MB: index upkeep of a 100 000-row import stays in memory
    cursor.close()


def _postgresql_lock_timeout(dbapi_connection, _record) -> None:
    """The same wait on a server: a statement waiting longer for a row or table lock fails, and is said."""
    autocommit, dbapi_connection.autocommit = dbapi_connection.autocommit, True
    with dbapi_connection.cursor() as cursor:
        cursor.execute(f"SET lock_timeout = {BUSY_TIMEOUT_MS}")
    dbapi_connection.autocommit = autocommit


def create(location: str) -> Engine:
    url = database_url(location)
    if url.startswith("sqlite:///") and url != "sqlite:///:memory:":
        Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url)
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    elif engine.dialect.name == "postgresql":
        event.listen(engine, "connect", _postgresql_lock_timeout)
    _opened.add(engine)
    return engine


_opened: WeakSet[Engine] = WeakSet()  # the engines of this process that are still in use


def close_databases() -> None:
    """Close the connections of every database this process opened (when it ends): the last connection to a
    SQLite file folds its -wal journal back into the file, so that the file alone, copied onto a key or sent
    to the accountant, holds everything committed. Connections in use are left to their work."""
    for engine in list(_opened):
        engine.dispose()


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        if not inspect(conn).has_table("alembic_version"):
            return None
        return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()


def migrate(engine: Engine) -> None:
    """Bring the schema to ``SCHEMA_REVISION``; a database with an older schema is backed up first (a
    ``Refused`` when the backup cannot be written: the schema is then left as it was)."""
    revision = current_revision(engine)
    if revision == SCHEMA_REVISION:
        return
    if revision is not None and (engine.dialect.name != "sqlite" or live_file(engine.url)):
        write_backup(engine.url, "schema", "avant mise à jour du schéma")
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    on_sqlite = engine.dialect.name == "sqlite"
    with engine.connect() as conn:
        if on_sqlite:
            _foreign_keys(conn, on=False)
        try:
            with conn.begin():
                config.attributes["connection"] = conn
                command.upgrade(config, "head")
                if on_sqlite:
                    _no_dangling_references(conn)
        finally:
            if on_sqlite:
                _foreign_keys(conn, on=True)


def _foreign_keys(conn: Connection, on: bool) -> None:
    """Turn SQLite's foreign keys off for a migration, and on again after it. A migration that alters a table
    SQLite cannot alter in place rebuilds it (Alembic's batch mode: copy, drop, rename); with the keys on,
    dropping the old ``invoice`` table deletes every row that cascades from it (allocations, disputes) and
    empties every reference set null on delete (bank lines' payments), which is how 0012 once emptied the
    allocations of the files it upgraded. The pragma has no effect inside a transaction, hence its own."""
    conn.exec_driver_sql(f"PRAGMA foreign_keys={'ON' if on else 'OFF'}")
    conn.commit()


def _no_dangling_references(conn: Connection) -> None:
    """With the keys off, nothing checked the references the migration left: a row pointing nowhere stops the
    upgrade with an error (its writes are rolled back, its changes of tables are not: SQLite's driver commits
    them as it goes, which the backup copy answers), rather than leaving a file that fails later."""
    dangling = conn.exec_driver_sql("PRAGMA foreign_key_check").all()
    if dangling:
        table, rowid, parent, _ = dangling[0]
        raise RuntimeError(f"la mise à jour du schéma laisse {len(dangling)} référence(s) sans cible "
                           f"(table {table}, ligne {rowid}, vers {parent}) ; la copie prise avant elle "
                           "garde le fichier tel qu'il était")


def reserve_ids(connection: Connection, table: Table, count: int) -> list[int]:
    """``count`` new ids for ``table``, reserved before a bulk insert so that it needs no RETURNING (which
    SQLite runs row by row when the ids must come back in order). PostgreSQL draws them from the table's
    sequence; SQLite continues after the largest id, safe because the caller's transaction already holds
    the database's write lock (it has written before asking)."""
    if connection.dialect.name == "postgresql":
        return list(connection.execute(
            text("SELECT nextval(pg_get_serial_sequence(:table, 'id')) FROM generate_series(1, :count)"),
            {"table": table.name, "count": count}).scalars())
    start = connection.execute(select(func.coalesce(func.max(table.c.id), 0))).scalar() + 1
    return list(range(start, start + count))


def plain_rows(session: Session, query):
    """The rows of a query over columns (no mapped object), read through the session's connection: the same
    rows as ``session.execute`` gives, without the ORM's bookkeeping of each row, which costs as much as
    the read itself on the cockpit's aggregates of a large ledger. Pending changes are flushed first, as
    ``session.execute`` would."""
    session.flush()
    return session.connection().execute(query)


def bulk_insert(connection: Connection, table: Table, rows: list[dict]) -> None:
    """Insert many rows given as dicts of plain values (see ``insert_values``)."""
    if not rows:
        return
    if connection.dialect.name != "sqlite":
        connection.execute(table.insert(), rows)
        return
    columns = list(rows[0])
    pick = itemgetter(*columns) if len(columns) > 1 else (lambda row: (row[columns[0]],))
    insert_values(connection, table, columns, map(pick, rows), count=len(rows))


def insert_values(connection: Connection, table: Table, columns: list[str], values: Iterable[tuple], *,
                  count: int | None = None) -> None:
    """Insert many rows of plain values, each a tuple in the order of ``columns``, at the driver's speed.
    ``values`` may be any iterable (a generator spares the caller a list of every row) when ``count`` says
    how many rows it gives.

    On SQLite the rows go straight to the driver's ``executemany``: SQLAlchemy's per-value processing costs
    more than the insert itself at 100 000 rows. The models' Python-side defaults are added for the columns
    not given, and dates are written as SQLAlchemy writes them ("YYYY-MM-DD"), each distinct date converted
    once (the driver's adapter would call back into Python for every value). Other databases take the
    ordinary Core insert. Either way the rows go by chunks of ``INSERT_CHUNK``, each converted just before
    it is written: a million rows are never held twice over (as given, then as the driver takes them)."""
    count = len(values) if count is None else count  # type: ignore[arg-type]
    if not count:
        return
    rows = iter(values)
    if connection.dialect.name != "sqlite":
        while chunk := list(islice(rows, INSERT_CHUNK)):
            connection.execute(table.insert(), [dict(zip(columns, row)) for row in chunk])
        return
    defaults = {column.name: column.default.arg if column.default.is_scalar else column.default.arg(None)
                for column in table.columns if column.default is not None and column.name not in columns}
    extra = tuple(defaults.values())
    columns = [*columns, *defaults]
    dated = [i for i, name in enumerate(columns) if isinstance(table.c[name].type, Date)]
    iso = IsoDates()
    statement = (f"INSERT INTO {table.name} ({', '.join(columns)}) "
                 f"VALUES ({', '.join('?' for _ in columns)})")
    with _indexes_built_after(connection, table.name, count):
        while chunk := list(islice(rows, INSERT_CHUNK)):
            if extra:
                chunk = [row + extra for row in chunk]
            if dated:
                by_column: list = list(zip(*chunk))
                for i in dated:
                    by_column[i] = map(iso.__getitem__, by_column[i])
                chunk = list(zip(*by_column))
            connection.exec_driver_sql(statement, chunk)


def insert_new(connection: Connection, table: Table, rows: list[dict], unique: str) -> int:
    """Insert rows (dicts of plain values), leaving out, without an error, each one whose key the unique index
    or constraint named ``unique`` already holds: written before, or being written by another transaction
    (the database then waits for its end, and leaves the row out if it committed). One statement for all the
    rows (``INSERT … ON CONFLICT … DO NOTHING``, SQLite and PostgreSQL alike), so that two users adding the
    same key at once add it once. Returns how many rows were inserted."""
    if not rows:
        return 0
    dialect = connection.dialect.name
    found = next(c for c in (*table.indexes, *table.constraints) if c.name == unique)
    where = found.dialect_options[dialect]["where"] if isinstance(found, Index) else None
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    statement = insert(table).on_conflict_do_nothing(index_elements=[c.name for c in found.columns],
                                                     index_where=where).returning(*found.columns)
    return len(connection.execute(statement, rows).all())  # the rows left out return nothing


CHUNK = 5000  # ids per IN (...) list: well under SQLite's and PostgreSQL's limits
INSERT_CHUNK = 10_000  # rows converted and written at a time by ``insert_values``
BULK_LOAD = 10_000  # rows from which a load into a smaller table builds its indexes afterwards


@contextmanager
def _indexes_built_after(connection: Connection, table: str, incoming: int):
    """Around a SQLite insert of more rows than the table holds (a first import of a whole FEC), drop the
    table's secondary indexes and create them again afterwards from their own SQL: sorting the rows once
    costs less than updating each B-tree row by row (0.3 s of a first 100 000-invoice import). Only inside a
    transaction the caller opened by writing, so a failure anywhere rolls the indexes back with the rows;
    unique constraints and unique indexes stay in place throughout: they guard the rows as they come."""
    driver = connection.connection.driver_connection
    if incoming < BULK_LOAD or not getattr(driver, "in_transaction", False):
        yield
        return
    held = connection.exec_driver_sql(f"SELECT coalesce(max(rowid), 0) FROM {table}").scalar()
    indexes = connection.exec_driver_sql(
        "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL "
        "AND sql NOT LIKE 'CREATE UNIQUE%'",
        (table,)).all() if held < incoming else []
    for name, _sql in indexes:
        connection.exec_driver_sql(f'DROP INDEX "{name}"')
    yield
    for _name, sql in indexes:
        connection.exec_driver_sql(sql)


def open_database(location: str) -> Database:
    """Open (creating and migrating if needed) the database at a file path or SQLAlchemy URL."""
    engine = create(location)
    migrate(engine)
    return Database(engine, sessionmaker(engine, expire_on_commit=False))


def chunks(items: Sequence, size: int = CHUNK) -> Iterator[Sequence]:
    """``items`` a slice of ``size`` at a time: the ids of one IN (...) list each, by default."""
    return (items[start:start + size] for start in range(0, len(items), size))
