"""The invoices table of a large ledger read a page at a time: how many invoices a filter keeps, and the
page of them a sort puts at an offset (or after the last row of the page before).

``list_invoices`` reads every invoice and computes what remains due in Python: right for one customer's
card, a minute and over a gigabyte at 1 000 000 invoices. Here the database filters, sorts and pages, and
what remains due at ``at`` is one SQL expression (the allocations dated by ``at``), read for the page's rows
only. A test checks both give the same rows in the same order.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import and_, case, false, func, literal, or_, select, union_all
from sqlalchemy.orm import Session

from app.domain.money import from_cents
from app.domain.text import without_accents
from app.domain.vocabulary import STATUS_LABELS
from app.models import Allocation, Customer, Invoice, InvoiceKind, InvoiceStatus
from app.models.dates import days_between
from app.models.db import plain_rows
from app.services.aging import settled_by, unsearched
from app.services.invoices import InvoiceRow, invoice_row

EXPORT_PAGE = 5000  # rows per query when every row is read


@dataclass(frozen=True)
class InvoiceFilter:
    """What the Factures screen keeps: the open ones (something still due at the day asked) or all, one
    status, the overdue ones only, and words to find in the number or the customer's name (each word,
    without regard to case or accents)."""

    open_only: bool = True
    status: InvoiceStatus | None = None
    overdue_only: bool = False
    search: str = ""


@dataclass(frozen=True)
class InvoiceSort:
    """A column of the table (one of ``SORTS``) and its direction; the invoice's id breaks ties, so the
    order is total and a page follows the one before exactly."""

    key: str = "issue_date"
    descending: bool = True


# the boundary of a page: the sort value and the id of its last row, where the next page starts
Cursor = tuple[Any, int]


def _still_due(at: date):
    """Cents still due at the end of ``at``: the amount less the allocations dated by then (negative for a
    credit note not used up), nothing for an invoice not issued yet or written off. An invoice settled in
    full by ``at`` (its summary says so) is not summed again."""
    settled = case((Invoice.kind == InvoiceKind.CREDIT_NOTE.value, -settled_by(Allocation.credit_note_id, Invoice.id, at)),
                   else_=settled_by(Allocation.invoice_id, Invoice.id, at))
    return case((or_(Invoice.status == InvoiceStatus.WRITTEN_OFF.value, Invoice.issue_date > at,
                     Invoice.settled_on <= at), 0),
                else_=Invoice.total_cents - settled)


def _later(at: date) -> list:
    """The invoices and credit notes that allocations dated after ``at`` settled (since then)."""
    return [select(side).where(Allocation.allocated_on > at, side.is_not(None))
            for side in (Allocation.invoice_id, Allocation.credit_note_id)]


def _open_parts(at: date) -> list[list]:
    """Something still due at ``at`` as two disjoint sets, each read from an index: the invoices not settled
    in full yet (the partial index of open items, which also holds every sort column but the number and
    the customer's name), and those settled in full by an allocation dated after ``at`` (the allocations'
    date index). The issue date is not searched: a date index would have the database visit every invoice
    issued by ``at``, a million of them, rather than the open ones."""
    alive = [Invoice.status != InvoiceStatus.WRITTEN_OFF.value, unsearched(Invoice.issue_date) <= at]
    return [[*alive, Invoice.settled_on.is_(None)],
            [*alive, Invoice.settled_on.is_not(None), Invoice.id.in_(union_all(*_later(at)))]]


def _sort_expression(key: str, at: date):
    """The SQL value a column sorts by. The customer's name sorts by ``lower()``, which SQLite applies to
    ASCII letters only: a name starting with "É" sorts apart from one starting with "é" there (the screen
    sorted by Python's ``casefold`` before)."""
    due = _still_due(at)
    late = case((and_(Invoice.due_date < at, due > 0), days_between(Invoice.due_date, literal(at))), else_=0)
    labels = case({status.value: label for status, label in STATUS_LABELS.items()}, value=Invoice.status)
    return {"number": Invoice.number, "kind": Invoice.kind, "customer": func.lower(Customer.name),
            "issue_date": Invoice.issue_date, "due_date": Invoice.due_date, "total": Invoice.total_cents,
            "still_due": due, "days_late": late, "status": labels}[key]


SORTS = ("number", "kind", "customer", "issue_date", "due_date", "total", "still_due", "days_late", "status")


def _customers_matching(session: Session, word: str):
    """The condition "the customer's name holds ``word``" as a list of ids (or of the others, whichever is
    shorter): names are compared without accents, which no SQL function does alike on SQLite and
    PostgreSQL, and a ledger has some thousands of customers against a million invoices."""
    names = plain_rows(session, select(Customer.id, Customer.name)).all()
    found = [c.id for c in names if word in without_accents(c.name)]
    if len(found) * 2 <= len(names):
        return Invoice.customer_id.in_(found) if found else false()
    kept = set(found)
    return Invoice.customer_id.not_in([c.id for c in names if c.id not in kept])


def _conditions(session: Session, kept: InvoiceFilter, at: date) -> list:
    """What ``kept`` asks of an invoice beyond being open (see ``_open``)."""
    where = []
    if kept.overdue_only:  # still due (an invoice, not a credit note) past its due date
        where += [Invoice.kind == InvoiceKind.INVOICE.value, Invoice.due_date < at]
    if kept.status is not None:
        where.append(Invoice.status == InvoiceStatus(kept.status).value)
    for word in without_accents(kept.search).split():
        where.append(or_(func.lower(Invoice.number).contains(word, autoescape=True),
                         _customers_matching(session, word)))
    return where


def _parts(session: Session, at: date, kept: InvoiceFilter) -> list[list]:
    """The conditions of the disjoint sets of invoices ``kept`` keeps (one set, or the two of the open ones)."""
    where = _conditions(session, kept, at)
    if not (kept.open_only or kept.overdue_only):
        return [where]
    return [part + where for part in _open_parts(at)]


def count(session: Session, at: date, kept: InvoiceFilter) -> int:
    """How many invoices and credit notes ``kept`` keeps, counted from the indexes without reading them."""
    return sum(session.scalar(select(func.count()).select_from(Invoice).where(*part))
               for part in _parts(session, at, kept))


def page(session: Session, at: date, kept: InvoiceFilter, sort: InvoiceSort, offset: int, limit: int,
         after: Cursor | None = None, total: int | None = None) -> tuple[list[InvoiceRow], Cursor | None]:
    """The rows ``kept`` keeps in the ``sort`` order from ``offset`` (or right after the ``after`` boundary,
    which reads no row before it), and the boundary of this page for the next one. Given the ``total`` of
    rows, a page in the second half is read from the end (the order reversed, a short offset), so the last
    page costs what the first does."""
    key = _sort_expression(sort.key, at)
    descending = sort.descending
    beyond = []
    if after is not None:
        value, last_id = after
        past = (lambda a, b: a < b) if descending else (lambda a, b: a > b)
        beyond.append(or_(past(key, value), and_(key == value, past(Invoice.id, last_id))))
        offset = 0
    backwards = after is None and total is not None and offset > total // 2
    if backwards:
        limit, offset = min(limit, total - offset), max(0, total - offset - limit)
        descending = not descending
    # the page's ids first (from the indexes where they can), then their columns and what remains due: the
    # rows skipped cost no more
    sets = []
    for part in _parts(session, at, kept):
        ids = select(Invoice.id.label("id"), key.label("sort_value")).where(*part, *beyond)
        if sort.key == "customer":  # the only key that reads the customer (a join per row skipped otherwise)
            ids = ids.join(Customer, Customer.id == Invoice.customer_id)
        sets.append(ids)
    found = (sets[0] if len(sets) == 1 else union_all(*sets)).subquery()
    order = (found.c.sort_value.desc(), found.c.id.desc()) if descending else (found.c.sort_value, found.c.id)
    chosen = select(found).order_by(*order).offset(offset).limit(max(limit, 0)).subquery()
    query = (select(Invoice.id, Invoice.number, Invoice.kind, Invoice.customer_id, Customer.name,
                    Invoice.issue_date, Invoice.due_date, Invoice.total_cents, Invoice.status,
                    _still_due(at).label("due"), chosen.c.sort_value)
             .join(chosen, chosen.c.id == Invoice.id).join(Customer, Customer.id == Invoice.customer_id)
             .order_by(*((chosen.c.sort_value.desc(), Invoice.id.desc()) if descending
                         else (chosen.c.sort_value, Invoice.id))))
    result = plain_rows(session, query).all()
    if backwards:
        result.reverse()
    rows = [invoice_row(r, from_cents(r.due), at) for r in result]
    return rows, ((result[-1].sort_value, result[-1].id) if result else None)


def every_row(session: Session, at: date, kept: InvoiceFilter, sort: InvoiceSort) -> Iterator[InvoiceRow]:
    """Every row ``kept`` keeps in the ``sort`` order, page after page (an export of what the table shows)."""
    after = None
    while True:
        rows, after = page(session, at, kept, sort, 0, EXPORT_PAGE, after)
        yield from rows
        if len(rows) < EXPORT_PAGE:
            return
