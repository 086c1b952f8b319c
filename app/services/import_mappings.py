"""The columns the user confirmed for a table's headers, kept under a name: proposed again for the next file
laid out alike (its headers' signature), or named on the command line (``import --mapping``)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.importers.records import UnreadableFile
from app.models import ImportMapping


def saved_mapping(session: Session, signature: str) -> dict[str, str] | None:
    """The columns the user confirmed last time for a file with these headers."""
    return session.scalar(select(ImportMapping.columns).where(ImportMapping.signature == signature)
                          .order_by(ImportMapping.id.desc()).limit(1))


def mapping_named(session: Session, name: str) -> dict[str, str]:
    """A saved mapping by its name; ``UnreadableFile`` (a French message) when there is none."""
    columns = session.scalar(select(ImportMapping.columns).where(ImportMapping.name == name))
    if columns is None:
        raise UnreadableFile(f"aucune correspondance de colonnes n'est enregistrée sous le nom « {name} ».")
    return columns


def save_mapping(session: Session, name: str, signature: str, columns: dict[str, str]) -> None:
    """Keep the confirmed columns under ``name`` (replacing a mapping of that name)."""
    existing = session.scalar(select(ImportMapping).where(ImportMapping.name == name))
    if existing is None:
        session.add(ImportMapping(name=name, signature=signature, columns=columns))
    else:
        existing.signature, existing.columns = signature, columns
