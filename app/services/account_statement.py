"""The statement of account (relevé de compte) of one customer, printed from its card or with
``encours statement CODE``: every invoice still open at the date, oldest due first, then its unallocated
credit notes and payments, which come off the balance. It claims no penalty and is no step of the dunning
plan: printing it records nothing and chases no one."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path

from sqlalchemy.orm import Session

from app.domain.money import format_eur, from_cents
from app.domain.vocabulary import InvoiceKind
from app.jobs import Refused
from app.models import Customer, Invoice
from app.services.aging import still_due_rows
from app.services.company import get_company

NO_COMPANY = "créez d'abord votre société (Paramètres) : un relevé de compte dit qui l'envoie."


@dataclass(frozen=True)
class StatementWritten:
    """A statement written: where, for whom, how many open invoices it lists and the balance it gives."""

    path: Path
    customer: str
    invoices: int
    balance: Decimal

    def text(self) -> str:
        plural = "s" if self.invoices > 1 else ""
        count = f"{self.invoices} facture{plural} ouverte{plural}"
        return (f"Relevé de compte de {self.customer} écrit dans {self.path} : {count}, "
                f"solde {format_eur(self.balance)}.")


def statement_letter(session: Session, customer_id: int, at: date):
    """The customer's statement of account at ``at``, as a letter of kind "statement"."""
    from app.reports.letter_text import Letter, LetterLine
    from app.services.letter_data import credit_lines, creditor, debtor

    company = get_company(session)
    if company is None:
        raise Refused(NO_COMPANY)
    customer = session.get(Customer, customer_id)
    rows = still_due_rows(session, at, [Invoice.id, Invoice.number, Invoice.issue_date, Invoice.due_date,
                                        Invoice.total_cents],
                          [Invoice.customer_id == customer_id, Invoice.kind == InvoiceKind.INVOICE.value])
    lines = tuple(LetterLine(number, issued, due, from_cents(total), from_cents(cents), max((at - due).days, 0))
                  for _id, number, issued, due, total, cents in sorted(rows, key=lambda row: (row[3], row[1]))
                  if cents > 0)
    return Letter("statement", at, creditor(company), debtor(customer), lines,
                  tuple(credit_lines(session, customer_id, at)))


def write_statement(session: Session, customer_id: int, at: date, path: Path) -> StatementWritten:
    """The customer's statement of account at ``at`` written as a PDF at ``path`` (in the user's words for
    statements, Paramètres › Textes des lettres)."""
    from app.reports.letters import write_letters
    from app.services.reminders import letter_texts

    letter = statement_letter(session, customer_id, at)
    write_letters(path, [letter], letter_texts(session))
    return StatementWritten(Path(path), letter.debtor.name, len(letter.lines), letter.principal)
