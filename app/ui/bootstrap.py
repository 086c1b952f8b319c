"""What every screen needs, created once when the window opens its data and handed down."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from app.services.store import Database, open_database


@dataclass
class Context:
    db: Database
    location: str

    def today(self) -> date:
        return date.today()


def bootstrap(location: str) -> Context:
    return Context(db=open_database(location), location=location)
