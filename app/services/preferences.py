"""The user's changes to the shipped defaults, kept by name in the database (app.models.preference)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import Preference


def preference(session: Session, key: str, default=None):
    """The value the user set under ``key``, else ``default``."""
    found = session.scalar(select(Preference.value).where(Preference.key == key))
    return default if found is None else found


def set_preference(session: Session, key: str, value) -> None:
    entry = session.scalar(select(Preference).where(Preference.key == key))
    if entry is None:
        session.add(Preference(key=key, value=value))
    else:
        entry.value = value
    session.flush()


def clear_preference(session: Session, key: str) -> None:
    """Back to the shipped default."""
    entry = session.scalar(select(Preference).where(Preference.key == key))
    if entry is not None:
        session.delete(entry)
        session.flush()
