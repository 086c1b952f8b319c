"""What a customer's guarantees cover of what it owes (DOMAIN.md, Guarantees).

Credit insurance grants a cover (an amount) and pays a percentage of a loss within it: of an exposure E
under a cover C at p %, min(E, C) × p is covered and the rest is not. A bank guarantee is a cover at 100 %.
The uncovered exposure is computed here only, so the alert list, the score and the customer's card say the
same amount.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")


def covered(exposure: Decimal, covers: Iterable[tuple[Decimal, Decimal]]) -> Decimal:
    """The part of ``exposure`` the ``covers`` ((granted amount, share between 0 and 1) each) would pay:
    the sum of min(exposure, amount) × share, never more than the exposure itself."""
    if exposure <= 0:
        return Decimal("0.00")
    total = sum((min(exposure, amount) * share for amount, share in covers), Decimal(0))
    return min(exposure, total).quantize(CENT, rounding=ROUND_HALF_UP)


def not_covered(exposure: Decimal, covered_amount: Decimal | None) -> Decimal:
    """The uncovered exposure once ``covered_amount`` (``covered``; None: no guarantee) is known:
    exposure − what the guarantees pay, nothing when nothing is owed."""
    if exposure <= 0:
        return Decimal("0.00")
    return exposure - min(exposure, max(covered_amount or Decimal(0), Decimal(0)))


def uncovered(exposure: Decimal, covers: Iterable[tuple[Decimal, Decimal]]) -> Decimal:
    """The uncovered exposure (DOMAIN.md): exposure − min(exposure, cover) × %, summed over the covers.
    Under 10 000 € insured at 90 %, 12 000 € owed leave 12 000 − 9 000 = 3 000 € uncovered, not the
    2 000 € over the cover: the insurer never pays the last 10 % either."""
    return not_covered(exposure, covered(exposure, covers))
