"""The aging balance read from the database: invoices, credit notes and payments become the domain's
open items, and ``app.domain.aging`` does the arithmetic."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from sqlalchemy import exists, or_, select
from sqlalchemy.orm import Session

from app.domain.aging import AgingBalance, OpenItem, Settlement, aging_balance
from app.domain.money import from_cents
from app.models import Allocation, Customer, Invoice, InvoiceKind, InvoiceStatus, Payment


@dataclass(frozen=True)
class AgingReport:
    """The balance and who the customers in it are (id → name, SIREN), for display and export."""

    balance: AgingBalance
    names: dict[int, str]
    sirens: dict[int, str]


def _settlements(rows: Iterable[tuple[int, date, int]], sign: int) -> dict[int, list[Settlement]]:
    by_key: dict[int, list[Settlement]] = defaultdict(list)
    for key, on, cents in rows:
        by_key[key].append(Settlement(on, from_cents(sign * cents)))
    return by_key


def open_items(session: Session, at: date, customer_ids: Iterable[int] | None = None) -> list[OpenItem]:
    """Every invoice, credit note and payment that may still be open at ``at``, with its settlements
    dated up to ``at``. Written-off invoices are lost, not receivable; they are left out."""
    later_allocation = exists().where(Allocation.invoice_id == Invoice.id, Allocation.allocated_on > at)
    invoice_query = select(Invoice.id, Invoice.customer_id, Invoice.issue_date, Invoice.due_date,
                           Invoice.total_cents, Invoice.kind).where(
        Invoice.issue_date <= at, Invoice.status != InvoiceStatus.WRITTEN_OFF,
        or_(Invoice.status != InvoiceStatus.PAID, later_allocation))
    payment_query = select(Payment.id, Payment.customer_id, Payment.received_on, Payment.amount_cents).where(Payment.received_on <= at, Payment.customer_id.is_not(None))
    allocation_query = select(Allocation.invoice_id, Allocation.credit_note_id, Allocation.payment_id,
                              Allocation.allocated_on, Allocation.amount_cents).where(Allocation.allocated_on <= at)
    if customer_ids is not None:
        ids = list(customer_ids)
        invoice_query = invoice_query.where(Invoice.customer_id.in_(ids))
        payment_query = payment_query.where(Payment.customer_id.in_(ids))
        allocation_query = allocation_query.join(Invoice, Invoice.id == Allocation.invoice_id).where(
            Invoice.customer_id.in_(ids))
    allocations = session.execute(allocation_query).all()
    on_invoice = _settlements(((a.invoice_id, a.allocated_on, a.amount_cents) for a in allocations), 1)
    from_credit_note = _settlements(((a.credit_note_id, a.allocated_on, a.amount_cents)
                                     for a in allocations if a.credit_note_id), -1)
    from_payment = _settlements(((a.payment_id, a.allocated_on, a.amount_cents)
                                 for a in allocations if a.payment_id), -1)
    items = [
        OpenItem(customer=row.customer_id, booked=row.issue_date, due=row.due_date,
                 amount=from_cents(row.total_cents), key=("invoice", row.id),
                 settlements=tuple(from_credit_note[row.id] if row.kind == InvoiceKind.CREDIT_NOTE
                                   else on_invoice[row.id]))
        for row in session.execute(invoice_query)
    ]
    items += [
        OpenItem(customer=row.customer_id, booked=row.received_on, due=row.received_on,
                 amount=-from_cents(row.amount_cents), key=("payment", row.id),
                 settlements=tuple(from_payment[row.id]))
        for row in session.execute(payment_query)
    ]
    return items


def aging_at(session: Session, at: date) -> AgingReport:
    """The aging balance of the whole ledger at ``at`` (DOMAIN.md, Indicators)."""
    balance = aging_balance(open_items(session, at), at)
    customers = session.execute(select(Customer.id, Customer.name, Customer.siren)).all()
    return AgingReport(balance, {c.id: c.name for c in customers}, {c.id: c.siren for c in customers})
