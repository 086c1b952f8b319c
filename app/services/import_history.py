"""The history of imports and their undo: each import, newest first, and taking one back as a whole (what it
created deleted, what it changed restored, the allocations made since on its items undone), only when no later
import may depend on it and no dispute was opened on its invoices since."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from app.domain.money import format_eur, from_cents
from app.models import (Activity, Allocation, BankBalance, BankLine, Customer, Dispute, DunningLetter, FiscalPeriod,
                        Guarantee, ImportBatch, Invoice, Payment)
from app.services import reported, settlement
from app.importers import STATEMENT_KINDS


@dataclass(frozen=True)
class ImportRow:
    """One import in the history of the Imports screen."""

    id: int
    file_name: str
    kind: str
    imported_at: datetime
    created: int
    updated: int
    skipped: int
    rejected: int


def list_imports(session: Session) -> list[ImportRow]:
    """Every import, newest first."""
    return [ImportRow(b.id, Path(b.file_name).name, b.kind, b.imported_at, b.created_count, b.updated_count,
                      b.skipped_count, b.rejected_count)
            for b in session.scalars(select(ImportBatch).order_by(ImportBatch.id.desc()))]


def undo_question(session: Session, batch_id: int) -> tuple[bool, str]:
    """(True, the question to put to the owner) when the import can be undone, saying what would go: what it
    created, what it changed, and the allocations made since on its payments or invoices, by hand or by a
    later matching; else (False, why not)."""
    batch = session.get(ImportBatch, batch_id)
    refusal = _undo_refusal(session, batch)
    if refusal:
        return False, refusal
    name = Path(batch.file_name).name
    if batch.kind in STATEMENT_KINDS:
        question = (f"Annuler l'import du relevé {name} ?\n\nSes lignes de relevé, ses soldes et les {batch.created_count} "
                    "encaissement(s) qu'il a créés seront supprimés, avec leurs imputations.")
    else:
        question = (f"Annuler l'import de {name} ?\n\nLes {batch.created_count} éléments qu'il a créés (clients, "
                    f"factures, règlements, lettrages) seront supprimés et les {batch.updated_count} factures qu'il a "
                    "modifiées retrouveront leurs valeurs d'avant.")
    since = session.scalar(select(func.count()).select_from(Allocation).where(
        _on_its_items(batch_id), Allocation.import_batch_id.is_(None) | (Allocation.import_batch_id != batch_id)))
    if since:
        question += (f"\n\n{since} imputation(s) faite(s) depuis sur ses règlements ou ses factures (« À rapprocher », "
                     "fiches des factures) seront annulées aussi.")
    return True, question


def _undo_refusal(session: Session, batch: ImportBatch | None) -> str | None:
    """Why an import cannot be undone: already undone, a later import may depend on it, or a dispute was
    opened on one of its invoices since."""
    if batch is None:
        return "Cet import a déjà été annulé."
    later = sum(_left_something(session, other)
                for other in session.scalars(select(ImportBatch).where(ImportBatch.id > batch.id)))
    if later:
        return (f"{later} import(s) plus récent(s) peuvent dépendre de celui-ci : annulez-les d'abord, du plus récent "
                "au plus ancien.")
    disputed = session.scalar(select(func.count()).select_from(Dispute).where(
        Dispute.invoice_id.in_(_imported(Invoice, batch.id))))
    if disputed:
        return (f"{disputed} facture(s) de cet import ont un litige enregistré depuis : l'import ne peut plus être "
                "annulé sans perdre cet historique.")
    for entry in batch.undo:  # a total it raised, settled since beyond the total it had before
        if "invoice_id" not in entry:
            continue
        settled = session.scalar(select(Invoice.settled_cents).where(Invoice.id == entry["invoice_id"])) or 0
        if settled > abs(entry["before"]["total_cents"]):
            return (f"{format_eur(from_cents(settled))} sont imputés sur {entry['number']}, plus que son montant "
                    f"d'avant cet import ({format_eur(from_cents(abs(entry['before']['total_cents'])))}) : annulez "
                    "d'abord ces imputations depuis la fiche de la facture.")
    return None


def _left_something(session: Session, batch: ImportBatch) -> bool:
    """Did this import leave anything: a change it could undo, or a row of its own (customer, invoice, payment,
    allocation, bank line or balance, fiscal period)? One that recorded nothing (the same file imported
    again) depends on no earlier import, so it does not stop their undo."""
    if batch.undo or batch.created_count or batch.updated_count:
        return True
    return any(session.scalar(select(table.c.import_batch_id).where(table.c.import_batch_id == batch.id).limit(1))
               is not None for table in ImportBatch.metadata.sorted_tables if "import_batch_id" in table.c)


def _imported(model, batch_id: int):
    """The ids of the invoices (or payments) an import created, as a subquery."""
    return select(model.id).where(model.import_batch_id == batch_id)


def _on_its_items(batch_id: int):
    """The allocations on an import's payments, invoices or credit notes, whoever made them."""
    invoices = _imported(Invoice, batch_id)
    return (Allocation.payment_id.in_(_imported(Payment, batch_id)) | Allocation.invoice_id.in_(invoices)
            | Allocation.credit_note_id.in_(invoices))


def undo_import(session: Session, batch_id: int) -> str:
    """Take back everything an import did: its allocations, payments, invoices, the customers it created
    (when nothing else refers to them: no invoice, payment, letter, note or guarantee), its balances; invoices
    it changed get their previous values back. Only the latest import that recorded something can be undone (a
    later one may have changed or settled what this one created), and not once a dispute was opened on one of
    its invoices."""
    batch = session.get(ImportBatch, batch_id)
    refusal = _undo_refusal(session, batch)
    if refusal:
        raise ValueError(refusal)
    name = Path(batch.file_name).name
    reported.undo_confirmations(session, batch)  # while its lines still tie the settlements they confirmed
    settlement.take_back(session, (Allocation.import_batch_id == batch_id) | _on_its_items(batch_id),
                         why=f"Annulation de l'import de {name}", per_customer=True)
    changed = [entry for entry in batch.undo if "invoice_id" in entry]
    for entry in changed:
        before = dict(entry["before"], due_date=date.fromisoformat(entry["before"]["due_date"]))
        session.execute(update(Invoice).where(Invoice.id == entry["invoice_id"], Invoice.number == entry["number"])
                        .values(**before))
    session.execute(delete(BankLine).where(BankLine.import_batch_id == batch_id))
    session.execute(delete(BankBalance).where(BankBalance.import_batch_id == batch_id))
    session.execute(delete(Payment).where(Payment.import_batch_id == batch_id))
    session.execute(delete(Invoice).where(Invoice.import_batch_id == batch_id))
    still_used = select(Invoice.customer_id).union(  # a customer with a history of its own stays
        select(Payment.customer_id).where(Payment.customer_id.is_not(None)), select(DunningLetter.customer_id),
        select(Activity.customer_id), select(Guarantee.customer_id))
    session.execute(delete(Customer).where(Customer.import_batch_id == batch_id, Customer.id.not_in(still_used)))
    session.execute(delete(FiscalPeriod).where(FiscalPeriod.import_batch_id == batch_id))
    settlement.refresh(session, [entry["invoice_id"] for entry in changed])  # their totals are back
    session.delete(batch)
    return f"Import de {name} annulé."
