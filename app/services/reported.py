"""Reported settlements (DOMAIN.md, "Money received from several sources"): what a billing export, an
accountant's file or a Factur-X invoice says is paid, booked once, and confirmed when the bank's credit
arrives, whichever comes first.

- A file that reports an invoice paid (or what remains of it) books only what nothing here explains yet:
  first the bank credits already imported that are that money (``app.domain.settlement.evidence``), then, for
  the rest, a *reported settlement*: a payment of method ``REPORTED`` dated the file's as-of date, allocated
  to the invoice, awaiting the bank's evidence.
- A statement imported later whose credit is the evidence of a reported settlement confirms it: the bank
  line is tied to that payment, which takes the credit's date, amount and label (what the credit brings
  beyond is new money, matched as any other), instead of a second payment being applied to the invoice.
  Undoing the statement puts the reported settlement back as it was.
- A credit the import could not take as that evidence (an unknown payer, part of the amount, a late date)
  waits in « À rapprocher » with the reported settlement as its proposal (``offered``); the owner confirms it
  (``confirm_by_owner``): wholly, as above, or in part, the credit then settling its share of the invoice and
  the rest still awaiting the bank.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from app.domain.matching import Book, OpenItem
from app.domain.money import format_eur, from_cents, to_cents
from app.domain.matching import Credit, quoted
from app.domain.settlement import BANK_DELAY_DAYS, PAYMENT, Report, Share, evidence, likely_report
from app.domain.vocabulary import EventKind
from app.models import Allocation, BankLine, ImportBatch, Invoice, Payment
from app.models.db import chunks, insert_values, reserve_ids
from app.models.payment import UNDATED as REPORTED
from app.services import settlement
from app.services.history import Happened, record
from app.services.reconciliation import credits, parties

TRANSFER = "virement"
# what a bank credit's own payment was, kept when it confirms a reported settlement, to be given back on undo
_CREDIT = ("customer_id", "received_on", "amount_cents", "method", "reference", "payer_iban", "import_batch_id",
           "source_line", "row_hash")


@dataclass(frozen=True)
class Awaiting:
    """A reported settlement awaiting the bank, as « À rapprocher » offers it for a credit."""

    payment_id: int
    invoice_id: int
    number: str
    amount: Decimal
    reference: str  # « Réglé selon export.csv au 20/11/2026 »


@dataclass(frozen=True, slots=True)
class ToReport:
    """What a file says is paid of one invoice, beyond what is settled here: to be explained or booked."""

    invoice_id: int
    customer_id: int
    cents: int


@dataclass(frozen=True)
class Booked:
    """What ``book`` did: invoices explained by bank credits already imported, reported settlements booked."""

    by_bank: int = 0
    reported: int = 0
    reported_cents: int = 0


def book(session: Session, reports: list[ToReport], *, as_of: date, batch_id: int, source: str) -> Booked:
    """Book what ``reports`` say is paid (as of ``as_of``, per the file ``source``): the bank's evidence
    already here first, then reported settlements for the rest, all under ``batch_id``."""
    if not reports:
        return Booked()
    shares, booked = _shares(session, reports, as_of=as_of, batch_id=batch_id, source=source)
    settlement.write(session, shares, batch_id=batch_id, why=source)
    return booked


def _shares(session: Session, reports: list[ToReport], *, as_of: date, batch_id: int, source: str
            ) -> tuple[list[Share], Booked]:
    """``book``'s shares of the invoices, its reported settlements inserted; apart so that what it reads
    (hundreds of thousands of rows for a large export) is let go before the settlement is written."""
    reports = sorted(reports, key=lambda r: r.invoice_id)
    found = _bank_evidence(session, reports, as_of)
    shares, explained = [], 0
    rest = {r.invoice_id: r.cents for r in reports}
    issued = _issued(session, rest)
    for payment_id, on, cents, report in found:
        shares.append(Share(report.invoice_id, PAYMENT, payment_id, cents, max(on, issued[report.invoice_id])))
        rest[report.invoice_id] -= cents
        explained += 1
    owners = {report.invoice_id: report.customer_id for report in reports}
    booked = [(invoice_id, owners[invoice_id], cents, "") for invoice_id, cents in rest.items() if cents > 0]
    del rest, owners  # a large export's hundreds of thousands, let go before its reported settlements are made
    shares += _new_reports(session, booked, as_of=as_of, reference=f"Réglé selon {source} au {as_of:%d/%m/%Y}",
                           batch_id=batch_id, issued=issued)
    return shares, Booked(explained, len(booked), sum(cents for _, _, cents, _ in booked))


def _new_reports(session: Session, rows: list[tuple[int, int, int, str]], *, as_of: date, reference: str,
                 batch_id: int, issued: dict[int, date]) -> list[Share]:
    """Reported settlements (invoice, customer, cents, the end of the row hash « reported:BATCH:INVOICE »,
    made as each row is written) inserted as payments awaiting the bank, dated ``as_of``, under ``batch_id``
    (its undo takes them back); returns their shares of their invoices."""
    ids = reserve_ids(session.connection(), Payment.__table__, len(rows)) if rows else []
    insert_values(session.connection(), Payment.__table__,
                  ["id", "customer_id", "received_on", "amount_cents", "method", "reference", "import_batch_id",
                   "row_hash"],
                  ((payment_id, customer_id, as_of, cents, REPORTED, reference, batch_id,
                    f"reported:{batch_id}:{invoice_id}{suffix}")
                   for payment_id, (invoice_id, customer_id, cents, suffix) in zip(ids, rows)), count=len(rows))
    return [Share(invoice_id, PAYMENT, payment_id, cents, max(as_of, issued[invoice_id]))
            for payment_id, (invoice_id, _customer, cents, _hash) in zip(ids, rows)]


def _issued(session: Session, invoice_ids: Iterable[int]) -> dict[int, date]:
    ids = sorted(invoice_ids)
    found: dict[int, date] = {}
    days: dict[date, date] = {}  # one object for each day: hundreds of thousands of invoices share a few hundred
    for chunk in chunks(ids):
        found.update((invoice_id, days.setdefault(day, day)) for invoice_id, day in session.execute(
            select(Invoice.id, Invoice.issue_date).where(Invoice.id.in_(chunk))))
    return found


def _items(session: Session, reports: list[Report]) -> list[OpenItem]:
    """The reported invoices as the matcher's open items, each due what was reported of it (so that a credit
    quoting its number is recognised)."""
    cents = {r.invoice_id: r.cents for r in reports}
    ids = sorted(cents)
    items = []
    for chunk in chunks(ids):
        for row in session.execute(select(Invoice.id, Invoice.number, Invoice.customer_id, Invoice.issue_date,
                                          Invoice.due_date).where(Invoice.id.in_(chunk))):
            items.append(OpenItem(row.id, row.number, row.customer_id, from_cents(cents[row.id]), row.issue_date,
                                  row.due_date))
    return items


def _bank_evidence(session: Session, reports: list[ToReport], as_of: date) -> list[tuple[int, date, int, ToReport]]:
    """The bank credits already imported, not fully allocated, that are the money these reports speak of:
    (payment id, its date, cents, report). Their customer becomes the report's when it was unknown."""
    customers = {r.customer_id for r in reports}
    rows = session.execute(select(Payment.id).join(BankLine, BankLine.payment_id == Payment.id).where(
        Payment.settled_on.is_(None), Payment.received_on <= as_of + timedelta(days=BANK_DELAY_DAYS),
        Payment.customer_id.is_(None) | Payment.customer_id.in_(customers))).scalars().all()
    waiting = credits(session, rows)
    if not waiting:
        return []
    domain_reports = [Report(i, r.invoice_id, r.customer_id, r.cents, as_of) for i, r in enumerate(reports)]
    pairs = evidence(waiting, domain_reports, Book(parties(session), _items(session, domain_reports)))
    by_key = {credit.key: credit for credit in waiting}
    found = []
    for credit_key, report in pairs:
        credit = by_key[credit_key]
        cents = min(report.cents, to_cents(credit.amount))
        found.append((credit.key, credit.on, cents, reports[report.key]))
        session.execute(update(Payment).where(Payment.id == credit.key, Payment.customer_id.is_(None))
                        .values(customer_id=report.customer_id))
    return found


@dataclass
class Confirmed:
    """What a statement's credits confirmed: how many (``in_part`` of them an instalment, ``still_awaiting``
    cents of those reports left for the bank), and the credits' payments gone to the reported settlement
    they wholly confirmed (that payment is the credit's now)."""

    count: int = 0
    in_part: int = 0
    still_awaiting: int = 0
    became: dict[int, int] = field(default_factory=dict)


def confirm_with_statement(session: Session, batch: ImportBatch, payment_ids: list[int]) -> Confirmed:
    """A statement's new credits that are the evidence of reported settlements awaiting it confirm them
    (wholly: ``confirm``; an instalment: ``_confirm_part``); what they bring beyond is matched as any other."""
    waiting = _awaiting(session) if payment_ids else []
    if not waiting:
        return Confirmed()
    new = credits(session, payment_ids)
    pairs = evidence(new, waiting, Book(parties(session), _items(session, waiting)))
    done, left = Confirmed(count=len(pairs)), {}
    for credit_key, report in pairs:
        left[report.key] = _confirm(session, session.get(Payment, credit_key), session.get(Payment, report.key), batch)
        if not left[report.key]:
            done.became[credit_key] = report.key
    done.in_part = sum(1 for _credit, report in pairs if left[report.key])  # reports the statement left unfinished
    done.still_awaiting = sum(left.values())
    return done


def _confirm(session: Session, bank: Payment, report: Payment, batch: ImportBatch) -> int:
    """The credit ``bank`` is the evidence of ``report``: wholly when it brings at least what the report still
    awaits (``confirm``), else of its part (``_confirm_part``). Returns the cents still awaiting."""
    if bank.amount_cents >= report.amount_cents:
        confirm(session, bank.id, report.id, batch)
        return 0
    return _confirm_part(session, bank, report, batch)


def _awaiting(session: Session) -> list[Report]:
    """The reported settlements no bank line has confirmed yet, each with the one invoice it settles."""
    tied = select(BankLine.id).where(BankLine.payment_id == Payment.id).exists()
    rows = session.execute(
        select(Payment.id, Payment.customer_id, Payment.amount_cents, Payment.received_on,
               func.min(Allocation.invoice_id).label("invoice_id"), func.count(Allocation.id).label("count"))
        .join(Allocation, Allocation.payment_id == Payment.id)
        .where(Payment.method == REPORTED, ~tied)
        .group_by(Payment.id, Payment.customer_id, Payment.amount_cents, Payment.received_on)).all()
    return [Report(r.id, r.invoice_id, r.customer_id, r.amount_cents, r.received_on) for r in rows if r.count == 1]


def confirm(session: Session, bank_payment_id: int, reported_id: int, batch: ImportBatch) -> None:
    """The bank credit ``bank_payment_id`` (a statement's, not yet allocated) is the money the reported
    settlement ``reported_id`` spoke of: its bank line is tied to the reported settlement, which takes the
    credit's date, amount, label and payer (what it brings beyond the report is its unallocated part), its
    allocations are dated the credit's day, and the credit's own payment goes. ``batch`` (the statement's
    import) keeps what the reported settlement was, for its undo."""
    bank = session.get(Payment, bank_payment_id)
    reported = session.get(Payment, reported_id)
    allocations = session.execute(select(Allocation.id, Allocation.allocated_on, Invoice.issue_date, Invoice.number,
                                         Invoice.id.label("invoice_id"))
                                  .join(Invoice, Invoice.id == Allocation.invoice_id)
                                  .where(Allocation.payment_id == reported_id)).all()
    batch.undo = [*batch.undo, {"confirmed": reported_id, "before": {
        "received_on": reported.received_on.isoformat(), "amount_cents": reported.amount_cents,
        "method": reported.method, "reference": reported.reference, "payer_iban": reported.payer_iban},
        "allocations": [[a.id, a.allocated_on.isoformat()] for a in allocations],
        "credit": {**{name: getattr(bank, name) for name in _CREDIT}, "received_on": bank.received_on.isoformat()}}]
    session.execute(update(BankLine).where(BankLine.payment_id == bank_payment_id).values(payment_id=reported_id))
    said = (f"{format_eur(from_cents(reported.amount_cents))} déclarés réglés ({reported.reference}) : confirmés par "
            f"le virement du {bank.received_on:%d/%m/%Y} de {format_eur(from_cents(bank.amount_cents))}")
    reported.received_on, reported.amount_cents = bank.received_on, max(bank.amount_cents, reported.amount_cents)
    reported.method, reported.reference, reported.payer_iban = TRANSFER, bank.reference, bank.payer_iban
    session.delete(bank)
    session.flush()
    for allocation_id, _on, issued, _number, _invoice in allocations:
        session.execute(update(Allocation).where(Allocation.id == allocation_id)
                        .values(allocated_on=max(reported.received_on, issued)))
    settlement.refresh(session, [a.invoice_id for a in allocations], [reported_id])
    numbers = ", ".join(a.number for a in allocations)
    record(session, Happened(EventKind.CONFIRMED, f"{numbers} : {said}", reported.customer_id,
                             allocations[0].invoice_id if allocations else None, reported_id, reported.amount_cents))


def undo_confirmations(session: Session, batch: ImportBatch) -> None:
    """Undoing a statement: the reported settlements its credits confirmed await their evidence again, as
    they were (what was allocated since of the credits' extra money is taken back)."""
    for entry in reversed(batch.undo):  # the latest first: each restores what was before it
        if "handed" in entry:
            _give_back(session, entry, batch)
        if "confirmed" not in entry:
            continue
        payment_id, before = entry["confirmed"], entry["before"]
        kept = [allocation_id for allocation_id, _on in entry["allocations"]]
        invoices = session.scalars(select(Allocation.invoice_id).where(Allocation.id.in_(kept))).all()
        settlement.take_back(session, (Allocation.payment_id == payment_id) & Allocation.id.not_in(kept),
                             why=f"annulation de l'import de {batch.file_name}")
        for allocation_id, on in entry["allocations"]:
            session.execute(update(Allocation).where(Allocation.id == allocation_id)
                            .values(allocated_on=date.fromisoformat(on)))
        session.execute(update(Payment).where(Payment.id == payment_id).values(
            {**before, "received_on": date.fromisoformat(before["received_on"])}))
        settlement.refresh(session, invoices, [payment_id])
        if "credit" in entry:
            _credit_back(session, payment_id, entry["credit"])


def offered(session: Session, waiting: list[tuple[Credit, int | None]]) -> dict[int, Awaiting]:
    """For « À rapprocher »: the reported settlement each credit (with its customer, known or recognised) may
    be the evidence of (``app.domain.settlement.likely_report``), by the credit's key."""
    reports = _awaiting(session) if waiting else []
    if not reports:
        return {}
    items = _items(session, reports)
    the_book, numbers = Book(parties(session), items), {item.invoice_id: item.number for item in items}
    chosen = {credit.key: report for credit, customer_id in waiting
              if (report := likely_report(credit, customer_id, reports, quoted(credit, the_book))) is not None}
    keys = sorted({report.key for report in chosen.values()})
    references = dict(session.execute(select(Payment.id, Payment.reference).where(Payment.id.in_(keys))).all())
    return {key: Awaiting(report.key, report.invoice_id, numbers[report.invoice_id], from_cents(report.cents),
                          references.get(report.key) or "") for key, report in chosen.items()}


def confirm_by_owner(session: Session, payment_id: int, reported_id: int, *, expected_left: Decimal) -> str:
    """The owner says the bank credit ``payment_id`` (still wholly unallocated, ``expected_left`` as the screen
    showed it) is the money of the reported settlement ``reported_id``: it confirms it wholly when it brings at
    least the reported amount (``confirm``), else in part (``_confirm_part``). The statement's undo puts it
    back. ``TakenMeanwhile`` when another user used either since. Returns what was done, in French."""
    settlement.lock(session, payment_ids=[payment_id, reported_id])
    bank, report = session.get(Payment, payment_id, populate_existing=True), \
        session.get(Payment, reported_id, populate_existing=True)
    waiting = {r.key: r for r in _awaiting(session)}
    if bank is None or report is None or bank.settled_cents or bank.amount_cents != to_cents(expected_left) \
            or reported_id not in waiting:
        raise settlement.TakenMeanwhile("Ce règlement ou ce règlement déclaré vient d'être traité sur un autre "
                                        "poste. La liste est rechargée : vérifiez avant de confirmer.")
    if bank.customer_id not in (None, report.customer_id):
        raise ValueError("Ce virement est d'un autre client que le règlement déclaré : choisissez ses factures.")
    statement = session.scalar(select(BankLine.import_batch_id).where(BankLine.payment_id == payment_id).limit(1))
    # the later of the two imports keeps how to undo it: undoing either (the later first) gives both back
    batch = session.get(ImportBatch, max(statement or 0, report.import_batch_id or 0)) if statement else None
    if batch is None:
        raise ValueError("Ce virement ne vient d'aucun relevé importé : imputez-le à ses factures.")
    number = session.scalar(select(Invoice.number).where(Invoice.id == waiting[reported_id].invoice_id))
    on, cents = bank.received_on, bank.amount_cents
    left = _confirm(session, bank, report, batch)
    if not left:
        return f"{number} : règlement déclaré confirmé par le virement du {on:%d/%m/%Y}."
    return (f"{number} : {format_eur(from_cents(cents))} du règlement déclaré confirmés par le virement du "
            f"{on:%d/%m/%Y} ; {format_eur(from_cents(left))} restent en attente du relevé.")


def _confirm_part(session: Session, bank: Payment, report: Payment, batch: ImportBatch) -> int:
    """A credit bringing less than a reported settlement: that much of the report's allocation is handed over
    to the credit (the invoice settled as much as before, that part now by the bank's money), the report
    keeps the rest, still awaiting the bank. ``batch`` keeps what was handed, for the statement's undo.
    Returns the cents still awaiting."""
    allocation_id, invoice_id = session.execute(select(Allocation.id, Allocation.invoice_id)
                                                .where(Allocation.payment_id == report.id)).one()
    cents = bank.amount_cents
    bank.customer_id = report.customer_id
    batch.undo = [*batch.undo, {"handed": report.id, "allocation": allocation_id, "cents": cents,
                                "credit": bank.id, "invoice": invoice_id, "reference": report.reference,
                                "as_of": report.received_on.isoformat(), "report_batch": report.import_batch_id}]
    session.flush()
    why = f"une part du règlement déclaré « {report.reference} »"
    settlement.hand_over(session, allocation_id, Share(invoice_id, PAYMENT, bank.id, cents,
                                                       max(bank.received_on, _issued(session, [invoice_id])[invoice_id])),
                         why=why)
    report.amount_cents -= cents
    session.flush()
    return report.amount_cents


def _give_back(session: Session, entry: dict, batch: ImportBatch) -> None:
    """Undoing a partial confirmation: the credit's share of the invoice goes back to the reported
    settlement, whole again and awaiting the bank."""
    why = f"annulation de l'import de {batch.file_name}"
    allocation = session.get(Allocation, entry["allocation"])
    report = session.get(Payment, entry["handed"])
    if allocation is not None and report is not None and report.method == REPORTED:
        report.amount_cents += entry["cents"]
        session.flush()
        settlement.hand_back(session, Allocation.payment_id == entry["credit"], allocation.id, why=why)
        return
    # the rest of the report was confirmed by another credit since: the part given back awaits the bank anew
    settlement.take_back(session, Allocation.payment_id == entry["credit"], why=why)
    if report is None:  # its file was undone: nothing was reported any more
        return
    invoice_id, batch_id = entry["invoice"], entry["report_batch"]
    shares = _new_reports(session, [(invoice_id, report.customer_id, entry["cents"], f":{entry['credit']}")],
                          as_of=date.fromisoformat(entry["as_of"]), reference=entry["reference"], batch_id=batch_id,
                          issued=_issued(session, [invoice_id]))
    settlement.write(session, shares, batch_id=batch_id, why=why)


def _credit_back(session: Session, reported_id: int, credit: dict) -> None:
    """A whole confirmation undone: the bank credit gets its own payment back (unallocated, in « À rapprocher »
    again unless its own statement is being undone), its lines tied to it instead of the reported settlement."""
    credit = {**credit, "received_on": date.fromisoformat(credit["received_on"])}
    (payment_id,) = reserve_ids(session.connection(), Payment.__table__, 1)
    insert_values(session.connection(), Payment.__table__, ["id", *credit], [(payment_id, *credit.values())])
    session.execute(update(BankLine).where(BankLine.payment_id == reported_id,
                                           BankLine.import_batch_id == credit["import_batch_id"])
                    .values(payment_id=payment_id))
