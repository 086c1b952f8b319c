"""Who a letter is from and to, and the credits it deducts, read from the database the same way for every
kind of letter: the dunning letters (app.services.reminders) and the statement of account
(app.services.account_statement)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from app.domain.money import from_cents
from app.domain.vocabulary import InvoiceKind, Segment
from app.models import Company, Customer, Invoice, Payment
from app.reports.letter_text import Creditor, Debtor, LetterLine
from app.services.aging import still_due_rows


def _place(entity: Company | Customer) -> tuple[str, ...]:
    return tuple(part for part in (entity.address, f"{entity.postcode} {entity.city}".strip()) if part)


def creditor(company: Company) -> Creditor:
    """The company as its letterhead prints it."""
    return Creditor(company.name, _place(company), company.siren, company.vat_number, company.phone,
                    company.email, company.iban, company.bic, company.logo_path, company.penalty_clause)


def debtor(customer: Customer) -> Debtor:
    """The customer as the envelope's window shows it; a consumer owes no 40 € indemnity."""
    return Debtor(customer.name, _place(customer), customer.contact_name, customer.code, customer.siren,
                  customer.segment == Segment.CONSUMER.value)


def credit_lines(session, customer_id: int, at: date) -> Iterator[LetterLine]:
    """The customer's unallocated credit notes and payments at ``at``, as deductions on a letter."""
    notes = still_due_rows(session, at, [Invoice.number, Invoice.issue_date, Invoice.total_cents],
                           [Invoice.customer_id == customer_id, Invoice.kind == InvoiceKind.CREDIT_NOTE.value])
    for number, issued, total, cents in notes:
        if cents:
            yield LetterLine(f"Avoir {number}", issued, issued, from_cents(total), from_cents(cents))
    payments = still_due_rows(session, at, [Payment.reference, Payment.received_on, Payment.amount_cents],
                              [Payment.customer_id == customer_id], payments=True)
    for reference, received, amount, cents in payments:
        if cents:
            yield LetterLine(f"Règlement {reference}".strip(), received, received, -from_cents(amount),
                             from_cents(cents))
