"""Reading the amounts and dates that French exports write, the ugly ones included.

Amounts: "1 234,56", "1\u202f234,56 €", "1.234,56", "-12,5", "(12,50)", "12,50-", "+000001107,13",
"1234.56". Dates: 31/12/2026, 31/12/26, 2026-12-31, 20261231, and Excel serial numbers (46022). Each
function raises ``ValueError`` with the French words of what was expected; readers turn it into a located
``Problem``.

A value is read exactly or refused, never altered (issue 17): an amount has at most two decimals (« 12,345 »
is refused, not rounded to 12,35; trailing zeros, « 12,340 », are exact) and stays below ``MAX_AMOUNT``; a
date is day first, an impossible one (« 31/02/2026 », a month above 12 as in the US « 03/15/2026 ») is
refused, never turned around, and its year lies in ``YEARS``.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation

CENT = Decimal("0.01")
EXCEL_EPOCH = date(1899, 12, 30)  # Excel's day 0 (it counts 1900 as a leap year, hence the 30th)
_SPACES = re.compile(r"[\s\u00a0\u202f']")
_NUMBER = re.compile(r"^\d+(\.\d+)?$")
MAX_AMOUNT = Decimal(10) ** 12  # 1 000 milliards d'euros: beyond, a typo or a column mistaken (never a bill)
YEARS = (1990, 2100)  # a business date's plausible years; outside, a typo (9999, 0026)
NOT_AMOUNT = "n'est pas un montant (attendu par exemple 1 234,56)"
TOO_PRECISE = "n'est pas accepté : un montant a au plus deux décimales (attendu par exemple 1 234,56)"
TOO_LARGE = "n'est pas un montant plausible (attendu moins de 1 000 milliards d'euros)"
NOT_DATE = "n'est pas une date (attendu JJ/MM/AAAA)"


def exact_amount(number: Decimal) -> Decimal:
    """``number`` in cents, when it is one exactly and plausible; else ``ValueError`` saying why."""
    if not number.is_finite():
        raise ValueError(NOT_AMOUNT)
    if abs(number) >= MAX_AMOUNT:
        raise ValueError(TOO_LARGE)
    cents = number.quantize(CENT)
    if cents != number:
        raise ValueError(TOO_PRECISE)
    return cents


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
        raise ValueError(NOT_AMOUNT)
    if len(cleaned.split(".")[0].lstrip("0")) > 12:
        raise ValueError(TOO_LARGE)
    try:
        value = exact_amount(Decimal(cleaned))
    except InvalidOperation:
        raise ValueError(NOT_AMOUNT) from None
    return -value if negative else value


def amount_from_cell(value: object) -> Decimal:
    """An amount from a spreadsheet cell: text is parsed as above; a number stored by Excel (a binary
    float, the file's own representation) goes through its shortest decimal repr, or through the 15
    significant digits Excel shows when a formula left binary noise (119.60000000000001 is 119,60): then it
    must be cents exactly, as ``exact_amount`` says."""
    if isinstance(value, bool):
        raise ValueError("n'est pas un montant (une case à cocher ?)")
    if isinstance(value, (int, Decimal, float)):
        number = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)  # float-ok: the cell
        if not number.is_finite():
            raise ValueError(NOT_AMOUNT)
        if isinstance(value, float) and number.as_tuple().exponent < -2 and abs(number) < MAX_AMOUNT:
            shown = Decimal(f"{value:.15g}")  # float-ok: Excel's own precision
            if shown == shown.quantize(CENT):
                number = shown
        return exact_amount(number)
    return parse_amount(str(value))


_DATE_FORMATS = ("%d/%m/%Y", "%d/%m/%y", "%Y-%m-%d", "%Y%m%d", "%d-%m-%Y", "%d.%m.%Y")
# a time after the date, as banks and payment platforms stamp their lines ("23/11/2026 10:02", "à 10h02",
# "2026-11-23T10:02:59.000Z", "+01:00"): the day written is the date, whatever the time zone
_WITH_TIME = re.compile(r"(\S+?)(?:T|\s+(?:à\s+)?)\d{1,2}[:h]\d{2}(?::\d{2}(?:[.,]\d+)?)?\s*(?:Z|[+-]\d{2}:?\d{2})?",
                        re.IGNORECASE)


def parse_date(text: object) -> date:
    """A date as exports write it, or an Excel serial day number; its year in ``YEARS``."""
    return plausible(_parse_date(text))


def plausible(day: date) -> date:
    """``day`` when its year lies in ``YEARS``; else ``ValueError``."""
    if not YEARS[0] <= day.year <= YEARS[1]:
        raise ValueError(f"n'est pas une date plausible : l'année va de {YEARS[0]} à {YEARS[1]} "
                         "(attendu JJ/MM/AAAA)")
    return day


def _parse_date(text: object) -> date:
    if isinstance(text, datetime):
        return text.date()
    if isinstance(text, date):
        return text
    if isinstance(text, (int, float)) and not isinstance(text, bool):
        if text != text or text in (float("inf"), float("-inf")):  # float-ok: NaN or infinite cell
            raise ValueError(NOT_DATE)
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
    raise ValueError(_why_not_date(raw))


_DAY_FIRST = re.compile(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{2}|\d{4})")
_YEAR_FIRST = re.compile(r"(\d{4})-?(\d{2})-?(\d{2})")


def _why_not_date(raw: str) -> str:
    """Why ``raw``, which reads as no date, is none: a month above 12 (« 03/15/2026 », an American date,
    is never turned around), a day its month does not have, or not a date at all."""
    found = _DAY_FIRST.fullmatch(raw)
    day_month = (found.group(1), found.group(2)) if found else None
    first = ", le jour s'écrit en premier" if found else ""
    if day_month is None and (found := _YEAR_FIRST.fullmatch(raw)):
        day_month = (found.group(3), found.group(2))
    if day_month is None:
        return NOT_DATE
    day, month = map(int, day_month)
    if not 1 <= month <= 12:
        return f"n'est pas une date : le mois ({month}) va de 1 à 12{first} (attendu JJ/MM/AAAA)"
    return f"n'est pas une date : le jour {day} n'existe pas dans ce mois (attendu JJ/MM/AAAA)"


def excel_serial(days: int) -> date:
    """Excel's serial day number (1 = 01/01/1900) as a date; only plausible business dates are accepted."""
    if not 20000 <= days <= 80000:  # 1954 .. 2119
        raise ValueError(NOT_DATE)
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
