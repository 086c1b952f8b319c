"""How values read on screen: French dates and amounts, the colours that signal."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from PySide6.QtGui import QColor

from app.domain.money import format_eur

LATE = QColor("#b03a2e")      # muted red: late
AT_RISK = QColor("#b9770e")   # amber: at risk


def fr_date(value: date | None) -> str:
    return value.strftime("%d/%m/%Y") if value else ""


def fr_amount(value: Decimal | None) -> str:
    return "" if value is None else format_eur(value)


def fr_count(value: int, noun: str = "") -> str:
    """A count as French writes it: "12 345", thousands apart by a narrow no-break space; with ``noun``, the
    noun after it, plural from 2 ("12 345 factures", "1 action")."""
    number = f"{value:,}".replace(",", "\u202f")
    return f"{number} {noun}{'s' if value > 1 else ''}" if noun else number
