"""The « À rapprocher » list: the bank credits not (fully) allocated, each with what the matcher proposes, or
the reported settlement it may confirm, and the open items the owner may pick instead. Nothing here writes:
the decisions are ``services.reconciliation``'s and ``services.reported``'s."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.domain.matching import Credit, Proposal, propose
from app.domain.money import from_cents
from app.jobs import collector_paused
from app.models import BankLine, Customer, Invoice, InvoiceStatus, Payment
from app.services import reported
from app.models.db import chunks
from app.services.reconciliation import book, plain_iban, still_open
from app.services.reported import Awaiting


@dataclass(frozen=True)
class Pending:
    """A bank credit not (fully) allocated, for the "À rapprocher" screen, with the matcher's proposal."""

    payment_id: int
    received_on: date
    amount: Decimal
    left: Decimal               # what is not allocated yet
    label: str
    customer_id: int | None
    customer_name: str
    proposal: Proposal | None
    reported: Awaiting | None = None  # the reported settlement it may be the evidence of: offered first

    @property
    def report_left(self) -> Decimal:
        """What of the reported settlement would still await the bank once this credit confirms it."""
        return max(self.reported.amount - self.left, Decimal(0)) if self.reported else Decimal(0)

    @property
    def beyond_report(self) -> Decimal:
        """What this credit brings beyond the reported settlement: new money, to allocate as any other."""
        return max(self.left - self.reported.amount, Decimal(0)) if self.reported else Decimal(0)


@dataclass(frozen=True)
class Candidate:
    """An open item the owner may pick for a credit (the screen's list to split or change a proposal)."""

    invoice_id: int
    number: str
    customer_id: int
    customer_name: str
    due: Decimal
    due_date: date


def pending_count(session: Session) -> int:
    """How many bank credits wait for the owner (the count beside "À rapprocher" in the navigation)."""
    return session.scalar(select(func.count()).select_from(Payment).join(BankLine, BankLine.payment_id == Payment.id)
                          .where(Payment.settled_on.is_(None)))


@collector_paused()
def pending(session: Session) -> list[Pending]:
    """The bank credits not fully allocated, oldest first, each with what the matcher proposes for what is left
    (none of them applied: the owner decides)."""
    # sorted here: an ORDER BY would have the database walk every payment by date rather than the open ones
    rows = sorted(session.execute(
        select(Payment.id, Payment.amount_cents, Payment.settled_cents, Payment.received_on, Payment.reference,
               Payment.payer_iban, Payment.customer_id, Customer.name)
        .join(BankLine, BankLine.payment_id == Payment.id).outerjoin(Customer, Customer.id == Payment.customer_id)
        .where(Payment.settled_on.is_(None))), key=lambda row: (row.received_on, row.id))
    if not rows:
        return []
    # asked first as the bank line alone, so that the reason says how the customer is recognised; again with
    # the customer the payment was given (by the import or the owner) when the line says otherwise
    lines = [Credit(row.id, from_cents(row.amount_cents - row.settled_cents), row.received_on, row.reference,
                    plain_iban(row.payer_iban)) for row in rows]
    given = [credit._replace(customer_id=row.customer_id) for row, credit in zip(rows, lines)
             if row.customer_id is not None]
    the_book = book(session, lines + given)
    found = []
    for row, credit in zip(rows, lines):
        proposal = propose(credit, the_book)
        if row.customer_id is not None and (proposal is None or proposal.customer_id != row.customer_id):
            proposal = propose(credit._replace(customer_id=row.customer_id), the_book)
        found.append((row, credit, proposal))
    # a credit untouched yet may be the bank's evidence of what an export reported paid
    offers = reported.offered(session, [(credit, row.customer_id or (proposal.customer_id if proposal else None))
                                        for row, credit, proposal in found if not row.settled_cents])
    return [Pending(row.id, row.received_on, from_cents(row.amount_cents), credit.amount, row.reference,
                    row.customer_id, row.name or "", proposal, offers.get(row.id)) for row, credit, proposal in found]


def candidates(session: Session, customer_ids: Iterable[int]) -> dict[int, list[Candidate]]:
    """By customer, the open items the owner can allocate a credit to, oldest first; a credit note with what it
    still gives back (negative), so that a split can deduct it as the customer did. Only the customers asked
    (those the credits waiting name or are proposed to): a large ledger's every open item is not read."""
    found: dict[int, list[Candidate]] = {customer_id: [] for customer_id in customer_ids}
    ids = sorted(found)
    for chunk in chunks(ids):
        query = (select(Invoice.id, Invoice.number, Invoice.customer_id, Customer.name, Invoice.total_cents,
                        Invoice.settled_cents, Invoice.due_date)
                 .join(Customer, Customer.id == Invoice.customer_id)
                 .where(Invoice.customer_id.in_(chunk), Invoice.settled_on.is_(None),
                        Invoice.status != InvoiceStatus.WRITTEN_OFF.value, Invoice.total_cents != 0)
                 .order_by(Invoice.due_date, Invoice.id))
        for r in session.execute(query):
            found[r.customer_id].append(Candidate(r.id, r.number, r.customer_id, r.name,
                                                  still_open(r.total_cents, r.settled_cents), r.due_date))
    return found
