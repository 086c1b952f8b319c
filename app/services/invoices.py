"""Invoices: the list with what remains due on each, the invoice card, and saving the form."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain.aging import days_past_due, still_due
from app.domain.money import ZERO, from_cents, to_cents
from app.models import STATUS_LABELS, Allocation, Customer, Invoice, InvoiceKind, InvoiceStatus
from app.services.aging import open_items


@dataclass(frozen=True)
class InvoiceRow:
    """One line of the invoices table; ``days_late`` is positive only for what is due and unpaid."""

    id: int
    number: str
    is_credit_note: bool
    customer_id: int
    customer: str
    issue_date: date
    due_date: date
    total: Decimal
    still_due: Decimal
    days_late: int
    status: InvoiceStatus
    status_label: str

    @property
    def overdue(self) -> bool:
        return self.days_late > 0


@dataclass
class InvoiceInput:
    """What the invoice form edits; amounts are TTC = HT + TVA, negative for a credit note."""

    number: str
    customer_id: int | None
    issue_date: date
    due_date: date
    net: Decimal
    vat: Decimal
    kind: InvoiceKind = InvoiceKind.INVOICE
    status: InvoiceStatus = InvoiceStatus.OPEN


def list_invoices(session: Session, at: date, customer_id: int | None = None) -> list[InvoiceRow]:
    """Every invoice and credit note (of one customer, or all), newest first, with what remains due at
    ``at``."""
    ids = None if customer_id is None else [customer_id]
    remaining = {item.key[1]: still_due(item, at) for item in open_items(session, at, ids)
                 if item.key[0] == "invoice"}
    query = (select(Invoice.id, Invoice.number, Invoice.kind, Invoice.customer_id, Customer.name,
                    Invoice.issue_date, Invoice.due_date, Invoice.total_cents, Invoice.status)
             .join(Customer, Customer.id == Invoice.customer_id)
             .order_by(Invoice.issue_date.desc(), Invoice.number.desc()))
    if customer_id is not None:
        query = query.where(Invoice.customer_id == customer_id)
    rows = []
    for r in session.execute(query):
        due = remaining.get(r.id, ZERO)
        status = InvoiceStatus(r.status)
        rows.append(InvoiceRow(
            id=r.id, number=r.number, is_credit_note=r.kind == InvoiceKind.CREDIT_NOTE, customer_id=r.customer_id,
            customer=r.name, issue_date=r.issue_date, due_date=r.due_date, total=from_cents(r.total_cents),
            still_due=due, days_late=max(0, days_past_due(r.due_date, at)) if due > 0 else 0,
            status=status, status_label=STATUS_LABELS[status]))
    return rows


def suggested_due_date(session: Session, customer_id: int, issue_date: date) -> date:
    """The due date the customer's payment terms give for an invoice issued on ``issue_date``."""
    return session.get(Customer, customer_id).terms.due_date(issue_date)


def allocations_of(session: Session, invoice_id: int) -> list[Allocation]:
    """What settled this invoice (payments and credit notes), oldest first."""
    return list(session.scalars(select(Allocation).where(Allocation.invoice_id == invoice_id)
                                .order_by(Allocation.allocated_on)))


def validate_invoice(session: Session, data: InvoiceInput, invoice_id: int | None) -> dict[str, str]:
    """Errors by field, in French: number present and unique, a customer, due date not before the issue
    date, amounts of the sign of the document (an invoice positive, a credit note negative)."""
    errors: dict[str, str] = {}
    number = data.number.strip()
    if not number:
        errors["number"] = "Le numéro de facture est obligatoire."
    else:
        clash = session.scalar(select(Invoice.id).where(Invoice.number == number))
        if clash is not None and clash != invoice_id:
            errors["number"] = f"Le numéro {number} existe déjà : chaque facture a un numéro unique."
    if data.customer_id is None:
        errors["customer"] = "Choisissez le client."
    if data.due_date < data.issue_date:
        errors["due_date"] = "L'échéance ne peut pas précéder la date de facture."
    total = data.net + data.vat
    if data.kind == InvoiceKind.INVOICE and total < 0:
        errors["net"] = "Une facture a un montant positif ; saisissez un avoir pour un montant négatif."
    if data.kind == InvoiceKind.CREDIT_NOTE and total > 0:
        errors["net"] = "Un avoir a un montant négatif."
    return errors


def save_invoice(session: Session, data: InvoiceInput, invoice_id: int | None = None
                 ) -> tuple[Invoice | None, dict[str, str]]:
    """Create or update an invoice (TTC = HT + TVA); nothing is written when there are errors."""
    errors = validate_invoice(session, data, invoice_id)
    if errors:
        return None, errors
    invoice = session.get(Invoice, invoice_id) if invoice_id is not None else Invoice()
    session.add(invoice)
    invoice.number = data.number.strip()
    invoice.kind = InvoiceKind(data.kind).value
    invoice.customer_id = data.customer_id
    invoice.issue_date, invoice.due_date = data.issue_date, data.due_date
    invoice.net_cents, invoice.vat_cents = to_cents(data.net), to_cents(data.vat)
    invoice.total_cents = invoice.net_cents + invoice.vat_cents
    invoice.status = InvoiceStatus(data.status).value
    session.flush()
    return invoice, {}
