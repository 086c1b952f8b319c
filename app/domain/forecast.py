"""The 13-week cash forecast: expected receipts week by week, split by confidence, and a projected balance.

DOMAIN.md, "Cash-flow forecast (13 weeks)": each open invoice is expected on its due date plus the
customer's usual delay (the plan default when there is no history: the caller supplies it); receipts are
summed by week for 13 weeks and split by confidence; starting from the last known bank balance, with the
known outflows, a projected balance line.

Confidence follows the customer's risk class (see ``scoring``): A/B sure, C probable, D/E uncertain; an
invoice already more than 90 days late is uncertain whatever the class, because such a debt is no longer
"late" but in doubt (the > 90 days bucket of the aging balance, DOMAIN.md "Indicators").
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import NamedTuple

from app.domain.money import ZERO
from app.domain.text import fold

CONFIDENCES = ("sure", "probable", "uncertain")
RECURRING_MONTHS = 3    # a debit seen in at least 2 of the 3 months before the forecast comes back every month
CONFIDENCE_LABELS = {"sure": "Sûr", "probable": "Probable", "uncertain": "Incertain"}

_CONFIDENCE_BY_GRADE = {"A": "sure", "B": "sure", "C": "probable", "D": "uncertain", "E": "uncertain"}
DOUBTFUL_AFTER_DAYS = 90


class Receivable(NamedTuple):
    """An open item of a customer: what is still due on it, when, and how that customer usually pays."""

    due: date
    amount: Decimal            # still due; items <= 0 (credit notes, unallocated payments) are ignored
    usual_delay: Decimal       # days, may be negative (pays early); the plan default when no history
    grade: str                 # the customer's risk class A..E


class Outflow(NamedTuple):
    on: date
    amount: Decimal            # money going out, positive


class Debit(NamedTuple):
    """Money that went out of the bank account (a statement's debit line)."""

    on: date
    amount: Decimal            # positive
    label: str


class Week(NamedTuple):
    week_start: date                    # a Monday
    expected: Decimal                   # sum of by_confidence
    by_confidence: dict[str, Decimal]   # keys CONFIDENCES, all present
    outflows: Decimal
    balance: Decimal | None             # projected balance at the end of the week; None without an opening


def week_start(day: date) -> date:
    """The Monday of ``day``'s week (French weeks start on Monday)."""
    return day - timedelta(days=day.weekday())


def expected_date(item: Receivable) -> date:
    """Due date plus the usual delay rounded to whole days, half-up (halves away from zero, as Decimal's
    ROUND_HALF_UP and the rest of the program: 2.5 -> 3 days later, -2.5 -> 3 days earlier)."""
    return item.due + timedelta(days=_whole_days(item.usual_delay))


def _whole_days(delay: Decimal) -> int:
    return int(delay.quantize(Decimal(1), ROUND_HALF_UP))


def confidence(item: Receivable, at: date) -> str:
    """How sure the receipt is: by the customer's class, but uncertain once more than 90 days past due.
    An unknown class (customer not scored yet) is uncertain: a forecast should not count on it."""
    if (at - item.due).days > DOUBTFUL_AFTER_DAYS:
        return "uncertain"
    return _CONFIDENCE_BY_GRADE.get(item.grade, "uncertain")


def forecast(items: Iterable[Receivable], at: date, opening_balance: Decimal | None = None,
             outflows: Iterable[Outflow] = (), weeks: int = 13) -> list[Week]:
    """Weekly expected receipts and outflows from the Monday of ``at``'s week, for ``weeks`` weeks.

    A receipt expected before the first week is already late: it is still hoped for, so it lands in the
    first week. An outflow dated before the first week is already in the opening balance and is ignored.
    Anything after the last week is left out. ``balance`` = opening + cumulative (receipts - outflows)."""
    if weeks < 0:
        raise ValueError(f"nombre de semaines négatif : {weeks}")
    first = week_start(at)
    receipts = [{c: ZERO for c in CONFIDENCES} for _ in range(weeks)]
    spent = [ZERO] * weeks
    shifts: dict[Decimal, int] = {}  # each customer's delay is rounded once, not once per invoice
    for item in items:
        if item.amount <= 0:
            continue
        shift = shifts.get(item.usual_delay)
        if shift is None:
            shift = shifts[item.usual_delay] = _whole_days(item.usual_delay)
        index = max(0, ((item.due - first).days + shift) // 7)  # expected_date's week
        if index < weeks:
            receipts[index][confidence(item, at)] += item.amount
    for outflow in outflows:
        index = (outflow.on - first).days // 7
        if 0 <= index < weeks:
            spent[index] += outflow.amount
    result = []
    balance = opening_balance
    for index in range(weeks):
        expected = sum(receipts[index].values(), ZERO)
        if balance is not None:
            balance = balance + expected - spent[index]
        result.append(Week(first + timedelta(weeks=index), expected, receipts[index], spent[index], balance))
    return result


def recurring_outflows(debits: Iterable[Debit], at: date, weeks: int = 13) -> list[Outflow]:
    """The known outflows of the forecast: the debits that come back every month (rent, loan, salaries,
    subscriptions), projected on the weeks ahead. A debit is recurring when a label like its own (digits left
    out: they carry dates and references) was paid in at least two of the three calendar months before
    ``at``'s month; it is expected again every month on the day of the month it last went out, at its last
    amount. One-off debits are not projected: nothing says they will come again."""
    first = week_start(at)
    this_month = at.year * 12 + at.month - 1
    seen: dict[str, set[int]] = {}
    last: dict[str, Debit] = {}
    for debit in debits:
        month = debit.on.year * 12 + debit.on.month - 1
        if not this_month - RECURRING_MONTHS <= month < this_month:
            continue
        key = " ".join("".join(" " if c.isdigit() else c for c in fold(debit.label)).split())
        seen.setdefault(key, set()).add(month)
        if key not in last or (debit.on, debit.amount) > (last[key].on, last[key].amount):
            last[key] = debit
    end = first + timedelta(weeks=weeks)
    result = []
    for key, months in seen.items():
        if len(months) < 2:
            continue
        debit = last[key]
        month = debit.on.year * 12 + debit.on.month  # the month after the last one paid
        while True:
            year, month0 = divmod(month, 12)
            day = _day_in_month(year, month0 + 1, debit.on.day)
            if day >= end:
                break
            if day >= first:
                result.append(Outflow(day, debit.amount))
            month += 1
    return sorted(result)


def _day_in_month(year: int, month: int, day: int) -> date:
    """``day`` of that month, or its last day when the month is shorter (a debit of the 31st in April: 30th)."""
    last_day = (date(year + month // 12, month % 12 + 1, 1) - timedelta(days=1)).day
    return date(year, month, min(day, last_day))


def net_of_credits(items: Iterable[tuple[Hashable, date, int]]) -> list[tuple[Hashable, date, int]]:
    """(customer, due date, cents) items of the open accounts with each customer's credits (negative items:
    payments received but not allocated, credit notes not used) taken off its oldest items first: money
    already in the bank is not expected again. Items paid off this way are left out; a customer's credits
    beyond what it owes are left out too (nothing to expect from them)."""
    credits: dict[Hashable, int] = {}
    owed = []
    for customer, due, cents in items:
        if cents < 0:
            credits[customer] = credits.get(customer, 0) - cents
        elif cents > 0:
            owed.append((customer, due, cents))
    result = []
    for customer, due, cents in sorted(owed, key=lambda item: item[1]):
        left = credits.get(customer, 0)
        if left:
            used = min(left, cents)
            credits[customer] = left - used
            cents -= used
        if cents:
            result.append((customer, due, cents))
    return result
