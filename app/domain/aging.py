"""Amounts still due and the aging balance (balance âgée) at any date.

Every open item sits in the bucket of its own due date (DOMAIN.md, Indicators): an invoice by its due date,
an unallocated credit note by its due date, an unallocated payment by its payment date, the last two as
negative amounts. An item's settlements (allocations) count only once their date is reached, so the
balance at a past date shows what was still due then.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from dataclasses import dataclass, field
from functools import cached_property
from typing import NamedTuple
from datetime import date
from decimal import Decimal

from app.domain.money import ZERO

BUCKETS = ("not_due", "1_30", "31_60", "61_90", "over_90")
BUCKET_LABELS = {
    "not_due": "Non échu",
    "1_30": "1 à 30 j",
    "31_60": "31 à 60 j",
    "61_90": "61 à 90 j",
    "over_90": "Plus de 90 j",
}


class Settlement(NamedTuple):
    """Part of an item settled on a date (a payment or credit note allocated to it), same sign as the item."""

    on: date
    amount: Decimal


class OpenItem(NamedTuple):
    """One line of a customer's account: an invoice (positive), a credit note or a payment (negative).

    ``booked`` is when the item came into existence (issue date, payment date); ``due`` is what places it
    in a bucket; ``key`` says which record it stands for. A named tuple, not a dataclass: the aging of a
    large ledger builds tens of thousands of them."""

    customer: Hashable
    booked: date
    due: date
    amount: Decimal
    settlements: tuple[Settlement, ...] = ()
    key: Hashable = None


def still_due(item: OpenItem, at: date) -> Decimal:
    """What remains of ``item`` at the end of day ``at``: its amount less what was settled by then,
    zero when it did not exist yet."""
    if item.booked > at:
        return ZERO
    return item.amount - sum((s.amount for s in item.settlements if s.on <= at), ZERO)


def days_past_due(due: date, at: date) -> int:
    """Days late at ``at`` (zero or negative when not yet due)."""
    return (at - due).days


def bucket_of(due: date, at: date) -> str:
    """The bucket of an item due on ``due``, seen at ``at``: not due until the due date itself."""
    late = days_past_due(due, at)
    if late <= 0:
        return "not_due"
    if late <= 30:
        return "1_30"
    if late <= 60:
        return "31_60"
    if late <= 90:
        return "61_90"
    return "over_90"


@dataclass(frozen=True)
class Buckets:
    """Amounts by bucket; ``total`` is their sum."""

    amounts: dict[str, Decimal] = field(default_factory=lambda: dict.fromkeys(BUCKETS, ZERO))

    @cached_property  # read again and again by the cockpit (scores, alerts, ranking); the amounts never change
    def total(self) -> Decimal:
        """Everything still due, all buckets (negative items included)."""
        return sum(self.amounts.values(), ZERO)

    @property
    def overdue(self) -> Decimal:
        """What is past its due date: the total less the "not due" bucket."""
        return self.total - self.amounts["not_due"]

    def __getitem__(self, bucket: str) -> Decimal:
        return self.amounts[bucket]


@dataclass(frozen=True)
class AgingBalance:
    """The aging balance at ``at``: in total and by customer (only customers with something still due)."""

    at: date
    total: Buckets
    by_customer: dict[Hashable, Buckets]


def aging_balance(items: Iterable[OpenItem], at: date) -> AgingBalance:
    """Sort every item's amount still due at ``at`` into the bucket of its due date."""
    total = dict.fromkeys(BUCKETS, ZERO)
    per_customer: dict[Hashable, dict[str, Decimal]] = {}
    for item in items:
        remaining = still_due(item, at)
        if not remaining:
            continue
        bucket = bucket_of(item.due, at)
        total[bucket] += remaining
        customer = per_customer.setdefault(item.customer, dict.fromkeys(BUCKETS, ZERO))
        customer[bucket] += remaining
    return AgingBalance(
        at=at,
        total=Buckets(total),
        by_customer={key: Buckets(amounts) for key, amounts in per_customer.items()},
    )
