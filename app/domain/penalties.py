"""Late-payment penalties (Code de commerce art. L441-10 II and D441-5; Code monétaire et financier L313-2).

Between businesses, penalties run from the day after the due date without any reminder. Their rate is the one
the terms agreed, never below three times the legal interest rate ("other cases"); when the terms say
nothing, the ECB main refinancing rate + 10 points, the rate in force on 1 January for the first half-year
and on 1 July for the second; a public buyer owes ECB + 8 points (Code de la commande publique R2192-31).
Each late invoice also owes a fixed recovery indemnity of 40 €. A consumer owes
no indemnity, and interest at the legal rate only from the formal notice: the rate "for all other cases",
since the private persons' rate is the one owed to a creditor who is a private person (Code monétaire et
financier L313-2), and the creditor here is a business.

Simple interest on what is still due, day by day: amount × rate × days / 365 (the day count is a setting).
A partial payment stops the interest on the part it paid at its date: a part paid on day P, due on day D,
bears P − D days. The days are summed half-year by half-year, since the rate changes on 1 January and 1 July;
the total is rounded half-up to the cent once, and each period shows its share rounded so that they add up.

Which letters claim penalties and the 40 € (``PENALTY_STEPS``, ``claims_penalties``), and the clause a
company prints by default, are defined here once: the letters, the services and the demo read them.

Rates are data (``RateTable``), shipped for the half-years known when the program was written and entered
by the user for the others. A half-year missing from the table is never guessed: ``MissingRate`` says
which, so that the user enters it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import NamedTuple

from app.domain.money import CENT, ZERO
from app.domain.vocabulary import DunningStep
from app.jobs import Refused

INDEMNITY = Decimal("40.00")     # D441-5: per late invoice, business debtors only
ECB_MARGIN = Decimal(10)         # points added to the ECB rate when the terms say nothing
PUBLIC_MARGIN = Decimal(8)       # a public buyer's late-payment interest: ECB + 8 points (CCP R2192-31)
LEGAL_FLOOR_TIMES = 3            # an agreed rate may not be below three times the legal rate
DAYS_IN_YEAR = 365
# the dunning steps whose letter claims the penalties and indemnities (DOMAIN.md: from the 2nd reminder on)
PENALTY_STEPS = frozenset({DunningStep.SECOND_REMINDER, DunningStep.FORMAL_NOTICE, DunningStep.LITIGATION})
PENALTY_CLAUSE = (  # a company's terms until it writes its own (Paramètres)
    f"En cas de retard de paiement, des pénalités calculées au taux de la BCE majoré de {ECB_MARGIN} points sont "
    "exigibles dès le lendemain de l'échéance, ainsi qu'une indemnité forfaitaire pour frais de "
    f"recouvrement de {INDEMNITY:.0f} € (art. L441-10 et D441-5 du Code de commerce).")


def claims_penalties(step: str, consumer: bool) -> bool:
    """Whether a letter of ``step`` claims penalties: from the second reminder on for a business (they run
    without any reminder, art. L441-10 II); for a consumer, interest runs from the formal notice only."""
    return step in PENALTY_STEPS and not (consumer and step == DunningStep.SECOND_REMINDER)


class HalfYearRates(NamedTuple):
    """The rates of one half-year, in percent a year: the ECB main refinancing rate in force on its first
    day, and the French legal interest rate for "other cases" and for private persons."""

    start: date          # 1 January or 1 July
    ecb: Decimal
    legal_other: Decimal
    legal_private: Decimal
    source: str = ""


def half_year_start(day: date) -> date:
    """1 January or 1 July of ``day``'s half-year."""
    return date(day.year, 1 if day.month <= 6 else 7, 1)


def next_half_year(start: date) -> date:
    """The first day of the half-year after the one starting on ``start``."""
    return date(start.year, 7, 1) if start.month == 1 else date(start.year + 1, 1, 1)


def half_year_label(start: date) -> str:
    """"1er semestre 2026", "2e semestre 2026"."""
    return f"{'1er' if start.month == 1 else '2e'} semestre {start.year}"


class MissingRate(Refused):
    """Half-years the table lacks; the message (French) says which and what to do."""

    def __init__(self, starts: list[date]) -> None:
        self.starts = sorted(set(starts))
        names = ", ".join(half_year_label(start) for start in self.starts)
        several = len(self.starts) > 1
        super().__init__(f"taux d'intérêt manquant{'s' if several else ''} pour le {names} : "
                         f"saisissez-{'les' if several else 'le'} dans Paramètres › Taux d'intérêt (taux de la BCE "
                         "au 1er janvier ou au 1er juillet, taux d'intérêt légal publié pour le semestre).")


class RateTable:
    """The rates by half-year; ``rates(start)`` raises ``MissingRate`` for a half-year it lacks."""

    def __init__(self, rows: list[HalfYearRates]) -> None:
        self.by_start = {row.start: row for row in rows}

    def rates(self, start: date) -> HalfYearRates:
        try:
            return self.by_start[start]
        except KeyError:
            raise MissingRate([start]) from None

    def check(self, first: date, last: date) -> None:
        """``MissingRate`` naming every half-year from ``first``'s to ``last``'s that the table lacks."""
        missing, start = [], half_year_start(first)
        while start <= last:
            if start not in self.by_start:
                missing.append(start)
            start = next_half_year(start)
        if missing:
            raise MissingRate(missing)


class Period(NamedTuple):
    """Days ``start``..``end`` (both counted) at one rate on one amount still due."""

    start: date
    end: date
    amount: Decimal
    rate: Decimal
    interest: Decimal

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1


@dataclass(frozen=True)
class Penalties:
    """What a late invoice owes on top of its amount at a date."""

    principal: Decimal       # what is still due at that date
    days_late: int
    periods: tuple[Period, ...]
    indemnity: Decimal

    @property
    def interest(self) -> Decimal:
        return sum((p.interest for p in self.periods), ZERO)

    @property
    def total(self) -> Decimal:
        """Interest and indemnity (the principal is claimed apart)."""
        return self.interest + self.indemnity


def penalties(amount: Decimal, due: date, at: date, table: RateTable, *, consumer: bool = False,
              public_body: bool = False, agreed_rate: Decimal | None = None, payments: list[tuple[date, Decimal]] = (),
              formal_notice: date | None = None, days_in_year: int = DAYS_IN_YEAR) -> Penalties:
    """The penalties of an invoice of ``amount`` due on ``due``, computed to ``at``; ``payments`` are the
    (date, amount) that settled part of it (credit notes included). A business owes interest from the day
    after the due date at the agreed rate (floored at three times the legal rate) or ECB + 10 points, and
    the 40 € indemnity; a consumer owes interest at the legal rate ("autres cas": the creditor is a business)
    from the formal notice (none before it), and no indemnity."""
    paid = sorted((day, value) for day, value in payments if day <= at)
    principal = max(amount - sum((value for _day, value in paid), ZERO), ZERO)
    settled_on = at if principal > 0 else _paid_in_full_on(amount, paid)  # the day it stopped being late
    days_late = max((settled_on - due).days, 0)
    if days_late == 0 or amount <= 0:
        return Penalties(principal, 0, (), ZERO)
    first = due + timedelta(days=1)
    if consumer:
        first = max(first, formal_notice + timedelta(days=1)) if formal_notice else None
    periods: list[Period] = []
    if first is not None and first <= settled_on:
        table.check(first, settled_on)
        periods = _periods(amount, first, settled_on, paid, table, consumer, public_body, agreed_rate,
                           days_in_year)
    return Penalties(principal, days_late, tuple(periods), ZERO if consumer else INDEMNITY)


def _paid_in_full_on(amount: Decimal, paid: list[tuple[date, Decimal]]) -> date:
    """The first day the payments (in date order) reach ``amount``."""
    total = ZERO
    for day, value in paid:
        total += value
        if total >= amount:
            return day
    raise ValueError("the invoice is not paid in full")


def rate_for(rates: HalfYearRates, consumer: bool, agreed_rate: Decimal | None,
             public_body: bool = False) -> Decimal:
    """The yearly rate in percent for a half-year: the legal rate for a consumer (the "other cases" one: the
    private persons' rate is owed to a creditor who is a private person); a business's agreed rate, at least
    three times the legal rate; else the ECB rate + 10 points."""
    if consumer:
        return rates.legal_other
    if public_body:  # a public buyer owes the rate of public procurement, whatever the terms say
        return rates.ecb + PUBLIC_MARGIN
    if agreed_rate is not None:
        return max(agreed_rate, LEGAL_FLOOR_TIMES * rates.legal_other)
    return rates.ecb + ECB_MARGIN


def _periods(amount: Decimal, first: date, last: date, paid: list[tuple[date, Decimal]], table: RateTable,
             consumer: bool, public_body: bool, agreed_rate: Decimal | None, days_in_year: int) -> list[Period]:
    """Days ``first``..``last`` cut where the rate changes (1 January, 1 July) and where a payment lowers
    what is due (the day after it: its part bears interest up to its own date). The total interest is
    rounded once, and the periods' rounded interests made to add up to it (the largest takes the cent)."""
    cuts = {date(year, month, 1) for year in range(first.year, last.year + 1) for month in (1, 7)}
    cuts |= {day + timedelta(days=1) for day, value in paid if value}
    starts = sorted({first} | {cut for cut in cuts if first < cut <= last})
    exact = []
    for start, following in zip(starts, [*starts[1:], last + timedelta(days=1)]):
        end = following - timedelta(days=1)
        due_then = amount - sum((value for day, value in paid if day < start), ZERO)
        rate = rate_for(table.rates(half_year_start(start)), consumer, agreed_rate, public_body)
        exact.append((start, end, due_then, rate, due_then * rate / 100 * ((end - start).days + 1) / days_in_year))
    rounded = [interest.quantize(CENT, ROUND_HALF_UP) for *_rest, interest in exact]
    if rounded:
        largest = max(range(len(exact)), key=lambda i: exact[i][4])
        rounded[largest] += sum((i for *_r, i in exact), ZERO).quantize(CENT, ROUND_HALF_UP) - sum(rounded, ZERO)
    return [Period(start, end, due_then, rate, interest)
            for (start, end, due_then, rate, _exact), interest in zip(exact, rounded)]
