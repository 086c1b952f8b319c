"""The ledger as daily sums: receivables and sales at any date from three GROUP BY queries.

DSO month by month over two years needs the receivables at 25 dates and the sales of every month. Rebuilding
the aging at each date would read every open item 25 times; instead, receivables at D are what was invoiced
by D less what was received by D: every allocation between an invoice and a payment (or a credit note)
cancels out in that sum, whatever its date. Only written-off invoices break the symmetry (they are not
receivable, but the payments allocated to them were received), hence the third series. Tests check the
result against the aging balance at several dates.
"""

from __future__ import annotations

from bisect import bisect_right
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from itertools import accumulate

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.domain.money import from_cents
from app.models import Allocation, Invoice, InvoiceStatus, Payment
from app.models.db import plain_rows

ONE_DAY = timedelta(days=1)


@dataclass(frozen=True)
class _Series:
    """Amounts (cents) by day, kept as sorted days and running totals for a sum up to any date."""

    days: list[date]
    running: list[int]

    @classmethod
    def of(cls, rows) -> _Series:
        by_day: dict[date, int] = defaultdict(int)
        for day, cents in rows:
            by_day[day] += int(cents or 0)
        days = sorted(by_day)
        return cls(days, list(accumulate(by_day[day] for day in days)))

    def until(self, day: date) -> int:
        """The sum of every amount dated ``day`` or before."""
        index = bisect_right(self.days, day)
        return self.running[index - 1] if index else 0


@dataclass(frozen=True)
class LedgerHistory:
    """Invoiced (receivable and all), received and written-off allocations, day by day."""

    receivable_invoiced: _Series  # invoices and credit notes, written-off ones excluded
    invoiced: _Series             # every invoice and credit note: the sales
    received: _Series             # payments of identified customers
    written_off_paid: _Series     # allocations to written-off invoices

    def receivables(self, at: date) -> Decimal:
        """What customers owed at the end of ``at`` (DOMAIN.md: the aging total, negative items included)."""
        return from_cents(self.receivable_invoiced.until(at) - self.received.until(at)
                          + self.written_off_paid.until(at))

    def sales(self, after: date, until: date) -> Decimal:
        """Sales TTC, credit notes deducted, of the days after ``after`` up to ``until``."""
        return from_cents(self.invoiced.until(until) - self.invoiced.until(after))

    def sales_by_month(self, until: date, months: int) -> dict[tuple[int, int], Decimal]:
        """Sales of ``until``'s month (up to ``until`` only) and of the ``months`` - 1 months before."""
        found = {}
        end = until
        for _ in range(months):
            start = end.replace(day=1)
            found[start.year, start.month] = self.sales(start - ONE_DAY, end)
            end = start - ONE_DAY
        return found


def ledger_history(session: Session) -> LedgerHistory:
    """The daily series of the whole ledger, in three aggregate queries (no invoice loaded one by one)."""
    written_off = InvoiceStatus.WRITTEN_OFF.value
    # by day and status, in the order of ix_invoice_issued, which the database then reads alone; grouping
    # by "written off or not" instead would sort the whole table again (0.3 s at 1 000 000 invoices)
    by_status = plain_rows(session, select(Invoice.issue_date, Invoice.status, func.sum(Invoice.total_cents))
                           .group_by(Invoice.issue_date, Invoice.status))
    rows = [(day, status == written_off, cents) for day, status, cents in by_status]
    received = plain_rows(session, select(Payment.received_on, func.sum(Payment.amount_cents))
                          .where(Payment.customer_id.is_not(None)).group_by(Payment.received_on)).all()
    lost = select(Invoice.id).where(Invoice.status == written_off)  # ix_invoice_written_off: a few rows
    lost_paid = plain_rows(session, select(Allocation.allocated_on, func.sum(Allocation.amount_cents))
                           .where(Allocation.invoice_id.in_(lost)).group_by(Allocation.allocated_on)).all()
    return LedgerHistory(
        receivable_invoiced=_Series.of((day, cents) for day, lost, cents in rows if not lost),
        invoiced=_Series.of((day, cents) for day, _lost, cents in rows),
        received=_Series.of(received),
        written_off_paid=_Series.of(lost_paid),
    )
