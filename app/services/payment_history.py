"""How each customer has been paying: the invoices settled in full, with the day they were, for the average
payment delay, its trend and the delay chart (app.domain.kpi). ``delay_sums`` gives the same figures for every
customer at once, summed by the database (the cockpit of a large ledger reads no invoice one by one)."""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from app.domain.kpi import DelaySums, PaidInvoice, delay_windows
from app.domain.money import from_cents
from app.models import Invoice, InvoiceKind
from app.models.dates import days_between
from app.models.db import plain_rows


def paid_invoices(session: Session, since: date, at: date, customer_id: int | None = None
                  ) -> dict[int, list[PaidInvoice]]:
    """By customer, the invoices paid in full after ``since`` and by ``at``, on a known day: their ``paid_on``
    (app.models.settlement) says when, so the allocations need not be read. An invoice an export only said
    was paid has no such day and is left out: its delay is not known."""
    query = select(Invoice.customer_id, Invoice.total_cents, Invoice.due_date, Invoice.paid_on).where(
        Invoice.kind == InvoiceKind.INVOICE.value, Invoice.total_cents > 0, Invoice.paid_on > since,
        Invoice.paid_on <= at)
    if customer_id is not None:
        query = query.where(Invoice.customer_id == customer_id)
    found: dict[int, list[PaidInvoice]] = defaultdict(list)
    for customer, cents, due, paid_on in plain_rows(session, query):
        found[customer].append(PaidInvoice(from_cents(cents), due, paid_on))
    return found


def delay_sums(session: Session, at: date, customer_id: int | None = None) -> dict[int, DelaySums]:
    """By customer, the sums ``kpi.delays_from_sums`` turns into the average delay and its trend at ``at``:
    one GROUP BY over the invoices paid in the last 6 months on a known day (``paid_on``)."""
    six_ago, three_ago = delay_windows(at)
    recent = Invoice.paid_on > three_ago
    late = Invoice.total_cents * days_between(Invoice.due_date, Invoice.paid_on)
    query = (select(Invoice.customer_id,
                    func.sum(case((recent, Invoice.total_cents), else_=0)), func.sum(case((recent, late), else_=0)),
                    func.sum(case((recent, 0), else_=Invoice.total_cents)), func.sum(case((recent, 0), else_=late)),
                    func.sum(case((recent, 1), else_=0)), func.sum(case((recent, 0), else_=1)))
             .where(Invoice.kind == InvoiceKind.INVOICE.value, Invoice.total_cents > 0, Invoice.paid_on > six_ago,
                    Invoice.paid_on <= at)
             .group_by(Invoice.customer_id))
    if customer_id is not None:
        query = query.where(Invoice.customer_id == customer_id)
    return {customer: DelaySums(*(from_cents(int(value or 0)) for value in sums[:4]), *map(int, sums[4:]))
            for customer, *sums in plain_rows(session, query)}
