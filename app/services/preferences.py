"""The user's changes to the shipped defaults, kept by name in the database (app.models.preference)."""

from __future__ import annotations

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from app.models import Preference
from app.models.db import insert_new
from app.services.edits import Subject


def preference(session: Session, key: str, default=None):
    """The value the user set under ``key``, else ``default``."""
    found = session.scalar(select(Preference.value).where(Preference.key == key))
    return default if found is None else found


def keep_preferences(session: Session, values: dict, subject: Subject, seen: dict[str, int] | None = None
                     ) -> list[str]:
    """Set each preference of ``values`` (None: back to the shipped default), writing only those that differ;
    returns their keys; ``subject`` names them in a refusal. With ``seen``, the versions a settings screen
    loaded (``edits.settings_seen``): refused (``Conflict``, nothing written) when another user saved any of
    them since, each write made only on the version it checked; ``seen`` then takes the versions written, for
    the screen's next save."""
    current = {key: (value, version) for key, value, version in session.execute(
        select(Preference.key, Preference.value, Preference.version).where(Preference.key.in_(list(values))))}
    if seen is not None and any(current.get(key, (None, 0))[1] != seen.get(f"preference:{key}", 0)
                                for key in values):
        raise subject.conflict(session)
    table, written = Preference.__table__, {}
    for key, value in values.items():
        old, version = current.get(key, (None, 0))
        if value == old:
            continue
        if value is None:
            done = session.execute(delete(table).where(table.c.key == key, table.c.version == version)).rowcount
        elif not version:
            done = insert_new(session.connection(), table, [{"key": key, "value": value, "version": 1}],
                              "uq_preference_key")
        else:
            done = session.execute(update(table).where(table.c.key == key, table.c.version == version)
                                   .values(value=value, version=version + 1)).rowcount
        if done != 1:  # another save of this preference came in between the read and this write
            raise subject.conflict(session)
        written[key] = 0 if value is None else version + 1
    if seen is not None:
        seen.update({f"preference:{key}": version for key, version in written.items()})
    return list(written)
