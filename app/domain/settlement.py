"""How money settles invoices, counted once whatever tells of it (DOMAIN.md, "Money received from several
sources", and the lettering of "Vocabulary").

Three rules, plain functions over cents and dates:

- ``allocate``: the money a customer gave (credit notes, payments) put on its invoices. A credit note that
  names an invoice settles that invoice first; then the other credit notes, then the payments, oldest first,
  each settle the invoices in the order given (the caller gives them oldest first: the customer pays its
  oldest debts first). What a source has left is the customer's unallocated cash (or credit), never lost.
- ``reported``: an export's paid / remaining amount, the accountant's lettering or a Factur-X prepaid amount
  *report* a state as of a date; only what neither the bank nor an earlier file explained is booked:
  reported settled = total − stated remaining − already settled here. A positive difference is booked as a
  reported settlement awaiting the bank's evidence; a negative one (the file says more is due than Encours
  knows) is a disagreement for the owner, never an automatic un-allocation. A remaining amount below zero
  or above the total is refused.
- ``confirms``: a bank credit is the evidence of a reported settlement, the same money, when it comes from
  the same customer, names the invoice or brings exactly the reported amount, and is dated no later than the
  report's as-of date plus a few days of bank delay. It then confirms the settlement (as much of it as it
  brings) instead of being applied a second time; what it brings beyond is new money.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import NamedTuple

from app.domain.matching import Book, Credit, propose, quoted
from app.domain.money import to_cents

BANK_DELAY_DAYS = 5  # a transfer ordered before the export's date may reach the statement a few days later
CREDIT_NOTE, PAYMENT = "credit_note", "payment"


class Debt(NamedTuple):
    """An invoice with what is still due on it (cents, > 0)."""

    invoice_id: int
    due: int
    issued: date


class Source(NamedTuple):
    """Money a customer gave: a credit note (what it still gives back) or a payment (what is left of it)."""

    kind: str                     # CREDIT_NOTE | PAYMENT
    key: int                      # the credit note's invoice id, or the payment's id
    available: int                # cents, > 0
    on: date                      # the credit note's date, the payment's date
    names: int | None = None      # the invoice a credit note was issued against, when it says so


class Share(NamedTuple):
    """``cents`` of a source settle one invoice, from ``on`` (never before the invoice exists)."""

    invoice_id: int
    kind: str
    source: int
    cents: int
    on: date


def allocate(debts: list[Debt], sources: list[Source]) -> tuple[list[Share], dict[tuple[str, int], int]]:
    """Put ``sources`` on ``debts`` (given oldest first): credit notes naming an invoice on it first, then the
    other credit notes, then the payments oldest first, each on the debts in order. Returns the shares and
    what each source has left (its unallocated part), by (kind, key). A share is dated the later of the
    source's date and the invoice's: a deposit paid before its invoice settles it from the invoice's date."""
    due = {debt.invoice_id: debt.due for debt in debts}
    issued = {debt.invoice_id: debt.issued for debt in debts}
    order = [debt.invoice_id for debt in debts]
    left = {(source.kind, source.key): source.available for source in sources}
    shares: list[Share] = []

    def give(source: Source, invoice_ids: list[int]) -> None:
        for invoice_id in invoice_ids:
            cents = min(left[source.kind, source.key], due.get(invoice_id, 0))
            if cents <= 0:
                continue
            shares.append(Share(invoice_id, source.kind, source.key, cents, max(source.on, issued[invoice_id])))
            due[invoice_id] -= cents
            left[source.kind, source.key] -= cents

    notes = [s for s in sources if s.kind == CREDIT_NOTE]
    for note in notes:
        if note.names is not None:
            give(note, [note.names])
    for note in notes:
        give(note, order)
    for payment in sorted((s for s in sources if s.kind == PAYMENT), key=lambda s: (s.on, s.key)):
        give(payment, order)
    return shares, left


class Reported(NamedTuple):
    """What a file's stated state of an invoice means here: cents to book as a reported settlement (> 0),
    or the cents the file says are due beyond what Encours knows (a disagreement, > 0), or neither."""

    to_book: int = 0
    disagreement: int = 0


class ImpossibleRemaining(ValueError):
    """A stated remaining amount below zero or above the invoice's total: the file is wrong at that line."""


def reported(total: int, stated_remaining: int, settled_here: int) -> Reported:
    """Reported settled = total − stated remaining − already settled here (DOMAIN.md): booked when positive,
    a disagreement when negative. ``ImpossibleRemaining`` when the stated remaining is below zero or above
    the total."""
    if stated_remaining < 0 or stated_remaining > total:
        raise ImpossibleRemaining(stated_remaining)
    difference = total - stated_remaining - settled_here
    return Reported(to_book=difference) if difference > 0 else Reported(disagreement=-difference)


def confirms(*, credit_cents: int, credit_on: date, same_customer: bool, names_invoice: bool,
             reported_cents: int, as_of: date) -> bool:
    """Is this bank credit the evidence of that reported settlement (the same money)? Same customer; dated no
    later than the as-of date plus ``BANK_DELAY_DAYS``; and the invoice named, or exactly the reported
    amount. Naming the invoice, it is the evidence of as much of the report as it brings: less, the rest
    still awaits the bank (an instalment); more, what it brings beyond is new money."""
    if not same_customer or credit_on > as_of + timedelta(days=BANK_DELAY_DAYS):
        return False
    return names_invoice or credit_cents == reported_cents


class Report(NamedTuple):
    """A reported settlement of one invoice, booked or about to be: the caller's key for it, and how much of
    the invoice the file said was paid, as of when."""

    key: int
    invoice_id: int
    customer_id: int
    cents: int
    as_of: date


def evidence(credits: list[Credit], reports: list[Report], book: Book) -> list[tuple[int, Report]]:
    """Which bank credits are the evidence of which reported settlements: (credit key, report) pairs, each
    credit and each report taken once, credits oldest first. The customer is the one the credit is known
    to come from, else the one the matcher recognises (``book`` holds the reported invoices as its items);
    a report whose invoice the credit quotes comes first, else the only one of the customer's whose
    amount it brings exactly (two of that amount: the owner tells which). ``confirms`` decides each. A credit
    bringing less than a report is the evidence of that part: the rest waits for the next credit."""
    waiting = list(reports)
    pairs = []
    for credit in sorted(credits, key=lambda c: (c.on, c.key)):
        customer = credit.customer_id
        if customer is None:
            proposal = propose(credit, book)
            customer = proposal.customer_id if proposal is not None else None
        if customer is None:
            continue
        named = quoted(credit, book)
        cents = to_cents(credit.amount)

        def fits(report: Report, names: bool) -> bool:
            return report.customer_id == customer and confirms(
                credit_cents=cents, credit_on=credit.on, same_customer=True, names_invoice=names,
                reported_cents=report.cents, as_of=report.as_of)

        chosen = [r for r in waiting if r.invoice_id in named and fits(r, True)]
        if not chosen:
            chosen = [r for r in waiting if fits(r, False)]
            chosen = chosen if len(chosen) == 1 else []
        if chosen:
            report = chosen[0]
            at = waiting.index(report)
            if cents < report.cents:  # an instalment: the rest of the report still awaits its evidence
                waiting[at] = report._replace(cents=report.cents - cents)
            else:
                del waiting[at]
            pairs.append((credit.key, report))
    return pairs


def likely_report(credit: Credit, customer_id: int | None, reports: list[Report], named: frozenset[int]
                  ) -> Report | None:
    """The reported settlement to offer the owner for a bank credit ``evidence`` did not take (an unknown
    payer, part of the amount, a date past the delay): of the credit's customer (known or recognised), the
    one whose invoice the credit quotes (``named``), else the one of exactly its amount, else the customer's
    only one; the oldest when several fit. None when nothing is waiting for that customer. The owner
    decides: this is a proposal, never applied by itself."""
    if customer_id is None:
        return None
    mine = sorted((r for r in reports if r.customer_id == customer_id), key=lambda r: (r.as_of, r.key))
    cents = to_cents(credit.amount)
    for fits in ([r for r in mine if r.invoice_id in named], [r for r in mine if r.cents == cents],
                 mine if len(mine) == 1 else []):
        if fits:
            return fits[0]
    return None
