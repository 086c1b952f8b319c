"""The 13-week cash forecast: expected receipts week by week, split by confidence, and a projected balance.

DOMAIN.md, "Cash-flow forecast (13 weeks)": each open invoice is expected on its due date plus the
customer's usual delay (the plan default when there is no history: the caller supplies it); receipts are
summed by week for 13 weeks and split by confidence; starting from the last known bank balance, with the
known outflows, a projected balance line.

Confidence follows the customer's risk class (see ``scoring``): A/B sure, C probable, D/E uncertain. Lateness
caps it: an invoice more than 30 days late (past the 1–30 days bucket of the aging balance) with no promise to
pay running is at most probable, the customer having let a month go by without a word; one more than 90 days
late is uncertain whatever the class (DOMAIN.md "Indicators"). An invoice in doubt — time-barred (DOMAIN.md
"Formal notice": 5 years between merchants, 2 on a consumer), marked doubtful or disputed, under an open
dispute, or sent to litigation — is not expected at all: it is the forecast's « Douteux » line, a total
beside the 13 weeks, never in a week's receipts nor in the projected balance.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import NamedTuple

from app.domain.alerts import prescription_date
from app.domain.money import ZERO
from app.domain.text import fold

CONFIDENCES = ("sure", "probable", "uncertain")   # the weeks' receipts, by confidence
DOUBTFUL = "doubtful"                              # in doubt: the « Douteux » line, in no week
RECURRING_MONTHS = 3    # a debit seen in at least 2 of the 3 months before the forecast comes back every month
CONFIDENCE_LABELS = {"sure": "Sûr", "probable": "Probable", "uncertain": "Incertain", DOUBTFUL: "Douteux"}

_CONFIDENCE_BY_GRADE = {"A": "sure", "B": "sure", "C": "probable", "D": "uncertain", "E": "uncertain"}
NOT_SURE_AFTER_DAYS = 30    # late past the aging's 1–30 days bucket, with no promise: at most probable
UNCERTAIN_AFTER_DAYS = 90   # late past the aging's 61–90 days bucket: uncertain


class Receivable(NamedTuple):
    """An open item of a customer: what is still due on it, when, and how that customer usually pays."""

    due: date
    amount: Decimal            # still due; items <= 0 (credit notes, unallocated payments) are ignored
    usual_delay: Decimal       # days, may be negative (pays early); the plan default when no history
    grade: str                 # the customer's risk class A..E
    in_litigation: bool = False        # marked doubtful or disputed, an open dispute, or a litigation file
    consumer: bool = False             # time-barred 2 years after its due date rather than 5
    promised_on: date | None = None    # the customer's promise to pay running at the forecast's date


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
    ROUND_HALF_UP and the rest of the program: 2.5 -> 3 days later, -2.5 -> 3 days earlier); the promised
    date instead for an invoice already due when the customer promised to pay: its word beats its habit."""
    return _promised(item) or item.due + timedelta(days=_whole_days(item.usual_delay))


def _promised(item: Receivable) -> date | None:
    """The date a promise to pay running sets for an invoice due by then (None: no such promise)."""
    return item.promised_on if item.promised_on is not None and item.due <= item.promised_on else None


def _whole_days(delay: Decimal) -> int:
    return int(delay.quantize(Decimal(1), ROUND_HALF_UP))


def confidence(item: Receivable, at: date) -> str:
    """How sure the receipt is at ``at``: in doubt (``DOUBTFUL``) when in litigation or time-barred; else by
    the customer's class, at most probable once more than 30 days late without a promise running, uncertain
    once more than 90 days late. An unknown class (customer not scored yet) is uncertain: a forecast should
    not count on it."""
    if item.in_litigation or prescription_date(item.due, item.consumer) <= at:
        return DOUBTFUL
    late = (at - item.due).days
    if late > UNCERTAIN_AFTER_DAYS:
        return "uncertain"
    by_grade = _CONFIDENCE_BY_GRADE.get(item.grade, "uncertain")
    if by_grade == "sure" and late > NOT_SURE_AFTER_DAYS and (item.promised_on is None or item.promised_on < at):
        return "probable"
    return by_grade


def in_doubt(items: Iterable[Receivable], at: date) -> Decimal:
    """The forecast's « Douteux » line: what is still due on the items in doubt at ``at`` (``confidence``),
    expected in no week."""
    return sum((item.amount for item in items if item.amount > 0 and confidence(item, at) == DOUBTFUL), ZERO)


def forecast(items: Iterable[Receivable], at: date, opening_balance: Decimal | None = None,
             outflows: Iterable[Outflow] = (), weeks: int = 13) -> list[Week]:
    """Weekly expected receipts and outflows from the Monday of ``at``'s week, for ``weeks`` weeks.

    A receipt expected before the first week is already late: it is still hoped for, so it lands in the
    first week; an item in doubt is not hoped for and lands nowhere (``in_doubt``). An outflow dated before
    the first week is already in the opening balance and is ignored. Anything after the last week is left
    out. ``balance`` = opening + cumulative (receipts - outflows)."""
    if weeks < 0:
        raise ValueError(f"nombre de semaines négatif : {weeks}")
    first = week_start(at)
    receipts = [{c: ZERO for c in CONFIDENCES} for _ in range(weeks)]
    spent = [ZERO] * weeks
    shifts: dict[Decimal, int] = {}  # each customer's delay is rounded once, not once per invoice
    for item in items:
        if item.amount <= 0:
            continue
        sureness = confidence(item, at)
        if sureness == DOUBTFUL:
            continue
        promised = _promised(item)
        if promised is not None:
            index = max(0, (promised - first).days // 7)  # expected_date's week
        else:
            shift = shifts.get(item.usual_delay)
            if shift is None:
                shift = shifts[item.usual_delay] = _whole_days(item.usual_delay)
            index = max(0, ((item.due - first).days + shift) // 7)  # expected_date's week
        if index < weeks:
            receipts[index][sureness] += item.amount
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


def net_of_credits(items: Iterable[tuple]) -> list[tuple]:
    """(customer, due date, cents, *what else the caller keeps of the item) items of the open accounts with
    each customer's credits (negative items: payments received but not allocated, credit notes not used)
    taken off its oldest items first: money already in the bank is not expected again. Items paid off this
    way are left out; a customer's credits beyond what it owes are left out too (nothing to expect from
    them)."""
    credits: dict[Hashable, int] = {}
    owed = []
    for customer, due, cents, *rest in items:
        if cents < 0:
            credits[customer] = credits.get(customer, 0) - cents
        elif cents > 0:
            owed.append((customer, due, cents, *rest))
    result = []
    for customer, due, cents, *rest in sorted(owed, key=lambda item: item[1]):
        left = credits.get(customer, 0)
        if left:
            used = min(left, cents)
            credits[customer] = left - used
            cents -= used
        if cents:
            result.append((customer, due, cents, *rest))
    return result
