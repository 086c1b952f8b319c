"""Opening the data and running a use case in it. The window and the command line go through here, so that
neither opens a session or a transaction of its own: ``read`` for a quick look, ``commit`` for a write
that is one transaction (rolled back whole on any error). A write that finds its row changed by another
user in the meantime (``StaleDataError``: the row's version moved between reading and writing it) is refused
with a French ``edits.Conflict``, never a traceback."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from sqlalchemy.orm.exc import StaleDataError

from app.models.db import Database, open_database
from app.services.edits import Conflict

__all__ = ["Database", "commit", "open_database", "read", "rehearse"]

T = TypeVar("T")
CHANGED_MEANWHILE = ("Ces données viennent d'être modifiées sur un autre poste : rien n'a été enregistré. "
                     "Rechargez-les et recommencez.")


def read(db: Database, query: Callable[..., T], *args, **kwargs) -> T:
    """``query(session, *args, **kwargs)`` in a short session that writes nothing."""
    with db.sessions() as session:
        return query(session, *args, **kwargs)


def commit(db: Database, use_case: Callable[..., T], *args, **kwargs) -> T:
    """``use_case(session, *args, **kwargs)`` in one transaction, committed when it returns."""
    try:
        with db.transaction() as session:
            return use_case(session, *args, **kwargs)
    except StaleDataError as changed:
        raise Conflict(CHANGED_MEANWHILE) from changed


def rehearse(db: Database, use_case: Callable[..., T], *args, **kwargs) -> T:
    """``use_case`` run to the end as ``commit`` would, then rolled back: what it would do, nothing written
    (``--dry-run``)."""
    with db.sessions() as session:
        session.begin()
        try:
            return use_case(session, *args, **kwargs)
        finally:
            session.rollback()
