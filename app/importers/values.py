"""Reading the amounts and dates that French exports write, the ugly ones included.

Amounts: "1 234,56", "1\u202f234,56 €", "1.234,56", "-12,5", "(12,50)", "12,50-", "+000001107,13",
"1234.56". Dates: 31/12/2026, 31/12/26, 2026-12-31, 20261231, and Excel serial numbers (46022). Each
function raises ``ValueError`` with the French words of what was expected; readers turn it into a located
``Problem``.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

CENT = Decimal("0.01")
EXCEL_EPOCH = date(1899, 12, 30)  # Excel's day 0 (it counts 1900 as a leap year, hence the 30th)
_SPACES = re.compile(r"[\s\u00a0\u202f']")
_NUMBER = re.compile(r"^\d+(\.\d+)?$")


def parse_amount(text: str) -> Decimal:
    """An amount in euros, rounded half-up to the cent; see the module docstring for the forms read."""
    raw = str(text).strip()
    cleaned = _SPACES.sub("", raw.replace("€", "").replace("EUR", ""))
    negative = False
    if cleaned.startswith("(") and cleaned.endswith(")"):
        negative, cleaned = True, cleaned[1:-1]
    if cleaned.endswith("-"):
        negative, cleaned = True, cleaned[:-1]
    if cleaned.startswith(("-", "+")):
        negative, cleaned = negative ^ (cleaned[0] == "-"), cleaned[1:]
    if "," in cleaned and "." in cleaned:  # the last mark is the decimal one: 1.234,56 or 1,234.56
        decimal_mark = "," if cleaned.rfind(",") > cleaned.rfind(".") else "."
        thousands = "." if decimal_mark == "," else ","
        cleaned = cleaned.replace(thousands, "").replace(decimal_mark, ".")
    elif "," in cleaned:
        cleaned = cleaned.replace(",", ".")
    elif re.fullmatch(r"\d{1,3}(\.\d{3})+", cleaned):  # 1.234 or 1.234.567: dots group thousands
        cleaned = cleaned.replace(".", "")
    if not _NUMBER.match(cleaned):
        raise ValueError("n'est pas un montant (attendu par exemple 1 234,56)")
    try:
        value = Decimal(cleaned).quantize(CENT, rounding=ROUND_HALF_UP)
    except InvalidOperation:
        raise ValueError("n'est pas un montant (attendu par exemple 1 234,56)") from None
    return -value if negative else value


def amount_from_cell(value: object) -> Decimal:
    """An amount from a spreadsheet cell: text is parsed as above; a number stored by Excel (a binary
    float, the file's own representation) goes through its shortest decimal repr, then to the cent."""
    if isinstance(value, bool):
        raise ValueError("n'est pas un montant (une case à cocher ?)")
    if isinstance(value, (int, Decimal, float)):
        number = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)  # float-ok: the cell
        if not number.is_finite():
            raise ValueError("n'est pas un montant (attendu par exemple 1 234,56)")
        return number.quantize(CENT, rounding=ROUND_HALF_UP)
    return parse_amount(str(value))


_DATE_FORMATS = ("%d/%m/%Y", "%d/%m/%y", "%Y-%m-%d", "%Y%m%d", "%d-%m-%Y", "%d.%m.%Y")
# a time after the date, as banks and payment platforms stamp their lines ("23/11/2026 10:02", "à 10h02",
# "2026-11-23T10:02:59.000Z", "+01:00"): the day written is the date, whatever the time zone
_WITH_TIME = re.compile(r"(\S+?)(?:T|\s+(?:à\s+)?)\d{1,2}[:h]\d{2}(?::\d{2}(?:[.,]\d+)?)?\s*(?:Z|[+-]\d{2}:?\d{2})?",
                        re.IGNORECASE)


def parse_date(text: object) -> date:
    """A date as exports write it, or an Excel serial day number."""
    if isinstance(text, datetime):
        return text.date()
    if isinstance(text, date):
        return text
    if isinstance(text, (int, float)) and not isinstance(text, bool):
        if text != text or text in (float("inf"), float("-inf")):  # float-ok: NaN or infinite cell
            raise ValueError("n'est pas une date (attendu JJ/MM/AAAA)")
        return excel_serial(int(text))
    raw = str(text).strip()
    if re.fullmatch(r"\d{5}(\.0+)?", raw):
        return excel_serial(int(float(raw)))  # float-ok: a day number, not money
    stamped = _WITH_TIME.fullmatch(raw)
    if stamped:
        raw = stamped.group(1)
    for fmt in _DATE_FORMATS:
        try:
            return datetime.strptime(raw, fmt).date()
        except ValueError:
            continue
    raise ValueError("n'est pas une date (attendu JJ/MM/AAAA)")


def excel_serial(days: int) -> date:
    """Excel's serial day number (1 = 01/01/1900) as a date; only plausible business dates are accepted."""
    if not 20000 <= days <= 80000:  # 1954 .. 2119
        raise ValueError("n'est pas une date (attendu JJ/MM/AAAA)")
    return EXCEL_EPOCH + timedelta(days=days)


def text_of(data: bytes) -> str:
    """The bytes of a text file as text: UTF-8 (with or without BOM), else Windows-1252, else latin-1, which
    reads any byte (French banks and accounting programs write one of these; a byte Windows-1252 leaves
    undefined means the file is in latin-1)."""
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1")
