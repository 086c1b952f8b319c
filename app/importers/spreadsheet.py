"""Reading a table of invoices: CSV or text exported by a billing program, or the accountant's aged balance
as XLSX, XLS or ODS; and ``read_table``, which reads any table whose fields a ``columns.Schema`` gives: the
bank statement reader (``bank``) is it with the ``BANK`` schema. The steps live in their own modules: the file
loaded as rows of cells (``tables``: encoding and separator guessed), the header found and the mapping
checked (``headers``), each cell's value (``cells``), the rows below the header made records (``rows``).

What is guessed, so that the user has nothing to say for a usual file: the encoding, the separator, the
header row (among the first 50, so titles, company name and date above the table are passed over), and which
column holds what (``columns``), which the import wizard shows for the user to confirm or correct, with
``inspect`` giving the headers and the first rows as the file writes them. Dates written d/m/y are day
first: a second number above 12 (« 03/15/2026 ») is refused, never read as month first.

Each row below the header is an invoice (a negative total is a credit note, kept as such) or a ``Problem``
saying the line, the column, the value found and what was expected; a row is never dropped silently.
Rows are left out on purpose, and listed in ``SheetResult.skipped`` rather than in ``problems``: blank rows,
totals ("Total", "Sous-total", "Total général", "Cumul", "À reporter" with no date, and no invoice number
but that word), the header repeated (page breaks), and, below the last invoice, any row with no date, no
customer, and no number or no amount (an unlabelled total, "Page 2/3", "Édité le ..."); the same row amid
the table is a problem. ``rows`` counts the data rows: invoices read plus rows with a problem, never the
skipped ones.

``line`` is the line of the file the row starts on (1-based), counting the lines above the header and the
line breaks inside quoted cells; for a workbook it is the sheet's row number. For speed each column is parsed
as a whole (``cells.parse_amounts``), each distinct date once, and Python's cycle collector is paused
meanwhile: 100 000 rows take about 1 s from CSV, 1.7 s from XLSX. A file too large to hold in memory is
refused before it is loaded (``sizes``).
"""

from __future__ import annotations

import csv
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from app.domain.text import number_key
from app.importers import BOOK_SUFFIXES, TEXT_SUFFIXES
from app.importers.cells import ZERO, cell_text, display
from app.importers.columns import INVOICES, Schema, fold, headers_signature, missing_required, propose_mapping
from app.importers.headers import HEADER_SEARCH, PREVIEW_ROWS, check_mapping, header_layout
from app.importers.records import (ZERO_TOTAL, CustomerRecord, InvoiceRecord, LedgerRead, Problem, ReadResult,
                                   UnreadableFile, due_error, remaining_error, text_hash)
from app.importers.rows import PROGRESS_STEP, RowReader
from app.importers.tables import (SEPARATOR_NAMES, STREAM_ROWS, Table, decode, load, load_book, sniff,
                                  text_table)
from app.jobs import NULL_JOB, Job, collector_paused

KIND = "invoices"
LABEL = "Tableau de factures (CSV, XLSX, ODS)"
SCHEMA = INVOICES

HEAD_BYTES = 65536  # what ``identify`` and ``head_headers`` read of a text file


@dataclass
class Sheet:
    """What the import wizard shows before reading: how the file was understood and the mapping proposed
    (or the saved one the caller finds under ``signature``)."""

    encoding: str | None  # None for a workbook
    separator: str | None  # None for a workbook
    sheet_name: str | None  # the sheet read, for a workbook
    header_line: int  # 1-based line (or sheet row) of the header
    headers: list[str]  # as in the file; a blank header is "Colonne 3", a repeated one "Date (2)"
    preview: list[list[str]]  # the first data rows, one string per header, as the file shows them
    preview_lines: list[int]  # the line of each preview row
    mapping: dict[str, str]  # proposed: {field: header}
    missing: list[str]  # required fields the proposed mapping does not place (``columns.missing_required``)
    signature: str  # ``columns.headers_signature(headers)``

    @property
    def separator_name(self) -> str:
        """The separator in French words, for the wizard ("point-virgule")."""
        return SEPARATOR_NAMES.get(self.separator or "", self.separator or "")


@dataclass
class SheetResult(ReadResult):
    """What a table's reader adds to its family's result: the rows left out on purpose (totals, repeated
    headers, footers), each as a ``Problem``-shaped note (line, first cell, why), and how the table was read.
    ``RowReader.RESULT`` names the family's: ``InvoiceSheet`` or ``bank.StatementSheet``."""

    skipped: list[Problem] = field(default_factory=list)
    header_line: int = 0
    mapping: dict[str, str] = field(default_factory=dict)


@dataclass
class InvoiceSheet(SheetResult, LedgerRead):
    """An invoice table read: a ledger read."""


# ---------------------------------------------------------------------------------------------------------
# The reader interface


def identify(path: Path) -> bool:
    """A workbook by its extension and signature, or a text file (csv, txt, tsv) whose first lines cut into
    a table: at least two rows with the same number (two or more) of cells."""
    path = Path(path)
    suffix = path.suffix.lower()
    try:
        with path.open("rb") as handle:
            head = handle.read(HEAD_BYTES)
        if suffix in BOOK_SUFFIXES:
            return head.startswith((b"PK\x03\x04", b"\xd0\xcf\x11\xe0"))
        if suffix in TEXT_SUFFIXES:
            _encoding, text = decode(head, final=False)
            _separator, rows, width = sniff(text)
            return rows >= 2 and width >= 2
    except (OSError, UnreadableFile, csv.Error, ValueError):
        return False
    return False


def head_headers(path: Path, schema: Schema) -> list[str] | None:
    """The headers of the table in ``path`` as ``schema`` finds them, from its first rows only (the first
    64 KB of a text file), for a reader's ``identify`` to tell its tables from others cheaply; None when
    ``path`` holds no table."""
    path = Path(path)
    if not identify(path):
        return None
    try:
        if path.suffix.lower() in BOOK_SUFFIXES:
            table = load_book(path, HEADER_SEARCH, schema)
        else:
            with path.open("rb") as handle:
                head = handle.read(HEAD_BYTES)
            cut = len(head) == HEAD_BYTES
            if cut:  # the last line may be a piece
                head = head[:head.rfind(b"\n") + 1] or head
            table = text_table(path, head, HEADER_SEARCH, final=not cut)
        return header_layout(table.rows, path, schema).headers
    except (OSError, UnreadableFile, csv.Error, ValueError):
        return None


def inspect(path: Path, schema: Schema = INVOICES) -> Sheet:
    """How ``path`` would be read, for the import wizard: encoding, separator, header line, headers, the
    first rows as they appear, and the mapping proposed with what it still misses."""
    path = Path(path)
    table = load(path, schema, limit=HEADER_SEARCH + 5 * PREVIEW_ROWS)
    layout = header_layout(table.rows, path, schema)
    preview, preview_lines = [], []
    width = len(layout.headers)
    for row, line in zip(table.rows[layout.header_index + 1:], table.lines[layout.header_index + 1:]):
        cells = [display(cell) for cell in row[:width]]
        if any(cells):
            preview.append(cells + [""] * (width - len(cells)))
            preview_lines.append(line)
            if len(preview) == PREVIEW_ROWS:
                break
    mapping = propose_mapping(layout.headers, schema)
    return Sheet(encoding=table.encoding, separator=table.separator, sheet_name=table.sheet_name,
                 header_line=table.lines[layout.header_index], headers=layout.headers, preview=preview,
                 preview_lines=preview_lines, mapping=mapping, missing=missing_required(mapping, schema),
                 signature=headers_signature(layout.headers))


def read(path: Path, job: Job = NULL_JOB, mapping: dict[str, str] | None = None, *,
         max_rows: int | None = None, saved: Callable[[str], dict[str, str] | None] = lambda _signature: None
         ) -> SheetResult:
    """Every invoice of the table, with its customers and the problems found. ``mapping`` ({field: header},
    as the wizard confirmed it) defaults to the one ``saved`` gives for the headers' signature, else to the
    proposed one (asking here spares reading the file twice); ``UnreadableFile`` when it does not place the
    number, the date, the customer or an amount, or names a column the file lacks. ``max_rows`` stops after
    that many data rows (the wizard's preview "as it will be read")."""
    return read_table(path, _InvoiceRows, job, mapping, max_rows=max_rows, saved=saved)


def read_table(path: Path, rows: type[RowReader], job: Job = NULL_JOB, mapping: dict[str, str] | None = None, *,
               max_rows: int | None = None, saved: Callable[[str], dict[str, str] | None] = lambda _signature: None
               ) -> SheetResult:
    """``read`` for any kind of table: ``rows`` (a ``RowReader``) gives the schema and turns the rows below
    the header into records."""
    path = Path(path)
    with collector_paused():
        return _read_table(path, rows, job, mapping, max_rows, saved)


def _read_table(path: Path, rows: type[RowReader], job: Job, mapping: dict[str, str] | None, max_rows: int | None,
                saved: Callable[[str], dict[str, str] | None]) -> SheetResult:
    """``read_table`` with the collector paused, the file's cells freed on return, before the collector
    runs again (freed after, they would be counted as new objects and walked once more)."""
    schema = rows.SCHEMA
    table = load(path, schema, stream=True)
    try:
        layout = _layout(table, path, schema)
        header_line = table.lines[layout.header_index]
        if mapping is None:
            mapping = saved(headers_signature(layout.headers)) or propose_mapping(layout.headers, schema)
        mapping = check_mapping(path, layout.headers, header_line, mapping, schema)
    except UnreadableFile:
        table.drain()  # a cell that does not read is said first, as when the file was loaded whole
        raise
    columns = {name: layout.headers.index(header) for name, header in mapping.items()}
    result = rows.RESULT(kind=rows.KIND, header_line=header_line, mapping=mapping)
    reader = rows(path, columns, layout.headers, result, book=table.separator is None)
    reader.read(table, layout.header_index + 1, job, max_rows)
    return result


def _layout(table: Table, path: Path, schema: Schema):
    """``header_layout`` of a table being loaded (``load(stream=True)``), with as many rows loaded as it
    looks at: the header's search, then the first rows below the header that are not blank."""
    while True:
        layout = header_layout(table.rows, path, schema)
        below = table.rows[layout.header_index + 1:]
        if sum(1 for row in below if any(map(display, row))) >= PREVIEW_ROWS or not table.load_more(HEADER_SEARCH):
            return layout


# ---------------------------------------------------------------------------------------------------------
# Invoice rows


def _name_key(name: str) -> str:
    """A customer name as a key: "Dupont S.A.", "DUPONT SA" and "Dupont, SA" are the same customer."""
    return fold(name).upper()


def _siren_cell(cell: object) -> str:
    """The SIREN of a cell, "" when empty; ``ValueError`` when it is not a SIREN or a SIRET."""
    found = _siren(cell)
    if found is None:
        raise ValueError("n'est pas un SIREN (attendu 9 chiffres, ou les 14 d'un SIRET) : SIREN ignoré")
    return found


_AMOUNT_SOURCES = ("total", "debit", "credit", "still_due")


class _InvoiceRows(RowReader):
    """Invoices: a row whose cells all read and that names an invoice, a date, a customer and an amount is
    an invoice at once; any other row goes through ``read_row``, which says what is wrong with it."""

    KIND = KIND
    SCHEMA = INVOICES
    RESULT = InvoiceSheet
    IDENTITY, DATE, PARTY = "number", "issue_date", ("customer_name", "customer_code")
    STRAY = ("ligne sans date ni client, ni numéro ou montant (attendu une facture, ou une ligne de total sous "
             "le tableau)")
    SPECIAL = {"siren": _siren_cell}
    LENIENT = frozenset({"siren"})  # a bad SIREN does not keep the invoice out

    def __init__(self, path: Path, columns: dict[str, int], headers: list[str], result: SheetResult,
                 book: bool) -> None:
        super().__init__(path, columns, headers, result, book)
        self.customers: dict[str, CustomerRecord] = {}
        self.numbers: dict[str, int] = {}  # invoice number (text.number_key) -> line first read
        self.keys: dict[str, str] = {}  # one text for each customer's key, however many invoices name it
        self.amount_sources = [name for name in _AMOUNT_SOURCES if name in columns]

    def read(self, table: Table, start: int, job: Job, max_rows: int | None) -> None:
        """As ``RowReader.read``, a chunk of rows at a time (the invoices of a row never depend on the rows
        after it): each chunk loaded (a text file is read as it is used), sorted, made records, then let go,
        so that a file of a million rows is never held whole beside its records. The progress counts the
        data rows of a workbook, the lines below the header of a text file."""
        label = f"Lecture de {self.path.name}"
        if table.rest is None:  # a workbook, loaded whole
            data = self.sort_rows(table, start, max_rows)
            job.start(len(data), label)
            self.build(table, data, job)
        else:
            job.start(max(table.line_count - table.lines[start - 1], 0), label)
            while table.load_more(max(start + STREAM_ROWS - len(table.rows), 0)) or start < len(table.rows):
                stop = len(table.rows)
                self.build(table, self.sort_rows(table, start, max_rows, stop, last=False), job)
                table.let_go(start, stop, keep=self.pending)
                start = stop
                if max_rows is not None and self.result.rows >= max_rows:
                    break
            self.below_table(table)
            table.drain()
            if job.done < job.total:  # blank rows, totals, lines inside a quoted cell: counted, not read
                job.advance(job.total - job.done)
        self.in_line_order()

    def build(self, table: Table, data: list[int], job: Job) -> None:
        """The invoices (or problems) of the data rows at ``data``, and their customers; ``job`` advanced
        by one for each row."""
        result, columns = self.result, self.columns
        count = len(data)
        data_rows, data_lines, texts, values, suspect = self.parse(table, data)
        # the row as the file writes it, in the mapping's columns, after the names of the fields they hold
        fields = [",".join(columns)] * count
        digests = list(map(text_hash, map("\x1f".join, zip(fields, *texts.values()))))  # type: ignore[arg-type]
        nothing: list[object] = [None] * count
        blank: list[object] = [""] * count
        names = values.get("customer_name", blank)
        name_keys = {name: _name_key(name) for name in dict.fromkeys(names) if name}
        name_keys[""] = ""
        codes, sirens, emails = (values.get(name, blank) for name in ("customer_code", "siren", "email"))
        same = self.keys
        keys = [same.setdefault(key, key) for key in (code or siren or name_keys[name]
                                                      for code, siren, name in zip(codes, sirens, names))]
        fallback = any(name in columns for name in ("debit", "credit", "still_due"))
        reported = 0
        invoices, customers, numbers = result.invoices, self.customers, self.numbers
        rows = zip(data_lines, values["number"], values["issue_date"], values.get("due_date", nothing), keys,
                   values.get("total", nothing), values.get("net", nothing), values.get("vat", nothing),
                   values.get("still_due", nothing), values.get("debit", nothing), values.get("credit", nothing),
                   digests)
        for index, (line, number, issued, due, key, total, net, vat, still_due, debit, credit, digest) in enumerate(
                rows):
            if index - reported >= PROGRESS_STEP:
                job.advance(PROGRESS_STEP)
                reported += PROGRESS_STEP
            if total is None and fallback:
                if debit is not None or credit is not None:
                    total = (debit or ZERO) - (credit or ZERO)
                else:
                    total = still_due
            if (index in suspect or not number or issued is None or not key or not total
                    or number_key(number) in numbers or (still_due is not None and remaining_error(total, still_due))
                    or (due is not None and due < issued)):
                self.read_row(data_rows[index], line, digest)
                continue
            numbers[number_key(number)] = line
            invoices.append(InvoiceRecord(
                number=number, customer_key=key, issue_date=issued, total=total, due_date=due, net=net, vat=vat,
                still_due=still_due, paid=still_due is not None and not still_due, line=line, row_hash=digest))
            if key not in customers:
                name, code, siren = names[index], codes[index], sirens[index]
                customers[key] = CustomerRecord(key=key, name=name or code or siren, code=code, siren=siren,
                                                email=emails[index], line=line)
        result.rows += count
        job.advance(count - reported)
        result.customers = list(customers.values())

    def read_row(self, row: list[object], line: int, digest: str) -> None:
        """One data row, cell by cell: an invoice, or the problems that keep it out. A bad SIREN is reported
        but does not keep the invoice out (the SIREN is then left empty)."""
        values, problems = self.cells(row, line)
        bad = self.columns.keys() - values.keys()

        def problem(name: str, value: object, message: str) -> None:
            problems.append(Problem(line, self.header_of(name), display(value), message))
            bad.add(name)

        number = values.get("number", "")
        if not number and "number" not in bad:
            problem("number", "", "n° de facture manquant (attendu le numéro de la facture ou de l'avoir)")
        if values.get("issue_date") is None and "issue_date" not in bad:
            problem("issue_date", "", "date de facture manquante (attendu JJ/MM/AAAA)")
        name_text, code = values.get("customer_name", ""), values.get("customer_code", "")
        siren, email = values.get("siren", ""), values.get("email", "")
        key = code or siren or (_name_key(name_text) if name_text else "")
        if not key and not bad.intersection(("customer_name", "customer_code")):
            problem("customer_name" if "customer_name" in self.columns else "customer_code", "",
                    "client manquant (attendu une raison sociale ou un code client)")
        total = values.get("total")
        if total is None and (values.get("debit") is not None or values.get("credit") is not None):
            total = (values.get("debit") or ZERO) - (values.get("credit") or ZERO)
        still_due = values.get("still_due")
        if total is None:
            total = still_due
        if total is None and not bad.intersection(self.amount_sources):
            problem(self.amount_sources[0], "", "montant manquant (attendu le montant TTC de la facture)")
        if total is not None and not total:
            given = next(name for name in self.amount_sources if values.get(name) is not None)
            problem(given, row[self.columns[given]], ZERO_TOTAL)
        elif total is not None and still_due is not None and (why := remaining_error(total, still_due)):
            problem("still_due", row[self.columns["still_due"]], why)
        issued, due = values.get("issue_date"), values.get("due_date")
        if issued is not None and due is not None and (why := due_error(issued, due)):
            problem("due_date", row[self.columns["due_date"]], why)
        first = self.numbers.get(number_key(number))
        if not problems and first is not None:
            problem("number", number, f"n° de facture déjà lu ligne {first} : ligne ignorée "
                    "(une facture en plusieurs échéances n'est pas encore gérée)")
        self.result.problems.extend(problems)
        if problems:
            return
        self.numbers[number_key(number)] = line
        self.result.invoices.append(InvoiceRecord(
            number=number, customer_key=key, issue_date=values["issue_date"], total=total,
            due_date=values.get("due_date"), net=values.get("net"), vat=values.get("vat"), still_due=still_due,
            paid=still_due is not None and not still_due, line=line, row_hash=digest))
        if key not in self.customers:
            self.customers[key] = CustomerRecord(key=key, name=name_text or code or siren, code=code, siren=siren,
                                                 email=email, line=line)


def _siren(cell: object) -> str | None:
    """The 9-digit SIREN of a SIREN or SIRET cell ("732 829 320", 73282932000074.0); "" when empty; None
    when it is not one. Its check digit is the customer form's business (services.identifiers)."""
    if isinstance(cell, float) and cell.is_integer():
        digits = str(int(cell))
        digits = digits.zfill(9) if len(digits) <= 9 else digits.zfill(14)
    else:
        digits = "".join(ch for ch in cell_text(cell) if not ch.isspace() and ch not in ".-")
    if not digits:
        return ""
    if digits.isdigit() and digits.isascii() and len(digits) in (9, 14):
        return digits[:9]
    return None
