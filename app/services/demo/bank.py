"""The demo company's bank statement: the last thirteen weeks of money received arrive through the bank and
are matched by the program's own rules, as the owner's would be.

Why: the "À rapprocher" screen, the unallocated cash of the aging and the forecast's starting balance need a
statement to show anything, and the matching needs measuring on believable labels. The simulation knows
which invoices each payment settled; here those payments are held back from the ledger, written as the
lines of a statement (their labels as the bank words them, the payer's IBAN), with the company's own
monthly debits (rent, salaries, social charges, suppliers) and its balances, and imported as a statement is:
certain matches applied, the rest waiting. ``BankMatching`` then compares what the matching did with what
the simulation knows: how many credits were applied, proposed, left, and how many were wrong.
"""

from __future__ import annotations

import random
import re
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain.money import from_cents, to_cents
from app.importers.records import BankLineRecord, StatementRead, StatementBalance, with_bank_hashes
from app.jobs import NULL_JOB
from app.models import Allocation, ImportBatch, Payment
from app.services.import_summary import ImportSummary
from app.services.to_reconcile import pending
from app.services.statements import record_statement

STATEMENT_WEEKS = 13
FILE_NAME = "Relevé de démonstration (13 semaines)"
# The company's own monthly debits: label, day of the month, share of a month's receipts.
MONTHLY_DEBITS = (("PRLV SEPA LOYER SCI DES TILLEULS", 5, Decimal("0.03")), ("VIR SALAIRES", 28, Decimal("0.33")),
                  ("PRLV SEPA URSSAF RHONE ALPES", 15, Decimal("0.14")), ("PRLV SEPA EDF PRO", 10, Decimal("0.01")),
                  ("PRLV SEPA LEASING UTILITAIRE", 3, Decimal("0.01")))
SUPPLIERS = ("VIR BOIS ET PANNEAUX DU LYONNAIS", "VIR QUINCAILLERIE PRO RHONE", "VIR VERNIS ET FINITIONS SA")
SUPPLIERS_SHARE = Decimal("0.42")
MISTYPED = 0.04  # of the transfers quoting an invoice, the share whose number the payer mistyped
_TYPO = re.compile(r"(F\d{4}-\d{3})(\d)(\d)")  # the last two digits of an invoice number, to swap  # of the receipts: wood, hardware and varnish, paid every week or so

@dataclass(frozen=True)
class BankMatching:
    """How the matching did on the demo statement, against what the simulation knows."""

    credits: int
    auto: int
    proposed: int
    unmatched: int
    wrong_auto: int        # credits applied to other invoices (or amounts) than the ones they paid
    wrong_proposed: int    # proposals (not applied) that name other invoices than the ones paid

    def text(self) -> str:
        def share(n: int) -> str:
            return f"{100 * n / self.credits:.0f} %" if self.credits else "0 %"
        return (f"{self.credits} encaissements : {self.auto} rapprochés automatiquement ({share(self.auto)}, "
                f"{self.wrong_auto} erreur), {self.proposed} proposés ({share(self.proposed)}, {self.wrong_proposed} "
                f"proposition(s) fausse(s)), {self.unmatched} sans correspondance ({share(self.unmatched)})")


def hold_back(payments: list[dict], allocations: list[dict], today: date) -> tuple[list[dict], list[dict],
                                                                                    list[dict], list[dict]]:
    """Split the simulation's payments and allocations: those to insert now, and those of the last thirteen
    weeks, which will come through the statement (with the allocations they made: the truth)."""
    since = today - timedelta(weeks=STATEMENT_WEEKS)
    later = {p["id"] for p in payments if p["received_on"] > since}
    return ([p for p in payments if p["id"] not in later], [a for a in allocations if a["payment_id"] not in later],
            [p for p in payments if p["id"] in later], [a for a in allocations if a["payment_id"] in later])


def import_statement(session: Session, company_iban: str, held: list[dict], truth: list[dict], today: date,
                     seed: int) -> BankMatching:
    """Write the held-back payments and the company's debits as a statement, import it, and measure (a step
    of the demo's progress: the statement's own is not shown)."""
    rng = random.Random(seed * 7919)  # its own draws: the rest of the demo does not move
    since = today - timedelta(weeks=STATEMENT_WEEKS)
    account = "".join(company_iban.split())
    entries = _credits(rng, held, account)
    monthly = sum((line.amount for line, _ in entries), Decimal(0)) / STATEMENT_WEEKS * Decimal("4.33")
    entries += [(line, []) for line in _debits(rng, since, today, account, monthly)]
    entries.sort(key=lambda entry: entry[0].booked_on)
    lines = with_bank_hashes([line._replace(line=number) for number, (line, _) in enumerate(entries, 1)])
    hash_of = {payment_id: line.row_hash for line, (_, paid) in zip(lines, entries) for payment_id in paid}
    opening = Decimal(rng.randint(35_000, 60_000))
    closing = opening + sum((line.amount for line in lines), Decimal(0))
    result = StatementRead(kind="cfonb", rows=len(lines), bank_lines=lines, statement_balances=[
        StatementBalance(account, since, opening, closing=False), StatementBalance(account, today, closing)])
    batch = ImportBatch(file_name=FILE_NAME, file_hash="", kind="cfonb", undo=[])
    session.add(batch)
    session.flush()
    summary = ImportSummary(file=FILE_NAME, kind="cfonb", rows=len(lines), batch_id=batch.id)
    record_statement(session, batch, result, summary, NULL_JOB)
    batch.created_count = sum(summary.created.values())
    return _measure(session, truth, hash_of, summary)


def _credits(rng: random.Random, held: list[dict], account: str) -> list[tuple[BankLineRecord, list[int]]]:
    """The held-back payments as the bank words them, with what makes matching hard in real life: the
    cheques of one day paid in together (one line, no name, no number), and now and then an invoice number
    mistyped by the payer (two digits swapped)."""
    entries, cheques = [], defaultdict(list)
    for p in held:
        if p["method"] == "chèque":
            cheques[p["received_on"]].append(p)
            continue
        label = p["reference"]
        if rng.random() < MISTYPED:
            label = _TYPO.sub(lambda m: m.group(1) + m.group(3) + m.group(2), label, count=1)
        entries.append((BankLineRecord(p["received_on"], from_cents(p["amount_cents"]), label, iban=p["payer_iban"],
                                       account=account), [p["id"]]))
    for day, paid in cheques.items():
        if len(paid) == 1:
            entries.append((BankLineRecord(day, from_cents(paid[0]["amount_cents"]), paid[0]["reference"],
                                           account=account), [paid[0]["id"]]))
        else:
            entries.append((BankLineRecord(day, from_cents(sum(p["amount_cents"] for p in paid)),
                                           f"REMISE {len(paid)} CHEQUES BORDEREAU {rng.randint(100_000, 999_999)}",
                                           account=account), [p["id"] for p in paid]))
    return entries


def _debits(rng: random.Random, since: date, today: date, account: str, monthly: Decimal) -> list[BankLineRecord]:
    """The company's outflows, in proportion to what it receives in a month (``monthly``): the monthly ones
    on their day, and its suppliers about twice a week."""
    debits = []
    day = since
    while day <= today:
        for label, monthday, share in MONTHLY_DEBITS:
            if day.day == monthday:
                debits.append(BankLineRecord(day, -(monthly * share).quantize(Decimal("0.01")), f"{label} {day:%m/%Y}",
                                             account=account))
        if day.weekday() < 5 and rng.random() < 0.4:
            amount = monthly * SUPPLIERS_SHARE / Decimal("8.7") * Decimal(rng.randint(50, 150)) / 100
            debits.append(BankLineRecord(day, -amount.quantize(Decimal("0.01")),
                                         f"{rng.choice(SUPPLIERS)} FACT {rng.randint(10_000, 99_999)}",
                                         account=account))
        day += timedelta(days=1)
    return debits


def _measure(session: Session, truth: list[dict], hash_of: dict[int, str], summary: ImportSummary) -> BankMatching:
    """Compare the allocations applied, and the proposals left, with the allocations each payment made
    (payments are told apart by their statement line's hash, which the import gave the new payments)."""
    paid: dict[str, set[tuple[int, int]]] = defaultdict(set)
    for allocation in truth:
        paid[hash_of[allocation["payment_id"]]].add((allocation["invoice_id"], allocation["amount_cents"]))
    hashes = dict(session.execute(select(Payment.id, Payment.row_hash)
                                  .where(Payment.import_batch_id == summary.batch_id)).all())
    applied: dict[int, set[tuple[int, int]]] = defaultdict(set)
    for payment_id, invoice_id, cents in session.execute(
            select(Allocation.payment_id, Allocation.invoice_id, Allocation.amount_cents)
            .where(Allocation.import_batch_id == summary.batch_id, Allocation.payment_id.is_not(None))):
        applied[payment_id].add((invoice_id, cents))
    wrong_auto = sum(1 for payment_id, made in applied.items() if made != paid.get(hashes[payment_id], set()))
    wrong_proposed = 0
    for waiting in pending(session):
        proposal = waiting.proposal
        if proposal is None or not proposal.allocations or waiting.payment_id not in hashes:
            continue
        proposed = {(a.invoice_id, to_cents(a.amount)) for a in proposal.allocations if a.amount > 0}
        if not proposed <= paid.get(hashes[waiting.payment_id], set()):
            wrong_proposed += 1
    counts = summary.matching
    return BankMatching(len(set(hash_of.values())), counts.auto, counts.proposed, counts.unmatched, wrong_auto, wrong_proposed)
