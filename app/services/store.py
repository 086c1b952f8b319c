"""Opening the data and running a use case in it. The window and the command line go through here, so that
neither opens a session or a transaction of its own: ``read`` for a quick look, ``commit`` for a write
that is one transaction (rolled back whole on any error).

When another window or command holds the database's write lock beyond the wait (``BUSY_TIMEOUT_MS``), the
work is refused with ``DatabaseBusy``, whose French message the command line prints and the window shows. A
write that finds its row changed by another user in the meantime (``StaleDataError``: the row's version moved
between reading and writing it) is refused with a French ``edits.Conflict``, never a traceback. A value the
database refuses while working (``DataError``, ``IntegrityError``: a check the services missed) is said as
that, ``DatabaseRefused``, never as a failure to open the file."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TypeVar

from sqlalchemy import make_url
from sqlalchemy.exc import DataError, DBAPIError, IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from app.config import database_url
from app.jobs import Refused
from app.models.db import Database, display_name, held_by_another_writer
from app.models.db import open_database as open_and_migrate
from app.services.edits import Conflict

__all__ = ["Database", "DatabaseBusy", "DatabaseRefused", "commit", "open_database", "read", "rehearse"]

T = TypeVar("T")
CHANGED_MEANWHILE = ("Ces données viennent d'être modifiées sur un autre poste : rien n'a été enregistré. "
                     "Rechargez-les et recommencez.")


class DatabaseBusy(Refused):
    """Another window or command of Encours was writing to the database for longer than the wait: nothing
    of this work was written, and trying again in a moment succeeds."""


class DatabaseRefused(Refused):
    """The database refused what a piece of work wrote (a value its column does not take, a rule of its
    own): that work's transaction rolled back, nothing of it was written."""


@contextmanager
def _another_writer_said(name: str) -> Iterator[None]:
    try:
        yield
    except (DataError, IntegrityError) as error:
        detail = str(getattr(error, "orig", error)).strip().splitlines()[0]
        raise DatabaseRefused(f"La base de données {name} a refusé l'enregistrement : {detail} ; rien n'a été "
                              "enregistré.") from error
    except DBAPIError as error:
        if not held_by_another_writer(error):
            raise
        raise DatabaseBusy(f"Une autre fenêtre ou commande Encours est en train d'écrire dans {name} : "
                           "réessayez dans un instant.") from error


def open_database(location: str) -> Database:
    """Open (creating and migrating if needed) the database at a file path or SQLAlchemy URL."""
    with _another_writer_said(display_name(make_url(database_url(location)))):
        return open_and_migrate(location)


def read(db: Database, query: Callable[..., T], *args, **kwargs) -> T:
    """``query(session, *args, **kwargs)`` in a short session that writes nothing."""
    with _another_writer_said(db.name), db.sessions() as session:
        return query(session, *args, **kwargs)


def commit(db: Database, use_case: Callable[..., T], *args, **kwargs) -> T:
    """``use_case(session, *args, **kwargs)`` in one transaction, committed when it returns."""
    try:
        with _another_writer_said(db.name), db.transaction() as session:
            return use_case(session, *args, **kwargs)
    except StaleDataError as changed:
        raise Conflict(CHANGED_MEANWHILE) from changed


def rehearse(db: Database, use_case: Callable[..., T], *args, **kwargs) -> T:
    """``use_case`` run to the end as ``commit`` would, then rolled back: what it would do, nothing written
    (``--dry-run``)."""
    with _another_writer_said(db.name), db.sessions() as session:
        session.begin()
        try:
            return use_case(session, *args, **kwargs)
        finally:
            session.rollback()
