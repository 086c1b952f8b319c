"""Turning the rows below a table's header into records (``RowReader``), the same way for every kind of table:
rows sorted into data, blank rows, totals and strays, each mapped column parsed as a whole, and a row that
does not read told cell by cell. A reader (invoices in ``spreadsheet``, bank lines in ``bank``) subclasses
``RowReader`` with its schema and the records its rows make.

Rows left out on purpose are listed in ``SheetResult.skipped`` rather than in ``problems``: blank rows,
totals ("Total", "Sous-total", "Cumul", "À reporter"... with no date), the header repeated (page breaks), and,
below the last record, any row with no date, no party, and no identity or no amount (an unlabelled total,
"Page 2/3", "Édité le ..."); the same row amid the table is a problem.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from app.importers.cells import (as_texts, cell_amount, cell_text, date_parser, display, outcome, parse_amounts,
                                 parse_distinct, parse_texts)
from app.importers.columns import Schema, normalise
from app.importers.records import Problem
from app.importers.tables import Table
from app.jobs import Job

if TYPE_CHECKING:
    from app.importers.spreadsheet import SheetResult

PROGRESS_STEP = 1000  # rows a reader's ``build`` reads between two reports of its progress


class RowReader:
    """Turns the rows below a header into records, problems and skipped notes, for one kind of table: a
    subclass gives the ``SCHEMA``, the fields that tell a data row from a total or a footer, and ``build``,
    which makes the records. The rows are first sorted (data, blank, total, stray: ``sort_rows``), then each
    mapped column is parsed as a whole (``parse``); ``cells`` reads one row cell by cell, to say what is wrong
    with it."""

    KIND: str
    SCHEMA: Schema
    RESULT: type[SheetResult]  # the family's result: a ledger's or a statement's
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
        self.pending: list[int] = []  # rows that are no record, not yet judged: total or footer if below the table

    def header_of(self, name: str) -> str:
        return self.headers[self.columns[name]]

    def read(self, table: Table, start: int, job: Job, max_rows: int | None) -> None:
        table.load_all()
        data = self.sort_rows(table, start, max_rows)
        self.build(table, data, job)
        self.in_line_order()

    def in_line_order(self) -> None:
        """The problems and the rows skipped said in the order of their lines, however the rows were read."""
        self.result.problems.sort(key=lambda problem: problem.line or 0)
        self.result.skipped.sort(key=lambda note: note.line or 0)

    def build(self, table: Table, data: list[int], job: Job) -> None:
        """The records of the data rows at ``data`` (positions in ``table.rows``), or their problems."""
        raise NotImplementedError

    def sort_rows(self, table: Table, start: int, max_rows: int | None, stop: int | None = None,
                  last: bool = True) -> list[int]:
        """The positions of the data rows from ``start`` to ``stop`` (the end); totals, repeated headers and
        what lies below the table go to ``skipped``, rows naming no record amid the table to ``problems``.
        ``last`` False: more rows follow (a table read by chunks), the rows that may lie below the table
        wait in ``pending`` for the next chunk, or for ``below_table``."""
        rows, lines, columns, result = table.rows, table.lines, self.columns, self.result
        number_at, date_at = columns[self.IDENTITY], columns[self.DATE]
        customer_at = [columns[name] for name in self.PARTY if name in columns]
        amount_at = [columns[name] for name in self.SCHEMA.amounts if name in columns]
        number_header, date_header = self.header_of(self.IDENTITY), self.header_of(self.DATE)
        is_total = self.is_total
        data: list[int] = []
        pending = self.pending
        for position in range(start, len(rows) if stop is None else stop):
            row = rows[position]
            size = len(row)
            number = row[number_at] if number_at < size else ""
            issued = row[date_at] if date_at < size else ""
            if number and issued and not (number.__class__ is str and number.isspace()) and not (
                    issued.__class__ is str and issued.isspace()):
                if number == number_header and display(issued) == date_header:
                    self.skip(lines[position], row, "en-tête répété ignoré")
                    continue
            else:
                number = cell_text(number)
                issued_empty = issued is None or (isinstance(issued, str) and not issued.strip())
                if not any(map(display, row)):
                    continue  # a blank row
                if issued_empty and (not number or is_total(number)) and any(
                        isinstance(cell, str) and cell.strip() and is_total(cell) for cell in row):
                    self.skip(lines[position], row, "ligne de total ignorée")
                    continue
                if issued_empty and not any(cell_text(row[at]) for at in customer_at if at < size) and (
                        not number or not any(display(row[at]) for at in amount_at if at < size)):
                    pending.append(position)  # no date, no party, and no identity or no amount
                    continue
            for stray in pending:  # above a record: not a total below the table
                self.stray(lines[stray], rows[stray])  # type: ignore[arg-type]
            pending.clear()
            data.append(position)
            if max_rows is not None and len(data) + result.rows >= max_rows:
                break
        if last:
            self.below_table(table)
        return data

    def below_table(self, table: Table) -> None:
        """The rows still pending once the table is read: below the last record, a total or a footer."""
        for stray in self.pending:
            self.skip(table.lines[stray], table.rows[stray], "ligne sous le tableau ignorée (total ou pied de page)")  # type: ignore[arg-type]
        self.pending.clear()

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
                    cells[name] = [display(cell) if cell.__class__ is bool else cell for cell in column]
        return cells

    def parse_column(self, name: str, cells: list[object], texts: list[str]) -> list[object]:
        """The parsed value of each cell of one column, a ``ValueError`` where the cell does not read."""
        schema = self.SCHEMA
        if name in schema.dates:
            parse = self.parsers[name] = date_parser()
            return parse_distinct(cells, parse)
        if name in schema.amounts:
            self.parsers[name] = cell_amount
            return parse_amounts(cells, texts)
        special = self.SPECIAL.get(name)
        if special is not None:
            self.parsers[name] = special
            return parse_distinct(cells, special)
        self.parsers[name] = cell_text
        return parse_texts(cells)

    def parse(self, table: Table, data: list[int]) -> _Parsed:
        """The data rows column by column: each mapped column parsed as a whole, a cell that does not read
        left "" and its row marked suspect."""
        columns = self.columns
        data_rows = [table.rows[position] for position in data]
        cells = self.columns_of(data_rows)
        texts = {name: as_texts(column) for name, column in cells.items()} if self.book else cells
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
            value = outcome(self.parsers[name], display(cell) if cell.__class__ is bool else cell)
            if isinstance(value, ValueError):
                problem = Problem(line, self.header_of(name), display(cell), str(value))
                if name not in self.LENIENT:
                    problems.append(problem)
                    continue
                self.result.warnings.append(problem)
                value = "" if name in self.SCHEMA.texts else None
            values[name] = value
        return values, problems

    def preamble(self, table: Table, header_index: int) -> list[tuple[int, str]]:
        """The rows above the header as (line, text), each row's cells joined by spaces, for a reader to
        find what the file says there (an account, a balance)."""
        return [(line, " ".join(text for text in map(display, row) if text))
                for row, line in zip(table.rows[:header_index], table.lines)]

    def skip(self, line: int, row: list[object], why: str, *, remark: bool = False) -> None:
        """Leave a row out, noted in ``skipped``; or, when the user should hear of it (a bank line not booked
        yet), in the remarks (``warnings``) the import shows."""
        first = next((text for text in map(display, row) if text), "")
        (self.result.warnings if remark else self.result.skipped).append(Problem(line, None, first, why))

    def stray(self, line: int, row: list[object]) -> None:
        self.result.rows += 1
        first = next((text for text in map(display, row) if text), "")
        self.result.problems.append(Problem(line, self.header_of(self.IDENTITY), first, self.STRAY))


class _Parsed(NamedTuple):
    """The data rows of a table as ``RowReader.parse`` leaves them."""

    rows: list[list[object]]
    lines: list[int]
    texts: dict[str, list[str]]  # each mapped column as the file writes it
    values: dict[str, list[object]]  # each mapped column parsed
    suspect: set[int]  # the indexes of the rows with a cell that does not read
