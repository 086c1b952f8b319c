"""Recording a bank statement a reader found: its lines, its balances, and a payment for each credit, which
the matching then allocates (``reconciliation``), all in the import's transaction.

A line already recorded (same ``row_hash``: same account, day, amount, label and rank) is a duplicate, so
that the next statement, which overlaps this one, adds only what is new. Each credit becomes a ``Payment``
of no customer yet, its reference the bank's label: the matching finds whose it is. Debits are kept as the
known outflows of the cash forecast. The balances are stored as the balance at the end of a day: an opening
balance of the 1st is the closing balance of the day before.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import NamedTuple

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.domain.forecast import RECURRING_MONTHS, Debit
from app.domain.money import from_cents, to_cents
from app.importers.records import ReadResult
from app.jobs import Job
from app.models import BankBalance, BankLine, ImportBatch, Payment
from app.models.db import insert_values, reserve_ids
from app.services.reconciliation import match_payments

CHUNK = 5000
TRANSFER = "virement"

_PAYMENT = ("customer_id", "received_on", "amount_cents", "method", "reference", "payer_iban", "import_batch_id",
            "source_line", "row_hash")
_LINE = ("account", "booked_on", "value_on", "amount_cents", "label", "counterparty", "iban", "reference",
         "payment_id", "import_batch_id", "source_line", "row_hash")


def is_statement(result: ReadResult) -> bool:
    """Did the reader find a bank statement (rather than invoices)?"""
    return bool(result.bank_lines or result.statement_balances)


def record_statement(session: Session, batch: ImportBatch, result: ReadResult, summary, job: Job) -> None:
    """Record the statement's new lines and balances under ``batch`` and match its credits; ``summary`` (an
    ``ImportSummary``) gets the counts."""
    conn = session.connection()
    rejected = {p.line for p in result.problems if p.line is not None}
    lines = [line for line in result.bank_lines if line.line not in rejected]
    known: set[str] = set()
    hashes = [line.row_hash for line in lines]
    for start in range(0, len(hashes), CHUNK):
        known.update(session.scalars(select(BankLine.row_hash).where(BankLine.row_hash.in_(hashes[start:start + CHUNK]))))
    fresh, seen = [], set()
    for line in lines:
        if line.row_hash in known or line.row_hash in seen:
            summary.duplicates += 1
            continue
        seen.add(line.row_hash)
        fresh.append(line)
    credits = [line for line in fresh if line.amount > 0]
    payment_ids = reserve_ids(conn, Payment.__table__, len(credits)) if credits else []
    insert_values(conn, Payment.__table__, ["id", *_PAYMENT], [
        (payment_id, None, line.booked_on, to_cents(line.amount), TRANSFER, _reference(line), line.iban, batch.id,
         line.line, line.row_hash) for payment_id, line in zip(payment_ids, credits)])
    paid_by = dict(zip((line.row_hash for line in credits), payment_ids))
    insert_values(conn, BankLine.__table__, list(_LINE), [
        (line.account, line.booked_on, line.value_on, to_cents(line.amount), line.label, line.counterparty,
         line.iban, line.reference, paid_by.get(line.row_hash), batch.id, line.line, line.row_hash)
        for line in fresh])
    _record_balances(session, batch, result)
    summary.created["payments"] = len(credits)
    summary.statement_lines = len(fresh)
    counts = match_payments(session, payment_ids, batch_id=batch.id, job=job)
    summary.created["allocations"] = counts.allocations
    summary.matching = counts


def _reference(line) -> str:
    """What the payment says of itself: the label, with the counterparty when the label does not name it."""
    if line.counterparty and line.counterparty.casefold() not in line.label.casefold():
        return f"{line.label} {line.counterparty}".strip()
    return line.label


def _record_balances(session: Session, batch: ImportBatch, result: ReadResult) -> None:
    """Each stated balance as the balance at the end of its day; a later statement restates the same day."""
    for balance in result.statement_balances:
        day = balance.on if balance.closing else balance.on - timedelta(days=1)
        existing = session.scalar(select(BankBalance).where(BankBalance.account == balance.account,
                                                            BankBalance.stated_on == day))
        if existing is None:
            session.add(BankBalance(account=balance.account, stated_on=day, amount_cents=to_cents(balance.amount),
                                    import_batch_id=batch.id))
        else:
            existing.amount_cents = to_cents(balance.amount)
    session.flush()


class CashPosition(NamedTuple):
    """What the bank statements say for the forecast at a date: the balance then (the sum of each account's
    latest stated balance, None when no statement gave one) and the debits of the months before."""

    balance: Decimal | None
    balance_on: date | None     # the oldest of the accounts' latest balances: the forecast starts from there
    debits: list[Debit]


def cash_position(session: Session, at: date) -> CashPosition:
    """The bank balance known at ``at`` and the debits of the ``RECURRING_MONTHS`` months before its month
    (the forecast projects those that come back every month)."""
    latest = (select(BankBalance.account, func.max(BankBalance.stated_on).label("stated_on"))
              .where(BankBalance.stated_on <= at).group_by(BankBalance.account).subquery())
    rows = session.execute(select(BankBalance.amount_cents, BankBalance.stated_on).join(
        latest, (BankBalance.account == latest.c.account) & (BankBalance.stated_on == latest.c.stated_on))).all()
    month = at.year * 12 + at.month - 1 - RECURRING_MONTHS
    since = date(month // 12, month % 12 + 1, 1)
    debits = [Debit(row.booked_on, from_cents(-row.amount_cents), row.label) for row in session.execute(
        select(BankLine.booked_on, BankLine.amount_cents, BankLine.label)
        .where(BankLine.amount_cents < 0, BankLine.booked_on >= since, BankLine.booked_on <= at))]
    if not rows:
        return CashPosition(None, None, debits)
    return CashPosition(from_cents(sum(row.amount_cents for row in rows)), min(row.stated_on for row in rows), debits)
