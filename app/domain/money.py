"""Money: ``Decimal`` in the code, integer cents in the database, "1 234,56 €" on screen.

No float is ever on the path of an amount: conversions go through ``Decimal`` and round half-up to the
cent, the rounding French accounting uses.
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

CENT = Decimal("0.01")
ZERO = Decimal("0.00")


def to_decimal(value: Decimal | int | str) -> Decimal:
    """A Decimal rounded half-up to the cent, from a Decimal, an int (euros) or a string ("1234.5")."""
    if isinstance(value, float):
        raise TypeError("money is never a float: pass a Decimal or a string")
    try:
        return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)
    except InvalidOperation as exc:
        raise ValueError(f"montant invalide : {value!r}") from exc


def to_cents(value: Decimal | int | str) -> int:
    """Euros (Decimal) to integer cents, rounding half-up: ``to_cents(Decimal("0.005")) == 1``. A Decimal
    takes the short path (imports convert hundreds of thousands of amounts): shifting by two places is
    exact, and only the rounding to a whole number of cents remains."""
    if value.__class__ is Decimal and value.is_finite():
        return int(value.scaleb(2).to_integral_value(ROUND_HALF_UP))
    return int(to_decimal(value) * 100)


def from_cents(cents: int | None) -> Decimal:
    """Integer cents to euros as a Decimal with two places; ``None`` counts as zero."""
    return Decimal(cents or 0).scaleb(-2)  # exact: integer cents always have two places


def format_eur(amount: Decimal | None, *, symbol: bool = True) -> str:
    """French display of an amount: "1 234,56 €" (babel's fr_FR: narrow no-break space as thousands
    separator, no-break space before the euro sign); negative amounts keep their minus sign. Written here
    rather than through babel, which takes 80 µs a call: the cockpit words thousands of amounts (a test
    checks both agree)."""
    value = to_decimal(amount if amount is not None else ZERO)
    text = f"{value if value else ZERO:,.2f}".replace(",", "\u202f").replace(".", ",")
    return f"{text}\u00a0€" if symbol else text


_GROUPED = re.compile(r"^-?\d{1,3}([ .]\d{3})+(,\d{1,2})?$")  # "1 234,56", "1.234.567"
_PLAIN = re.compile(r"^-?\d+([.,]\d{1,2})?$")                 # "1234,5", "1234.56", "-12"


def parse_eur(text: str) -> Decimal:
    """Read an amount typed the French way into a Decimal: "1 234,56", "1.234,56", "1234,5", "1234.56 €".

    Thousands are grouped by spaces (also no-break) or dots, the decimal mark is a comma (or a dot when
    nothing is grouped), at most two decimals. Anything else ("1,234.56", "12,345", "NaN") raises
    ``ValueError`` with a French message rather than being guessed."""
    cleaned = text.strip().replace("€", "").strip()
    for space in ("\u00a0", "\u202f"):
        cleaned = cleaned.replace(space, " ")
    if not cleaned:
        raise ValueError("montant vide")
    if _GROUPED.match(cleaned):
        return to_decimal(cleaned.replace(" ", "").replace(".", "").replace(",", "."))
    if _PLAIN.match(cleaned):
        return to_decimal(cleaned.replace(",", "."))
    raise ValueError(f"« {text.strip()} » n'est pas un montant (exemple : 1 234,56)")


def gross(net: Decimal, vat: Decimal) -> Decimal:
    """The amount TTC of an invoice: HT + TVA, each already rounded to the cent."""
    return to_decimal(net) + to_decimal(vat)


def json_amount(amount: Decimal) -> str:
    """The amount as the command line's JSON writes it: a dot and two decimals, "1234.56"."""
    return str(to_decimal(amount))
