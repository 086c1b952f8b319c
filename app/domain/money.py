"""Money: ``Decimal`` in the code, integer cents in the database, "1 234,56 €" on screen.

No float is ever on the path of an amount: conversions go through ``Decimal`` and round half-up to the
cent, the rounding French accounting uses.
"""

from __future__ import annotations

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
    """Euros (Decimal) to integer cents, rounding half-up: ``to_cents(Decimal("0.005")) == 1``."""
    return int(to_decimal(value) * 100)


def from_cents(cents: int | None) -> Decimal:
    """Integer cents to euros as a Decimal with two places; ``None`` counts as zero."""
    return (Decimal(cents or 0) / 100).quantize(CENT)


def format_eur(amount: Decimal | None, *, symbol: bool = True) -> str:
    """French display of an amount: "1 234,56 €" (babel's fr_FR: narrow no-break space as thousands
    separator, no-break space before the euro sign); negative amounts keep their minus sign."""
    from babel.numbers import format_currency, format_decimal

    value = to_decimal(amount if amount is not None else ZERO)
    if symbol:
        return format_currency(value, "EUR", locale="fr_FR")
    return format_decimal(value, format="#,##0.00", locale="fr_FR")


def parse_eur(text: str) -> Decimal:
    """Read an amount typed the French way ("1 234,56", "1234.5 €", "-12") into a Decimal.

    Raises ``ValueError`` with a French message when the text is not an amount."""
    cleaned = text.strip().replace("€", "")
    for space in (" ", "\u00a0", "\u202f"):
        cleaned = cleaned.replace(space, "")
    if "," in cleaned:
        cleaned = cleaned.replace(".", "").replace(",", ".")
    if not cleaned:
        raise ValueError("montant vide")
    try:
        return to_decimal(cleaned)
    except ValueError:
        raise ValueError(f"« {text} » n'est pas un montant (exemple : 1 234,56)") from None


def json_amount(amount: Decimal) -> str:
    """The amount as the command line's JSON writes it: a dot and two decimals, "1234.56"."""
    return str(to_decimal(amount))
