"""The accountant's ledger against Encours: which customers the two disagree on at a date.

A FEC gives, per customer, the balance of its 411 account at the file's closing date; Encours' aging at that
date says what the customer owes (open invoices less credit notes and unallocated payments). Right after a
FEC is imported into an empty database the two are equal; later they part when a payment is recorded in
Encours and not yet in the books (or the other way round), an invoice is edited, or another file brings what
the accountant does not know. The owner sees each difference of a cent or more, with both amounts.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal

from app.domain.money import CENT, ZERO


@dataclass(frozen=True)
class LedgerGap:
    """One customer on which the books (``fec``) and Encours (``encours``) disagree; ``difference`` is
    ``fec − encours`` (positive: the accountant says more is owed than Encours does)."""

    customer: Hashable
    fec: Decimal
    encours: Decimal

    @property
    def difference(self) -> Decimal:
        return self.fec - self.encours


def ledger_balances_by(keys: Mapping[str, Hashable], balances: Iterable[tuple[str, Decimal]]) -> dict:
    """The books' balances, by file key, summed per customer of ``keys`` (file key → customer): two accounts
    of the file may be one customer here. Keys the mapping does not know (a customer the import did not
    create) are left out."""
    summed: dict = {}
    for key, amount in balances:
        if key in keys:
            customer = keys[key]
            summed[customer] = summed.get(customer, ZERO) + amount
    return summed


def ledger_gaps(fec: Mapping[Hashable, Decimal], encours: Mapping[Hashable, Decimal]) -> list[LedgerGap]:
    """The customers of ``fec`` (only they: the books do not speak of the others) whose balance differs from
    Encours' by a cent or more, the largest difference first; a customer missing from ``encours`` owes
    nothing there."""
    gaps = [LedgerGap(customer, amount, encours.get(customer, ZERO)) for customer, amount in fec.items()]
    gaps = [gap for gap in gaps if abs(gap.difference) >= CENT]
    return sorted(gaps, key=lambda gap: -abs(gap.difference))
