"""What a customer's guarantees cover of what it owes (DOMAIN.md, Guarantees).

Credit insurance grants a cover (an amount) and pays a percentage of a loss within it: of an exposure E
under a cover C at p %, min(E, C) × p is covered and the rest is not. A bank guarantee is a cover at 100 %.
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
