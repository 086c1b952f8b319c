"""The one place that writes allocations (lettrage) and what follows from them: the settled amounts of
invoices and payments, the invoices' status (paid when fully settled, open again when no longer) and the
events of the history. Imports, « À rapprocher », the invoice card, undo and the demo all come here, so the
same money is never counted twice by two paths, and the database's own constraints (migration 0012) stop
anything settled beyond its amount whoever writes.

Which money goes on which invoice is decided by ``app.domain.settlement`` (or by the owner); this module only
writes it, in the caller's transaction. Several users: ``lock`` is taken before reading what an allocation
depends on, so the second of two people confirming the same payment sees the first's allocation.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import NamedTuple

from sqlalchemy import ColumnElement, case, delete, func, select, update
from sqlalchemy.orm import Session

from app.domain.money import format_eur, from_cents
from app.domain.settlement import CREDIT_NOTE, Share
from app.domain.vocabulary import EventKind, InvoiceKind, InvoiceStatus
from app.models import Allocation, Invoice, Payment
from app.models.db import bulk_insert, chunks, insert_values
from app.models.settlement import resettle
from app.services.history import Happened, record


@dataclass
class Changed:
    """What a settlement change did: the invoices and payments whose settled amounts it changed, how many
    allocations it wrote or took back, the invoices it made paid and those it opened again."""

    invoices: set[int] = field(default_factory=set)
    payments: set[int] = field(default_factory=set)
    allocations: int = 0
    cents: int = 0          # what those allocations amount to
    paid: set[int] = field(default_factory=set)
    reopened: set[int] = field(default_factory=set)


class _Allocated(NamedTuple):
    """An allocation written or taken back, as the events and the settled amounts need it: a tuple, not a
    dict, since an import writes hundreds of thousands."""

    invoice_id: int
    payment_id: int | None
    credit_note_id: int | None
    allocated_on: date
    amount_cents: int


class TakenMeanwhile(ValueError):
    """Another user allocated the same money or settled the same invoice since the screen was read."""


def lock(session: Session, invoice_ids: Iterable[int] = (), payment_ids: Iterable[int] = ()) -> None:
    """Hold these invoices and payments until the transaction ends, before reading what is settled of them:
    row locks on PostgreSQL (in id order, so that two users never wait on each other in a circle), the
    database's write lock on SQLite (a first write, which waits for another writer to finish). What is read
    afterwards is what the other user committed."""
    for model, ids in ((Payment, sorted(set(payment_ids))), (Invoice, sorted(set(invoice_ids)))):
        for chunk in chunks(ids):
            if session.get_bind().dialect.name == "postgresql":
                session.execute(select(model.id).where(model.id.in_(chunk)).order_by(model.id).with_for_update())
            else:
                session.execute(update(model).where(model.id.in_(chunk)).values(version=model.version),
                                execution_options={"synchronize_session": False})


def write(session: Session, shares: Iterable[Share], *, batch_id: int | None = None, why: str = "",
          kind: EventKind = EventKind.ALLOCATION) -> Changed:
    """Write these shares as allocations (under ``batch_id`` when an import makes them, so that its undo takes
    them back), then the settled amounts, the statuses and the events (of ``kind``): one per allocation when
    the owner made it, one per customer for an import (``why`` names the file)."""
    rows = [_Allocated(s.invoice_id, None if s.kind == CREDIT_NOTE else s.source,
                       s.source if s.kind == CREDIT_NOTE else None, s.on, s.cents) for s in shares if s.cents > 0]
    if not rows:
        return Changed()
    insert_values(session.connection(), Allocation.__table__, [*_Allocated._fields, "import_batch_id"],
                  ((*row, batch_id) for row in rows), count=len(rows))
    changed = _refreshed(session, *_settled_by(rows))
    changed.allocations, changed.cents = len(rows), sum(r.amount_cents for r in rows)
    (_record_per_customer if batch_id is not None else _record_each)(session, kind, why, rows, changed)
    return changed


def take_back(session: Session, which: ColumnElement[bool], *, why: str = "", per_customer: bool = False) -> Changed:
    """Delete the allocations ``which`` selects; the invoices they settled are due again (open), the payments
    they used are unallocated cash again. ``per_customer``: one event per customer (an import undone)."""
    rows = _deleted(session, which)
    if not rows:
        return Changed()
    changed = _refreshed(session, *_settled_by(rows))
    changed.allocations, changed.cents = len(rows), sum(r.amount_cents for r in rows)
    (_record_per_customer if per_customer else _record_each)(session, EventKind.UNALLOCATION, why, rows, changed)
    return changed


def hand_over(session: Session, allocation_id: int, share: Share, *, why: str = "") -> Changed:
    """``share.cents`` of the allocation ``allocation_id`` handed over to another payment settling the same
    invoice (a bank credit confirming part of a reported settlement): the invoice stays settled as much, that
    part now by the new payment."""
    given_by = session.scalar(select(Allocation.payment_id).where(Allocation.id == allocation_id))
    session.execute(update(Allocation).where(Allocation.id == allocation_id)
                    .values(amount_cents=Allocation.amount_cents - share.cents))
    changed = write(session, [share], why=why, kind=EventKind.CONFIRMED)
    _refreshed(session, set(), {given_by})
    return changed


def hand_back(session: Session, which: ColumnElement[bool], allocation_id: int, *, why: str = "") -> Changed:
    """The reverse of ``hand_over``: the allocations ``which`` selects taken back, their amount given back to
    the allocation ``allocation_id`` of the same invoice, which stays settled as much (no status goes back
    and forth)."""
    rows = _deleted(session, which)
    cents = sum(r.amount_cents for r in rows)
    session.execute(update(Allocation).where(Allocation.id == allocation_id)
                    .values(amount_cents=Allocation.amount_cents + cents))
    given_to = session.scalar(select(Allocation.payment_id).where(Allocation.id == allocation_id))
    changed = _refreshed(session, {r.invoice_id for r in rows},
                         {r.payment_id for r in rows} - {None} | {given_to})
    changed.allocations, changed.cents = len(rows), cents
    _record_each(session, EventKind.UNALLOCATION, why, rows, changed)
    return changed


def _deleted(session: Session, which: ColumnElement[bool]) -> list:
    """Delete the allocations ``which`` selects; returns them as they were (rows named as ``_Allocated``'s)."""
    rows = session.execute(select(*(getattr(Allocation, name) for name in _Allocated._fields)).where(which)).all()
    if rows:
        session.execute(delete(Allocation).where(which), execution_options={"synchronize_session": False})
    return rows


def refresh(session: Session, invoice_ids: Iterable[int], payment_ids: Iterable[int] = ()) -> Changed:
    """The settled amounts and statuses of invoices whose total changed (an export's correction, an undo)
    or whose allocations were removed by the database itself (a deleted payment's cascade)."""
    return _refreshed(session, set(invoice_ids), set(payment_ids))


def load(session: Session, rows: list[dict]) -> None:
    """A whole ledger's allocations written at once, as plain rows (the demo company's three years): every
    invoice's and payment's settled amounts computed from them. The statuses are the ledger's own; ``refresh``
    those that may not follow."""
    bulk_insert(session.connection(), Allocation.__table__, rows)
    resettle(session, None, None)


def _settled_by(rows: list) -> tuple[set[int], set[int]]:
    """The invoices and credit notes, and the payments, these allocations settle: each set built once (an
    import's allocations are hundreds of thousands)."""
    invoice_ids = {row.invoice_id for row in rows}
    invoice_ids.update(row.credit_note_id for row in rows if row.credit_note_id is not None)
    return invoice_ids, {row.payment_id for row in rows if row.payment_id is not None}


def _refreshed(session: Session, invoice_ids: set[int], payment_ids: set[int]) -> Changed:
    resettle(session, invoice_ids, payment_ids)
    paid, reopened = _follow_status(session, invoice_ids)
    return Changed(invoice_ids, payment_ids, paid=paid, reopened=reopened)


def _follow_status(session: Session, invoice_ids: set[int]) -> tuple[set[int], set[int]]:
    """An open invoice settled in full becomes paid; a paid one that no longer is, open again (a disputed,
    doubtful or written-off invoice keeps the status the owner gave it). Returns (paid, reopened)."""
    becomes_paid = ((Invoice.status == InvoiceStatus.OPEN.value) & (Invoice.kind == InvoiceKind.INVOICE.value)
                    & (Invoice.settled_cents >= Invoice.total_cents))
    reopens = (Invoice.status == InvoiceStatus.PAID.value) & (Invoice.settled_cents < Invoice.total_cents)
    new_status = case((becomes_paid, InvoiceStatus.PAID.value), else_=InvoiceStatus.OPEN.value)
    paid, reopened = set(), set()
    ids = sorted(invoice_ids)
    for chunk in chunks(ids):
        rows = session.execute(update(Invoice).where(Invoice.id.in_(chunk), becomes_paid | reopens)
                               .values(status=new_status).returning(Invoice.id, Invoice.status),
                               execution_options={"synchronize_session": False}).all()
        for invoice_id, status in rows:
            (paid if status == InvoiceStatus.PAID.value else reopened).add(invoice_id)
    return paid, reopened


def _described(session: Session, rows: list) -> tuple[dict[int, tuple[int, str]], dict[int, str]]:
    """The customer and number of each invoice the rows touch, and a few words on each payment."""
    invoice_ids = sorted({r.invoice_id for r in rows} | {r.credit_note_id for r in rows} - {None})
    payment_ids = sorted({r.payment_id for r in rows} - {None})
    invoices, payments = {}, {}
    for chunk in chunks(invoice_ids):
        invoices.update((i, (c, n)) for i, c, n in session.execute(select(
            Invoice.id, Invoice.customer_id, Invoice.number).where(Invoice.id.in_(chunk))))
    for chunk in chunks(payment_ids):
        payments.update((p, f"le règlement du {on:%d/%m/%Y} ({format_eur(from_cents(cents))})")
                        for p, on, cents in session.execute(select(
                            Payment.id, Payment.received_on, Payment.amount_cents)
                            .where(Payment.id.in_(chunk))))
    return invoices, payments


def _record_each(session: Session, kind: EventKind, why: str, rows: list, changed: Changed) -> None:
    """One event per allocation written or taken back, one per invoice whose status followed."""
    invoices, payments = _described(session, rows)
    verb = "retirés de" if kind == EventKind.UNALLOCATION else "imputés sur"
    events = []
    for row in rows:
        customer_id, number = invoices[row.invoice_id]
        source = (payments.get(row.payment_id, "un règlement") if row.payment_id
                  else f"l'avoir {invoices[row.credit_note_id][1]}")
        text = f"{format_eur(from_cents(row.amount_cents))} de {source} {verb} {number}"
        events.append(Happened(kind, text + (f" ({why})" if why else ""), customer_id, row.invoice_id,
                               row.payment_id, row.amount_cents))
    for ids, text in ((changed.paid, "réglée"), (changed.reopened, "à nouveau due")):
        events += [Happened(EventKind.STATUS, f"{invoices[i][1]} {text}", invoices[i][0], i) for i in sorted(ids)
                   if i in invoices]
    record(session, *events)


def _record_per_customer(session: Session, kind: EventKind, why: str, rows: list, changed: Changed) -> None:
    """One event per customer for the many allocations of an import (or of its undo): only whose each invoice
    is is read (not the words on each payment, ``_described``: an import writes tens of thousands)."""
    count: dict[int, int] = defaultdict(int)
    cents: dict[int, int] = defaultdict(int)
    for chunk in chunks(rows):  # whose each invoice is, a chunk at a time: never all at once
        owners = _owners(session, {row.invoice_id for row in chunk})
        for row in chunk:
            customer_id = owners[row.invoice_id]
            count[customer_id] += 1
            cents[customer_id] += row.amount_cents
    paid: dict[int, int] = defaultdict(int)
    reopened: dict[int, int] = defaultdict(int)
    for ids, counter in ((changed.paid, paid), (changed.reopened, reopened)):
        ordered = sorted(ids)
        for chunk in chunks(ordered):
            for customer_id in _owners(session, chunk).values():
                counter[customer_id] += 1
    verb = "imputation(s) annulée(s)" if kind == EventKind.UNALLOCATION else "imputation(s)"
    events = []
    for customer_id in sorted(count):
        text = f"{why} : {count[customer_id]} {verb}, {format_eur(from_cents(cents[customer_id]))}"
        if paid[customer_id]:
            text += f" ; {paid[customer_id]} facture(s) réglée(s)"
        if reopened[customer_id]:
            text += f" ; {reopened[customer_id]} facture(s) à nouveau due(s)"
        events.append(Happened(kind, text, customer_id, cents=cents[customer_id]))
    record(session, *events)


def _owners(session: Session, invoice_ids: Iterable[int]) -> dict[int, int]:
    """The customer of each of these invoices (at most ``CHUNK``) that exists."""
    return dict(session.execute(select(Invoice.id, Invoice.customer_id).where(Invoice.id.in_(invoice_ids))).all())


def settled_sums(session: Session, invoice_ids: Iterable[int] = (), payment_ids: Iterable[int] = ()
                 ) -> dict[tuple[str, int], int]:
    """What the allocations settle of these invoices ("invoice"), credit notes ("credit_note") and payments
    ("payment"), read from the allocations themselves (0 when none)."""
    sums: dict[tuple[str, int], int] = defaultdict(int)
    invoice_ids, payment_ids = sorted(set(invoice_ids)), sorted(set(payment_ids))
    for side, column, ids in (("invoice", Allocation.invoice_id, invoice_ids),
                              ("credit_note", Allocation.credit_note_id, invoice_ids),
                              ("payment", Allocation.payment_id, payment_ids)):
        for chunk in chunks(ids):
            for key, total in session.execute(select(column, func.sum(Allocation.amount_cents))
                                              .where(column.in_(chunk)).group_by(column)):
                sums[side, key] = total
    return sums
