"""What every screen needs, created once when the window opens its data and handed down."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from PySide6.QtCore import QSettings

from app.services.store import Database, open_database


@dataclass
class Context:
    db: Database
    location: str
    settings: QSettings | None = None  # the window's, given when it opens the screens (last folders...)

    def today(self) -> date:
        return date.today()


def bootstrap(location: str) -> Context:
    return Context(db=open_database(location), location=location)
