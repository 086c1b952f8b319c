"""What is settled of each invoice and payment, kept beside it from its allocations.

``Invoice.settled_cents`` / ``settled_on`` (and the same on ``Payment``) summarise the allocations: their sum,
and the day of the one that settled the item in full. They let the cockpit read only the open items of a
large ledger. They are never typed: every write of allocations refreshes them, the bulk ones (imports, undo,
demo) by calling ``resettle``, the ORM ones through the session hook below, so no code path can forget.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import Update, case, event, func, select, update
from sqlalchemy.orm import Session

from app.domain.vocabulary import InvoiceKind
from app.models.invoice import Invoice
from app.models.payment import Allocation, Payment

CHUNK = 5000


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
    invoice_values = {
        "settled_cents": invoice_settled,
        "settled_on": case((Invoice.total_cents == 0, Invoice.issue_date),
                           (invoice_settled >= func.abs(Invoice.total_cents), invoice_last), else_=None),
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
        ids = sorted(set(ids))
        statements += [update(model).where(model.id.in_(ids[i:i + CHUNK])).values(values)
                       for i in range(0, len(ids), CHUNK)]
    return statements


def resettle(session: Session, invoice_ids: Iterable[int] | None = (), payment_ids: Iterable[int] | None = ()) -> None:
    """Refresh the summaries of these invoices and payments (``None``: all of them) after their allocations
    changed in bulk."""
    for statement in resettle_statements(invoice_ids, payment_ids):
        session.execute(statement, execution_options={"synchronize_session": False})


@event.listens_for(Session, "after_flush")
def _resettle_after_flush(session: Session, _context) -> None:
    """Allocations added, changed or deleted through the ORM refresh their invoices and payments."""
    invoices, payments = set(), set()
    for obj in (*session.new, *session.dirty, *session.deleted):
        if isinstance(obj, Allocation):
            invoices.update(filter(None, (obj.invoice_id, obj.credit_note_id)))
            payments.update(filter(None, (obj.payment_id,)))
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
            session.expire(obj, ["settled_cents", "settled_on"])
