"""Receivables indicators: DSO, rates, payment delays and working capital (DOMAIN.md, "Indicators").

Pure arithmetic on ``Decimal``: callers gather the figures (aging balance, sales by month, paid invoices,
the accountant's balances) and these functions apply the formulas. Days are rounded half-up to one
decimal and rates half-up to four decimals between 0 and 1 (the display turns them into percentages),
so the dashboard, the reports and the tests all show the same figures. An indicator whose denominator is
zero or negative has no meaning: it is ``None``, never a division error nor a made-up zero.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable, Mapping
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import NamedTuple

from app.domain.money import CENT, ZERO

DAYS_PLACES = Decimal("0.1")     # days are rounded half-up to one decimal
RATE_PLACES = Decimal("0.0001")  # rates are rounded half-up to 4 decimals, between 0 and 1

_ONE = Decimal(1)


def _days(value: Decimal) -> Decimal:
    return value.quantize(DAYS_PLACES, rounding=ROUND_HALF_UP)


def _rate(numerator: Decimal, denominator: Decimal) -> Decimal | None:
    """numerator / denominator clamped to [0, 1]: a share cannot be negative nor exceed the whole, even when
    negative items (credit notes, unallocated payments) push the raw ratio out of range."""
    if denominator <= 0:
        return None
    ratio = min(max(numerator / denominator, Decimal(0)), _ONE)
    return ratio.quantize(RATE_PLACES, rounding=ROUND_HALF_UP)


def month_bounds(year: int, month: int) -> tuple[date, date]:
    """First and last day of a month (leap Februaries included)."""
    return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])


def months_back(at: date, count: int) -> list[tuple[int, int]]:
    """(year, month) of ``at``'s month and the ``count - 1`` months before it, newest first."""
    index = at.year * 12 + at.month - 1
    return [(i // 12, i % 12 + 1) for i in range(index, index - count, -1)]


def _minus_months(at: date, months: int) -> date:
    """The same day ``months`` calendar months earlier, on the month's last day when it is shorter
    (31 August minus 6 months is 28 or 29 February)."""
    index = at.year * 12 + at.month - 1 - months
    year, month = index // 12, index % 12 + 1
    return date(year, month, min(at.day, month_bounds(year, month)[1].day))


# --- DSO -------------------------------------------------------------------------------------------------

def dso_countback(receivables: Decimal, sales_by_month: Mapping[tuple[int, int], Decimal], at: date,
                  months: int = 24) -> Decimal | None:
    """Days sales outstanding by the countback method (DOMAIN.md, Indicators).

    R = receivables at ``at``. Walk back month by month from ``at``'s own month, which counts only the days
    elapsed (``at.day``) and the sales up to ``at`` (the caller passes them so); then whole previous
    months. While R exceeds the month's sales, subtract them and add the month's days; then add
    R / that month's sales × its days. Unlike the simple method, it explains today's receivables by the
    most recent sales, so a seasonal peak does not distort it.

    - receivables <= 0: nothing is outstanding, ``Decimal("0.0")``;
    - a month with zero or negative sales (credit notes) while R remains: its days are added, R unchanged;
    - after ``months`` months R may remain: the days accumulated so far (the whole window) are returned;
    - ``None`` when the window holds no positive sales at all (there is nothing to count back against).
    """
    if receivables <= 0:
        return _days(Decimal(0))
    window = months_back(at, months)
    if not any(sales_by_month.get(month, ZERO) > 0 for month in window):
        return None
    remaining = receivables
    total = Decimal(0)
    for year, month in window:
        days = at.day if (year, month) == (at.year, at.month) else month_bounds(year, month)[1].day
        sales = sales_by_month.get((year, month), ZERO)
        if sales > 0 and remaining <= sales:
            return _days(total + remaining / sales * days)
        if sales > 0:
            remaining -= sales
        total += days
    return _days(total)


def dso_simple(receivables: Decimal, sales_365: Decimal) -> Decimal | None:
    """DSO, simple method (DOMAIN.md): receivables at D / sales of the 365 days ending at D × 365.

    ``None`` when those sales are <= 0. Receivables <= 0 give ``0.0``, as the countback method does, so
    the two methods shown side by side never disagree in sign."""
    if sales_365 <= 0:
        return None
    return _days(max(receivables, Decimal(0)) / sales_365 * 365)


# --- Rates -----------------------------------------------------------------------------------------------

def overdue_rate(total: Decimal, not_due: Decimal) -> Decimal | None:
    """Overdue rate (DOMAIN.md) = (receivables − the "not due" bucket) / receivables, in [0, 1]."""
    return _rate(total - not_due, total)


def doubtful_rate(doubtful: Decimal, receivables: Decimal) -> Decimal | None:
    """Doubtful rate (DOMAIN.md) = still due on doubtful invoices / receivables, in [0, 1]."""
    return _rate(doubtful, receivables)


def collection_effectiveness(opening: Decimal, sales: Decimal, closing: Decimal,
                             closing_current: Decimal) -> Decimal | None:
    """Collection effectiveness index (DOMAIN.md) = (opening + sales − closing) /
    (opening + sales − closing current receivables).

    DOMAIN.md multiplies by 100; this returns the 0–1 rate like every other rate here and the display
    makes it a percentage. Clamped to [0, 1]: what was collected cannot exceed what was collectable."""
    collectable = opening + sales
    return _rate(collectable - closing, collectable - closing_current)


def top_share(exposures: Iterable[Decimal], n: int = 5) -> Decimal | None:
    """Concentration (DOMAIN.md): share of receivables held by the ``n`` customers who owe most.

    Sum of the ``n`` largest positive exposures / sum of all exposures (the total receivables, customers
    in credit included), clamped to [0, 1]; ``None`` when that total is <= 0."""
    values = list(exposures)
    top = sorted((value for value in values if value > 0), reverse=True)[:max(n, 0)]
    return _rate(sum(top, Decimal(0)), sum(values, Decimal(0)))


def sales_to_recover(loss: Decimal, margin_rate: Decimal) -> Decimal | None:
    """Cost of an unpaid invoice (DOMAIN.md): the extra sales needed to make up for it = loss / margin
    rate (1 000 € lost at 20 % margin needs 5 000 € of sales), to the cent; ``None`` when the margin
    rate is <= 0 (no amount of sales would make up for it)."""
    if margin_rate <= 0:
        return None
    return (loss / margin_rate).quantize(CENT, rounding=ROUND_HALF_UP)


# --- Payment delays --------------------------------------------------------------------------------------

class PaidInvoice(NamedTuple):
    """An invoice fully settled: its amount (the weight), due date and the date it was fully paid."""

    amount: Decimal
    due: date
    paid_on: date


def _weighted_delay(paid: Iterable[PaidInvoice], after: date, until: date) -> Decimal | None:
    """Amount-weighted mean of (paid_on − due) in days over invoices paid in (after, until]; non-positive
    amounts carry no weight."""
    weight = Decimal(0)
    weighted = Decimal(0)
    for invoice in paid:
        if invoice.amount > 0 and after < invoice.paid_on <= until:
            weight += invoice.amount
            weighted += invoice.amount * (invoice.paid_on - invoice.due).days
    return _days(weighted / weight) if weight else None


def average_delay(paid: Iterable[PaidInvoice], at: date, months: int = 6) -> Decimal | None:
    """Average payment delay (DOMAIN.md, Risk score): days between due date and payment, weighted by
    amount, over invoices paid in the ``months`` months ending at ``at``.

    Kept distinct from DSO: it measures how a customer pays, not how much is outstanding. Signed (an
    early payment counts negative, so a customer who pays early is credited for it). The window is
    paid_on > ``at`` minus ``months`` calendar months and <= ``at``. ``None`` when no invoice qualifies."""
    return _weighted_delay(paid, _minus_months(at, months), at)


def delay_trend(paid: Iterable[PaidInvoice], at: date) -> Decimal | None:
    """Trend of the payment delay over the last 6 months (DOMAIN.md, Risk score): the average delay of
    the last 3 months minus that of the 3 months before them; positive = paying later than before.

    Both averages are rounded first, so the trend is exactly the difference of the two figures shown.
    ``None`` when either period has no paid invoice."""
    paid = list(paid)
    three_ago = _minus_months(at, 3)
    recent = _weighted_delay(paid, three_ago, at)
    before = _weighted_delay(paid, _minus_months(at, 6), three_ago)
    if recent is None or before is None:
        return None
    return recent - before


class DelaySums(NamedTuple):
    """The payment delays of one customer (or of all) summed the way a database adds them up: for the
    invoices paid in the last 3 months, and for those paid in the 3 months before, the amounts (the weights)
    and the amounts × days late. Enough for ``average_delay`` and ``delay_trend`` without the invoices."""

    recent_amount: Decimal
    recent_amount_days: Decimal
    earlier_amount: Decimal
    earlier_amount_days: Decimal
    recent_count: int = 0    # how many invoices each figure rests on (the alerts ask for enough of them)
    earlier_count: int = 0


def delay_windows(at: date) -> tuple[date, date]:
    """(6 months before ``at``, 3 months before ``at``): invoices paid after the first and by ``at`` count,
    the recent ones after the second (the windows of ``average_delay`` and ``delay_trend``)."""
    return _minus_months(at, 6), _minus_months(at, 3)


def delays_from_sums(sums: DelaySums) -> tuple[Decimal | None, Decimal | None]:
    """(average delay over 6 months, trend): what ``average_delay`` and ``delay_trend`` give for the same
    invoices, from their sums."""
    amount = sums.recent_amount + sums.earlier_amount
    average = _days((sums.recent_amount_days + sums.earlier_amount_days) / amount) if amount > 0 else None
    if sums.recent_amount <= 0 or sums.earlier_amount <= 0:
        return average, None
    return average, (_days(sums.recent_amount_days / sums.recent_amount)
                     - _days(sums.earlier_amount_days / sums.earlier_amount))


def monthly_delays(paid: Iterable[PaidInvoice], at: date,
                   months: int = 12) -> list[tuple[date, Decimal | None]]:
    """For a chart: for each of the ``months`` months ending with ``at``'s month, oldest first, (first day
    of the month, amount-weighted average delay of the invoices paid in it, or ``None``). ``at``'s month
    counts payments up to ``at`` only, like every other figure at that date."""
    paid = list(paid)
    points = []
    for year, month in reversed(months_back(at, months)):
        first, last = month_bounds(year, month)
        points.append((first, _weighted_delay(paid, first - timedelta(days=1), min(last, at))))
    return points


# --- Working capital -------------------------------------------------------------------------------------

class WorkingCapital(NamedTuple):
    """DSO, DPO, DIO and BFR in days (``None`` when meaningless) and BFR in euros."""

    dso: Decimal | None
    dpo: Decimal | None
    dio: Decimal | None
    bfr_days: Decimal | None
    bfr: Decimal


def _period_days(amount: Decimal, flow: Decimal, days: int) -> Decimal | None:
    return _days(amount / flow * days) if flow > 0 else None


def working_capital(receivables: Decimal, sales_ht: Decimal, purchases_ht: Decimal, stocks: Decimal,
                    payables: Decimal, vat_rate: Decimal = Decimal("0.20"), days: int = 365) -> WorkingCapital:
    """Working capital from the accountant's balances of one fiscal year (DOMAIN.md, Indicators).

    Inputs: FEC accounts 70x (sales HT), 60x (purchases HT), 3x (stocks), 401 (payables, TTC) and the
    receivables TTC at the year end. Balances of receivables and payables include VAT, so the flows they
    are compared with are grossed up by ``vat_rate`` to keep each ratio TTC/TTC:

    - DSO = receivables / (sales HT × (1 + VAT)) × days;
    - DPO = payables / (purchases HT × (1 + VAT)) × days;
    - DIO = stocks / cost of sales × days, cost of sales approximated by purchases HT (the FEC does not
      give it directly; the approximation ignores the change in stocks over the year);
    - BFR = stocks + receivables − payables; in days of sales = BFR / sales HT × days (DOMAIN.md).

    ``days`` is the length of the fiscal period: 365 for a normal year, the real length for a longer or
    shorter one (a first year of 18 months), so that a flow is compared with its own period. Each ratio
    is ``None`` when its denominator is <= 0; a negative BFR is a real figure and is kept."""
    gross = _ONE + vat_rate
    bfr = stocks + receivables - payables
    return WorkingCapital(
        dso=_period_days(receivables, sales_ht * gross, days),
        dpo=_period_days(payables, purchases_ht * gross, days),
        dio=_period_days(stocks, purchases_ht, days),
        bfr_days=_period_days(bfr, sales_ht, days),
        bfr=bfr,
    )
