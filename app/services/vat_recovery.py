"""The VAT of the unpaid invoices of customers in liquidation judiciaire, for the accountant (DOMAIN.md,
"Insolvency proceedings"; CGI art. 272): the liquidation judgment makes the debt irrecoverable, and the VAT
collected on what stays unpaid can be recovered. Listed invoice by invoice with the judgment that justifies
it, written as a spreadsheet (``encours tva-recuperable``, or the window through ``write_vat_recoverable``).

An invoice counts when the proceedings hold it (dated before the opening judgment: an invoice after it is
chased as any other) and something of it is still due at the date of the list; what settled it is read as
the penalties and the claim read it (app.services.penalties.settlements). A written-off invoice is listed:
writing it off is precisely when its VAT is recovered."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain.insolvency import ProceedingKind, vat_still_due
from app.domain.money import ZERO, format_eur, from_cents
from app.domain.vocabulary import InvoiceKind
from app.jobs import NULL_JOB, Job
from app.models import Customer, CustomerProceeding, Invoice
from app.services.penalties import settlements

HEADERS = ("Client", "Code client", "Facture", "Date", "Montant TTC", "TVA facturée", "Reste dû TTC",
           "TVA à récupérer", "Jugement de liquidation", "Tribunal")


@dataclass(frozen=True)
class VatRow:
    """An unpaid invoice of a customer in liquidation: what remains of it and the VAT that part carries."""

    customer: str
    code: str
    number: str
    issued: date
    amount: Decimal
    vat: Decimal
    still_due: Decimal
    vat_due: Decimal
    liquidation_on: date  # the liquidation judgment (a conversion's day for a redressement converted)
    court: str

    def values(self) -> tuple:
        return (self.customer, self.code, self.number, self.issued, self.amount, self.vat, self.still_due,
                self.vat_due, self.liquidation_on, self.court)


@dataclass(frozen=True)
class VatWritten:
    """The list written: where, how many invoices, the VAT to recover in all (what the user is told)."""

    path: Path
    rows: int
    vat: Decimal

    def text(self) -> str:
        plural = "s" if self.rows > 1 else ""
        return (f"TVA récupérable écrite dans {self.path} : {self.rows} facture{plural} impayée{plural}, "
                f"{format_eur(self.vat)} de TVA (CGI art. 272).")


def vat_recoverable(session: Session, at: date) -> list[VatRow]:
    """The unpaid invoices of the customers whose liquidation was pronounced by ``at``, by customer then
    invoice date, with the VAT still due on each."""
    found = session.execute(select(CustomerProceeding, Customer).join(Customer)
                            .where(CustomerProceeding.kind == ProceedingKind.LIQUIDATION.value,
                                   CustomerProceeding.judgment_on <= at)
                            .order_by(Customer.name, Customer.id))
    rows = []
    for proceeding, customer in found:
        liquidation_on = proceeding.converted_on or proceeding.judgment_on
        if liquidation_on > at:
            continue
        invoices = session.scalars(select(Invoice).where(
            Invoice.customer_id == customer.id, Invoice.kind == InvoiceKind.INVOICE.value,
            Invoice.issue_date < proceeding.judgment_on).order_by(Invoice.issue_date, Invoice.number))
        for invoice in invoices:
            amount = from_cents(invoice.total_cents)
            paid = sum((value for day, value in settlements(session, invoice) if day <= at), ZERO)
            still_due = max(amount - paid, ZERO)
            if still_due > 0:
                rows.append(VatRow(customer.name, customer.code, invoice.number, invoice.issue_date, amount,
                                   from_cents(invoice.vat_cents), still_due,
                                   vat_still_due(from_cents(invoice.vat_cents), amount, still_due), liquidation_on,
                                   proceeding.court))
    return rows


def write_vat_recoverable(session: Session, at: date, path: Path | str, job: Job = NULL_JOB) -> VatWritten:
    """Write the list at ``path`` (.xlsx or .csv: a ``ValueError`` in French for another name), a totals row
    under the amounts."""
    from app.reports.table_export import AMOUNT, DATE, TEXT, write_table

    rows = vat_recoverable(session, at)
    kinds = (TEXT, TEXT, TEXT, DATE, AMOUNT, AMOUNT, AMOUNT, AMOUNT, DATE, TEXT)
    written = write_table(path, f"TVA récupérable au {at:%d/%m/%Y}", HEADERS, [row.values() for row in rows],
                          kinds, job)
    return VatWritten(written, len(rows), sum((row.vat_due for row in rows), ZERO))
