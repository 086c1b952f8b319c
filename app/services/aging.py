"""The aging balance read from the database: invoices, credit notes and payments become the domain's
open items, and ``app.domain.aging`` does the arithmetic."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import NamedTuple

from sqlalchemy import Date, bindparam, case, func, select
from sqlalchemy.orm import Session

from app.domain.aging import BUCKETS, AgingBalance, Buckets, OpenItem, Settlement, bucket_of
from app.domain.money import ZERO, from_cents
from app.models import Allocation, Customer, Invoice, InvoiceKind, InvoiceStatus, Payment
from app.models.db import chunks, plain_rows


@dataclass(frozen=True)
class AgingReport:
    """The balance and who the customers in it are (id → name, SIREN), for display and export."""

    balance: AgingBalance
    names: dict[int, str]
    sirens: dict[int, str]


def settled_by(column, key, at: date):
    """Cents allocated through ``column`` (invoice_id, credit_note_id or payment_id) to ``key`` by ``at``."""
    return (select(func.coalesce(func.sum(Allocation.amount_cents), 0))
            .where(column == key, Allocation.allocated_on <= at).scalar_subquery())


def open_items(session: Session, at: date, customer_ids: Iterable[int] | None = None) -> list[OpenItem]:
    """Every invoice, credit note and payment still open at ``at``, with its settlements dated up to ``at``.

    What is open is told by amounts, never by the status field: an item is loaded when what was allocated
    to it by ``at`` is not its whole amount. Written-off invoices are lost, not receivable; they are left out.
    """
    settled = case((Invoice.kind == InvoiceKind.CREDIT_NOTE, -settled_by(Allocation.credit_note_id, Invoice.id, at)),
                   else_=settled_by(Allocation.invoice_id, Invoice.id, at))
    invoice_query = select(Invoice.id, Invoice.customer_id, Invoice.issue_date, Invoice.due_date,
                           Invoice.total_cents, Invoice.kind, settled.label("settled")).where(
        Invoice.issue_date <= at, Invoice.status != InvoiceStatus.WRITTEN_OFF, Invoice.total_cents != settled)
    paid_out = settled_by(Allocation.payment_id, Payment.id, at)
    payment_query = select(Payment.id, Payment.customer_id, Payment.received_on, Payment.amount_cents,
                           paid_out.label("settled")).where(
        Payment.received_on <= at, Payment.customer_id.is_not(None), Payment.amount_cents != paid_out)
    if customer_ids is not None:
        ids = list(customer_ids)
        invoice_query = invoice_query.where(Invoice.customer_id.in_(ids))
        payment_query = payment_query.where(Payment.customer_id.in_(ids))
    invoices = plain_rows(session, invoice_query).all()
    payments = plain_rows(session, payment_query).all()
    settlements = _settlements_of(session, at, [r.id for r in invoices if r.settled],  # most have none
                                  [r.id for r in payments if r.settled])
    items = [
        OpenItem(customer=row.customer_id, booked=row.issue_date, due=row.due_date,
                 amount=from_cents(row.total_cents), key=("invoice", row.id),
                 settlements=tuple(settlements["credit_note" if row.kind == InvoiceKind.CREDIT_NOTE
                                               else "invoice"][row.id]))
        for row in invoices
    ]
    items += [
        OpenItem(customer=row.customer_id, booked=row.received_on, due=row.received_on,
                 amount=-from_cents(row.amount_cents), key=("payment", row.id),
                 settlements=tuple(settlements["payment"][row.id]))
        for row in payments
    ]
    return items


def _settlements_of(session: Session, at: date, invoice_ids: list[int], payment_ids: list[int]
                    ) -> dict[str, dict[int, list[Settlement]]]:
    """The allocations dated up to ``at`` of the open items only, seen from each side: what settled an
    invoice (positive), what a credit note or a payment settled (negative, the sign of those items)."""
    found: dict[str, dict[int, list[Settlement]]] = {side: defaultdict(list)
                                                     for side in ("invoice", "credit_note", "payment")}
    columns = (("invoice", Allocation.invoice_id, invoice_ids, 1),
               ("credit_note", Allocation.credit_note_id, invoice_ids, -1),
               ("payment", Allocation.payment_id, payment_ids, -1))
    for side, column, ids, sign in columns:
        for chunk in chunks(ids):
            query = select(column, Allocation.allocated_on, Allocation.amount_cents).where(
                column.in_(chunk), Allocation.allocated_on <= at)
            for key, on, cents in plain_rows(session, query):
                found[side][key].append(Settlement(on, from_cents(sign * cents)))
    return found


def aging_at(session: Session, at: date) -> AgingReport:
    """The aging balance of the whole ledger at ``at`` (DOMAIN.md, Indicators)."""
    balance = aging_summary(session, at)
    customers = plain_rows(session, select(Customer.id, Customer.name, Customer.siren)).all()
    return AgingReport(balance, {c.id: c.name for c in customers}, {c.id: c.siren for c in customers})


# The aging of a whole ledger in SQL ---------------------------------------------------------------------------
#
# ``open_items`` builds one Python object per open item: right for one customer's card, too slow for a ledger
# of 1 000 000 invoices. ``still_due_rows`` asks the database for the same amounts already summed by whatever
# the caller groups by (customer and due date for the aging and the forecast...), reading only the items
# open at ``at`` thanks to their settled summaries (app.models.settlement). A test checks both agree.

def _sides(payments: bool):
    """The model, its booking date, the sign of what it leaves due, what it still lacks today, the
    allocation columns that settle it (with the sign of their amounts), and the conditions every item counts
    under (booked by ``at``, a known customer, not written off)."""
    if payments:
        return (Payment, Payment.received_on, -1, Payment.amount_cents - Payment.settled_cents,
                ((Allocation.payment_id, -1),), [Payment.customer_id.is_not(None)])
    lacking = Invoice.total_cents - case((Invoice.kind == InvoiceKind.CREDIT_NOTE.value, -Invoice.settled_cents),
                                         else_=Invoice.settled_cents)
    return (Invoice, Invoice.issue_date, 1, lacking, ((Allocation.invoice_id, 1), (Allocation.credit_note_id, -1)),
            [Invoice.status != InvoiceStatus.WRITTEN_OFF.value])


def still_due_rows(session: Session, at: date, group: list, where: list = (), *, payments: bool = False,
                   few: bool = False) -> list[tuple]:
    """Cents still due at ``at`` of the invoices and credit notes (or, with ``payments``, of the unallocated
    payments, negative), summed by the ``group`` columns (expressions over Invoice, or over Payment) and
    restricted by ``where`` (a row can sum to zero: an invoice and a credit note of the same due date).

    Two indexed reads: what the items open today still lack (their amount less their settled summary, over
    the partial index of open items), plus the allocations dated after ``at``, given back to the items they
    settled since (``given_back``). An item settled in full by ``at`` is in neither."""
    model, booked, sign, lacking, _sides_, base = _sides(payments)
    sums: dict[tuple, int] = defaultdict(int)
    # grouped by the item itself (its id among the columns), each row is its own group: no GROUP BY, which
    # would have the database read the whole table in id order rather than the open items' index
    per_item = any(column is model.id for column in group)
    query = (select(*group, lacking if per_item else func.sum(lacking)).select_from(model)
             .where(model.settled_on.is_(None), unsearched(booked) <= at, *base, *where))
    for *key, cents in plain_rows(session, query if per_item else query.group_by(*group)):
        sums[tuple(key)] += sign * int(cents or 0)
    for key, cents in given_back(session, at, None, group, where, payments=payments, few=few):
        sums[key] += cents
    return [(*key, cents) for key, cents in sums.items()]


def unsearched(column):
    """``column`` as an expression no index can search: the query then reads the partial index of open
    items (a few per cent of the rows) rather than range-scanning a date index over all of them, which the
    planner may prefer when that partial index is small or empty."""
    return func.coalesce(column, column)


def given_back(session: Session, after: date, until: date | None, group: list, where: list = (), *,
               payments: bool = False, few: bool = False) -> list[tuple[tuple, int]]:
    """(group key, cents) of the allocations dated after ``after`` (and by ``until``), given back to the
    items booked by ``after`` that they settled: what those items still lacked at ``after``. Usually few:
    allocations are rarely dated after the day asked, and a week holds a week's worth."""
    model, booked, _sign, _lacking, sides, base = _sides(payments)
    found = []
    for column, side_sign in sides:
        dated = [Allocation.allocated_on > after, column.is_not(None)]
        if until is not None:
            dated.append(Allocation.allocated_on <= until)
        if few:
            found += _given_back_to_few(session, model, booked, base, where, group, column, dated, after, side_sign)
            continue
        later: dict[int, int] = defaultdict(int)  # summed here: a GROUP BY would walk the whole table
        for item, cents in plain_rows(session, select(column, Allocation.amount_cents).where(*dated)):
            later[item] += cents
        ids = sorted(later)
        for chunk in chunks(ids):
            query = (select(*group, model.id).select_from(model)
                     .where(model.id.in_(chunk), booked <= after, *base, *where))
            found += [(tuple(key), side_sign * later[item]) for *key, item in plain_rows(session, query)]
    return found


def _given_back_to_few(session: Session, model, booked, base: list, where: list, group: list, column, dated: list,
                       after: date, side_sign: int) -> list[tuple[tuple, int]]:
    """``given_back`` for the few items ``where`` selects (a customer's): those items first, by their own
    index, then their allocations, rather than every allocation dated since and then their items."""
    keys = {item: tuple(key) for item, *key in plain_rows(
        session, select(model.id, *group).where(booked <= after, *base, *where))}
    ids = sorted(keys)
    found = []
    for chunk in chunks(ids):
        found += [(keys[item], side_sign * cents) for item, cents in plain_rows(
            session, select(column, Allocation.amount_cents).where(column.in_(chunk), *dated))]
    return found


def aging_summary(session: Session, at: date, customer_ids: Iterable[int] | None = None) -> AgingBalance:
    """The aging balance at ``at`` of every customer, or of ``customer_ids`` (the same as
    ``aging_balance(open_items(...))``), summed by the database by customer and due date, then sorted into
    buckets by the domain's rule."""
    ids = None if customer_ids is None else list(customer_ids)
    rows = still_due_rows(session, at, [Invoice.customer_id, Invoice.due_date],
                          [] if ids is None else [Invoice.customer_id.in_(ids)], few=ids is not None)
    rows += still_due_rows(session, at, [Payment.customer_id, Payment.received_on],
                           [] if ids is None else [Payment.customer_id.in_(ids)], payments=True, few=ids is not None)
    return balance_of_rows(rows, at)


class Owed(NamedTuple):
    """What a customer owes at a date (its exposure) and the part of it already late."""

    total: Decimal
    overdue: Decimal


def owed_by_customer(session: Session, at: date) -> dict[int, Owed]:
    """Each customer's exposure at ``at`` and what of it is overdue: ``aging_summary``'s total and overdue
    without its buckets (the customers list of a large ledger). The database sums each customer's items in
    two, the late ones and the others, rather than by due date: half the rows, and no bucket to sort."""
    sums: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    rows = still_due_rows(session, at, [Invoice.customer_id, _late(Invoice.due_date, at)])
    rows += still_due_rows(session, at, [Payment.customer_id, _late(Payment.received_on, at)], payments=True)
    for customer, late, cents in rows:
        sums[customer][0] += cents
        sums[customer][1] += cents if late else 0
    return {customer: Owed(from_cents(total), from_cents(overdue)) for customer, (total, overdue) in sums.items()}


def _late(column, at: date):
    """1 when the item dated ``column`` is late at ``at`` (in any bucket but « non échu », ``bucket_of``: from
    the day after its due date), else 0. The date is written into the statement, so that the GROUP BY repeats
    the very expression the SELECT has (PostgreSQL requires it)."""
    return case((column < bindparam(None, at, type_=Date, literal_execute=True), 1), else_=0)


def balance_of_rows(rows: Iterable[tuple], at: date) -> AgingBalance:
    """The aging balance of (customer, date that places it, ..., cents) rows: an invoice's due date, a
    payment's date (``bucket_of``)."""
    total, per_customer = _bucket_cents(rows, at, by_customer=True)
    return AgingBalance(at=at, total=_buckets(total),
                        by_customer={key: _buckets(amounts) for key, amounts in per_customer.items()})


def total_of_rows(rows: Iterable[tuple], at: date) -> Buckets:
    """The total of ``balance_of_rows``, without the customers' (a week ago's, for its change)."""
    return _buckets(_bucket_cents(rows, at, by_customer=False)[0])


def _bucket_cents(rows: Iterable[tuple], at: date, by_customer: bool) -> tuple[dict, dict]:
    total = dict.fromkeys(BUCKETS, 0)
    per_customer: dict[int, dict[str, int]] = {}
    for customer, due, *_rest, cents in rows:
        bucket = bucket_of(due, at)
        total[bucket] += cents
        if by_customer:
            amounts = per_customer.get(customer)
            if amounts is None:
                amounts = per_customer[customer] = dict.fromkeys(BUCKETS, 0)
            amounts[bucket] += cents
    return total, per_customer


def _buckets(cents: dict[str, int]) -> Buckets:
    return Buckets({bucket: from_cents(value) if value else ZERO for bucket, value in cents.items()})
