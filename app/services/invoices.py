"""Invoices: the list with what remains due on each, the invoice card, and saving the form."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.domain.aging import days_past_due, still_due
from app.domain.changes import changed
from app.domain.money import ZERO, format_eur, from_cents, gross, to_cents
from app.domain.vocabulary import EventKind
from app.models import STATUS_LABELS, Allocation, Customer, Event, Invoice, InvoiceKind, InvoiceStatus
from app.services.aging import open_items
from app.services.edits import Subject, claim, record_edit

INVOICE = Subject("Cette facture a été modifiée", "Cette facture a été supprimée",
                  "depuis que vous l'avez ouverte", "Rechargez la fiche.",
                  lambda invoice_id: (Event.invoice_id == invoice_id,))
LABELS = {"number": "numéro", "kind": "type", "customer": "client", "issue_date": "date de facture",
          "due_date": "échéance", "net": "montant HT", "vat": "TVA"}
KIND_LABELS = {InvoiceKind.INVOICE: "facture", InvoiceKind.CREDIT_NOTE: "avoir"}
CREATED = {InvoiceKind.INVOICE: "saisie de la facture", InvoiceKind.CREDIT_NOTE: "saisie de l'avoir"}


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
        """Past its due date with something still due."""
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
    version: int | None = None  # the invoice's as the card loaded it: a save over a newer one is refused


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
    return [invoice_row(r, remaining.get(r.id, ZERO), at) for r in session.execute(query)]


def invoice_row(r, due: Decimal, at: date) -> InvoiceRow:
    """The table's line of a result row (id, number, kind, customer_id, name, issue_date, due_date,
    total_cents, status) with what remains ``due`` of it at ``at``."""
    status = InvoiceStatus(r.status)
    return InvoiceRow(
        id=r.id, number=r.number, is_credit_note=r.kind == InvoiceKind.CREDIT_NOTE, customer_id=r.customer_id,
        customer=r.name, issue_date=r.issue_date, due_date=r.due_date, total=from_cents(r.total_cents),
        still_due=due, days_late=max(0, days_past_due(r.due_date, at)) if due > 0 else 0,
        status=status, status_label=STATUS_LABELS[status])


def suggested_due_date(session: Session, customer_id: int, issue_date: date) -> date:
    """The due date the customer's payment terms give for an invoice issued on ``issue_date``."""
    return session.get(Customer, customer_id).terms.due_date(issue_date)


@dataclass(frozen=True)
class SettlementRow:
    """A payment or credit note allocated to an invoice, as its card lists it."""

    on: date
    origin: str
    amount: Decimal
    payment_id: int | None = None  # None for a credit note


@dataclass(frozen=True)
class InvoiceCard:
    """An invoice as its card shows it: what the form edits, what remains due, what settled it."""

    data: InvoiceInput
    row: InvoiceRow
    settlements: list[SettlementRow]


def invoice_card(session: Session, invoice_id: int, at: date) -> InvoiceCard:
    """The invoice ``invoice_id`` with what remains due at ``at`` and its allocations, oldest first."""
    invoice = session.get(Invoice, invoice_id)
    data = InvoiceInput(invoice.number, invoice.customer_id, invoice.issue_date, invoice.due_date, invoice.net,
                        invoice.vat, InvoiceKind(invoice.kind), InvoiceStatus(invoice.status), invoice.version)
    row = next(r for r in list_invoices(session, at, invoice.customer_id) if r.id == invoice_id)
    allocations = session.scalars(select(Allocation).where(Allocation.invoice_id == invoice_id)
                                  .order_by(Allocation.allocated_on))
    settlements = [SettlementRow(a.allocated_on, f"Avoir {a.credit_note.number}" if a.credit_note_id else
                                 f"Règlement {a.payment.method} {a.payment.reference}".strip(), a.amount,
                                 a.payment_id)
                   for a in allocations]
    return InvoiceCard(data, row, settlements)


def validate_invoice(session: Session, data: InvoiceInput, invoice_id: int | None) -> dict[str, str]:
    """Errors by field, in French: number present and unique, an existing customer, due date not before the
    issue date, amounts of the sign of the document (an invoice positive, a credit note negative). Once
    payments or credit notes are allocated to it, an invoice keeps its customer and kind, and its total may
    not fall below what was allocated (``general`` is the key of errors about no single field)."""
    errors: dict[str, str] = {}
    existing = session.get(Invoice, invoice_id) if invoice_id is not None else None
    if invoice_id is not None and existing is None:
        return {"general": "Cette facture n'existe plus (supprimée entre-temps ?)."}
    number = data.number.strip()
    if not number:
        errors["number"] = "Le numéro de facture est obligatoire."
    else:
        clash = session.scalar(select(Invoice.id).where(Invoice.number == number))
        if clash is not None and clash != invoice_id:
            errors["number"] = f"Le numéro {number} existe déjà : chaque facture a un numéro unique."
    if data.customer_id is None or session.get(Customer, data.customer_id) is None:
        errors["customer"] = "Choisissez le client dans la liste."
    if data.due_date < data.issue_date:
        errors["due_date"] = "L'échéance ne peut pas précéder la date de facture."
    total = gross(data.net, data.vat)
    if data.kind == InvoiceKind.INVOICE and total < 0:
        errors["net"] = "Une facture a un montant positif ; saisissez un avoir pour un montant négatif."
    if data.kind == InvoiceKind.CREDIT_NOTE and total > 0:
        errors["net"] = "Un avoir a un montant négatif."
    if existing is not None and (allocated := _allocated_cents(session, existing)):
        if data.customer_id != existing.customer_id:
            errors["customer"] = "Des règlements sont déjà imputés sur cette facture : son client ne peut plus changer."
        if data.kind != existing.kind:
            errors["kind"] = "Des règlements sont déjà imputés : une facture ne peut plus devenir un avoir."
        if abs(to_cents(total)) < allocated:
            errors["net"] = (f"{format_eur(from_cents(allocated))} sont déjà imputés sur cette facture : "
                             "son montant ne peut pas être inférieur.")
    return errors


def _allocated_cents(session: Session, invoice: Invoice) -> int:
    """Cents allocated to an invoice, or allocated from a credit note."""
    column = Allocation.credit_note_id if invoice.kind == InvoiceKind.CREDIT_NOTE else Allocation.invoice_id
    return session.scalar(select(func.coalesce(func.sum(Allocation.amount_cents), 0)).where(column == invoice.id))


def save_invoice(session: Session, data: InvoiceInput, invoice_id: int | None = None
                 ) -> tuple[Invoice | None, dict[str, str]]:
    """Create or update an invoice (TTC = HT + TVA); nothing is written when there are errors. Refused
    (``edits.Conflict``) when ``data.version`` is not the invoice's any more: someone saved it, or money was
    allocated to it, since the card was opened. What changed is recorded in the history, a status the user
    chose (doubtful, written off…) as a status change of its own."""
    if invoice_id is not None:
        claim(session, Invoice, invoice_id, data.version, INVOICE)
    errors = validate_invoice(session, data, invoice_id)
    if errors:
        return None, errors
    invoice = session.get(Invoice, invoice_id) if invoice_id is not None else Invoice()
    before = _shown(session, invoice) if invoice_id is not None else None
    session.add(invoice)
    invoice.number = data.number.strip()
    invoice.kind = InvoiceKind(data.kind).value
    invoice.customer_id = data.customer_id
    invoice.issue_date, invoice.due_date = data.issue_date, data.due_date
    invoice.net_cents, invoice.vat_cents = to_cents(data.net), to_cents(data.vat)
    invoice.total_cents = to_cents(gross(data.net, data.vat))
    status = (invoice.status, InvoiceStatus(data.status).value)
    invoice.status = status[1]
    session.flush()
    on = {"customer_id": invoice.customer_id, "invoice_id": invoice.id}
    record_edit(session, EventKind.EDIT, [f"{CREATED[InvoiceKind(invoice.kind)]} {invoice.number}"]
                if before is None else changed(LABELS, before, _shown(session, invoice)), **on)
    if before is not None and status[0] != status[1]:
        was, now = (STATUS_LABELS[InvoiceStatus(s)] for s in status)
        record_edit(session, EventKind.STATUS, [f"statut : {was} → {now}"], **on)
    return invoice, {}


def _shown(session: Session, invoice: Invoice) -> dict[str, str]:
    """The invoice's fields as its history quotes them."""
    return {"number": invoice.number, "kind": KIND_LABELS[InvoiceKind(invoice.kind)],
            "customer": session.scalar(select(Customer.name).where(Customer.id == invoice.customer_id)),
            "issue_date": f"{invoice.issue_date:%d/%m/%Y}", "due_date": f"{invoice.due_date:%d/%m/%Y}",
            "net": format_eur(from_cents(invoice.net_cents)), "vat": format_eur(from_cents(invoice.vat_cents))}
