"""Reading a CFONB 120 bank statement ("relevé de compte"), the fixed-width format every French bank sends:
its movements become bank lines, its opening and closing balances statement balances.

The file. Records of 120 characters, each starting with its type: 01 opening balance, 04 movement, 05
complement of the movement before it, 07 closing balance; one file may hold several accounts and several
days (01 ... 07 each). Positions (0-based, end excluded):
- all: bank code [2:7], branch code [11:16], currency [16:19], number of decimals [19], account number
  [21:32], date [34:40] (JJMMAA: the balance's date on 01/07, the booking date on 04), amount [90:104];
- 04: value date [42:48], label [48:79], entry number [81:88], reference [104:120];
- 05: qualifier [45:48] (LIB label, NPY payer's name, NBE beneficiary's name, RCN end-to-end reference of
  the payer, RUM mandate...), text [48:118].
The amount is 14 characters, the last one giving both the last digit and the sign: ``{`` and A-I are +0 and
+1..9, ``}`` and J-R are -0 and -1..9; it is scaled by the number of decimals (old LCL files leave the
currency and decimals blank on balances: euros, 2 decimals).

The account. Bank, branch and number (``bank`` and ``account`` of each line and balance): two accounts of one
number at two banks are two. The movements and the closing balance of a statement are of the account its
opening balance (01) names, whatever bank code they write (some files write another one on their movements,
or on their closing balance).

What a movement gives. ``label`` is the 04 label followed by the text of each of its 05 complements (the
invoice numbers are often only there), spaces collapsed, a text already there (the payer's name repeated
from the label) not repeated. ``counterparty`` is the payer's name (NPY) of a
credit, the beneficiary's (NBE) of a debit: the other name is the account holder's own. ``reference`` is
the payer's end-to-end reference (RCN) when given, else the reference zone, else the bank's entry number
when it is not zeros.

What files look like in practice, all read: records one per line (LF or CRLF), or no line breaks at all
(then cut every 120 characters, and a problem's "line" is the record's number), blank lines between
records, lines padded with spaces beyond 120 characters, lines whose trailing spaces were stripped, an
end-of-file Ctrl-Z, latin-1 or Windows-1252 text. A line holding more than 120 characters of text is cut
into records too, so that nothing in it goes unread. A record that cannot be read (date, amount, unknown
type, complement without its movement) is a located ``Problem`` and gives nothing; the others are kept. A
file whose first record is not a statement record is an ``UnreadableFile``; a CFONB 240 or 160 file
(transfer or direct-debit orders sent to the bank, not a statement) is recognised by ``identify`` on
purpose, so that the user is told what it is and what to ask for instead of "unknown format". No database
access (DESIGN.md).
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

from app.importers.bank_files import (ASK_THE_BANK, StatementReader, amount_problem, date_problem,
                                      file_bytes, joined, paced)
from app.importers.records import (BankLineRecord, Problem, StatementRead, StatementBalance, UnreadableFile)
from app.importers.values import text_of
from app.jobs import NULL_JOB, Job, collector_paused

KIND = "cfonb"
LABEL = "Relevé bancaire CFONB 120"

WIDTH = 120
CODES = ("01", "04", "05", "07")
# The last character of an amount: its last digit and its sign.
_LAST = {"{": (1, "0"), "}": (-1, "0")} | {chr(ord("A") + n): (1, str(n + 1)) for n in range(9)} | {
    chr(ord("J") + n): (-1, str(n + 1)) for n in range(9)}
_BREAKS = re.compile(r"\r\n|\r|\n")
_DIGITS = re.compile(r"[0-9]+")
_ORDERS_240 = frozenset(f"3{n}" for n in range(1, 10))  # transfer and direct-debit orders, not statements
_ORDERS_160 = frozenset(("03", "06", "08"))
DATE_FORMAT = "JJMMAA, par exemple 310124"
AMOUNT_FORMAT = "13 chiffres suivis d'un caractère de signe : { A-I pour un crédit, } J-R pour un débit"


def identify(path: Path) -> bool:
    """A file whose first record is a CFONB 120 statement record (or a CFONB 240 / 160 order file, to be
    refused with an explanation): type, a date in its place and, for a balance or a movement, an amount."""
    try:
        with Path(path).open("rb") as file:
            head = file.read(4096).removeprefix(b"\xef\xbb\xbf").decode("latin-1")
    except OSError:
        return False
    first = _first_line(head)
    return _is_statement_record(first[:WIDTH].ljust(WIDTH)) or _order_file(first) is not None


def read(path: Path, job: Job = NULL_JOB, **options: object) -> StatementRead:
    """The movements and balances of ``path``; takes no option (``options``: every reader accepts them)."""
    path = Path(path)
    text = text_of(file_bytes(path))
    records = _records(text)
    if not records:
        raise UnreadableFile(f"{path.name} : le fichier est vide. {ASK_THE_BANK}")
    number, first = records[0]
    if not _is_statement_record(first):
        if kind := _order_file(_first_line(text)):
            raise UnreadableFile(
                f"{path.name} n'est pas un relevé CFONB 120 : c'est un fichier {kind} (ordres de virement ou de "
                "prélèvement remis à la banque), qui dit ce qui a été demandé à la banque et non ce qu'elle a "
                f"passé sur le compte. {ASK_THE_BANK}")
        raise UnreadableFile(
            f"{path.name} n'est pas un relevé CFONB 120 : la ligne {number} commence par « {first[:20].strip()} » "
            "alors qu'un relevé est fait d'enregistrements de 120 caractères commençant par 01 (solde "
            f"d'ouverture), 04 (opération), 05 (complément) ou 07 (solde de clôture). {ASK_THE_BANK}")
    with collector_paused():
        return _Reader().read(records, job)


def _records(text: str) -> list[tuple[int, str]]:
    """(number, record padded to 120 characters) of every non-blank line. A line longer than 120 characters
    once its trailing spaces are dropped holds several records: it is cut every 120 characters (a file
    without line breaks is one such line; its records are then numbered by their rank, else by their line)."""
    lines = [(number, line.rstrip()) for number, line in enumerate(_BREAKS.split(text.rstrip("\r\n\x1a")), start=1)]
    lines = [(number, line) for number, line in lines if line.strip()]
    by_rank = len(lines) == 1
    records = []
    for number, line in lines:
        for start in range(0, len(line), WIDTH):
            records.append((len(records) + 1 if by_rank else number, line[start:start + WIDTH].ljust(WIDTH)))
    return records


def _first_line(text: str) -> str:
    return next((line for line in _BREAKS.split(text) if line.strip()), "")


def _is_statement_record(record: str) -> bool:
    return (record[:2] in CODES and bool(_DIGITS.fullmatch(record[34:40]))
            and (record[:2] == "05" or (bool(_DIGITS.fullmatch(record[90:103])) and record[103] in _LAST)))


def _order_file(line: str) -> str | None:
    """"CFONB 240" or "CFONB 160" when the line is the first record of such an order file (types 31-39 in
    240 characters, or 03, 06, 08 in 160), else None."""
    for kind, types, width in (("CFONB 240", _ORDERS_240, 240), ("CFONB 160", _ORDERS_160, 160)):
        if line[:2] in types and len(line) >= width and _DIGITS.fullmatch(line[2:8]):
            return kind
    return None


class _Reader(StatementReader):
    """One statement being read, record after record; a movement is kept until its complements are in."""

    def __init__(self) -> None:
        super().__init__()
        self.pending: BankLineRecord | None = None  # the last movement, its 05 complements still coming
        self.extra: dict[str, str] = {}              # its complements by qualifier (first of each)
        self.texts: list[str] = []                   # the texts of its complements
        self.lost = False                            # the last movement was a problem: its 05s go with it
        self.banks: dict[str, str] = {}              # account number -> bank and branch of its last 01

    def read(self, records: list[tuple[int, str]], job: Job) -> StatementRead:
        for number, record in paced(job, records):
            code = record[:2]
            if code != "05":
                self.flush()
            if code == "05":
                self.complement(number, record)
            elif code in ("01", "07"):
                self.balance(number, record, closing=code == "07")
            elif code == "04":
                self.movement(number, record)
            else:
                self.problems.append(Problem(number, "type d'enregistrement", record[:2],
                                             "type d'enregistrement inconnu (attendu 01, 04, 05 ou 07)."))
        self.flush()
        return self.result(KIND, len(records))

    def balance(self, number: int, record: str, closing: bool) -> None:
        account = record[21:32].strip()
        if not closing:
            self.banks[account] = _bank(record)
        bank = self.banks.get(account) or _bank(record)
        self.currencies.check(record[16:19], account, number, "devise")
        on, amount = _date(record[34:40]), self.amount(number, record)
        if on is None:
            self.problems.append(date_problem(number, "date", record[34:40], DATE_FORMAT))
        elif amount is not None:
            # a 01 is dated the day of the balance it brings forward (the previous statement's 07): it opens
            # the day after
            opens = on if closing else on + timedelta(days=1)
            self.balances.append(StatementBalance(account, opens, amount, closing=closing, line=number, bank=bank))

    def movement(self, number: int, record: str) -> None:
        account = record[21:32].strip()
        self.currencies.check(record[16:19], account, number, "devise")
        known = len(self.problems)
        booked_on, amount, value_text = _date(record[34:40]), self.amount(number, record), record[42:48]
        value_on = _date(value_text) if value_text.strip(" 0") else None  # blank or zeros: no value date
        if booked_on is None:
            self.problems.append(date_problem(number, "date", record[34:40], DATE_FORMAT))
        if value_on is None and value_text.strip(" 0"):
            self.problems.append(date_problem(number, "date de valeur", value_text, DATE_FORMAT))
        self.lost = len(self.problems) > known
        if not self.lost:
            entry = record[81:88].strip()
            self.pending = BankLineRecord(
                booked_on=booked_on, amount=amount, label=record[48:79], value_on=value_on,
                reference=record[104:120].strip() or (entry if entry.strip("0") else ""), account=account,
                line=number, bank=self.banks.get(account) or _bank(record))

    def complement(self, number: int, record: str) -> None:
        if self.pending is None:
            if not self.lost:
                self.problems.append(Problem(number, "type d'enregistrement", "05", "complément sans opération : "
                                             "un enregistrement 05 suit une opération 04."))
            return
        text = " ".join(record[48:118].split())
        if text:
            self.texts.append(text)
            self.extra.setdefault(record[45:48], text)

    def flush(self) -> None:
        """The pending movement, complete with its complements, into the lines."""
        line, self.pending = self.pending, None
        if line is not None:
            name = self.extra.get("NPY" if line.amount > 0 else "NBE", "")
            self.lines.append(line._replace(label=joined([line.label, *self.texts]), counterparty=name,
                                            reference=self.extra.get("RCN", line.reference)))
        self.extra, self.texts, self.lost = {}, [], False

    def amount(self, number: int, record: str) -> Decimal | None:
        """The amount [90:104] scaled by the number of decimals [19] (blank: 2); ``None`` and a problem when
        it cannot be read."""
        text, decimals = record[90:104], record[19]
        if decimals not in " 0123456789":
            self.problems.append(Problem(number, "nombre de décimales", decimals,
                                         "n'est pas un nombre de décimales (attendu un chiffre, 2 pour l'euro)."))
            return None
        sign_digit = _LAST.get(text[13])
        if sign_digit is None or not _DIGITS.fullmatch(text[:13]):
            self.problems.append(amount_problem(number, "montant", text, AMOUNT_FORMAT))
            return None
        sign, digit = sign_digit
        value = Decimal(text[:13] + digit).scaleb(-int(decimals if decimals != " " else 2))
        return -value if sign < 0 and value else value


def _bank(record: str) -> str:
    """The bank and branch codes of a record ("30003 01234"), those it gives."""
    return " ".join(code for code in (record[2:7].strip(), record[11:16].strip()) if code)


def _date(text: str) -> date | None:
    if not _DIGITS.fullmatch(text):
        return None
    try:
        return datetime.strptime(text, "%d%m%y").date()
    except ValueError:
        return None
