"""Saving what a user edited in a form opened a while ago, when others may have saved the same thing since.

A form loads plain data and the ``version`` of its row, and saves later in another session. The save first
holds the row (a row lock on PostgreSQL, the write lock on SQLite) and compares the version the form loaded
with the row's: when someone saved in between, nothing is written and ``Conflict`` says who changed what and
when, taken from the latest event of the history on that row (« par un autre poste » when there is none), so
that the user reloads instead of overwriting a colleague's work without knowing. What a save changed is
recorded as an event saying so (``record_edit``), which is also what the next refusal quotes."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session

from app.domain.changes import sentence
from app.domain.vocabulary import EventKind
from app.models import Company, Event, Preference
from app.services.history import Happened, record

COMPANY_KEY = "company"  # in a settings screen's versions (``settings_seen``), beside "preference:<key>"


class Conflict(Exception):
    """A save refused because another user saved the same thing since the form loaded it; the message, in
    French, says who, what and when. ``gone``: the row was deleted meanwhile (there is nothing to reload)."""

    def __init__(self, message: str, gone: bool = False) -> None:
        super().__init__(message)
        self.gone = gone


@dataclass(frozen=True)
class Subject:
    """What a form edits, as a refusal names it, and which events of the history change it."""

    changed: str                                   # « Ce client a été modifié »
    deleted: str                                   # « Ce client a été supprimé »
    since: str                                     # « depuis que vous l'avez ouvert »
    reload: str                                    # « Rechargez la fiche. »
    events: Callable[[int | None], Iterable]      # row id -> the filter of its events

    def conflict(self, session: Session, row_id: int | None = None, gone: bool = False) -> Conflict:
        """The refusal of a save over a newer one: who, when and what from the row's latest event."""
        if gone:
            return Conflict(f"{self.deleted} {self.since} : vos modifications n'ont pas été enregistrées.", True)
        event = session.scalars(select(Event).where(*self.events(row_id))
                                .order_by(Event.at.desc(), Event.id.desc()).limit(1)).first()
        who = "par un autre poste" if event is None else (
            f"par {event.user or 'un autre poste'} le {event.at:%d/%m/%Y} à {event.at:%H:%M} ({event.text})")
        return Conflict(f"{self.changed} {who} {self.since} : vos modifications n'ont pas été enregistrées. "
                        f"{self.reload}")


def settings_subject(changed: str, *sections: str) -> Subject:
    """One part of the settings (the company, the dunning plans, the letters' texts), whose events are those
    ``record_settings`` wrote under one of its ``sections``."""
    return Subject(changed, changed, "depuis que vous les avez ouverts", "Rechargez les paramètres.",
                   lambda _row_id: (Event.kind == EventKind.SETTINGS.value,
                                    or_(*(Event.text.startswith(f"{section} :") for section in sections))))


def claim(session: Session, model, row_id: int, seen: int | None, subject: Subject) -> None:
    """Hold the row ``row_id`` of ``model`` (a ``Versioned`` model) until this transaction ends, so that no
    other save slips in between this check and this save; then refuse (``Conflict``) when ``seen``, the
    version the user's form loaded, is no longer the row's. ``seen`` None: held but not checked (a write
    that no form loaded, such as a postponement). Call it before loading the row, which is then current."""
    table = model.__table__
    where = [table.c.id == row_id] + ([] if seen is None else [table.c.version == seen])
    held = session.connection().execute(update(table).where(*where).values(version=table.c.version)).rowcount
    if held or seen is None:
        return
    gone = session.scalar(select(table.c.id).where(table.c.id == row_id)) is None
    raise subject.conflict(session, row_id, gone)


def record_edit(session: Session, kind: EventKind, parts: list[str], *, customer_id: int | None = None,
                invoice_id: int | None = None, cents: int | None = None) -> None:
    """One event whose text says what changed (``parts``, joined); nothing when nothing changed."""
    if parts:
        record(session, Happened(kind, sentence(parts), customer_id, invoice_id, cents=cents))


def record_settings(session: Session, section: str, parts: list[str]) -> None:
    """A change of the settings, « <section> : what changed », on no customer."""
    if parts:
        record(session, Happened(EventKind.SETTINGS, f"{section} : {' ; '.join(parts)}"))


def settings_seen(session: Session) -> dict[str, int]:
    """The versions of the settings as a screen loads them: the company's (``COMPANY_KEY``) and each
    preference's ("preference:<key>"); a row missing is version 0. Read before the data it guards, so that
    a save made in between is refused rather than overwritten."""
    seen = {f"preference:{key}": version
            for key, version in session.execute(select(Preference.key, Preference.version))}
    company = session.scalar(select(Company.version).order_by(Company.id).limit(1))
    return {**seen, COMPANY_KEY: company or 0}
