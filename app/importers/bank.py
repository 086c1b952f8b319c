"""Reading a bank statement exported as a table (CSV, XLSX, ODS): the spreadsheet reader's machinery with the
``columns.BANK`` schema, so that a bank export is read as leniently as an invoice table (encoding, separator,
header below a preamble, totals, decimal commas, dates in many forms, located problems, the wizard's mapping
saved by ``headers_signature``). Crédit Mutuel, Crédit Agricole, Boursorama, Caisse d'Épargne / Banque
Populaire, Fortuneo and Qonto exports are read from their headers alone.

Each data row becomes a ``BankLineRecord``, its amount signed as money moves (> 0 received, < 0 paid out):
- the amount is the signed "Montant" column, else "Crédit" less "Débit": a debit is money out whatever its
  sign (Crédit Mutuel writes "-26,99" under Débit, Crédit Agricole "26,99");
- the label joins the line's texts (short label, full label, complementary information), each once: a text
  found inside another is left out ("PRLV SEPA EDF" beside "PRLV SEPA EDF CLIENTS PARTICULIERS");
- a "Status" column (Qonto) keeps the booked lines ("settled", "completed", "executed"...); a line the bank
  has not booked ("pending", "declined", "reversed", "canceled"...) is left out and listed in ``skipped``
  with its status, never silently; any other status is a problem, so that a new word is seen, not guessed;
- a line of 0,00 moves no money: it is left out, listed in ``skipped``;
- a value date or a balance that does not read is a warning, the line kept without it;
- Qonto's dates are UTC timestamps: the UTC day is taken, the same on every read;
- the account is the row's "Compte" column, else the IBAN, RIB or "n° ..." the preamble names; some
  exports name none: the import asks which account once per layout (``layout``, the header signature).

The closing balance (``StatementBalance``), per account: a "Solde au 31/10/2026 : 12 345,67 €" line above
the header, else the "Solde" column of the last line by date (the last of its day in the file's order,
whether the file runs forward or backward). Row hashes are ``records.with_bank_hashes``: the same line read
again, or in the next overlapping statement, has the same hash; two identical lines of one day do not.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path

from app.importers import spreadsheet
from app.importers.bank_files import joined
from app.importers.cells import ZERO
from app.importers.columns import BANK, INVOICES, fold, headers_signature, missing_required, propose_mapping
from app.importers.records import BankLineRecord, Problem, StatementBalance, StatementRead, with_bank_hashes
from app.importers.rows import PROGRESS_STEP, RowReader
from app.importers.spreadsheet import Sheet, SheetResult
from app.importers.values import parse_amount, parse_date
from app.jobs import NULL_JOB, Job

KIND = "bank"
LABEL = "Relevé bancaire (CSV, XLSX)"
SCHEMA = BANK

# Statuses as ``fold`` leaves them: lines booked, and lines the bank has not booked (or has undone).
_BOOKED = frozenset({"settled", "completed", "executed", "booked", "posted", "done", "comptabilise",
                     "comptabilisee", "execute", "executee", "effectue", "effectuee", "passe", "passee", "valide",
                     "validee", "regle", "reglee"})
_NOT_BOOKED = frozenset({"pending", "declined", "reversed", "canceled", "cancelled", "refused", "rejected",
                         "failed", "scheduled", "en attente", "en cours", "a venir", "prevu", "prevue", "refuse",
                         "refusee", "rejete", "rejetee", "annule", "annulee", "echoue", "echouee"})
_TEXTS = ("label", "detail", "information")  # joined, in this order, into the line's label
_AMOUNTS = ("amount", "debit", "credit")

# "Solde au 31/10/2026 : 12 345,67 €", "Solde créditeur au 18/12/19 13,37 EUR"
_STATED = re.compile(r"\bsolde\b\D*?(\d{1,2}/\d{1,2}/\d{2,4})\D*?([-+]?\s*\d[\d\s.,]*)\D*$", re.IGNORECASE)
_IBAN = re.compile(r"\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){3,7}(?: ?[A-Z0-9]{1,3})?\b")
_ACCOUNT_NUMBER = re.compile(r"(?:\bn\s?°|\bno|\bnum|\bnumero|\bnuméro|\brib)\.?\s*:?\s*(\d[\d ]{3,}\d)\b", re.IGNORECASE)


def identify(path: Path) -> bool:
    """A table whose header (within its first rows) places a date, a label and an amount of a bank line, and
    that is not a table of invoices (a number and a customer as well): those are the spreadsheet reader's."""
    headers = spreadsheet.head_headers(path, BANK)
    return headers is not None and not missing_required(propose_mapping(headers, BANK), BANK) and bool(
        missing_required(propose_mapping(headers, INVOICES), INVOICES))


def inspect(path: Path) -> Sheet:
    """How ``path`` would be read, for the import wizard (``spreadsheet.inspect`` with the bank's fields)."""
    return spreadsheet.inspect(path, BANK)


def read(path: Path, job: Job = NULL_JOB, mapping: dict[str, str] | None = None, *,
         max_rows: int | None = None, saved: Callable[[str], dict[str, str] | None] = lambda _signature: None
         ) -> SheetResult:
    """Every line of the statement, its closing balance and the problems found; ``mapping``, ``saved`` and
    ``max_rows`` as for ``spreadsheet.read``."""
    return spreadsheet.read_table(path, _BankRows, job, mapping, max_rows=max_rows, saved=saved)


@dataclass
class StatementSheet(SheetResult, StatementRead):
    """A bank's table read: a statement read."""


class _BankRows(RowReader):
    """Bank lines: a row with a date and a label is a line; without a date, a "Total" or "Solde" row is a
    total, and one with no label or no amount a footer below the table or a problem amid it."""

    KIND = KIND
    SCHEMA = BANK
    RESULT = StatementSheet
    IDENTITY, DATE = "label", "booked_on"
    STRAY = "ligne sans date, ni libellé ou montant (attendu une opération, ou une ligne de total sous le tableau)"
    TOTAL_WORDS = RowReader.TOTAL_WORDS | {"solde", "soldes"}
    TOTAL_PAIRS = RowReader.TOTAL_PAIRS | {("nouveau", "solde"), ("ancien", "solde")}
    LENIENT = frozenset({"value_on", "balance"})  # a bad value date or balance does not keep the line out

    account = ""  # the account the preamble names
    stated: StatementBalance | None = None  # the balance the preamble states

    def read(self, table, start: int, job: Job, max_rows: int | None) -> None:
        preamble = self.preamble(table, start - 1)
        self.account = _preamble_account(preamble)
        self.stated = _stated_balance(preamble, self.account)
        self.result.layout = headers_signature(self.headers)
        super().read(table, start, job, max_rows)

    def build(self, table, data: list[int], job: Job) -> None:
        """A line of each row whose cells read and that gives a date, a label and an amount; a problem for
        each cell that does not read and each of these missing; the closing balances."""
        parsed = self.parse(table, data)
        names = list(parsed.values)
        job.start(len(data), f"Lecture de {self.path.name}")
        reported = 0
        lines: list[tuple[BankLineRecord, Decimal | None]] = []
        for index, (row, line, cells) in enumerate(zip(parsed.rows, parsed.lines, zip(*parsed.values.values()))):
            if index - reported >= PROGRESS_STEP:
                job.advance(PROGRESS_STEP)
                reported += PROGRESS_STEP
            got = dict(zip(names, cells))
            problems: list[Problem] = []
            if index in parsed.suspect:
                got, problems = self.cells(row, line)
            if not self.booked(row, line, got.get("status", ""), problems):
                continue
            record = self.record(got, line, problems)
            if not problems and not record.amount:
                self.skip(line, row, "opération de montant nul ignorée", remark=True)
                continue
            self.result.rows += 1
            if problems:
                self.result.problems.extend(problems)
            else:
                lines.append((record, got.get("balance")))
        job.advance(len(data) - reported)
        self.result.bank_lines = with_bank_hashes([record for record, _balance in lines])
        closing = _closing_balances(lines)
        if self.stated is not None:
            closing[self.stated.account] = self.stated
        self.result.statement_balances = list(closing.values())

    def booked(self, row: list[object], line: int, status: str, problems: list[Problem]) -> bool:
        """Whether the row is a line the bank booked: a row not booked is skipped, one of unknown status is
        a problem."""
        if not status or fold(status) in _BOOKED:
            return True
        if fold(status) in _NOT_BOOKED:
            self.skip(line, row, f"opération non passée ignorée (statut « {status} »)", remark=True)
            return False
        self.result.rows += 1
        self.result.problems.extend([*problems, Problem(
            line, self.header_of("status"), status,
            "statut inconnu (attendu une opération passée : settled, completed… ; les opérations pending, "
            "declined, reversed… sont ignorées)")])
        return False

    def record(self, got: dict[str, object], line: int, problems: list[Problem]) -> BankLineRecord:
        """The line the row's values make, with a problem added for a date, a label or an amount missing
        (a field whose cell did not read, absent from ``got``, has its problem already)."""
        columns = self.columns
        label = joined(got.get(name, "") for name in _TEXTS)
        amount = _signed(*(got.get(name) for name in _AMOUNTS))
        if got.get("booked_on") is None and "booked_on" in got:
            problems.append(Problem(line, self.header_of("booked_on"), "",
                                    "date d'opération manquante (attendu JJ/MM/AAAA)"))
        if not label:
            problems.append(Problem(line, self.header_of("label"), "",
                                    "libellé manquant (attendu le libellé de l'opération)"))
        if amount is None and all(name in got for name in _AMOUNTS if name in columns):
            problems.append(Problem(line, self.header_of(next(name for name in _AMOUNTS if name in columns)), "",
                                    "montant manquant (attendu un débit, un crédit ou un montant signé)"))
        return BankLineRecord(
            booked_on=got.get("booked_on"), amount=amount, label=label, value_on=got.get("value_on"),
            counterparty=got.get("counterparty", ""), iban="".join(str(got.get("iban", "")).split()).upper(),
            reference=got.get("reference", ""), account=got.get("account", "") or self.account, line=line)


def _signed(amount: Decimal | None, debit: Decimal | None, credit: Decimal | None) -> Decimal | None:
    """The signed amount, else the credit less the debit, each taken as money in or out whatever its sign;
    None when the row gives none of them."""
    if amount is not None:
        return amount
    if debit is None and credit is None:
        return None
    return abs(credit or ZERO) - abs(debit or ZERO)


def _closing_balances(lines: list[tuple[BankLineRecord, Decimal | None]]) -> dict[str, StatementBalance]:
    """Per account, the "Solde" column of its last line by date (none when that cell is empty: an earlier
    line's balance may not be the day's); of one day's lines, the last in the file's order, read backward
    when the file runs from the newest line to the oldest."""
    if lines and lines[0][0].booked_on > lines[-1][0].booked_on:
        lines = lines[::-1]
    last: dict[str, tuple[BankLineRecord, Decimal | None]] = {}
    for record, balance in lines:
        known = last.get(record.account)
        if known is None or record.booked_on >= known[0].booked_on:
            last[record.account] = (record, balance)
    return {account: StatementBalance(account, record.booked_on, balance, line=record.line)
            for account, (record, balance) in last.items() if balance is not None}


def _preamble_account(preamble: list[tuple[int, str]]) -> str:
    """The account the lines above the header name: an IBAN, else a number after "n°" ("Compte de Dépôt
    n° 04106119371") or "RIB" ("RIB : 30004 00012 00012345678 90"); "" when none does."""
    for pattern in (_IBAN, _ACCOUNT_NUMBER):
        for _line, text in preamble:
            found = pattern.search(text)
            if found:
                return "".join(found.group(found.lastindex or 0).split())
    return ""


def _stated_balance(preamble: list[tuple[int, str]], account: str) -> StatementBalance | None:
    """The latest balance the lines above the header state ("Solde au 31/10/2026 : 12 345,67 €"; a
    "débiteur" balance is negative); None when none does."""
    stated: StatementBalance | None = None
    for line, text in preamble:
        found = _STATED.search(text)
        if not found:
            continue
        try:
            on: date = parse_date(found.group(1))
            amount = parse_amount(found.group(2))
        except ValueError:
            continue
        if "debiteur" in fold(text) and amount > 0:
            amount = -amount
        if stated is None or on >= stated.on:
            stated = StatementBalance(account, on, amount, line=line)
    return stated
