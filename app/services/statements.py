"""Recording a bank statement a reader found: its lines, its balances, and a payment for each credit, which
the matching then allocates (``reconciliation``), all in the import's transaction.

Every line and balance is first put under its account's key (``bank_accounts.keyed``: bank, branch and
number, or IBAN; the account the user says when the file names none). A line already recorded on its
account (same ``row_hash``: same number, day, amount, label and rank) is a duplicate, so that the next
statement, which overlaps this one, adds only what is new; the same movements downloaded again in another
format (other labels) are recognised by account, day and amount when that is unambiguous. Each
credit becomes a ``Payment`` of no customer yet, its reference the bank's label: the matching finds whose it
is. Debits are kept as the known outflows of the cash forecast. The balances are stored as the balance at
the end of a day: an opening balance of the 1st is the closing balance of the day before.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import date, timedelta
from decimal import Decimal
from typing import NamedTuple

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain.forecast import RECURRING_MONTHS, Debit
from app.domain.money import from_cents, to_cents
from app.importers.bank_files import joined
from app.importers.records import Problem, StatementRead
from app.jobs import Job
from app.models import BankBalance, BankLine, ImportBatch, Payment
from app.models.db import chunks, insert_values, reserve_ids
from app.services.bank_accounts import account_label, keyed, latest_balances
from app.services.reconciliation import match_payments
from app.services.reported import REPORTED, confirm_with_statement

TRANSFER = "virement"
CURRENT_BALANCE_DAYS = 62  # two months: an account not stated since is not counted in today's cash
SAME_PAYMENT_DAYS = 5  # a payment the accountant booked and the bank's credit of it: a few days apart at most

_PAYMENT = ("customer_id", "received_on", "amount_cents", "method", "reference", "payer_iban", "import_batch_id",
            "source_line", "row_hash")
_LINE = ("account", "booked_on", "value_on", "amount_cents", "label", "counterparty", "iban", "reference",
         "payment_id", "import_batch_id", "source_line", "row_hash")


def record_statement(session: Session, batch: ImportBatch, result: StatementRead, summary, job: Job,
                     account: str | None = None) -> None:
    """Record the statement's new lines and balances under ``batch`` and match its credits; ``summary`` (an
    ``ImportSummary``) gets the counts. ``account`` is the account the user says a statement that names
    none is of (``bank_accounts.keyed``). A line of 0,00 € moves no money: it is left out, with a warning. A
    credit that is already a payment in the database (the accountant's export or a payment typed in, same
    amount, within ``SAME_PAYMENT_DAYS`` days, not yet tied to a bank line) is that payment: the bank line
    is tied to it, and no second payment is made of the same money."""
    result = keyed(session, result, account, summary.warnings)
    conn = session.connection()
    rejected = {p.line for p in result.problems if p.line is not None}
    lines = []
    for line in result.bank_lines:
        if line.line in rejected:
            continue
        if not to_cents(line.amount):
            summary.warnings.append(Problem(line.line, None, line.label[:40], "montant nul : ligne ignorée"))
            continue
        lines.append(line)
    known = _recorded_hashes(session, [line.row_hash for line in lines])
    fresh, seen = [], set()
    for line in lines:
        if any(line.account.endswith(account) for account in known[line.row_hash]) or line.row_hash in seen:
            summary.duplicates += 1
            continue
        seen.add(line.row_hash)
        fresh.append(line)
    fresh = _not_stated_elsewhere(session, lines, fresh, summary)
    paid_by = _recorded_before(session, [line for line in fresh if line.amount > 0])
    credits = [line for line in fresh if line.amount > 0 and line.row_hash not in paid_by]
    payment_ids = reserve_ids(conn, Payment.__table__, len(credits)) if credits else []
    insert_values(conn, Payment.__table__, ["id", *_PAYMENT], [
        (payment_id, None, line.booked_on, to_cents(line.amount), TRANSFER, _reference(line), line.iban, batch.id,
         line.line, line.row_hash) for payment_id, line in zip(payment_ids, credits)])
    summary.recorded_before = len(paid_by)
    paid_by.update(zip((line.row_hash for line in credits), payment_ids))
    insert_values(conn, BankLine.__table__, list(_LINE), [
        (line.account, line.booked_on, line.value_on, to_cents(line.amount), line.label, line.counterparty,
         line.iban, line.reference, paid_by.get(line.row_hash), batch.id, line.line, line.row_hash)
        for line in fresh])
    _record_balances(session, batch, result)
    summary.warnings += _incomplete(result)
    summary.statement_lines = len(fresh)
    confirmed = confirm_with_statement(session, batch, payment_ids)
    summary.confirmed, summary.confirmed_in_part = confirmed.count, confirmed.in_part
    summary.still_awaiting = confirmed.still_awaiting
    summary.created["payments"] = len(credits) - len(confirmed.became)
    # a reported settlement wholly confirmed is the credit's money now: what it brings beyond is matched as any other
    payment_ids = [confirmed.became.get(payment_id, payment_id) for payment_id in payment_ids]
    counts = match_payments(session, payment_ids, batch_id=batch.id, job=job)
    summary.created["allocations"] = counts.allocations
    summary.matching = counts


def _recorded_hashes(session: Session, hashes: list[str]) -> defaultdict[str, set[str]]:
    """The accounts of the lines recorded with each of these hashes. A line is known when its account's key
    ends with one of them: its own key, or the number alone (or nothing) it was recorded under before its
    bank was known; a line of the same number at another bank is another line."""
    known: defaultdict[str, set[str]] = defaultdict(set)
    for chunk in chunks(hashes):
        for row_hash, account in session.execute(select(BankLine.row_hash, BankLine.account)
                                                 .where(BankLine.row_hash.in_(chunk))):
            known[row_hash].add(account)
    return known


def _movement(line) -> tuple[str, date, int]:
    return line.account, line.booked_on, to_cents(line.amount)


def _not_stated_elsewhere(session: Session, lines: list, fresh: list, summary) -> list:
    """The new lines, less those already recorded from a file in another wording (the same week downloaded as
    CSV, then as OFX: other labels, so other hashes), recognised by account, day and amount, but only where
    that is unambiguous: the database holds at least as many lines of that account, day and amount as this
    file, and none of the file's was recognised by its hash (an overlap in the same format, where a line of
    that amount is then new). Those are left out with a warning. Otherwise the lines are recorded, each with
    a "doublon possible" warning: which of two 300 € of a day is the new one, only the owner can tell, and
    dropping the wrong one would leave a paid invoice open."""
    keys = set(map(_movement, fresh))
    if not keys:
        return fresh
    days = [day for _account, day, _cents in keys]
    recorded = Counter(key for key in map(tuple, session.execute(
        select(BankLine.account, BankLine.booked_on, BankLine.amount_cents)
        .where(BankLine.booked_on >= min(days), BankLine.booked_on <= max(days)))) if key in keys)
    if not recorded:
        return fresh
    in_file, new = Counter(map(_movement, lines)), Counter(map(_movement, fresh))
    kept = []
    for line in fresh:
        key = _movement(line)
        if not recorded[key]:
            kept.append(line)
        elif recorded[key] >= in_file[key] == new[key]:
            summary.duplicates += 1
            summary.warnings.append(Problem(line.line, None, line.label[:40], "même compte, même jour et même montant "
                                            "qu'une opération déjà relevée depuis un autre fichier : ignorée"))
        else:
            kept.append(line)
            summary.warnings.append(Problem(line.line, None, line.label[:40], "doublon possible : une opération du même "
                                            "compte, du même jour et du même montant est déjà relevée ; enregistrée, "
                                            "vérifiez-la dans « À rapprocher »"))
    return kept


def _recorded_before(session: Session, credits: list) -> dict[str, int]:
    """The credits that are payments already recorded otherwise, by row hash: the payment of the same amount
    not tied to a bank line, nearest in date within ``SAME_PAYMENT_DAYS`` days (each payment taken once)."""
    if not credits:
        return {}
    first = min(line.booked_on for line in credits) - timedelta(days=SAME_PAYMENT_DAYS)
    last = max(line.booked_on for line in credits) + timedelta(days=SAME_PAYMENT_DAYS)
    tied = select(BankLine.id).where(BankLine.payment_id == Payment.id).exists()
    # a settlement a file reported is confirmed by the rule of reported settlements, not by its amount alone
    by_amount: dict[int, list[tuple[int, date]]] = {}
    for payment_id, cents, received_on in session.execute(
            select(Payment.id, Payment.amount_cents, Payment.received_on)
            .where(Payment.received_on >= first, Payment.received_on <= last, ~tied, Payment.method != REPORTED)):
        by_amount.setdefault(cents, []).append((payment_id, received_on))
    found: dict[str, int] = {}
    for line in credits:
        candidates = [(abs((received_on - line.booked_on).days), payment_id)
                      for payment_id, received_on in by_amount.get(to_cents(line.amount), ())
                      if abs((received_on - line.booked_on).days) <= SAME_PAYMENT_DAYS
                      and payment_id not in found.values()]
        if candidates:
            found[line.row_hash] = min(candidates)[1]
    return found


def _incomplete(result: StatementRead) -> list[Problem]:
    """What says a statement file was cut short: nothing read at all, or an account opened and not closed."""
    if not result.bank_lines and not result.statement_balances:
        return [Problem(None, None, "", "aucune opération ni aucun solde lus : le fichier est-il complet ? "
                                        "Téléchargez à nouveau le relevé depuis l'espace en ligne de la banque.")]
    opened = {b.account for b in result.statement_balances if not b.closing}
    closed = {b.account for b in result.statement_balances if b.closing}
    return [Problem(None, None, account_label(account), "le relevé de ce compte a un solde initial mais pas de "
                                                        "solde final : fichier incomplet ? Téléchargez-le à nouveau.")
            for account in sorted(opened - closed)]


def _reference(line) -> str:
    """What the payment says of itself, where the matching looks for names and numbers: the label, with the
    counterparty and the bank's reference (an end-to-end id is often the invoice number) when the label
    does not hold them already."""
    return joined((line.label, line.counterparty, line.reference))


def _record_balances(session: Session, batch: ImportBatch, result: StatementRead) -> None:
    """Each stated balance as the balance at the end of its day; a later statement restates the same day."""
    for balance in result.statement_balances:
        day = balance.on if balance.closing else balance.on - timedelta(days=1)
        account = balance.account
        existing = session.scalar(select(BankBalance).where(BankBalance.account == account,
                                                            BankBalance.stated_on == day))
        if existing is None:
            session.add(BankBalance(account=account, stated_on=day, amount_cents=to_cents(balance.amount),
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
    (the forecast projects those that come back every month). The balance adds each account's latest one,
    of the accounts stated in the last ``CURRENT_BALANCE_DAYS`` days: an account whose last statement is
    older (closed, or a file imported to try) says nothing of the cash today."""
    rows = [(cents, on) for cents, on in latest_balances(session, at).values()
            if on >= at - timedelta(days=CURRENT_BALANCE_DAYS)]
    month = at.year * 12 + at.month - 1 - RECURRING_MONTHS
    since = date(month // 12, month % 12 + 1, 1)
    debits = [Debit(row.booked_on, from_cents(-row.amount_cents), row.label) for row in session.execute(
        select(BankLine.booked_on, BankLine.amount_cents, BankLine.label)
        .where(BankLine.amount_cents < 0, BankLine.booked_on >= since, BankLine.booked_on <= at))]
    if not rows:
        return CashPosition(None, None, debits)
    return CashPosition(from_cents(sum(cents for cents, _on in rows)), min(on for _cents, on in rows), debits)
