"""Icons of the Lucide set shipped in ``resources/icons`` (ISC licence, see its LICENSE)."""

from __future__ import annotations

from functools import cache

from PySide6.QtGui import QIcon

from app.config import RESOURCES


@cache
def icon(name: str) -> QIcon:
    return QIcon(str(RESOURCES / "icons" / f"{name}.svg"))
