"""How each customer has been paying: the invoices settled in full, with the day they were (the date of their
last allocation), for the average payment delay, its trend and the delay chart (app.domain.kpi)."""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.domain.kpi import PaidInvoice
from app.domain.money import from_cents
from app.models import Allocation, Invoice, InvoiceKind


def paid_invoices(session: Session, since: date, at: date, customer_id: int | None = None
                  ) -> dict[int, list[PaidInvoice]]:
    """By customer, the invoices whose allocations dated up to ``at`` cover their whole amount, settled in
    full after ``since``. One aggregate query over the allocations: no invoice is loaded one by one."""
    paid_on = func.max(Allocation.allocated_on)
    query = (select(Invoice.customer_id, Invoice.total_cents, Invoice.due_date, paid_on.label("paid_on"))
             .join(Allocation, Allocation.invoice_id == Invoice.id)
             .where(Invoice.kind == InvoiceKind.INVOICE.value, Invoice.total_cents > 0,
                    Allocation.allocated_on <= at)
             .group_by(Invoice.id, Invoice.customer_id, Invoice.total_cents, Invoice.due_date)
             .having(func.sum(Allocation.amount_cents) >= Invoice.total_cents, paid_on > since))
    if customer_id is not None:
        query = query.where(Invoice.customer_id == customer_id)
    found: dict[int, list[PaidInvoice]] = defaultdict(list)
    for row in session.execute(query):
        found[row.customer_id].append(PaidInvoice(from_cents(row.total_cents), row.due_date, row.paid_on))
    return found
