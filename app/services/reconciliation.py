"""Matching bank credits to invoices (lettrage), in the caller's transaction: what the matcher is certain of is
applied by the import, the rest waits in the "À rapprocher" screen for the owner to confirm, change, split or
leave (its list: ``services.to_reconcile``); any allocation can be taken back.

The matcher (``app.domain.matching``) sees the customers (with the IBANs they have paid from before) and the
open items of the database; this module reads them, applies proposals as allocations, and keeps the invoices'
status following their amounts (fully allocated: paid; no longer: open again). A credit whose customer is
found but whose invoices are not stays that customer's unallocated cash, deducted in the aging and in the
letters, so that a customer who paid is never chased for it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from app.domain import settlement as rule
from app.domain.matching import Book, Credit, OpenItem, Party, Proposal, match_all
from app.domain.money import format_eur, from_cents, to_cents
from app.domain.settlement import CREDIT_NOTE, PAYMENT, Debt, Source
from app.jobs import NULL_JOB, Job
from app.models import Allocation, Customer, Invoice, InvoiceStatus, Payment
from app.models.db import chunks, plain_rows
from app.services import settlement

CERTAIN = "certain"
NARROWED_UP_TO = 500  # credits matched against only the items they may concern (a week's statement, À rapprocher);
                      # more (a year's first statement): against the whole book, which is then read anyway
CONFIDENCE_LABELS = {"certain": "Certain", "probable": "Probable", "possible": "Possible"}


@dataclass(frozen=True)
class MatchCounts:
    """What a matching run did with its credits: applied (certain), proposed to the owner, found nothing for."""

    auto: int = 0
    proposed: int = 0
    unmatched: int = 0
    allocations: int = 0

    def as_json(self) -> dict:
        return {"matched_auto": self.auto, "proposed": self.proposed, "unmatched": self.unmatched}


def book(session: Session, credits: Sequence[Credit] | None = None) -> Book:
    """The matcher's view of the database: every customer, the IBANs each has paid from, the open items. For
    a few ``credits`` (a week's statement, À rapprocher's list), only the open items they may concern
    (``Book.narrowed``): the whole book's proposals (a test compares them) without indexing a large ledger's
    every item. The open items are read once (what another workstation commits meanwhile is both in the numbers looked
    at and among the items kept, or in neither)."""
    people = Book(parties(session), ())
    items = _open_items(session)
    if credits is None or len({credit.key for credit in credits}) > NARROWED_UP_TO:
        return people.with_items(items)
    return people.narrowed(items, credits)


def parties(session: Session) -> list[Party]:
    """Every customer as the matcher recognises it: name, code, SIREN and the IBANs it has paid from."""
    ibans: dict[int, set[str]] = defaultdict(set)
    for customer_id, iban in session.execute(select(Payment.customer_id, Payment.payer_iban).distinct().where(
            Payment.customer_id.is_not(None), Payment.payer_iban != "")):
        ibans[customer_id].add(plain_iban(iban))
    return [Party(c.id, c.name, c.code or "", c.siren or "", tuple(sorted(ibans.get(c.id, ()))))
            for c in session.execute(select(Customer.id, Customer.name, Customer.code, Customer.siren))]


def _open_items(session: Session) -> list[OpenItem]:
    """Invoices with something still due and credit notes with something still to give back, written-off
    ones aside (ix_invoice_open: the open items only, read from the index alone)."""
    rows = plain_rows(session, select(Invoice.id, Invoice.number, Invoice.customer_id, Invoice.total_cents,
                                      Invoice.settled_cents, Invoice.issue_date, Invoice.due_date)
                      .where(Invoice.settled_on.is_(None), Invoice.status != InvoiceStatus.WRITTEN_OFF.value))
    return [OpenItem(id_, number, customer_id, due, issued, due_date)
            for id_, number, customer_id, total, settled, issued, due_date in rows
            if (due := still_open(total, settled))]


def plain_iban(iban: str) -> str:
    """An IBAN as the matcher compares them: no spaces, upper case."""
    return "".join(iban.split()).upper()


def credits(session: Session, payment_ids: Iterable[int]) -> list[Credit]:
    """The matcher's view of these payments: what is left of each, its label, its payer's IBAN."""
    found = []
    ids = sorted(payment_ids)
    for chunk in chunks(ids):
        for row in session.execute(select(Payment.id, Payment.amount_cents, Payment.settled_cents,
                                          Payment.received_on, Payment.reference, Payment.payer_iban,
                                          Payment.customer_id).where(Payment.id.in_(chunk))):
            left = row.amount_cents - row.settled_cents
            if left > 0:
                found.append(Credit(row.id, from_cents(left), row.received_on, row.reference,
                                      plain_iban(row.payer_iban), row.customer_id))
    return found


def match_payments(session: Session, payment_ids: Sequence[int], *, batch_id: int | None = None,
                   job: Job = NULL_JOB) -> MatchCounts:
    """Match these payments: apply the certain proposals (allocations under ``batch_id``, so that undoing the
    import takes them back), give the customer found to the other payments (their invoices only proposed, or
    none found: a deposit), unless a doubtful guess of invoices is all that names it, and count what is left
    for the owner."""
    waiting = credits(session, payment_ids)
    if not waiting:
        return MatchCounts()
    job.start(len(waiting), "Rapprochement des règlements…")
    proposals = {p.credit_key: p for p in match_all(waiting, book(session, waiting))}
    job.advance(len(waiting))
    auto = proposed = allocations = 0
    owners: dict[int, int] = {}
    for credit in waiting:
        proposal = proposals.get(credit.key)
        if proposal is None:
            continue
        if proposal.confidence == CERTAIN and proposal.allocations:
            allocations += _apply(session, credit.key, credit.on, proposal, batch_id)
            auto += 1
        else:
            proposed += 1
        # the customer is known unless only a doubtful guess of invoices named it
        if proposal.customer_id is not None and (proposal.confidence != "possible" or not proposal.allocations):
            owners[credit.key] = proposal.customer_id
    for payment_id, customer_id in owners.items():
        session.execute(update(Payment).where(Payment.id == payment_id, Payment.customer_id.is_(None))
                        .values(customer_id=customer_id))
    return MatchCounts(auto, proposed, len(waiting) - auto - proposed, allocations)


def _apply(session: Session, payment_id: int, on: date, proposal: Proposal, batch_id: int | None) -> int:
    """Write a certain proposal's allocations. Returns how many allocations were written."""
    wanted = [(a.invoice_id, to_cents(a.amount)) for a in proposal.allocations]
    session.execute(update(Payment).where(Payment.id == payment_id).values(customer_id=proposal.customer_id))
    return _write(session, payment_id, on, wanted, batch_id, why=f"rapprochement automatique ({proposal.reason})")


def _write(session: Session, payment_id: int, on: date, wanted: Sequence[tuple[int, int]],
           batch_id: int | None, why: str = "") -> int:
    """Allocations of (item id, cents) pairs, dated ``on``: a negative amount is a credit note used, which
    settles the invoices first (in the order given); the payment settles the rest (the settlement rule,
    ``app.domain.settlement.allocate``). Returns how many allocations were written."""
    debts = [(invoice_id, cents) for invoice_id, cents in wanted if cents > 0]
    issued = dict(session.execute(select(Invoice.id, Invoice.issue_date)
                                  .where(Invoice.id.in_([i for i, _ in debts]))).all()) if debts else {}
    sources = [Source(CREDIT_NOTE, i, -c, on) for i, c in wanted if c < 0]
    sources.append(Source(PAYMENT, payment_id, sum(c for _, c in debts), on))
    shares, _left = rule.allocate([Debt(i, c, issued[i]) for i, c in debts], sources)
    return settlement.write(session, shares, batch_id=batch_id, why=why).allocations


def still_open(total_cents: int, settled_cents: int) -> Decimal:
    """What an item still owes (an invoice), or still gives back (a credit note: negative)."""
    return from_cents(total_cents - settled_cents if total_cents > 0 else total_cents + settled_cents)


def left_after(left: Decimal, amounts: Iterable[Decimal]) -> Decimal:
    """What a credit would still have to allocate after these amounts (a credit note's, negative, adds back):
    shown while the owner splits it; ``allocate`` checks it when applied."""
    return left - sum(amounts, Decimal(0))


def allocate(session: Session, payment_id: int, allocations: Sequence[tuple[int, Decimal]], *,
             expected_left: Decimal | None = None) -> str:
    """The owner's decision: allocate ``allocations`` ((item id, amount) pairs; a negative amount uses a credit
    note, as the matcher proposes "two invoices minus a credit note") of this payment, dated on the
    payment's day, and make the payment its invoices' customer's. Refused in French when an amount is more
    than the item still owes (or gives back), more than the payment has left, or the items are several
    customers'. ``expected_left``: what the screen showed left of the payment; when another user allocated
    some of it since, ``TakenMeanwhile`` says so instead of booking the same money twice. Returns what was
    done, in words."""
    summed: dict[int, int] = {}
    for invoice_id, amount in allocations:  # an item named twice is checked on its total
        summed[invoice_id] = summed.get(invoice_id, 0) + to_cents(amount)
    wanted = [(invoice_id, cents) for invoice_id, cents in summed.items() if cents]
    if not wanted:
        raise ValueError("Choisissez au moins une facture et un montant.")
    settlement.lock(session, [i for i, _ in wanted], [payment_id])  # before reading what is settled of them
    payment = session.get(Payment, payment_id, populate_existing=True)
    if payment is None:
        raise ValueError("Ce règlement n'existe plus (import annulé ?).")
    left = payment.amount_cents - payment.settled_cents
    if expected_left is not None and left < to_cents(expected_left):
        raise settlement.TakenMeanwhile(
            "Ce règlement vient d'être imputé par un autre poste : il n'en reste que "
            f"{format_eur(from_cents(left))} à imputer. La liste est rechargée : vérifiez avant de confirmer.")
    items = {i.id: i for i in session.scalars(select(Invoice).where(Invoice.id.in_([i for i, _ in wanted]))
                                              .execution_options(populate_existing=True))}
    if len(items) != len({i for i, _ in wanted}):
        raise ValueError("Une des factures choisies n'existe plus.")
    customers = {item.customer_id for item in items.values()}
    if len(customers) > 1:
        raise ValueError("Un règlement ne peut être imputé qu'aux factures d'un seul client.")
    customer_id = customers.pop()
    if payment.customer_id not in (None, customer_id) and payment.settled_cents:
        raise ValueError("Ce règlement est déjà en partie imputé aux factures d'un autre client : annulez d'abord "
                         "ces imputations.")
    for item_id, cents in wanted:
        item = items[item_id]
        item_left = abs(item.total_cents) - item.settled_cents
        if (cents < 0) != (item.total_cents < 0):
            raise ValueError(f"{item.number} : un montant imputé sur une facture est positif, sur un avoir négatif.")
        if abs(cents) > item_left:
            verb = "ne rend plus que" if cents < 0 else "ne doit plus que"
            raise ValueError(f"{item.number} {verb} {format_eur(from_cents(item_left))} : "
                             f"{format_eur(from_cents(abs(cents)))} est trop.")
    total = sum(cents for _, cents in wanted)
    if total <= 0:
        raise ValueError("Les avoirs choisis couvrent déjà les factures : rien à imputer de ce règlement.")
    if total > left:
        raise ValueError(f"Il ne reste que {format_eur(from_cents(left))} de ce règlement à imputer "
                         f"({format_eur(from_cents(total))} demandés).")
    payment.customer_id = customer_id
    session.flush()
    wanted.sort(key=lambda pair: (items[pair[0]].due_date, pair[0]))  # a credit note settles the oldest first
    _write(session, payment_id, payment.received_on, wanted, None, why="confirmé dans « À rapprocher »")
    numbers = ", ".join(items[i].number for i, _ in wanted)
    return f"{format_eur(from_cents(total))} imputés sur {numbers}."


def unallocate(session: Session, payment_id: int) -> str:
    """Take back every allocation of this payment: its invoices are due again, the payment stays its
    customer's unallocated cash (to be matched again). A credit note used beside it stays on its invoice:
    the customer deducted it, and it does offset that invoice whoever pays the rest."""
    settlement.lock(session, payment_ids=[payment_id])
    changed = settlement.take_back(session, Allocation.payment_id == payment_id, why="imputation annulée")
    if not changed.allocations:
        raise ValueError("Ce règlement n'est imputé à aucune facture.")
    return f"Imputations annulées : {format_eur(from_cents(changed.cents))} à nouveau à rapprocher."


def set_customer(session: Session, payment_id: int, customer_id: int | None) -> None:
    """Say whose a credit is without allocating it yet (it becomes that customer's unallocated cash)."""
    payment = session.get(Payment, payment_id)
    if payment is None:
        raise ValueError("Ce règlement n'existe plus (import annulé ?).")
    if payment.settled_cents:
        raise ValueError("Ce règlement est déjà imputé : annulez d'abord ses imputations.")
    payment.customer_id = customer_id
