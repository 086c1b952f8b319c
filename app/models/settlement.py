"""What is settled of each invoice and payment, kept beside it from its allocations.

``Invoice.settled_cents`` / ``settled_on`` (and the same on ``Payment``) summarise the allocations: their sum,
and the day of the one that settled the item in full. They let the cockpit read only the open items of a
large ledger. They are never typed: every write of allocations refreshes them, the bulk ones (imports, undo,
demo) by calling ``resettle``, the ORM ones through the session hook below, so no code path can forget.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import Update, case, event, func, inspect, select, update
from sqlalchemy.orm import Session

from app.domain.vocabulary import InvoiceKind
from app.models.db import chunks
from app.models.invoice import Invoice
from app.models.payment import UNDATED, Allocation, Payment


def _allocated(column, key):
    return select(func.coalesce(func.sum(Allocation.amount_cents), 0)).where(column == key).scalar_subquery()


def _last(column, key):
    return select(func.max(Allocation.allocated_on)).where(column == key).scalar_subquery()


def resettle_statements(invoice_ids: Iterable[int] | None = None,
                        payment_ids: Iterable[int] | None = None) -> list[Update]:
    """The UPDATEs that recompute the summaries of these invoices and payments (every row for None)."""
    credit_note = Invoice.kind == InvoiceKind.CREDIT_NOTE.value
    invoice_settled = case((credit_note, _allocated(Allocation.credit_note_id, Invoice.id)),
                           else_=_allocated(Allocation.invoice_id, Invoice.id))
    invoice_last = case((credit_note, _last(Allocation.credit_note_id, Invoice.id)),
                        else_=_last(Allocation.invoice_id, Invoice.id))
    undated = (select(Allocation.id).join(Payment, Allocation.payment_id == Payment.id)
               .where(Allocation.invoice_id == Invoice.id, Payment.method == UNDATED).exists())
    invoice_values = {
        "settled_cents": invoice_settled,
        "settled_on": case((Invoice.total_cents == 0, Invoice.issue_date),
                           (invoice_settled >= func.abs(Invoice.total_cents), invoice_last), else_=None),
        "paid_on": case((credit_note | (Invoice.total_cents <= 0) | undated, None),
                        (invoice_settled >= Invoice.total_cents, invoice_last), else_=None),
    }
    payment_settled = _allocated(Allocation.payment_id, Payment.id)
    payment_values = {
        "settled_cents": payment_settled,
        "settled_on": case((payment_settled >= Payment.amount_cents, _last(Allocation.payment_id, Payment.id)),
                           else_=None),
    }
    statements = []
    for model, ids, values in ((Invoice, invoice_ids, invoice_values), (Payment, payment_ids, payment_values)):
        if ids is None:
            statements.append(update(model).values(values))
            continue
        ids = sorted(ids if isinstance(ids, (set, frozenset)) else set(ids))  # a set is not copied again
        statements += [update(model).where(model.id.in_(chunk)).values(values) for chunk in chunks(ids)]
    return statements


def resettle(session: Session, invoice_ids: Iterable[int] | None = (), payment_ids: Iterable[int] | None = ()) -> None:
    """Refresh the summaries of these invoices and payments (``None``: all of them) after their allocations
    changed in bulk."""
    for statement in resettle_statements(invoice_ids, payment_ids):
        session.execute(statement, execution_options={"synchronize_session": False})


@event.listens_for(Session, "before_flush")
def _note_deleted_invoices(session: Session, _context, _instances) -> None:
    """The database deletes the allocations of a deleted invoice by itself (ON DELETE CASCADE): note the
    payments and credit notes they drew on before they go, to refresh them after the flush."""
    gone = [obj.id for obj in session.deleted if isinstance(obj, Invoice) and obj.id is not None]
    if gone:
        rows = session.execute(select(Allocation.payment_id, Allocation.credit_note_id, Allocation.invoice_id)
                               .where(Allocation.invoice_id.in_(gone) | Allocation.credit_note_id.in_(gone))).all()
        session.info.setdefault("resettle_payments", set()).update(r.payment_id for r in rows if r.payment_id)
        session.info.setdefault("resettle_invoices", set()).update(
            i for r in rows for i in (r.invoice_id, r.credit_note_id) if i and i not in gone)


@event.listens_for(Session, "after_flush")
def _resettle_after_flush(session: Session, _context) -> None:
    """Allocations added, changed (their former invoice or payment too) or deleted through the ORM, and
    invoices or payments added or changed, refresh the summaries they affect."""
    invoices = session.info.pop("resettle_invoices", set())
    payments = session.info.pop("resettle_payments", set())
    for obj in (*session.new, *session.dirty, *session.deleted):
        if isinstance(obj, Allocation):
            state = inspect(obj)
            for name, found in (("invoice_id", invoices), ("credit_note_id", invoices), ("payment_id", payments)):
                history = state.attrs[name].history
                found.update(value for value in (getattr(obj, name), *history.deleted) if value)
        elif isinstance(obj, Invoice) and obj not in session.deleted:
            invoices.add(obj.id)  # a new invoice, or a total changed: settled in full or not any more
        elif isinstance(obj, Payment) and obj not in session.deleted:
            payments.add(obj.id)
    if not invoices and not payments:
        return
    connection = session.connection()
    for statement in resettle_statements(invoices, payments):
        connection.execute(statement)
    for obj in session.identity_map.values():
        if (isinstance(obj, Invoice) and obj.id in invoices) or (isinstance(obj, Payment) and obj.id in payments):
            session.expire(obj, ["settled_cents", "settled_on"] + (["paid_on"] if isinstance(obj, Invoice) else []))
