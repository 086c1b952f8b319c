"""A table written as a spreadsheet (XLSX) or a CSV file, the way a French accountant opens it.

The caller gives raw values (amounts as Decimal, dates as date) and each column's kind, so the file holds
numbers and dates a spreadsheet can sum and sort, not the screen's formatted strings. A text that a
spreadsheet would run as a formula (``=HYPERLINK(...)`` typed as a customer's name, ``+33 6…``, ``-``, ``@``)
stays text: a typed string in XLSX, a leading apostrophe in CSV (OWASP, "CSV injection"). Knows nothing of
Qt, so the window, the command line and the tests write the same file.
"""

from __future__ import annotations

import csv
from collections.abc import Sequence
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from app.jobs import NULL_JOB, Job, JobCancelled

AMOUNT, DATE, NUMBER, TEXT = "amount", "date", "number", "text"
SUFFIXES = (".xlsx", ".csv")
EURO_FORMAT = '#,##0.00 "€"'
DATE_FORMAT, DATETIME_FORMAT = "DD/MM/YYYY", "DD/MM/YYYY HH:MM"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
TOTAL_LABEL = "Total"
STEP = 1000  # rows between two progress reports
MAX_WIDTH = 60


def unknown_suffix(path: Path | str) -> str:
    """The French refusal of a file name that is neither .xlsx nor .csv, or "" when it is one of them."""
    if Path(path).suffix.lower() in SUFFIXES:
        return ""
    return f"« {Path(path).name} » : choisissez un fichier .xlsx (classeur) ou .csv."


def kind_of(values: Sequence[Any]) -> str:
    """A column's kind told by its first value present: Decimal is an amount (the program keeps every
    amount as a Decimal of euros), a date or datetime a date, an int a number, anything else text."""
    first = next((value for value in values if value is not None), None)
    if isinstance(first, bool):
        return TEXT
    if isinstance(first, Decimal):
        return AMOUNT
    if isinstance(first, date):
        return DATE
    if isinstance(first, int | float):
        return NUMBER
    return TEXT


def looks_like_formula(value: Any) -> bool:
    return isinstance(value, str) and value.startswith(FORMULA_STARTS)


def totals(rows: Sequence[Sequence[Any]], kinds: Sequence[str]) -> list[Any] | None:
    """The « Total » row: each amount column summed in Decimal, « Total » in the first column that is not
    an amount; None when no column holds amounts."""
    if AMOUNT not in kinds:
        return None
    row: list[Any] = [sum((r[i] for r in rows if r[i] is not None), Decimal(0)) if kind == AMOUNT else None
                      for i, kind in enumerate(kinds)]
    label = next((i for i, kind in enumerate(kinds) if kind != AMOUNT), None)
    if label is not None:
        row[label] = TOTAL_LABEL
    return row


def write_table(path: Path | str, title: str, headers: Sequence[str], rows: Sequence[Sequence[Any]],
                kinds: Sequence[str], job: Job = NULL_JOB) -> Path:
    """Write ``rows`` under ``headers`` to ``path`` (.xlsx or .csv), a totals row under the amounts."""
    path = Path(path)
    refusal = unknown_suffix(path)
    if refusal:
        raise ValueError(refusal)
    job.start(len(rows), f"Export de {len(rows)} lignes…")
    try:
        if path.suffix.lower() == ".csv":
            _write_csv(path, headers, rows, kinds, job)
        else:
            with path.open("wb") as out:  # a file that cannot be written fails here, before any row is streamed
                _write_xlsx(out, title, headers, rows, kinds, job)
    except JobCancelled:
        path.unlink(missing_ok=True)  # half a table would pass for the whole one
        raise
    return path


def _progress(rows: Sequence[Sequence[Any]], job: Job):
    for number, row in enumerate(rows, 1):
        if number % STEP == 0:
            job.advance(STEP)
        yield row


# CSV ----------------------------------------------------------------------------------------------------------

def _csv_text(value: Any, kind: str) -> str:
    """French CSV: decimal comma without thousands separator (so that Excel and LibreOffice read a
    number), JJ/MM/AAAA dates, formula-looking text behind an apostrophe."""
    if value is None:
        return ""
    if kind == AMOUNT:
        return f"{value:.2f}".replace(".", ",")
    if kind == DATE and isinstance(value, date):
        return value.strftime("%d/%m/%Y %H:%M" if isinstance(value, datetime) else "%d/%m/%Y")
    if kind == NUMBER:
        return str(value).replace(".", ",")
    text = str(value)
    return f"'{text}" if looks_like_formula(text) else text


def _write_csv(path: Path, headers, rows, kinds, job: Job) -> None:
    with path.open("w", encoding="utf-8-sig", newline="") as out:  # the BOM: Excel then reads UTF-8
        writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
        writer.writerow([_csv_text(h, TEXT) for h in headers])
        for row in _progress(rows, job):
            writer.writerow([_csv_text(v, k) for v, k in zip(row, kinds)])
        total = totals(rows, kinds)
        if total is not None:
            writer.writerow([_csv_text(v, k) for v, k in zip(total, kinds)])


# XLSX ---------------------------------------------------------------------------------------------------------

def _sheet_title(title: str) -> str:
    """Excel's rules for a sheet's name: 31 characters at most, none of []:*?/\\."""
    cleaned = "".join(" " if ch in "[]:*?/\\" else ch for ch in title).strip()
    return cleaned[:31] or "Export"


def _widths(headers, rows, kinds) -> list[int]:
    """Each column as wide as its header or its longest value (read on the first rows: a 100 000-row
    table is not measured twice), within reason."""
    widths = [len(h) + (2 if kind == TEXT else 4) for h, kind in zip(headers, kinds)]
    for row in rows[:2000]:
        for i, (value, kind) in enumerate(zip(row, kinds)):
            if value is None:
                continue
            size = 16 if kind == DATE and isinstance(value, datetime) else 11 if kind == DATE else \
                len(f"{value:,.2f}") + 3 if kind == AMOUNT else len(str(value))
            widths[i] = max(widths[i], size + (2 if kind == TEXT else 4))
    return [min(width, MAX_WIDTH) for width in widths]


def _write_xlsx(out, title: str, headers, rows, kinds, job: Job) -> None:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    book = Workbook(write_only=True)  # streams rows to the file: 100 000 rows without a cell object each
    sheet = book.create_sheet(_sheet_title(title))
    sheet.freeze_panes = "A2"
    sheet.print_title_rows = "1:1"  # printed, the headers on every page, the columns across one page's width
    sheet.page_setup.orientation = "landscape" if len(headers) > 5 else "portrait"
    sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight = 1, 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    for number, width in enumerate(_widths(headers, rows, kinds), 1):
        sheet.column_dimensions[get_column_letter(number)].width = width
    bold = Font(bold=True)

    def cell(value: Any, kind: str, font: Font | None = None, align: Alignment | None = None):
        if font is None and (value is None or kind in (TEXT, NUMBER) and not looks_like_formula(value)):
            return value if value is None or kind == NUMBER or isinstance(value, str) else str(value)
        written = WriteOnlyCell(sheet, value if kind != TEXT or value is None else str(value))
        if font is not None:
            written.font = font
        if align is not None:
            written.alignment = align
        if kind == AMOUNT:
            written.number_format = EURO_FORMAT
        elif kind == DATE:
            written.number_format = DATETIME_FORMAT if isinstance(value, datetime) else DATE_FORMAT
        elif looks_like_formula(value):
            written.data_type = "s"  # openpyxl would store "=…" as a formula
            written.quotePrefix = True
        return written

    right = Alignment(horizontal="right")  # a number's header above its figures
    sheet.append([cell(h, TEXT, bold, None if kind == TEXT else right) for h, kind in zip(headers, kinds)])
    try:
        for row in _progress(rows, job):
            sheet.append([cell(v, k) for v, k in zip(row, kinds)])
    except JobCancelled:
        sheet.close()  # ends the rows openpyxl streams to its temporary file
        raise
    total = totals(rows, kinds)
    if total is not None:
        sheet.append([cell(v, k, bold) for v, k in zip(total, kinds)])
    book.save(out)
