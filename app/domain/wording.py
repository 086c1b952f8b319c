"""Figures in French words, the same on the dashboard, in the alerts, the weekly PDF and on the command line:
"52,3 j", "23,5 %" (a dash when there is no figure). Amounts are ``money.format_eur``'s."""

from __future__ import annotations

from decimal import Decimal


def days(value: Decimal | None) -> str:
    return "—" if value is None else f"{value:.1f}".replace(".", ",") + " j"


def percent(share: Decimal | None) -> str:
    """A share between 0 and 1 as a percentage, one decimal unless it is whole: "23,5 %", "50 %"."""
    return "—" if share is None else f"{share * 100:.1f}".replace(".", ",").removesuffix(",0") + " %"


def rate(percent_a_year: Decimal | None) -> str:
    """A yearly rate given in percent, two decimals: "12,15 %"."""
    return "—" if percent_a_year is None else f"{percent_a_year:.2f}".replace(".", ",") + " %"


def lateness(days_late: int) -> str:
    """"12 j de retard", or before the due date "échéance dans 4 j" (a courtesy reminder's)."""
    return f"{days_late} j de retard" if days_late >= 0 else f"échéance dans {-days_late} j"
