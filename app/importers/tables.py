"""Loading a table: the rows of cells of a text file (CSV or text exported by a billing program or a bank) or
of a workbook's sheet (XLSX, XLS, ODS), each with the line it starts on. Kept apart from what the cells mean,
so that every table reader (invoices, bank statements) loads its file the same way.

What is guessed, so that the user has nothing to say for a usual file:
- the encoding of a text file: UTF-8 with or without BOM, UTF-16 with BOM (Excel's "Unicode text"), else
  Windows-1252 (Latin-1 when a byte is not Windows-1252);
- the separator (tab, ";", "," or "|"): the one that cuts the most rows into the same number of cells;
- the sheet of a workbook: the first (visible ones first) whose header names fields of the schema.

``Table.lines`` holds the line of the file each row starts on (1-based), counting the line breaks inside
quoted cells; for a workbook, the sheet's row number. A file too large to hold in memory (a sheet declaring
over a million rows, a sheet's XML or a text file beyond ``sizes``' limits) is refused before it is loaded.
"""

from __future__ import annotations

import codecs
import csv
import io
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from itertools import islice
from pathlib import Path

from app.importers import BOOK_SUFFIXES
from app.importers.columns import Schema
from app.importers.headers import HEADER_SEARCH, find_header
from app.importers.records import UnreadableFile
from app.importers.sizes import check_book, check_file

SEPARATORS = ("\t", ";", ",", "|")  # a tie goes to the first: "1234,56;..." is cut on ";"
SEPARATOR_NAMES = {"\t": "tabulation", ";": "point-virgule", ",": "virgule", "|": "barre verticale"}


@dataclass
class Table:
    """The cells of a file, row by row, with the line each row starts on. A text file may be loaded as it is
    used (``load(stream=True)``): ``rest`` then gives its rows not loaded yet, ``load_more`` loads them, and
    ``line_count`` says how many lines the file has."""

    rows: list[list[object] | None]  # None: a row let go once read (``let_go``)
    lines: list[int]
    encoding: str | None = None
    separator: str | None = None
    sheet_name: str | None = None
    rest: Iterator[tuple[list[object], int]] | None = None
    line_count: int = 0

    def load_more(self, count: int) -> bool:
        """Load up to ``count`` more rows; False when none remained."""
        if self.rest is None:
            return False
        before = len(self.rows)
        for row, line in islice(self.rest, count):
            self.rows.append(row)
            self.lines.append(line)
        if len(self.rows) - before < count:
            self.rest = None
        return len(self.rows) > before

    def load_all(self) -> None:
        while self.load_more(STREAM_ROWS):
            pass

    def drain(self) -> None:
        """Read the rows not loaded yet without keeping them: a cell that does not read anywhere in the file
        refuses it (``UnreadableFile``), as when the file was loaded whole."""
        if self.rest is not None:
            for _row in self.rest:
                pass
            self.rest = None

    def let_go(self, start: int, end: int, keep: Iterable[int] = ()) -> None:
        """Free the rows from ``start`` to ``end`` (their records made), but those at ``keep``."""
        kept = set(keep)
        rows = self.rows
        for position in range(start, end):
            if position not in kept:
                rows[position] = None


STREAM_ROWS = 20_000  # rows a table loaded as it is used loads at a time


def load(path: Path, schema: Schema, limit: int | None = None, *, stream: bool = False) -> Table:
    """The rows of a text file or of a workbook's sheet (at most ``limit`` rows, for ``inspect``). ``stream``:
    a text file's first ``HEADER_SEARCH`` rows only, the others left in ``Table.rest`` (a workbook is loaded
    whole all the same)."""
    if not path.is_file():
        raise UnreadableFile(f"{path.name} : fichier introuvable.")
    if path.suffix.lower() in BOOK_SUFFIXES:
        return load_book(path, limit, schema)
    check_file(path)
    data = path.read_bytes()
    if not data.strip():
        raise UnreadableFile(f"{path.name} : le fichier est vide.")
    return text_table(path, data, limit, stream=stream)


def decode(data: bytes, final: bool = True) -> tuple[str, str]:
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


def sniff(text: str) -> tuple[str, int, int]:
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


def text_table(path: Path, data: bytes, limit: int | None, final: bool = True, stream: bool = False) -> Table:
    """The rows of a text file's ``data`` (its head only when ``final`` is False); ``stream``: see ``load``.
    The whole text is decoded once, to choose the encoding and the separator, then let go: the rows are
    read from the bytes, decoded again as they come, so that neither the text nor the rows of a large file
    are all held at once."""
    try:
        encoding, text = decode(data, final)
    except UnreadableFile as exc:
        raise UnreadableFile(f"{path.name} : {exc}") from None
    if "\x00" in text:
        raise UnreadableFile(f"{path.name} : ce n'est pas un fichier texte (il contient des octets nuls) ; "
                             "attendu un tableau CSV ou un classeur XLSX/ODS.")
    separator, _rows, _width = sniff(text)
    source = io.TextIOWrapper(io.BytesIO(data), encoding=encoding, newline="") if final else io.StringIO(
        text, newline="")
    del text
    rest = _read_rows(path, csv.reader(source, delimiter=separator))
    table = Table([], [], encoding=encoding, separator=separator, rest=rest,
                  line_count=(data.count(b"\n") or data.count(b"\r")) + (not data.endswith((b"\n", b"\r"))))
    if stream:
        table.load_more(HEADER_SEARCH)
    elif limit is not None:
        table.load_more(limit)
        table.rest = None
    else:
        table.load_all()
    return table


def _read_rows(path: Path, reader) -> Iterator[tuple[list[object], int]]:
    """Each row of a csv ``reader`` with the line it starts on."""
    previous = 0
    try:
        for row in reader:
            yield row, previous + 1
            previous = reader.line_num
    except csv.Error as exc:
        raise UnreadableFile(f"{path.name}, ligne {previous + 1} : cellule illisible ({exc}) ; un guillemet "
                             "ouvert n'est peut-être jamais refermé.") from None


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


def load_book(path: Path, limit: int | None, schema: Schema) -> Table:
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
            table = Table(cells, list(range(first, first + len(cells))), sheet_name=name)
            if find_header(table.rows, schema)[1] >= 2:
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
