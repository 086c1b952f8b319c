"""What the 13-week cash forecast reads of the ledger (DOMAIN.md "Cash-flow forecast"): each customer's open
items net of its credits, with how it usually pays, its risk class, its promise to pay running, and which
invoices are in litigation or held by collective proceedings, so that ``app.domain.forecast`` can leave those
out of the weeks (« Douteux »)."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.domain.forecast import Receivable, net_of_credits
from app.domain.insolvency import Proceeding
from app.domain.money import from_cents
from app.domain.scoring import Score
from app.domain.vocabulary import ActivityKind, DunningStep, InvoiceStatus, Segment
from app.models import Activity, Dispute, DunningLetter, Invoice
from app.models.db import plain_rows
from app.services.aging import still_due_rows

DEFAULT_DELAY = Decimal(0)  # a customer without history is expected on its due date
IN_LITIGATION = (InvoiceStatus.DOUBTFUL.value, InvoiceStatus.DISPUTED.value)  # statuses in doubt by themselves
LITIGATED = "litigated"  # the open items in litigation by a record (a dispute, a litigation file), summed apart


def receivables(session: Session, at: date, due: list[tuple], delays: dict[int, tuple],
                scores: dict[int, Score], segments: dict[int, str],
                proceedings: dict[int, Proceeding]) -> list[Receivable]:
    """What each customer still has to pay at ``at`` by due date, from ``due`` ((customer, due date, invoice
    status or None for a payment, cents) rows, the cockpit's open items), its unallocated payments and credit
    notes deducted oldest first (``forecast.net_of_credits``), as the forecast expects it: with its usual
    delay, risk class, segment (prescription) and promise to pay, and whether it is in litigation (an invoice
    the ``proceedings`` hold comes in ``due`` already marked doubtful)."""
    owed: dict[tuple, int] = defaultdict(int)
    for customer, day, status, cents in due:
        owed[customer, day, status] += cents
    for customer, day, status, cents in _litigated(session, at, proceedings):  # taken out of their due date's sum
        owed[customer, day, status] -= cents
        owed[customer, day, LITIGATED] += cents
    promises = _running_promises(session, at)
    habits = {customer: (delays.get(customer, (None, None))[0] or DEFAULT_DELAY,
                         scores[customer].grade if customer in scores else "C")
              for customer in {customer for customer, _day, _status in owed}}
    consumers = {customer for customer, segment in segments.items() if segment == Segment.CONSUMER.value}
    return [Receivable(day, from_cents(cents), *habits[customer],
                       in_litigation=status == LITIGATED or status in IN_LITIGATION,
                       consumer=customer in consumers, promised_on=promises.get(customer))
            for customer, day, cents, status in net_of_credits(
                (customer, day, cents, status) for (customer, day, status), cents in owed.items())]


def _litigated(session: Session, at: date, proceedings: dict[int, Proceeding]) -> list[tuple[int, date, str, int]]:
    """(customer, due date, status, cents still due) of the invoices in litigation at ``at`` by a record rather than
    by their status: an open dispute, or a litigation file that listed them; those the ``proceedings`` hold are
    in doubt already."""
    ids = set(session.scalars(select(Dispute.invoice_id).where(
        Dispute.opened_on <= at, (Dispute.closed_on.is_(None)) | (Dispute.closed_on > at))))
    for lines in session.scalars(select(DunningLetter.lines).where(
            DunningLetter.step == DunningStep.LITIGATION.value, DunningLetter.sent_on <= at)):
        ids.update(line["invoice_id"] for line in lines or [])
    if not ids:
        return []
    rows = still_due_rows(session, at, [Invoice.id, Invoice.customer_id, Invoice.due_date, Invoice.issue_date,
                                        Invoice.status], [Invoice.id.in_(sorted(ids)), Invoice.status.not_in(IN_LITIGATION)])
    return [(customer, day, status, cents) for _id, customer, day, issued, status, cents in rows
            if customer not in proceedings or not proceedings[customer].holds(issued)]


def _running_promises(session: Session, at: date) -> dict[int, date]:
    """By customer, the latest date it promised to pay by that is not past at ``at``."""
    return dict(plain_rows(session, select(Activity.customer_id, func.max(Activity.promised_on)).where(
        Activity.kind == ActivityKind.PROMISE.value, Activity.promised_on >= at).group_by(Activity.customer_id)).all())
