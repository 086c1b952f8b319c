"""The aging balance read from the database: invoices, credit notes and payments become the domain's
open items, and ``app.domain.aging`` does the arithmetic."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from app.domain.aging import AgingBalance, OpenItem, Settlement, aging_balance
from app.domain.money import from_cents
from app.models import Allocation, Customer, Invoice, InvoiceKind, InvoiceStatus, Payment

CHUNK = 5000  # ids per IN (...) list: well under SQLite's and PostgreSQL's limits


@dataclass(frozen=True)
class AgingReport:
    """The balance and who the customers in it are (id → name, SIREN), for display and export."""

    balance: AgingBalance
    names: dict[int, str]
    sirens: dict[int, str]


def _settled_by(column, key, at: date):
    """Cents allocated through ``column`` (invoice_id, credit_note_id or payment_id) to ``key`` by ``at``."""
    return (select(func.coalesce(func.sum(Allocation.amount_cents), 0))
            .where(column == key, Allocation.allocated_on <= at).scalar_subquery())


def open_items(session: Session, at: date, customer_ids: Iterable[int] | None = None) -> list[OpenItem]:
    """Every invoice, credit note and payment still open at ``at``, with its settlements dated up to ``at``.

    What is open is told by amounts, never by the status field: an item is loaded when what was allocated
    to it by ``at`` is not its whole amount. Written-off invoices are lost, not receivable; they are left out.
    """
    settled = case((Invoice.kind == InvoiceKind.CREDIT_NOTE, -_settled_by(Allocation.credit_note_id, Invoice.id, at)),
                   else_=_settled_by(Allocation.invoice_id, Invoice.id, at))
    invoice_query = select(Invoice.id, Invoice.customer_id, Invoice.issue_date, Invoice.due_date,
                           Invoice.total_cents, Invoice.kind, settled.label("settled")).where(
        Invoice.issue_date <= at, Invoice.status != InvoiceStatus.WRITTEN_OFF, Invoice.total_cents != settled)
    paid_out = _settled_by(Allocation.payment_id, Payment.id, at)
    payment_query = select(Payment.id, Payment.customer_id, Payment.received_on, Payment.amount_cents,
                           paid_out.label("settled")).where(
        Payment.received_on <= at, Payment.customer_id.is_not(None), Payment.amount_cents != paid_out)
    if customer_ids is not None:
        ids = list(customer_ids)
        invoice_query = invoice_query.where(Invoice.customer_id.in_(ids))
        payment_query = payment_query.where(Payment.customer_id.in_(ids))
    invoices = session.execute(invoice_query).all()
    payments = session.execute(payment_query).all()
    settlements = _settlements_of(session, at, [r.id for r in invoices if r.settled],  # most have none
                                  [r.id for r in payments if r.settled])
    items = [
        OpenItem(customer=row.customer_id, booked=row.issue_date, due=row.due_date,
                 amount=from_cents(row.total_cents), key=("invoice", row.id),
                 settlements=tuple(settlements["credit_note" if row.kind == InvoiceKind.CREDIT_NOTE
                                               else "invoice"][row.id]))
        for row in invoices
    ]
    items += [
        OpenItem(customer=row.customer_id, booked=row.received_on, due=row.received_on,
                 amount=-from_cents(row.amount_cents), key=("payment", row.id),
                 settlements=tuple(settlements["payment"][row.id]))
        for row in payments
    ]
    return items


def _settlements_of(session: Session, at: date, invoice_ids: list[int], payment_ids: list[int]
                    ) -> dict[str, dict[int, list[Settlement]]]:
    """The allocations dated up to ``at`` of the open items only, seen from each side: what settled an
    invoice (positive), what a credit note or a payment settled (negative, the sign of those items)."""
    found: dict[str, dict[int, list[Settlement]]] = {side: defaultdict(list)
                                                     for side in ("invoice", "credit_note", "payment")}
    columns = (("invoice", Allocation.invoice_id, invoice_ids, 1),
               ("credit_note", Allocation.credit_note_id, invoice_ids, -1),
               ("payment", Allocation.payment_id, payment_ids, -1))
    for side, column, ids, sign in columns:
        for chunk in (ids[i:i + CHUNK] for i in range(0, len(ids), CHUNK)):
            query = select(column, Allocation.allocated_on, Allocation.amount_cents).where(
                column.in_(chunk), Allocation.allocated_on <= at)
            for key, on, cents in session.execute(query):
                found[side][key].append(Settlement(on, from_cents(sign * cents)))
    return found


def aging_at(session: Session, at: date) -> AgingReport:
    """The aging balance of the whole ledger at ``at`` (DOMAIN.md, Indicators)."""
    balance = aging_balance(open_items(session, at), at)
    customers = session.execute(select(Customer.id, Customer.name, Customer.siren)).all()
    return AgingReport(balance, {c.id: c.name for c in customers}, {c.id: c.siren for c in customers})
