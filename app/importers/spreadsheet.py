"""Reading a table of invoices: CSV or text exported by a billing program, or the accountant's aged balance
as XLSX, XLS or ODS; and the machinery any table is read with (``read_table``, ``RowReader``), whose fields a
``columns.Schema`` gives: the bank statement reader (``bank``) is this machinery with the ``BANK`` schema.

What is guessed, so that the user has nothing to say for a usual file:
- the encoding of a text file: UTF-8 with or without BOM, UTF-16 with BOM (Excel's "Unicode text"), else
  Windows-1252 (Latin-1 when a byte is not Windows-1252);
- the separator (tab, ";", "," or "|"): the one that cuts the most rows into the same number of cells;
- the header row: the row among the first 50 whose cells name the most fields of the schema
  (``columns.propose_mapping``), so titles, company name and date above the table are passed over;
- which column holds what (``columns``), which the import wizard shows for the user to confirm or correct,
  with ``inspect`` giving the headers and the first rows as the file writes them;
- dates written d/m/y are day first: a second number above 12 (« 03/15/2026 ») is refused, never read as
  month first (``values.parse_date``).

Each row below the header is an invoice (a negative total is a credit note, kept as such) or a ``Problem``
saying the line, the column, the value found and what was expected; a row is never dropped silently.
Rows are left out on purpose, and listed in ``SheetResult.skipped`` rather than in ``problems``: blank rows,
totals ("Total", "Sous-total", "Total général", "Cumul", "À reporter" with no date, and no invoice number
but that word), the header repeated (page breaks), and, below the last invoice, any row with no date, no
customer, and no number or no amount (an unlabelled total, "Page 2/3", "Édité le ..."); the same row amid
the table is a problem. ``rows`` counts the data rows: invoices read plus rows with a problem, never the
skipped ones.

``line`` is the line of the file the row starts on (1-based), counting the lines above the header and the
line breaks inside quoted cells; for a workbook it is the sheet's row number. Amounts read as
``values.parse_amount`` / ``amount_from_cell`` read them (never through a float for a text cell), dates as
``values.parse_date`` does; for speed each column is parsed as a whole (``_parse_amounts``), each distinct
date once, and Python's cycle collector is paused meanwhile: 100 000 rows take about 1 s from CSV, 1.7 s
from XLSX. A file too large to hold in memory (a sheet declaring over a million rows, a sheet's XML or a text
file beyond ``sizes``' limits) is refused before it is loaded (``sizes``).
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from collections import Counter
from collections.abc import Callable
from functools import lru_cache
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import NamedTuple

from app.domain.text import number_key
from app.importers import BOOK_SUFFIXES, TEXT_SUFFIXES
from app.importers.columns import (INVOICES, Schema, fold, headers_signature, missing_required, normalise,
                                   propose_mapping, required_label)
from app.importers.records import (ZERO_TOTAL, CustomerRecord, InvoiceRecord, Problem, ReadResult, UnreadableFile,
                                   due_error, remaining_error, text_hash)
from app.importers.sizes import check_book, check_file
from app.importers.values import CENT, amount_from_cell, parse_amount, parse_date
from app.jobs import NULL_JOB, Job, collector_paused

KIND = "invoices"
LABEL = "Tableau de factures (CSV, XLSX, ODS)"
SCHEMA = INVOICES

SEPARATORS = ("\t", ";", ",", "|")  # a tie goes to the first: "1234,56;..." is cut on ";"
HEADER_SEARCH = 50  # rows looked at for the header
HEAD_BYTES = 65536  # what ``identify`` and ``head_headers`` read of a text file
PREVIEW_ROWS = 10
PROGRESS_STEP = 1000
ZERO = Decimal("0.00")

_SEPARATOR_NAMES = {"\t": "tabulation", ";": "point-virgule", ",": "virgule", "|": "barre verticale"}
_PLAIN_AMOUNT = re.compile(r"-?\d{1,12}(?:[.,]\d{1,2})?")  # below values.MAX_AMOUNT
_DASHES = frozenset({"-", "\u2013", "\u2014"})
_EXCEL_TEXT = re.compile(r'^="(.*)"$')  # ="00123": a CSV cell Excel must keep as text


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
        return _SEPARATOR_NAMES.get(self.separator or "", self.separator or "")


@dataclass
class SheetResult(ReadResult):
    """A ``ReadResult`` that also lists the rows left out on purpose (totals, repeated headers, footers),
    each as a ``Problem``-shaped note (line, first cell, why), and says how the table was read."""

    skipped: list[Problem] = field(default_factory=list)
    header_line: int = 0
    mapping: dict[str, str] = field(default_factory=dict)


@dataclass
class _Table:
    """The cells of a file, row by row, with the line each row starts on."""

    rows: list[list[object]]
    lines: list[int]
    encoding: str | None = None
    separator: str | None = None
    sheet_name: str | None = None


@dataclass
class _Layout:
    header_index: int  # index in ``_Table.rows``
    headers: list[str]


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
            _encoding, text = _decode(head, final=False)
            _separator, rows, width = _sniff(text)
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
            table = _load_book(path, HEADER_SEARCH, schema)
        else:
            with path.open("rb") as handle:
                head = handle.read(HEAD_BYTES)
            cut = len(head) == HEAD_BYTES
            if cut:  # the last line may be a piece
                head = head[:head.rfind(b"\n") + 1] or head
            table = _text_table(path, head, HEADER_SEARCH, final=not cut)
        return _layout(table, path, schema).headers
    except (OSError, UnreadableFile, csv.Error, ValueError):
        return None


def inspect(path: Path, schema: Schema = INVOICES) -> Sheet:
    """How ``path`` would be read, for the import wizard: encoding, separator, header line, headers, the
    first rows as they appear, and the mapping proposed with what it still misses."""
    path = Path(path)
    table = _load(path, schema, limit=HEADER_SEARCH + 5 * PREVIEW_ROWS)
    layout = _layout(table, path, schema)
    preview, preview_lines = [], []
    width = len(layout.headers)
    for row, line in zip(table.rows[layout.header_index + 1:], table.lines[layout.header_index + 1:]):
        cells = [_display(cell) for cell in row[:width]]
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
    table = _load(path, schema)
    layout = _layout(table, path, schema)
    header_line = table.lines[layout.header_index]
    if mapping is None:
        mapping = saved(headers_signature(layout.headers)) or propose_mapping(layout.headers, schema)
    mapping = _check_mapping(path, layout.headers, header_line, mapping, schema)
    columns = {name: layout.headers.index(header) for name, header in mapping.items()}
    result = SheetResult(kind=rows.KIND, header_line=header_line, mapping=mapping)
    reader = rows(path, columns, layout.headers, result, book=table.separator is None)
    reader.read(table, layout.header_index + 1, job, max_rows)
    return result


# ---------------------------------------------------------------------------------------------------------
# Files to rows of cells


def _load(path: Path, schema: Schema, limit: int | None = None) -> _Table:
    """The rows of a text file or of a workbook's sheet (at most ``limit`` rows, for ``inspect``)."""
    if not path.is_file():
        raise UnreadableFile(f"{path.name} : fichier introuvable.")
    if path.suffix.lower() in BOOK_SUFFIXES:
        return _load_book(path, limit, schema)
    check_file(path)
    data = path.read_bytes()
    if not data.strip():
        raise UnreadableFile(f"{path.name} : le fichier est vide.")
    return _text_table(path, data, limit)


def _decode(data: bytes, final: bool = True) -> tuple[str, str]:
    """(encoding, text): a BOM decides; else UTF-8 if the bytes are valid UTF-8, else Windows-1252, else
    Latin-1 (which never fails). ``final`` False for the head of a file cut anywhere."""
    for bom, encoding in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
                          (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            try:
                return encoding, codecs.getincrementaldecoder(encoding)().decode(data, final)
            except UnicodeDecodeError as exc:
                name = "UTF-8" if encoding == "utf-8-sig" else "UTF-16"
                raise UnreadableFile(f"le fichier s'annonce en {name} mais l'octet {exc.start + 1} n'en est pas "
                                     "(attendu un texte UTF-8, UTF-16 ou Windows-1252) : réenregistrez-le en "
                                     "UTF-8.") from None
    for encoding in ("utf-8", "cp1252"):
        try:
            return encoding, codecs.getincrementaldecoder(encoding)().decode(data, final)
        except UnicodeDecodeError:
            continue
    return "latin-1", data.decode("latin-1")


def _sniff(text: str) -> tuple[str, int, int]:
    """(separator, rows, width): the separator that cuts the most of the first 100 lines into the same
    number of cells (two or more), that number and how many rows have it."""
    lines = text[:65536].splitlines()[:100]
    best = (";", 0, 0)
    for separator in SEPARATORS:
        try:
            widths = Counter(len(row) for row in csv.reader(lines, delimiter=separator) if len(row) >= 2)
        except csv.Error:
            continue
        if widths:
            width, rows = max(widths.items(), key=lambda item: (item[1], item[0]))
            if rows > best[1]:
                best = (separator, rows, width)
    return best


def _text_table(path: Path, data: bytes, limit: int | None, final: bool = True) -> _Table:
    """The rows of a text file's ``data`` (its head only when ``final`` is False)."""
    try:
        encoding, text = _decode(data, final)
    except UnreadableFile as exc:
        raise UnreadableFile(f"{path.name} : {exc}") from None
    if "\x00" in text:
        raise UnreadableFile(f"{path.name} : ce n'est pas un fichier texte (il contient des octets nuls) ; "
                             "attendu un tableau CSV ou un classeur XLSX/ODS.")
    separator, _rows, _width = _sniff(text)
    rows: list[list[object]] = []
    lines: list[int] = []
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=separator)
    previous = 0
    try:
        for row in reader:
            rows.append(row)
            lines.append(previous + 1)
            previous = reader.line_num
            if limit is not None and len(rows) >= limit:
                break
    except csv.Error as exc:
        raise UnreadableFile(f"{path.name}, ligne {previous + 1} : cellule illisible ({exc}) ; un guillemet "
                             "ouvert n'est peut-être jamais refermé.") from None
    return _Table(rows, lines, encoding=encoding, separator=separator)


@lru_cache(maxsize=1)
def _worksheets(path: str, _mtime_ns: int, _size: int) -> list[tuple[str, object]]:
    """The work sheets of a workbook, visible ones first, each loaded once: calamine reads a whole sheet even
    for its first rows (half a second at 100 000 rows), and a file is looked at by each reader's
    ``identify``, then read. The last workbook is kept, the file's date and size telling a changed one."""
    from python_calamine import CalamineWorkbook, SheetTypeEnum, SheetVisibleEnum

    book = CalamineWorkbook.from_path(path)
    sheets = [meta for meta in book.sheets_metadata if meta.typ == SheetTypeEnum.WorkSheet]
    sheets.sort(key=lambda meta: meta.visible != SheetVisibleEnum.Visible)
    return [(meta.name, book.get_sheet_by_name(meta.name)) for meta in sheets]


def _load_book(path: Path, limit: int | None, schema: Schema) -> _Table:
    """The first sheet that holds a table of the schema (else the first sheet with anything in it), through
    calamine (10 times faster than openpyxl on 100 000 rows)."""
    try:
        check_book(path)  # before calamine loads a sheet whole
        stat = path.stat()
        fallback = None
        for name, sheet in _worksheets(str(path), stat.st_mtime_ns, stat.st_size):
            cells = sheet.to_python(nrows=limit) if limit is not None else sheet.to_python()
            if not any(any(cell != "" for cell in row) for row in cells[:HEADER_SEARCH]):
                continue
            first = (sheet.start or (0, 0))[0] + 1
            table = _Table(cells, list(range(first, first + len(cells))), sheet_name=name)
            if _find_header(table.rows, schema)[1] >= 2:
                return table
            fallback = fallback or table
    except UnreadableFile:
        raise
    except Exception as exc:  # calamine's errors (zip, XML, password, format) have no common base
        raise UnreadableFile(f"{path.name} : ce classeur ne peut pas être ouvert ({exc}) ; attendu un fichier "
                             "XLSX, XLS ou ODS.") from None
    if fallback is None:
        raise UnreadableFile(f"{path.name} : le classeur est vide.")
    return fallback


# ---------------------------------------------------------------------------------------------------------
# The header


def _display(cell: object) -> str:
    """A cell as the user sees it: text trimmed, 1001.0 as "1001", a date as 31/12/2026."""
    if isinstance(cell, str):
        return cell.strip()
    if cell is None:
        return ""
    if isinstance(cell, bool):
        return "VRAI" if cell else "FAUX"
    if isinstance(cell, float):
        return str(int(cell)) if cell.is_integer() else repr(cell)
    if isinstance(cell, datetime):
        return cell.strftime("%d/%m/%Y" if cell.time() == datetime.min.time() else "%d/%m/%Y %H:%M")
    if isinstance(cell, date):
        return cell.strftime("%d/%m/%Y")
    return str(cell).strip()


def _header_names(cells: list[str], width: int) -> list[str]:
    """Column names for the wizard: the header text on one line; "Colonne 4" when blank; "Date (2)" for
    the second "Date"."""
    names: list[str] = []
    seen: Counter[str] = Counter()
    for index in range(width):
        text = " ".join(cells[index].split()) if index < len(cells) else ""
        text = text or f"Colonne {index + 1}"
        seen[text] += 1
        names.append(text if seen[text] == 1 else f"{text} ({seen[text]})")
    return names


def _find_header(rows: list[list[object]], schema: Schema) -> tuple[int, int]:
    """(index, score) of the row among the first ones whose cells name the most fields of the schema;
    (-1, 0) if none names any."""
    best = (-1, 0)
    for index, row in enumerate(rows[:HEADER_SEARCH]):
        cells = [_display(cell) for cell in row]
        if sum(1 for cell in cells if cell) < 2:
            continue
        score = len(propose_mapping(_header_names(cells, len(cells)), schema))
        if score > best[1]:
            best = (index, score)
    return best


def _looks_like_value(text: str) -> bool:
    try:
        parse_amount(text)
        return True
    except ValueError:
        pass
    try:
        parse_date(text)
        return True
    except ValueError:
        return False


def _layout(table: _Table, path: Path, schema: Schema) -> _Layout:
    """Where the header is and the column names. A header naming two fields or more wins; else the first
    row made only of labels (no amount, no date) and about as wide as the widest row: the wizard then asks
    for the mapping."""
    index, score = _find_header(table.rows, schema)
    if score < 2:
        index = -1
        filled = [[_display(cell) for cell in row if _display(cell)] for row in table.rows[:HEADER_SEARCH]]
        widest = max((len(cells) for cells in filled), default=0)
        for position, cells in enumerate(filled):
            if len(cells) >= max(2, widest // 2) and not any(_looks_like_value(cell) for cell in cells):
                index = position
                break
    if index < 0:
        raise UnreadableFile(f"{path.name} : aucune ligne d'en-tête trouvée dans les {HEADER_SEARCH} premières "
                             f"lignes (attendu une ligne de titres de colonnes : {schema.example}).")
    header = [_display(cell) for cell in table.rows[index]]
    width = len(header)
    while width and not header[width - 1]:
        width -= 1
    seen = 0
    for row in table.rows[index + 1:]:
        cells = [_display(cell) for cell in row]
        if any(cells):
            filled = len(cells)
            while filled and not cells[filled - 1]:
                filled -= 1
            width = max(width, filled)
            seen += 1
            if seen == PREVIEW_ROWS:
                break
    return _Layout(index, _header_names(header, width))


def _check_mapping(path: Path, headers: list[str], header_line: int, mapping: dict[str, str],
                   schema: Schema) -> dict[str, str]:
    """The mapping with each header as the file spells it (a saved one may differ in case or accents);
    ``UnreadableFile`` for an unknown field, a column the file lacks, or a required field not placed."""
    checked: dict[str, str] = {}
    by_key: dict[str, list[str]] = {}
    for header in headers:
        by_key.setdefault(normalise(header), []).append(header)
    found = ", ".join(f"« {header} »" for header in headers)
    for name, header in mapping.items():
        if not header:
            continue
        if name not in schema.fields:
            raise UnreadableFile(f"{path.name} : champ inconnu « {name} » dans la correspondance des colonnes "
                                 f"(attendu : {', '.join(schema.fields)}).")
        if header not in headers:
            same = by_key.get(normalise(header), [])
            if len(same) != 1:
                raise UnreadableFile(f"{path.name} : la colonne « {header} » ({schema.fields[name]}) n'existe pas "
                                     f"dans ce fichier ; en-tête ligne {header_line} : {found}.")
            header = same[0]
        checked[name] = header
    missing = missing_required(checked, schema)
    if missing:
        labels = ", ".join(required_label(name, schema) for name in missing)
        raise UnreadableFile(f"{path.name} : colonnes introuvables : {labels} ; en-tête lu ligne {header_line} : "
                             f"{found}. Indiquez-les dans l'assistant d'import.")
    return {name: checked[name] for name in schema.fields if name in checked}


# ---------------------------------------------------------------------------------------------------------
# Rows to records


def _text(cell: object) -> str:
    """A text field: trimmed, on one line, 1001.0 (a number cell) as "1001", ="00123" as 00123."""
    if isinstance(cell, str):
        text = cell.strip()
        if text.startswith('="'):
            match = _EXCEL_TEXT.match(text)
            if match:
                text = match.group(1).strip()
        return " ".join(text.split()) if "\n" in text or "\r" in text or "  " in text else text
    return _display(cell)


def _name_key(name: str) -> str:
    """A customer name as a key: "Dupont S.A.", "DUPONT SA" and "Dupont, SA" are the same customer."""
    return fold(name).upper()


def _amount(cell: object) -> Decimal | None:
    """None for an empty cell; ``ValueError`` (French) when the cell is not an amount."""
    if isinstance(cell, str):
        # "1234,56" and "1 234,56 €" (the usual forms) read here; what these do not match goes to
        # parse_amount, which reads them the same way
        text = cell if _PLAIN_AMOUNT.fullmatch(cell) else cell.replace("€", "").replace("\u00a0", "").replace(
            "\u202f", "").replace(" ", "").strip()
        if _PLAIN_AMOUNT.fullmatch(text):
            value = Decimal(text.replace(",", ".")).quantize(CENT, rounding=ROUND_HALF_UP)
        elif not text:
            return None
        elif text in _DASHES:  # Excel's accounting format writes zero as a dash
            return ZERO
        else:
            value = parse_amount(cell)
        return value if value else ZERO
    if cell is None:
        return None
    if isinstance(cell, bool) or not isinstance(cell, (int, float, Decimal)):
        raise ValueError("n'est pas un montant (attendu par exemple 1 234,56)")
    if cell != cell or cell in (float("inf"), float("-inf")):
        raise ValueError("n'est pas un montant (attendu par exemple 1 234,56)")
    value = amount_from_cell(cell)
    return value if value else ZERO


def _date_parser():
    def parse(cell: object) -> date | None:
        if isinstance(cell, str):
            text = cell.strip()
            if not text:
                return None
            return parse_date(text)
        if cell is None:
            return None
        if isinstance(cell, float) and (cell != cell or not -1e9 < cell < 1e9):
            raise ValueError("n'est pas une date (attendu JJ/MM/AAAA)")
        return parse_date(cell)

    return parse


def _siren_cell(cell: object) -> str:
    """The SIREN of a cell, "" when empty; ``ValueError`` when it is not a SIREN or a SIRET."""
    found = _siren(cell)
    if found is None:
        raise ValueError("n'est pas un SIREN (attendu 9 chiffres, ou les 14 d'un SIRET) : SIREN ignoré")
    return found


def _outcome(parse, cell: object) -> object:
    """``parse(cell)``, or the ``ValueError`` saying why the cell is not what its column expects."""
    try:
        return parse(cell)
    except ValueError as exc:
        return exc
    except ArithmeticError:
        return ValueError("n'est pas une valeur lisible ici")


def _parse_distinct(cells: list[object], parse) -> list[object]:
    """``_outcome`` of each cell, each distinct cell parsed once (dates repeat a lot)."""
    known = {cell: _outcome(parse, cell) for cell in dict.fromkeys(cells)}
    return list(map(known.__getitem__, cells))


_SEP = "\x1e"  # between cells while a whole column is cleaned as one string
_REMOVED = ("€", "EUR", "\u00a0", "\u202f", "\u2009", " ", "\t", "'")  # as parse_amount, in its order
_PAD_UNITS = re.compile("(?<=\x1e)(-?\\d+)(?=\x1e)")
_PAD_TENTHS = re.compile("(?<=\x1e)(-?\\d+\\.\\d)(?=\x1e)")
_STRICT = re.compile(r"-?\d{1,12}\.\d\d")  # below values.MAX_AMOUNT
_ALL_STRICT = re.compile("(?:\x1e-?\\d{1,12}\\.\\d\\d)*\x1e")


def _parse_amounts(cells: list[object], texts: list[str]) -> list[object]:
    """``_outcome(_amount, cell)`` of each cell, the usual ones ("1 234,56 €", "-12,5", a number cell) read
    together from their ``texts`` (``_as_texts``): the column is cleaned as one string (the "€", "EUR" and
    spaces ``parse_amount`` removes, removed in the same order; the decimal comma made a point; two decimals
    written out when missing) and what then reads "-1234.56" becomes a Decimal at once. Any other cell goes
    through ``_amount`` itself, so the outcome is the same, only sooner."""
    joined = _SEP + _SEP.join(texts) + _SEP  # type: ignore[arg-type]
    if joined.count(_SEP) != len(texts) + 1:  # a cell holding _SEP
        return [_outcome(_amount, cell) for cell in cells]
    cleaned = joined
    for mark in _REMOVED:  # str.replace on the whole column: ten times faster than str.translate here
        if mark in cleaned:
            cleaned = cleaned.replace(mark, "")
    cleaned = cleaned.replace(",", ".")
    strict = _ALL_STRICT.fullmatch(cleaned)
    if not strict:
        cleaned = _PAD_TENTHS.sub(r"\g<1>0", _PAD_UNITS.sub(r"\1.00", cleaned))
        strict = _ALL_STRICT.fullmatch(cleaned)
    parts = cleaned[1:-1].split(_SEP)
    if strict:
        values: list[object] = list(map(Decimal, parts))
    else:
        values = [Decimal(text) if _STRICT.fullmatch(text) else _outcome(_amount, cell)
                  for cell, text in zip(cells, parts)]
    if "\x1e-0.00\x1e" in cleaned:  # -0 is 0
        values = [ZERO if text == "-0.00" else value for text, value in zip(parts, values)]
    return values


def _as_texts(cells: list[object]) -> list[str]:
    """A workbook column as text, for hashing and for ``_parse_amounts``: a number as its shortest repr
    (1200.5 → "1200.5"), a date as 2026-01-05, text as it is."""
    if _all_of(cells, str):
        return cells  # type: ignore[return-value]
    if _all_of(cells, float):
        return list(map(repr, cells))
    known = {cell: cell if cell.__class__ is str else repr(cell) if cell.__class__ is float else str(cell)
             for cell in dict.fromkeys(cells)}
    return list(map(known.__getitem__, cells))


def _all_of(cells: list[object], kind: type) -> bool:
    """Whether every cell is exactly of ``kind`` (the types gathered in C: a column has 100 000 cells)."""
    return set(map(type, cells)) <= {kind}


def _parse_texts(cells: list[object]) -> list[str]:
    """``_text`` of each cell; text cells that need no more than trimming, in one go."""
    if _all_of(cells, str):
        stripped = list(map(str.strip, cells))
        joined = _SEP.join(stripped)
        if not any(mark in joined for mark in ("\n", "\r", "  ", '="', "\t")):
            return stripped
    return list(map(_text, cells))


class RowReader:
    """Turns the rows below a header into records, problems and skipped notes, for one kind of table: a
    subclass gives the ``SCHEMA``, the fields that tell a data row from a total or a footer, and ``build``,
    which makes the records. The rows are first sorted (data, blank, total, stray: ``sort_rows``), then each
    mapped column is parsed as a whole (``parse``); ``cells`` reads one row cell by cell, to say what is wrong
    with it."""

    KIND: str
    SCHEMA: Schema
    IDENTITY: str  # the field naming what a row is (an invoice's number, a bank line's label)
    DATE: str  # the field of its date
    PARTY: tuple[str, ...] = ()  # the fields naming whom it concerns (the customer)
    STRAY: str  # the problem said of a row amid the table that is no record
    TOTAL_WORDS = frozenset({"total", "totaux", "cumul", "cumuls", "reporter", "report", "subtotal"})
    TOTAL_PAIRS = frozenset({("sous", "total"), ("sous", "totaux"), ("grand", "total"), ("total", "general")})
    SPECIAL: dict[str, Callable[[object], object]] = {}  # fields with a parser of their own, not their kind's
    LENIENT: frozenset[str] = frozenset()  # fields whose unreadable cell is a warning, the value left empty

    def __init__(self, path: Path, columns: dict[str, int], headers: list[str], result: SheetResult,
                 book: bool) -> None:
        self.path = path
        self.book = book
        self.columns = columns
        self.headers = headers
        self.result = result
        self.parsers: dict[str, Callable[[object], object]] = {}  # field -> the function reading one cell
        self.never_wrong = frozenset(name for name in self.SCHEMA.texts if name not in self.SPECIAL)

    def header_of(self, name: str) -> str:
        return self.headers[self.columns[name]]

    def read(self, table: _Table, start: int, job: Job, max_rows: int | None) -> None:
        data = self.sort_rows(table, start, max_rows)
        self.build(table, data, job)
        self.result.problems.sort(key=lambda problem: problem.line or 0)
        self.result.skipped.sort(key=lambda note: note.line or 0)

    def build(self, table: _Table, data: list[int], job: Job) -> None:
        """The records of the data rows at ``data`` (positions in ``table.rows``), or their problems."""
        raise NotImplementedError

    def sort_rows(self, table: _Table, start: int, max_rows: int | None) -> list[int]:
        """The positions of the data rows; totals, repeated headers and what lies below the table go to
        ``skipped``, rows naming no record amid the table to ``problems``."""
        rows, lines, columns, result = table.rows, table.lines, self.columns, self.result
        number_at, date_at = columns[self.IDENTITY], columns[self.DATE]
        customer_at = [columns[name] for name in self.PARTY if name in columns]
        amount_at = [columns[name] for name in self.SCHEMA.amounts if name in columns]
        number_header, date_header = self.header_of(self.IDENTITY), self.header_of(self.DATE)
        is_total = self.is_total
        data: list[int] = []
        pending: list[int] = []  # rows that are no record, not yet judged: total or footer if below the table
        for position in range(start, len(rows)):
            row = rows[position]
            size = len(row)
            number = row[number_at] if number_at < size else ""
            issued = row[date_at] if date_at < size else ""
            if number and issued and not (number.__class__ is str and number.isspace()) and not (
                    issued.__class__ is str and issued.isspace()):
                if number == number_header and _display(issued) == date_header:
                    self.skip(lines[position], row, "en-tête répété ignoré")
                    continue
            else:
                number = _text(number)
                issued_empty = issued is None or (isinstance(issued, str) and not issued.strip())
                if not any(map(_display, row)):
                    continue  # a blank row
                if issued_empty and (not number or is_total(number)) and any(
                        isinstance(cell, str) and cell.strip() and is_total(cell) for cell in row):
                    self.skip(lines[position], row, "ligne de total ignorée")
                    continue
                if issued_empty and not any(_text(row[at]) for at in customer_at if at < size) and (
                        not number or not any(_display(row[at]) for at in amount_at if at < size)):
                    pending.append(position)  # no date, no party, and no identity or no amount
                    continue
            for stray in pending:  # above a record: not a total below the table
                self.stray(lines[stray], rows[stray])
            pending = []
            data.append(position)
            if max_rows is not None and len(data) + result.rows >= max_rows:
                break
        for stray in pending:
            self.skip(lines[stray], rows[stray], "ligne sous le tableau ignorée (total ou pied de page)")
        return data

    def is_total(self, text: str) -> bool:
        """"Total", "TOTAL GÉNÉRAL", "Sous-total client", "Cumul", "À reporter", "Grand total"..."""
        words = normalise(text).split()
        return bool(words) and (words[0] in self.TOTAL_WORDS or tuple(words[:2]) in self.TOTAL_PAIRS)

    def columns_of(self, data_rows: list[list[object]]) -> dict[str, list[object]]:
        """The cells of each mapped column ("" where a row is short; a workbook's TRUE/FALSE as text, since
        True equals 1.0 as a dictionary key)."""
        wanted = self.columns
        if data_rows and min(map(len, data_rows)) > max(wanted.values()):
            transposed = list(zip(*data_rows))
            cells = {name: list(transposed[at]) for name, at in wanted.items()}
        else:
            cells = {name: [row[at] if at < len(row) else "" for row in data_rows] for name, at in wanted.items()}
        if self.book:
            for name, column in cells.items():
                if bool in set(map(type, column)):
                    cells[name] = [_display(cell) if cell.__class__ is bool else cell for cell in column]
        return cells

    def parse_column(self, name: str, cells: list[object], texts: list[str]) -> list[object]:
        """The parsed value of each cell of one column, a ``ValueError`` where the cell does not read."""
        schema = self.SCHEMA
        if name in schema.dates:
            parse = self.parsers[name] = _date_parser()
            return _parse_distinct(cells, parse)
        if name in schema.amounts:
            self.parsers[name] = _amount
            return _parse_amounts(cells, texts)
        special = self.SPECIAL.get(name)
        if special is not None:
            self.parsers[name] = special
            return _parse_distinct(cells, special)
        self.parsers[name] = _text
        return _parse_texts(cells)

    def parse(self, table: _Table, data: list[int]) -> _Parsed:
        """The data rows column by column: each mapped column parsed as a whole, a cell that does not read
        left "" and its row marked suspect."""
        columns = self.columns
        data_rows = [table.rows[position] for position in data]
        cells = self.columns_of(data_rows)
        texts = {name: _as_texts(column) for name, column in cells.items()} if self.book else cells
        values: dict[str, list[object]] = {}
        suspect: set[int] = set()  # rows with a cell that does not read
        for name in self.SCHEMA.fields:
            if name in columns:
                column = values[name] = self.parse_column(name, cells[name], texts[name])  # type: ignore[arg-type]
                wrong = [index for index, value in enumerate(column) if value.__class__ is ValueError] if (
                    name not in self.never_wrong) else []
                if wrong:
                    suspect.update(wrong)
                    for index in wrong:
                        column[index] = ""
        return _Parsed(data_rows, [table.lines[position] for position in data], texts, values, suspect)

    def cells(self, row: list[object], line: int) -> tuple[dict[str, object], list[Problem]]:
        """One row read cell by cell: the value of each mapped field whose cell reads, and a problem for each
        other (a warning only for a ``LENIENT`` field, its value left empty: "" for text, else None)."""
        problems: list[Problem] = []
        values: dict[str, object] = {}
        for name, at in self.columns.items():
            cell = row[at] if at < len(row) else ""
            value = _outcome(self.parsers[name], _display(cell) if cell.__class__ is bool else cell)
            if isinstance(value, ValueError):
                problem = Problem(line, self.header_of(name), _display(cell), str(value))
                if name not in self.LENIENT:
                    problems.append(problem)
                    continue
                self.result.warnings.append(problem)
                value = "" if name in self.SCHEMA.texts else None
            values[name] = value
        return values, problems

    def preamble(self, table: _Table, header_index: int) -> list[tuple[int, str]]:
        """The rows above the header as (line, text), each row's cells joined by spaces, for a reader to
        find what the file says there (an account, a balance)."""
        return [(line, " ".join(text for text in map(_display, row) if text))
                for row, line in zip(table.rows[:header_index], table.lines)]

    def skip(self, line: int, row: list[object], why: str, *, remark: bool = False) -> None:
        """Leave a row out, noted in ``skipped``; or, when the user should hear of it (a bank line not booked
        yet), in the remarks (``warnings``) the import shows."""
        first = next((text for text in map(_display, row) if text), "")
        (self.result.warnings if remark else self.result.skipped).append(Problem(line, None, first, why))

    def stray(self, line: int, row: list[object]) -> None:
        self.result.rows += 1
        first = next((text for text in map(_display, row) if text), "")
        self.result.problems.append(Problem(line, self.header_of(self.IDENTITY), first, self.STRAY))


class _Parsed(NamedTuple):
    """The data rows of a table as ``RowReader.parse`` leaves them."""

    rows: list[list[object]]
    lines: list[int]
    texts: dict[str, list[str]]  # each mapped column as the file writes it
    values: dict[str, list[object]]  # each mapped column parsed
    suspect: set[int]  # the indexes of the rows with a cell that does not read


_AMOUNT_SOURCES = ("total", "debit", "credit", "still_due")


class _InvoiceRows(RowReader):
    """Invoices: a row whose cells all read and that names an invoice, a date, a customer and an amount is
    an invoice at once; any other row goes through ``read_row``, which says what is wrong with it."""

    KIND = KIND
    SCHEMA = INVOICES
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
        self.amount_sources = [name for name in _AMOUNT_SOURCES if name in columns]

    def build(self, table: _Table, data: list[int], job: Job) -> None:
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
        keys = [code or siren or name_keys[name] for code, siren, name in zip(codes, sirens, names)]
        fallback = any(name in columns for name in ("debit", "credit", "still_due"))
        job.start(count, f"Lecture de {self.path.name}")
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
            problems.append(Problem(line, self.header_of(name), _display(value), message))
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
        digits = "".join(ch for ch in _text(cell) if not ch.isspace() and ch not in ".-")
    if not digits:
        return ""
    if digits.isdigit() and digits.isascii() and len(digits) in (9, 14):
        return digits[:9]
    return None
