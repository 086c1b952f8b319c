"""What every screen needs, created once at start-up and handed down: the database and the settings."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from PySide6.QtCore import QSettings

from app.config import APP_NAME, ORG_NAME
from app.models.db import Database, open_database


@dataclass
class Context:
    db: Database
    location: str
    settings: QSettings = field(default_factory=lambda: QSettings(ORG_NAME, APP_NAME))

    def today(self) -> date:
        return date.today()


def bootstrap(location: str) -> Context:
    return Context(db=open_database(location), location=location)
