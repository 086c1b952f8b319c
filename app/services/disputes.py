"""Disputes (litiges): an invoice the customer contests leaves the dunning letters while its dispute is open;
the list by assignee, opening one on an invoice, following it and closing it with its resolution."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.domain.money import from_cents
from app.domain.changes import changed
from app.domain.vocabulary import RESOLUTION_LABELS, DisputeResolution, EventKind, InvoiceKind, InvoiceStatus
from app.models import Customer, Dispute, Invoice
from app.services.lengths import length_errors
from app.services.aging import still_due_rows
from app.services.edits import claim, record_edit
from app.services.invoices import INVOICE

LABELS = {"reason": "motif", "assignee": "suivi par", "note": "note"}


@dataclass(frozen=True)
class DisputeRow:
    id: int
    invoice_number: str
    customer: str
    still_due: Decimal
    reason: str
    assignee: str
    opened_on: date
    closed_on: date | None
    resolution: str

    @property
    def open(self) -> bool:
        return self.closed_on is None

    @property
    def resolution_label(self) -> str:
        return RESOLUTION_LABELS.get(self.resolution, self.resolution)


def open_count(session: Session) -> int:
    """How many disputes are still open (the count beside "Litiges" in the navigation)."""
    return session.scalar(select(func.count()).select_from(Dispute).where(Dispute.closed_on.is_(None)))


def list_disputes(session: Session, at: date) -> list[DisputeRow]:
    """Every dispute, with what its invoice still lacks at ``at``."""
    rows = session.execute(select(Dispute, Invoice.number, Invoice.id, Customer.name)
                           .join(Invoice, Invoice.id == Dispute.invoice_id)
                           .join(Customer, Customer.id == Invoice.customer_id)).all()
    ids = [invoice_id for _d, _n, invoice_id, _c in rows]
    owed = dict(still_due_rows(session, at, [Invoice.id], [Invoice.id.in_(ids)], few=True)) if ids else {}
    return [DisputeRow(d.id, number, customer, from_cents(owed.get(invoice_id, 0)), d.reason, d.assignee,
                       d.opened_on, d.closed_on, d.resolution) for d, number, invoice_id, customer in rows]


@dataclass(frozen=True)
class DisputeInput:
    invoice_number: str
    reason: str
    assignee: str = ""
    note: str = ""
    opened_on: date | None = None
    closed_on: date | None = None
    resolution: str = ""


def dispute_input(session: Session, dispute_id: int) -> DisputeInput:
    d = session.get(Dispute, dispute_id)
    number = session.scalar(select(Invoice.number).where(Invoice.id == d.invoice_id))
    return DisputeInput(number, d.reason, d.assignee, d.note, d.opened_on, d.closed_on, d.resolution)


def save_dispute(session: Session, data: DisputeInput, dispute_id: int | None, at: date) -> tuple[int | None, dict]:
    """Open (``dispute_id`` None) or update a dispute; closing needs a resolution and a date not before its
    opening. Errors by field, in French, nothing saved when any. Its opening, closing and changes are
    recorded in the history of the invoice."""
    errors: dict[str, str] = {}
    number = data.invoice_number.strip()
    invoice = session.scalar(select(Invoice).where(Invoice.number == number)) or session.scalar(
        select(Invoice).where(func.lower(Invoice.number) == number.lower()).limit(1))  # "f2026-0142" too
    if invoice is None or invoice.kind != InvoiceKind.INVOICE.value:
        errors["invoice_number"] = f"Aucune facture n'a le numéro « {data.invoice_number.strip()} »."
    if not data.reason.strip():
        errors["reason"] = "Indiquez le motif du litige."
    errors.update(length_errors(Dispute, {"assignee": data.assignee.strip()}, LABELS))
    opened = data.opened_on or at
    if data.closed_on is not None:
        if data.resolution not in set(DisputeResolution):
            errors["resolution"] = "Choisissez comment le litige s'est terminé."
        if data.closed_on < opened:
            errors["closed_on"] = "Un litige ne peut pas être clos avant d'être ouvert."
    if errors:
        return None, errors
    claim(session, Invoice, invoice.id, None, INVOICE)  # its status follows the dispute: held, then read again
    session.refresh(invoice)
    dispute = session.get(Dispute, dispute_id) if dispute_id is not None else None
    before = None if dispute is None else _state(dispute)
    if dispute is None:
        dispute = Dispute(opened_on=opened)
        session.add(dispute)
    dispute.invoice_id, dispute.reason, dispute.assignee = invoice.id, data.reason.strip(), data.assignee.strip()
    dispute.note, dispute.opened_on = data.note.strip(), opened
    dispute.closed_on = data.closed_on
    dispute.resolution = data.resolution if data.closed_on is not None else ""
    _follow_status(invoice, disputed=data.closed_on is None)
    session.flush()
    record_edit(session, EventKind.DISPUTE, _changes(before, _state(dispute)), customer_id=invoice.customer_id,
                invoice_id=invoice.id)
    return dispute.id, {}


def _state(dispute: Dispute) -> dict[str, str]:
    return {"reason": dispute.reason, "assignee": dispute.assignee, "note": dispute.note,
            "closed": "" if dispute.closed_on is None else
            f"{dispute.closed_on:%d/%m/%Y} ({RESOLUTION_LABELS.get(dispute.resolution, dispute.resolution)})"}


def _changes(before: dict[str, str] | None, after: dict[str, str]) -> list[str]:
    """« litige ouvert : motif », « litige clos le 30/11/2026 (avoir émis) », « litige rouvert », then what
    else changed."""
    if before is None:
        opened = [f"litige ouvert : {after['reason']}"]
        return opened + ([f"litige clos le {after['closed']}"] if after["closed"] else [])
    moved = ([] if before["closed"] == after["closed"] else
             [f"litige clos le {after['closed']}" if after["closed"] else "litige rouvert"])
    return moved + changed(LABELS, before, after)


def _follow_status(invoice: Invoice, disputed: bool) -> None:
    """The invoice says "en litige" while its dispute is open, and goes back to open (or paid, when settled
    meanwhile) once it is closed; a doubtful or written-off invoice keeps its status."""
    if disputed and invoice.status == InvoiceStatus.OPEN.value:
        invoice.status = InvoiceStatus.DISPUTED.value
    elif not disputed and invoice.status == InvoiceStatus.DISPUTED.value:
        paid = invoice.settled_cents >= invoice.total_cents
        invoice.status = (InvoiceStatus.PAID if paid else InvoiceStatus.OPEN).value
