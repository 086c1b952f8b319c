"""Reading an accountant's FEC (Fichier des écritures comptables, LPF art. A47 A-1): the customer accounts
become customers, invoices, credit notes, payments and lettered groups; classes 70, 60, 3 and 401 give the
balances of the working-capital indicators.

The file. One line per accounting line, the first naming the columns: tab or "|" separated, 18 columns
(21 for the cash-basis BA/BNC variant with DateRglt, ModeRglt, NatOp), or Montant + Sens (D/C) instead of
Debit + Credit. Programs differ in the details, all read here: UTF-8 with or without BOM, else Windows-1252 /
ISO-8859-1 (UTF-16 with a BOM too); LF, CRLF or CR line ends; fields padded with spaces to fixed widths
(Agrigest, header included); amounts signed and zero-padded ("+000001107,13", Odoo's " 000000001437,12"),
possibly negative (a negative credit is a debit); dates AAAAMMJJ; header spellings that vary in case and
accents (CompteLib / CompteLIB, Montantdevise / MontantDevise, Debit / Débit). Amounts and dates go through
``values.parse_amount`` / ``parse_date``; a line that cannot be read is a located ``Problem`` (line, column,
value, French message) and gives nothing else, nor does the invoice it is part of (its total would be
wrong): no exception, no silent skip. What is checked is what is used: EcritureDate, CompteNum, the amounts
(every line: they make the balances), PieceDate and DateRglt (customer lines). A line with a wrong number
of fields is a problem too (a separator inside a label shifts every field after it), unless it only lacks
trailing columns we do not use, or ends with the empty fields every line of the file has beyond the header.
A missing required column (JournalCode, EcritureNum, EcritureDate, CompteNum, Debit + Credit or Montant +
Sens) makes the file an ``UnreadableFile``.

Customers are the 411 accounts. When a 411 line carries an auxiliary account (CompAuxNum: one collective
411 with a sub-ledger, as Quadra or Sage write it) the customer is that auxiliary account, named by
CompAuxLib; otherwise (one 411xxx account per customer in the general ledger, as Odicom or Agrigest write
it) the customer is the account itself, named by CompteLib. The key is also the customer code, so that
the next export finds the same customer. Other receivable accounts (413 bills, 416 doubtful, 418 unbilled,
4191 advances) are not read as customers.

What a customer line means. Each 411 line is netted (debit − credit; a zero line gives nothing):
- a debit is an invoice: what the customer owes. That includes debits outside the sales journal (a
  bounced cheque, a refund of a credit note, a re-debit in a compensation entry): each puts an amount
  back on the customer's account, and its lettering ties it to what it offsets. Number: PieceRef, unless
  empty or a placeholder ("-", "x", "___"), else EcritureNum (JournalCode-EcritureNum when the number does
  not already start with the journal code); issue date: PieceDate, else EcritureDate; due date: DateRglt
  when the file has that column filled (DOMAIN.md), else None (the customer's terms apply).
- a credit in a sales entry is a credit note (negative total). A sales entry is one with a 70x line. An
  entry is identified by JournalCode, EcritureNum, EcritureDate and PieceRef together: some programs
  (Odicom) number every line of a journal 0, so the number alone would make a whole journal one entry,
  and every compensation or reclassification in the OD journal a credit note.
- any other credit is a payment (amount > 0, received on EcritureDate, reference EcritureLib + PieceRef,
  letter EcritureLet), one per line: a bank line, a compensation, a small write-off of a rounding
  difference.
Lines of the same invoice are summed: the same customer, entry and lettering code (an invoice split over
several lines, e.g. one per delivery site, is one invoice; lines of one piece that were lettered apart
are separate items, since they were settled apart).

Opening entries (à-nouveaux: journal AN/RAN/ANO, or named "A NOUVEAU", "OUVERTURE", "BILAN DEBUT",
"REPORT"): they bring forward last year's open items, one line each, often under one piece reference for
the whole entry (Agrigest "510", Quadra "x"). So each customer line there is its own item, never summed:
an opening debit is an invoice brought forward (dated by its PieceDate, else the opening date: the file
does not know the original invoice date better), an opening credit an unallocated payment or credit
brought forward, received on the opening date. Lettered with this year's lines, they settle as any other.
The reader sees one file: when last year's FEC was imported too, its open items come back here as items
brought forward, under other numbers; telling them apart is the import's business, not the reader's.

Invoice numbers are unique within the file (the import service finds invoices again by number). When the
same number comes out of several groups (a credit note and the compensation that re-debits it under the
same PieceRef; the lines of an opening entry, which share one piece reference or none), the plain number
goes to the group in a sales entry, else to the first in the file; each other one gets in brackets what
tells it apart, the least that does: its entry ("181427 [ENC ENC000022]"), then its customer too, then the
entry's date too; groups still alike (several items of one customer in one opening entry) are ranked in
file order: "510 [AN 4 41115100] #1", "#2"... Suffixes come from what the entries say, never from line
numbers, so the next export of the same year (more lines, the same entries) gives the same numbers.

Lettering. Lines with the same EcritureLet on the same customer form a ``LetteredGroup`` (its invoices and
credit notes by number, its payments by hash); invoices in a group are ``paid``; unlettered ones are the
open items. Partial lettering is not distinguished (no program in the samples marks it).

Hashes. Each line's hash is built from what identifies it (journal, entry, date, account, auxiliary
account, piece, piece date, label, amounts normalised, due date, and its rank among identical lines) but not
from its lettering or labels of accounts, which change from one export to the next: a later export with
more lines lettered gives the same payments and invoices, recognised. An invoice's hash is that of its
lines together.

The ledger (``LedgerBalance``): each customer's 411 balance, debit − credit of all its lines whose amounts
could be read, on the file's closing date (its last EcritureDate, or the date of its name when later): the
import compares it with what Encours then says the customer owes.

Balances (``PeriodBalances``): the period runs from the first to the last EcritureDate, the end taken from
the file name when it carries the closing date as the norm asks (SIREN + "FEC" + AAAAMMJJ); sales =
credit − debit of 70x, purchases = debit − credit of 60x, stocks = debit − credit of 3x, suppliers =
credit − debit of 401.

Speed: a plain split per line (the norm has no quoting; a file whose every field is quoted is unquoted), a
cache of the amounts and dates already seen (a FEC repeats them a lot), work only on the lines that matter,
and the cyclic garbage collector paused while the records pile up (it would otherwise rescan them again and
again: 40 % of the time): 200 000 lines read in about a second. pandas splits faster but the records are
built line by line anyway, and its parser loses the line numbers of ragged lines (too few fields are
silently filled). No database access (DESIGN.md).
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from app.domain.text import IsoDates, number_key
from app.importers.records import (CustomerRecord, InvoiceRecord, LedgerBalance, LetteredGroup, PaymentRecord,
                                   PeriodBalances, Problem, LedgerRead, UnreadableFile, text_hash)
from app.importers.values import CENT, NOT_AMOUNT, NOT_DATE, parse_amount, parse_date, text_of
from app.jobs import NULL_JOB, Job, collector_paused

KIND = "fec"
LABEL = "FEC (Fichier des écritures comptables)"

# The columns of the norm (18 + the 3 of the cash-basis variant) and of the Montant + Sens variant.
COLUMNS = ("JournalCode", "JournalLib", "EcritureNum", "EcritureDate", "CompteNum", "CompteLib", "CompAuxNum",
           "CompAuxLib", "PieceRef", "PieceDate", "EcritureLib", "Debit", "Credit", "EcritureLet", "DateLet",
           "ValidDate", "Montantdevise", "Idevise", "DateRglt", "ModeRglt", "NatOp", "Montant", "Sens")
REQUIRED = ("JournalCode", "EcritureNum", "EcritureDate", "CompteNum")
# Columns not used here: a line may lack them at its end (some programs drop empty trailing fields).
UNUSED = frozenset({"JournalLib", "DateLet", "ValidDate", "Montantdevise", "Idevise", "ModeRglt", "NatOp"})
MIN_KNOWN = 5  # a header naming at least this many FEC columns is a FEC (perhaps a damaged one)
PROGRESS_EVERY = 1000
ZERO = Decimal("0.00")
DATE_MESSAGE = "n'est pas une date (attendu AAAAMMJJ, par exemple 20240131)"
UNBALANCED_SHOWN = 20  # unbalanced entries named one by one; beyond, counted


def _key(text: str) -> str:
    """A header as compared: no BOM, quotes, accents, case, spaces or punctuation."""
    plain = unicodedata.normalize("NFKD", text.strip().strip('"\ufeff').casefold())
    return "".join(ch for ch in plain if ch.isascii() and ch.isalnum())


_ALIASES = {_key(name): name for name in COLUMNS} | {
    "datereglt": "DateRglt", "datereglement": "DateRglt", "modereglement": "ModeRglt",
    "montantendevise": "Montantdevise", "codedevise": "Idevise"}
_PLACEHOLDER = re.compile(r"[\W_]*|[xX]")  # "", "-", "/", "___", "x": no reference at all
_OPENING_CODES = frozenset({"an", "ran", "ano", "anx", "anouveau", "anouveaux"})
_OPENING_NAMES = re.compile(r"\ba ?nouveaux?\b|ouverture|bilan (?:de )?debut|\breport")
_PLAIN_AMOUNT = re.compile(r"[+-]?0*\d{1,12}(?:[,.]\d{1,2})?", re.ASCII)  # below values.MAX_AMOUNT, in cents
_FILE_DATE = re.compile(r"FEC(\d{8})", re.IGNORECASE)
_FILE_SIREN = re.compile(r"(?<!\d)(\d{9})FEC\d{8}", re.IGNORECASE)  # the norm's SIREN + "FEC" + AAAAMMJJ


# layout ----------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class _Layout:
    """What the header line says: the separator, the column of each FEC field, and how the file spells it."""

    separator: str
    width: int                    # number of fields of the header
    index: dict[str, int]         # canonical name -> position
    spelled: dict[str, str]       # canonical name -> the file's own header text
    quoted: bool                  # fields wrapped in double quotes

    def missing(self) -> list[str]:
        absent = [name for name in REQUIRED if name not in self.index]
        if not {"Debit", "Credit"} <= self.index.keys() and not {"Montant", "Sens"} <= self.index.keys():
            absent += [name for name in ("Debit", "Credit") if name not in self.index] or ["Montant", "Sens"]
        return absent


def _layout(line: str) -> _Layout | None:
    """The layout of a header line, tab or "|" separated, when it names enough FEC columns."""
    best: _Layout | None = None
    for separator in ("\t", "|"):
        fields = line.split(separator)
        index: dict[str, int] = {}
        spelled: dict[str, str] = {}
        for position, text in enumerate(fields):
            name = _ALIASES.get(_key(text))
            if name is not None and name not in index:
                index[name] = position
                spelled[name] = text.strip().strip('"\ufeff')
        if len(index) >= MIN_KNOWN and (best is None or len(index) > len(best.index)):
            quoted = sum(text.strip().startswith('"') for text in fields) > len(fields) // 2
            best = _Layout(separator, len(fields), index, spelled, quoted)
    return best


def _decode(data: bytes) -> str:
    """The text of a FEC: UTF-16 with its BOM, UTF-8 (BOM or not), else Windows-1252, else ISO-8859-1."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            pass
    return text_of(data)


def identify(path: Path) -> bool:
    """True when the first line of ``path`` names the FEC columns (JournalCode, EcritureNum, CompteNum...,
    any case, tab or "|", padded or not). Reads only the first 8 KB. A header naming at least five FEC
    columns is taken, so that a FEC missing a column reaches this reader and its precise message."""
    try:
        with open(path, "rb") as handle:
            head = handle.read(8192)
    except OSError:
        return False
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = head.decode("utf-16", errors="ignore")
    else:
        lines = head.replace(b"\r", b"\n").split(b"\n")
        first = next((line for line in lines if line.strip()), b"")
        try:
            text = first.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = first.decode("latin-1")
    first_line = next((line for line in text.replace("\r", "\n").split("\n") if line.strip()), "")
    return _layout(first_line) is not None


# reading ---------------------------------------------------------------------------------------------------

def read(path: Path, job: Job = NULL_JOB) -> LedgerRead:
    """Read a FEC: its customers (411), invoices, credit notes, payments, lettered groups and the balances of
    its period, every unreadable line a located ``Problem``. ``UnreadableFile`` (French message) when the
    file is empty, is not a FEC or lacks a required column. ``job`` gets the progress every 1 000 lines and
    may cancel."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as error:
        raise UnreadableFile(f"{path.name} : lecture impossible ({error.strerror or error}).") from None
    text = _decode(data).replace("\r\n", "\n")
    if "\n" not in text:
        text = text.replace("\r", "\n")  # old Mac line ends
    lines = text.split("\n")
    del data, text  # the lines are all that is read from here on: 40 MB of a 20 MB file let go
    start = next((i for i, line in enumerate(lines) if line.strip()), None)
    if start is None:
        raise UnreadableFile(f"{path.name} : le fichier est vide.")
    layout = _layout(lines[start])
    if layout is None:
        raise UnreadableFile(
            f"{path.name} : ce n'est pas un FEC : la première ligne devrait nommer les colonnes JournalCode, "
            "EcritureNum, EcritureDate, CompteNum, Debit, Credit… séparées par des tabulations ou des « | ».")
    missing = layout.missing()
    if missing:
        raise UnreadableFile(f"{path.name} : colonne{'s' if len(missing) > 1 else ''} obligatoire"
                             f"{'s' if len(missing) > 1 else ''} du FEC absente{'s' if len(missing) > 1 else ''}"
                             f" : {', '.join(missing)}. Demandez au cabinet comptable un export FEC complet.")
    with collector_paused():
        return _Reader(path, layout, job).read(lines, start)


@dataclass(eq=False, slots=True)
class _Group:
    """The lines of one invoice or credit note: same customer, entry and lettering code (or one line of an
    opening entry)."""

    customer: str
    journal: str
    entry_number: str
    entry_date: date
    piece: str
    letter: str
    line: int
    issue_date: date
    due_date: date | None
    in_sales_entry: bool
    base: str
    base_is_entry: bool           # the number comes from the entry, not from PieceRef
    total: Decimal = ZERO
    identities: list[str] = field(default_factory=list)  # its lines', each with its rank (see _records)
    number: str = ""

    def suffixed(self, level: int) -> str:
        """The number with what tells it apart: its entry (1), and its customer (2), and the entry's date (3);
        the entry is left out when the number already is the entry's."""
        parts = [] if self.base_is_entry else [f"{self.journal} {self.entry_number}".strip()]
        if level >= 3:
            parts.append(f"{self.entry_date:%d/%m/%Y}")
        if level >= 2:
            parts.append(self.customer)
        return f"{self.base} [{' '.join(parts)}]" if parts else self.base


class _Reader:
    """One reading of one file: a fast pass over every line, then the customer lines turned into records."""

    def __init__(self, path: Path, layout: _Layout, job: Job) -> None:
        self.path, self.layout, self.job = path, layout, job
        self.problems: list[Problem] = []
        self.amounts: dict[str, Decimal | bool] = {"": ZERO}
        self.dates: dict[str, date | bool] = {}        # EcritureDate values
        self.other_dates: dict[str, date | bool] = {}  # PieceDate, DateRglt values
        self.openings: dict[tuple[str, str], bool] = {}
        self.closing_width = layout.width
        # (customer, journal, entry number, piece) of customer lines that could not be read
        self.tainted: set[tuple[str, str, str, str]] = set()
        self.warnings: list[Problem] = []

    # the pass over every line ------------------------------------------------------------------------------
    def read(self, lines: list[str], start: int) -> LedgerRead:
        layout, job, problems = self.layout, self.job, self.problems
        job.start(max(len(lines) - start - 1 - (lines[-1] == ""), 0), "Lecture du FEC…")
        width = layout.width
        absent = width  # an absent optional column reads the empty field appended to every line
        index = {name: layout.index.get(name, absent) for name in COLUMNS}
        i_journal, i_number, i_date = index["JournalCode"], index["EcritureNum"], index["EcritureDate"]
        i_account, i_piece, i_auxiliary = index["CompteNum"], index["PieceRef"], index["CompAuxNum"]
        by_sense = "Debit" not in layout.index or "Credit" not in layout.index
        i_debit, i_credit = (index["Montant"], index["Sens"]) if by_sense else (index["Debit"], index["Credit"])
        name_date, name_account = layout.spelled["EcritureDate"], layout.spelled["CompteNum"]
        name_debit = layout.spelled["Montant" if by_sense else "Debit"]
        name_credit = layout.spelled["Sens" if by_sense else "Credit"]
        separator, header, quoted = layout.separator, lines[start], layout.quoted
        dates, amounts = self.dates, self.amounts
        sales = purchases = stocks = suppliers = ZERO
        sales_entries: set[tuple[str, str, date, str]] = set()
        customer_lines: list[tuple[int, list[str], date, Decimal, Decimal]] = []
        entries: dict[tuple[str, date], list] = {}  # (entry number, date) -> [debits, credits, first line]
        broken: set[str] = set()  # numbers of entries with a line not read: their balance is unknown
        rows = pending = 0
        first = next((line.split(separator) for line in lines[start + 1:] if line.strip()), [])
        if len(first) > width and not "".join(first[width:]).strip():
            self.closing_width = len(first)  # every line ends with a separator the header lacks
        for position in range(start + 1, len(lines)):
            line = lines[position]
            if not line or line.isspace() or line == header:
                continue
            rows += 1
            pending += 1
            if pending == PROGRESS_EVERY:
                job.advance(pending)
                pending = 0
            number = position + 1
            fields = line.split(separator)
            if len(fields) != width:
                fields = self._fit(fields, number, line)
                if fields is None:
                    continue
            if quoted:
                fields = [_unquote(text) for text in fields]
            fields.append("")
            bad = False
            text = fields[i_date].strip()
            entry_date = dates.get(text)
            if entry_date is None:
                entry_date = dates[text] = _date(text)
            if entry_date is False:
                problems.append(Problem(number, name_date, text, _date_message(text) if text
                                        else "date d'écriture manquante (attendu AAAAMMJJ)"))
                bad = True
            account = fields[i_account].strip()
            if not account:
                problems.append(Problem(number, name_account, "", "numéro de compte manquant"))
                bad = True
            if by_sense:
                debit, credit = self._by_sense(fields[i_debit].strip(), fields[i_credit].strip(), number,
                                               name_debit, name_credit)
            else:
                text = fields[i_debit].strip()
                debit = amounts.get(text)
                if debit is None:
                    debit = amounts[text] = _amount(text)
                if debit is False:
                    problems.append(Problem(number, name_debit, text, _amount_message(text)))
                text = fields[i_credit].strip()
                credit = amounts.get(text)
                if credit is None:
                    credit = amounts[text] = _amount(text)
                if credit is False:
                    problems.append(Problem(number, name_credit, text, _amount_message(text)))
            if bad or debit is False or credit is False or debit is None:
                broken.add(fields[i_number].strip())
                if account.startswith("411"):  # the rest of its invoice would have a wrong total
                    self.tainted.add((fields[i_auxiliary].strip() or account, fields[i_journal].strip(),
                                      fields[i_number].strip(), fields[i_piece].strip()))
                continue
            entry_key = (fields[i_number], entry_date)
            sums = entries.get(entry_key)
            if sums is None:
                entries[entry_key] = [debit, credit, number]
            else:
                sums[0] += debit
                sums[1] += credit
            first = account[:1]
            if first == "4":
                if account.startswith("411"):
                    customer_lines.append((number, fields, entry_date, debit, credit))
                elif account.startswith("401"):
                    suppliers += credit - debit
            elif first == "7":
                if account[1:2] == "0":
                    sales += credit - debit
                    sales_entries.add((fields[i_journal].strip(), fields[i_number].strip(), entry_date,
                                       fields[i_piece].strip()))
            elif first == "6":
                if account[1:2] == "0":
                    purchases += debit - credit
            elif first == "3":
                stocks += debit - credit
        if pending:
            job.advance(pending)
        result = LedgerRead(kind=KIND, rows=rows, problems=problems, warnings=self.warnings,
                            issuer=file_company(self.path))
        self._balance(entries, broken)
        self._records(customer_lines, sales_entries, result)
        seen = [value for value in dates.values() if value]
        if seen:
            begin, end = min(seen), max(seen)
            closing = _closing_date(self.path)
            result.balances.append(PeriodBalances(begin, closing if closing and closing >= begin else end,
                                                  sales, purchases, stocks, suppliers))
            # each customer's 411 balance on the last day the file covers (every line read is in it)
            on = max(end, closing) if closing else end
            ledger: dict[str, Decimal] = {}
            for _number, fields, _day, debit, credit in customer_lines:
                key = fields[i_auxiliary].strip() or fields[i_account].strip()
                ledger[key] = ledger.get(key, ZERO) + debit - credit
            result.ledger_balances = [LedgerBalance(key, on, amount) for key, amount in ledger.items()]
        result.problems.sort(key=lambda p: (p.line or 0))
        return result

    def _balance(self, entries: dict[tuple[str, date], list], broken: set[str]) -> None:
        """Warnings for the entries whose debits and credits differ, each named (number, date) at its first
        line with its totals, and for the file's totals when they differ: a ledger out of balance is read as
        it is (its customer lines may still be right) but never without a word. An entry is its number
        (EcritureNum) and date, whatever the journal: Agrigest numbers an entry across journals (a purchase
        in A, its supplier in OD), and Odicom numbers every line of a journal 0 (a day is then one entry)."""
        from app.domain.money import format_eur  # here: the start of the window does not wait for it

        debits = credits = ZERO
        unbalanced = []
        for (entry_number, entry_date), (debit, credit, line) in entries.items():
            debits += debit
            credits += credit
            if debit != credit and entry_number.strip() not in broken:
                unbalanced.append((line, f"écriture {entry_number.strip()} du {entry_date:%d/%m/%Y}", debit, credit))
        for line, name, debit, credit in unbalanced[:UNBALANCED_SHOWN]:
            self.warnings.append(Problem(line, None, name, (
                f"déséquilibrée : débits {format_eur(debit)}, crédits {format_eur(credit)} (écart "
                f"{format_eur(debit - credit)}) ; attendu des débits égaux aux crédits, lue telle quelle")))
        if len(unbalanced) > UNBALANCED_SHOWN:
            self.warnings.append(Problem(None, None, "", (
                f"et {len(unbalanced) - UNBALANCED_SHOWN} autre(s) écriture(s) déséquilibrée(s)")))
        if debits != credits and not broken:
            self.warnings.append(Problem(None, None, "", (
                f"le fichier n'est pas équilibré : total des débits {format_eur(debits)}, total des crédits "
                f"{format_eur(credits)} (écart {format_eur(debits - credits)}) ; attendu des totaux égaux")))

    def _fit(self, fields: list[str], number: int, line: str) -> list[str] | None:
        """A line with too many or too few fields: accepted when it ends with the empty fields every line of
        the file has beyond the header (a separator closing each line), or lacks only unused trailing
        columns; otherwise a problem. One field too many is not taken as a closing separator on its own:
        a separator inside a label shifts the line and leaves its last (often empty) field in excess."""
        width, names = self.layout.width, {i: n for n, i in self.layout.index.items()}
        if len(fields) == self.closing_width and not "".join(fields[width:]).strip():
            return fields[:width]
        if len(fields) < width and all(names.get(i) in UNUSED or i not in names for i in range(len(fields), width)):
            return fields + [""] * (width - len(fields))
        shown = line.strip()
        sep = "tabulation" if self.layout.separator == "\t" else "« | »"
        self.problems.append(Problem(number, None, shown[:80] + ("…" if len(shown) > 80 else ""),
                                     f"la ligne a {len(fields)} champs au lieu de {width} (séparateur {sep} "
                                     "dans un libellé, ou ligne coupée ?) ; elle n'est pas lue"))
        return None

    def _by_sense(self, amount_text: str, sense: str, number: int, name_amount: str,
                  name_sense: str) -> tuple[Decimal | bool | None, Decimal | bool]:
        """Debit and credit of a Montant + Sens line (Sens D/C, Débit/Crédit or +1/-1)."""
        amount = self.amounts.get(amount_text)
        if amount is None:
            amount = self.amounts[amount_text] = _amount(amount_text)
        if amount is False:
            self.problems.append(Problem(number, name_amount, amount_text, _amount_message(amount_text)))
        code = _key(sense)[:1] if sense not in ("+1", "1", "-1") else ("d" if sense != "-1" else "c")
        if code not in ("d", "c"):
            self.problems.append(Problem(number, name_sense, sense,
                                         "sens inconnu (attendu D pour débit ou C pour crédit)"))
            return None, False
        if amount is False:
            return False, False
        if amount < 0:
            code, amount = ("c" if code == "d" else "d"), -amount
        return (amount, ZERO) if code == "d" else (ZERO, amount)

    # customer lines into records ---------------------------------------------------------------------------
    def _records(self, customer_lines: list, sales_entries: set, result: LedgerRead) -> None:
        from app.domain.money import format_eur  # here: the start of the window does not wait for it

        idx = {name: self.layout.index.get(name, self.layout.width) for name in COLUMNS}
        i_journal, i_journal_name, i_number = idx["JournalCode"], idx["JournalLib"], idx["EcritureNum"]
        i_account, i_auxiliary, i_piece, i_piece_date = idx["CompteNum"], idx["CompAuxNum"], idx["PieceRef"], \
            idx["PieceDate"]
        i_label, i_letter, i_due = idx["EcritureLib"], idx["EcritureLet"], idx["DateRglt"]
        name_piece_date = self.layout.spelled.get("PieceDate", "PieceDate")
        name_due = self.layout.spelled.get("DateRglt", "DateRglt")
        customers: dict[str, CustomerRecord] = {}
        groups: dict[tuple, _Group] = {}
        lettered: dict[tuple[str, str], tuple[list[_Group], list[str]]] = {}
        seen: dict[str, int] = {}
        iso = IsoDates("")
        other_dates, openings = self.other_dates, self.openings  # their first sights go through the methods
        for count, (number, fields, entry_date, debit, credit) in enumerate(customer_lines, 1):
            if count % PROGRESS_EVERY == 0:
                self.job.check()
            journal, entry_number = fields[i_journal].strip(), fields[i_number].strip()
            account, auxiliary = fields[i_account].strip(), fields[i_auxiliary].strip()
            piece, label, letter = fields[i_piece].strip(), fields[i_label].strip(), fields[i_letter].strip()
            key = auxiliary or account
            issue_date = due_date = None
            readable = True
            text = fields[i_piece_date].strip()
            if text:
                issue_date = other_dates.get(text) or self._other_date(text, number, name_piece_date)
                readable = issue_date is not None
            text = fields[i_due].strip()
            if text:
                due_date = other_dates.get(text) or self._other_date(text, number, name_due)
                readable = readable and due_date is not None
            if not readable:
                self.tainted.add((key, journal, entry_number, piece))
                continue
            if key not in customers:
                name = fields[idx["CompAuxLib"] if auxiliary else idx["CompteLib"]].strip() or key
                customers[key] = CustomerRecord(key=key, name=name, code=key, line=number)
            net = debit - credit
            if not net:
                self.warnings.append(Problem(number, None, account if not auxiliary else f"{account} {auxiliary}", (
                    f"ligne client au débit et au crédit du même montant ({format_eur(debit)}) : elle ne fait ni "
                    "facture ni règlement, rien n'en est importé" if debit else
                    "ligne client sans montant : elle ne fait ni facture ni règlement, rien n'en est importé")))
                continue
            # what identifies the line (not its lettering: see the module docstring), and its rank among
            # identical lines; joined here once, as row_hash("fec", *fields, rank) would (hot spot)
            identity = "\x1f".join(("fec", journal, entry_number, iso[entry_date], account, auxiliary, piece,
                                    iso[issue_date], label, str(debit), str(credit), iso[due_date]))
            rank = seen[identity] = seen.get(identity, 0) + 1
            identity = f"{identity}\x1f{rank}"
            entry = (journal, entry_number, entry_date, piece)
            in_sales_entry = entry in sales_entries
            if net < 0 and not in_sales_entry:
                line_hash = text_hash(identity)
                reference = " ".join(part for part in (label, piece) if not _PLACEHOLDER.fullmatch(part))
                result.payments.append(PaymentRecord(customer_key=key, received_on=entry_date, amount=-net,
                                                     reference=reference, letter=letter, line=number,
                                                     row_hash=line_hash))
                if letter:
                    lettered.setdefault((key, letter), ([], []))[1].append(line_hash)
                continue
            journal_name = fields[i_journal_name]
            opening = openings.get((journal, journal_name))
            if opening is None:
                opening = self._opening(journal, journal_name)
            group_key = (net > 0, key, entry, letter) + ((number,) if opening else ())
            group = groups.get(group_key)
            if group is None:
                base_is_entry = bool(_PLACEHOLDER.fullmatch(piece))
                base = _entry_reference(journal, entry_number, number) if base_is_entry else piece
                group = groups[group_key] = _Group(key, journal, entry_number, entry_date, piece, letter, number,
                                                   issue_date or entry_date, due_date, in_sales_entry, base,
                                                   base_is_entry)
                if letter:
                    lettered.setdefault((key, letter), ([], []))[0].append(group)
            group.total += net
            group.identities.append(identity)
        if self.tainted:  # an invoice one of whose lines is unreadable is not handed over: its total is wrong
            for group_key in [k for k, g in groups.items()
                              if (g.customer, g.journal, g.entry_number, g.piece) in self.tainted]:
                groups.pop(group_key)
            kept = {id(g) for g in groups.values()}
            for group_list, _hashes in lettered.values():
                group_list[:] = [g for g in group_list if id(g) in kept]
        _number(list(groups.values()))
        result.customers = list(customers.values())
        # by position (a named tuple built by keywords costs twice as much, 100 000 times); the three Nones are
        # net, VAT and still due, which a FEC does not give
        result.invoices = [InvoiceRecord(g.number, g.customer, g.issue_date, g.total, g.due_date, None, None, None,
                                         bool(g.letter), g.line,
                                         text_hash("\x1f".join(("fec-invoice", *g.identities))))
                           for g in groups.values()]
        result.lettered = [LetteredGroup(letter, key, tuple(g.number for g in group_list), tuple(hashes))
                           for (key, letter), (group_list, hashes) in lettered.items() if group_list or hashes]

    def _other_date(self, text: str, number: int, column: str) -> date | None:
        value = self.other_dates.get(text)
        if value is None:
            value = self.other_dates[text] = _date(text)
        if value is False:
            self.problems.append(Problem(number, column, text, _date_message(text)))
            return None
        return value

    def _opening(self, journal: str, journal_name: str) -> bool:
        """Is this journal the opening entries' (à-nouveaux)? Remembered in ``openings``."""
        plain = unicodedata.normalize("NFKD", journal_name.casefold())
        plain = " ".join("".join(ch if ch.isascii() and ch.isalnum() else " " for ch in plain).split())
        found = self.openings[journal, journal_name] = (_key(journal) in _OPENING_CODES
                                                       or bool(_OPENING_NAMES.search(plain)))
        return found


def _number(groups: list[_Group]) -> None:
    """Give each invoice group a number unique in the file (see the module docstring)."""
    keys = [number_key(group.base) for group in groups]  # "F 1" and "f1" are one number (text.number_key)
    uses = Counter(keys)
    by_base: dict[str, list[_Group]] = defaultdict(list)
    for group, key in zip(groups, keys):
        if uses[key] == 1:  # most numbers are unique: no list for them
            group.number = group.base
        else:
            by_base[key].append(group)
    taken = set(uses)
    for same in by_base.values():
        same.sort(key=lambda g: (not g.in_sales_entry, g.line))
        same[0].number = same[0].base
        rest = same[1:]
        for level in (1, 2, 3):
            candidates = [g.suffixed(level) for g in rest]
            counts = Counter(candidates)
            for group, candidate in zip(rest, candidates):
                if counts[candidate] == 1 and number_key(candidate) not in taken:
                    group.number = candidate
                    taken.add(number_key(candidate))
            rest = [g for g in rest if not g.number]
        ranks: Counter = Counter()
        for group in sorted(rest, key=lambda g: g.line):
            stem = group.suffixed(2)
            ranks[stem] += 1
            while number_key(f"{stem} #{ranks[stem]}") in taken:
                ranks[stem] += 1
            group.number = f"{stem} #{ranks[stem]}"
            taken.add(number_key(group.number))


def _entry_reference(journal: str, entry_number: str, line: int) -> str:
    """The number of an invoice without piece reference: its entry's, with the journal code in front unless
    the entry number already starts with it (Odoo's "INV/2021/00001", Quadra's "AN000001")."""
    if not entry_number:
        return f"{journal}-ligne-{line}" if journal else f"ligne-{line}"
    if not journal or entry_number.startswith(journal):
        return entry_number
    return f"{journal}-{entry_number}"


def _unquote(text: str) -> str:
    stripped = text.strip()
    if len(stripped) >= 2 and stripped[0] == stripped[-1] == '"':
        return stripped[1:-1].replace('""', '"')
    return text


def _amount(text: str) -> Decimal | bool:
    """An amount, or False when the text is not one. The plain forms a FEC writes ("1234,56",
    "+000001107,13", "-12.5") are read directly, the others by ``parse_amount`` (same result, 15 times
    slower)."""
    try:
        if _PLAIN_AMOUNT.fullmatch(text):
            return Decimal(text.replace(",", ".")).quantize(CENT, rounding=ROUND_HALF_UP)
        return parse_amount(text)
    except (ValueError, ArithmeticError):
        return False


def _amount_message(text: str) -> str:
    """Why ``text`` is no amount: missing, more than two decimals, too large, or not one at all."""
    if not text:
        return "montant manquant"
    try:
        parse_amount(text)
    except ValueError as exc:
        if str(exc) != NOT_AMOUNT:
            return str(exc).replace("1 234,56", "1234,56")
    return "n'est pas un montant (attendu par exemple 1234,56)"


def _date_message(text: str) -> str:
    """Why ``text`` is no date (a month above 12, a day its month lacks, a year out of ``values.YEARS``), with
    the FEC's format."""
    try:
        parse_date(text)
    except ValueError as exc:
        if str(exc) != NOT_DATE:
            return str(exc).replace("(attendu JJ/MM/AAAA)", "(attendu AAAAMMJJ, par exemple 20240131)").replace(
                ", le jour s'écrit en premier", "")
    return DATE_MESSAGE


def _date(text: str) -> date | bool:
    """A date (AAAAMMJJ, or another form ``parse_date`` knows), or False."""
    if not text:
        return False
    try:
        return parse_date(text)
    except (ValueError, ArithmeticError, TypeError):
        return False


def file_company(path: Path) -> CustomerRecord | None:
    """Whose books these are: the SIREN the norm puts in the file name (SIREN + "FEC" + AAAAMMJJ), when it is
    there (a FEC names no company inside)."""
    found = _FILE_SIREN.search(Path(path).name)
    return CustomerRecord(key=found.group(1), name="", siren=found.group(1)) if found else None


def _closing_date(path: Path) -> date | None:
    """The closing date the norm puts in the file name (SIREN + "FEC" + AAAAMMJJ), when it is there."""
    found = _FILE_DATE.search(path.name)
    if found is None:
        return None
    try:
        return datetime.strptime(found.group(1), "%Y%m%d").date()
    except ValueError:
        return None
