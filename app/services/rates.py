"""The interest rates the penalties are computed with: the table shipped in ``resources/rates`` (the half-years
known when this version was written), completed or corrected by what the user entered in the settings."""

from __future__ import annotations

import csv
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import NamedTuple

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.config import RESOURCES
from app.domain.penalties import HalfYearRates, MissingRate, RateTable, rate_for
from app.models import InterestRate

SHIPPED = RESOURCES / "rates" / "interest_rates.csv"


def shipped_rates() -> list[HalfYearRates]:
    """The half-years shipped with the program (semicolon-separated, rates in percent with a dot)."""
    with SHIPPED.open(encoding="utf-8", newline="") as handle:
        return [HalfYearRates(date.fromisoformat(row["half_year"]), Decimal(row["ecb_mro"]),
                              Decimal(row["legal_other"]), Decimal(row["legal_private"]), row["source"])
                for row in csv.DictReader(handle, delimiter=";")]


class RateRow(NamedTuple):
    rates: HalfYearRates
    entered: bool  # by the user (else shipped)

    @property
    def penalty_rate(self) -> Decimal:
        """What a business owes on late payment that half-year when its terms say nothing (ECB + 10)."""
        return rate_for(self.rates, consumer=False, agreed_rate=None)


def rate_rows(session: Session) -> list[RateRow]:
    """Every known half-year, oldest first: the user's entries over the shipped ones."""
    rows = {rates.start: RateRow(rates, False) for rates in shipped_rates()}
    for entry in session.scalars(select(InterestRate)):
        rows[entry.half_year] = RateRow(HalfYearRates(entry.half_year, _percent(entry.ecb_bp),
                                                      _percent(entry.legal_other_bp),
                                                      _percent(entry.legal_private_bp), entry.source), True)
    return [rows[start] for start in sorted(rows)]


def rate_table(session: Session) -> RateTable:
    return RateTable([row.rates for row in rate_rows(session)])


def missing_rate(session: Session, at: date) -> str:
    """Why no letter can be printed on ``at``: the rates of its half-year are missing (DOMAIN.md: never guess a
    rate, ask the user before any print), in French and naming the half-year; "" when they are known. The
    Relances screen shows it in a banner and on its print buttons, ``encours remind`` refuses with it."""
    try:
        rate_table(session).check(at, at)
    except MissingRate as missing:
        return str(missing)
    return ""


def save_rates(session: Session, half_year: date, ecb: str, legal_other: str, legal_private: str,
               source: str = "") -> dict[str, str]:
    """Enter (or correct) a half-year's rates, typed in percent ("2,15"); errors by field, in French."""
    errors: dict[str, str] = {}
    if (half_year.month, half_year.day) not in ((1, 1), (7, 1)):
        errors["half_year"] = "Un semestre commence le 1er janvier ou le 1er juillet."
    values = {}
    for name, text in (("ecb", ecb), ("legal_other", legal_other), ("legal_private", legal_private)):
        try:
            value = Decimal(text.strip().replace(",", ".").removesuffix("%").strip())
        except InvalidOperation:
            value = None
        if value is None or not value.is_finite() or not Decimal(-5) <= value <= Decimal(50) \
                or value != value.quantize(Decimal("0.01")):
            errors[name] = f"« {text} » n'est pas un taux en pourcentage (par exemple 2,15)."
        else:
            values[name] = int(value * 100)
    if errors:
        return errors
    entry = session.scalar(select(InterestRate).where(InterestRate.half_year == half_year))
    if entry is None:
        entry = InterestRate(half_year=half_year)
        session.add(entry)
    entry.ecb_bp, entry.legal_other_bp, entry.legal_private_bp = (values["ecb"], values["legal_other"],
                                                                   values["legal_private"])
    entry.source = source.strip() or "saisi par l'utilisateur"
    session.flush()
    return {}


def _percent(hundredths: int) -> Decimal:
    return Decimal(hundredths).scaleb(-2)
