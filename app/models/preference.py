"""What the user changed of the program's defaults, by name: the dunning plans of the segments, the texts of
the letters (the defaults ship in resources/; a preference replaces one of them, and removing it restores it)."""

from __future__ import annotations

from sqlalchemy import JSON, String
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, IdMixin, Versioned


class Preference(IdMixin, Versioned, Base):
    __tablename__ = "preference"

    key: Mapped[str] = mapped_column(String(100), unique=True)  # "dunning_plans", "letter:formal_notice"…
    value: Mapped[dict | list | str] = mapped_column(JSON)
