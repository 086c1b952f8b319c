"""One customer's open items as the matcher allocates a run of credits to them (``app.domain.matching``):
what each still owes, the oldest-first sums in a Fenwick tree and the invoices by amount, so that a run stays
linear in credits and invoices."""

from __future__ import annotations

import heapq
from collections.abc import Iterable
from datetime import date
from typing import TYPE_CHECKING

from app.domain.money import to_cents

if TYPE_CHECKING:
    from app.domain.matching import OpenItem


class Column:
    """One kind of open item of one customer (invoices, or credit notes), oldest first, as a run pays
    them: what each still owes in cents (positive), their prefix sums in a Fenwick tree, and skip links
    past the settled ones (path-compressed), so that neither sums nor walks slow down as items are paid."""

    __slots__ = ("items", "owed", "tree", "skip", "top")

    def __init__(self, items: list[OpenItem], owed: list[int]) -> None:
        self.items, self.owed = items, owed
        size = len(owed)
        tree = [0] * (size + 1)
        for i, value in enumerate(owed, 1):
            tree[i] += value
            if (parent := i + (i & -i)) <= size:
                tree[parent] += tree[i]
        self.tree, self.skip, self.top = tree, list(range(size + 1)), 1 << size.bit_length()

    def copy(self) -> Column:
        twin = Column.__new__(Column)
        twin.items, twin.top = self.items, self.top
        twin.owed, twin.tree, twin.skip = self.owed.copy(), self.tree.copy(), self.skip.copy()
        return twin

    def first(self, start: int = 0) -> int:
        """The first open position from ``start`` (the number of items when none is left)."""
        root, skip = start, self.skip
        while skip[root] != root:
            root = skip[root]
        while skip[start] != root:
            skip[start], start = root, skip[start]
        return root

    def open_until(self, last: int) -> list[int]:
        positions, position = [], self.first()
        while position <= last:
            positions.append(position)
            position = self.first(position + 1)
        return positions

    def take(self, position: int, cents: int) -> None:
        self.owed[position] -= cents
        if not self.owed[position]:
            self.skip[position] = position + 1
        i, tree = position + 1, self.tree
        while i < len(tree):
            tree[i] -= cents
            i += i & -i

    def reach(self, target: int) -> int | None:
        """The position whose prefix sum (every open item up to it) is exactly ``target``, or None."""
        if target <= 0:
            return None
        position, rest, step, tree = 0, target, self.top, self.tree
        while step:
            if (ahead := position + step) < len(tree) and tree[ahead] < rest:
                position, rest = ahead, rest - tree[ahead]
            step >>= 1
        return position if position < len(self.owed) and self.owed[position] == rest else None


class Ledger:
    """One customer's open items: the Book's as they stand (never changed), or a run's copy of them as it
    allocates: what each still owes, and the invoices by amount (a heap of positions per amount, oldest
    first, stale entries dropped lazily; a copy copies a heap only when it changes it)."""

    __slots__ = ("invoices", "notes", "where", "by_amount", "counts", "own")

    def __init__(self, items: Iterable[OpenItem]) -> None:
        invoices, notes, where = [], [], {}
        for item in items:
            column = invoices if item.due > 0 else notes
            where[item.invoice_id] = (column is invoices, len(column))
            column.append(item)
        self.invoices = Column(invoices, [to_cents(i.due) for i in invoices])
        self.notes = Column(notes, [-to_cents(n.due) for n in notes])
        self.where = where
        self.by_amount: dict[int, list[int]] = {}
        self.counts: dict[int, int] = {}
        self.own: set[int] = set()
        for position, cents in enumerate(self.invoices.owed):
            self.by_amount.setdefault(cents, []).append(position)  # ascending: already a heap
            self.counts[cents] = self.counts.get(cents, 0) + 1

    def copy(self) -> Ledger:
        twin = Ledger.__new__(Ledger)
        twin.invoices, twin.notes, twin.where = self.invoices.copy(), self.notes.copy(), self.where
        twin.by_amount, twin.counts, twin.own = self.by_amount.copy(), self.counts.copy(), set()
        return twin

    def _heap(self, cents: int) -> list[int]:
        """The heap of ``cents``, this ledger's own before it is changed."""
        if cents not in self.own:
            self.by_amount[cents] = self.by_amount.get(cents, []).copy()
            self.own.add(cents)
        return self.by_amount[cents]

    def due(self, invoice_id: int) -> int:
        """What the item still owes in cents: negative for a credit note, 0 once settled."""
        is_invoice, position = self.where[invoice_id]
        return self.invoices.owed[position] if is_invoice else -self.notes.owed[position]

    def take(self, invoice_id: int, cents: int) -> None:
        """Book an allocation (negative for a credit note used)."""
        is_invoice, position = self.where[invoice_id]
        if not is_invoice:
            self.notes.take(position, -cents)
            return
        before = self.invoices.owed[position]
        self.counts[before] -= 1
        self.invoices.take(position, cents)
        if after := before - cents:
            self.counts[after] = self.counts.get(after, 0) + 1
            heapq.heappush(self._heap(after), position)

    def exact(self, cents: int) -> tuple[OpenItem, int] | None:
        """The oldest open invoice owing exactly ``cents``, and how many do."""
        if not self.counts.get(cents):
            return None
        heap, owed = self.by_amount[cents], self.invoices.owed
        if owed[heap[0]] != cents:
            heap = self._heap(cents)
            while owed[heap[0]] != cents:
                heapq.heappop(heap)
        return self.invoices.items[heap[0]], self.counts[cents]

    def oldest_sum(self, cents: int) -> tuple[list[OpenItem], list[OpenItem]] | None:
        """The oldest invoices whose dues, less those of the oldest credit notes, make ``cents`` exactly:
        two invoices or more, or credit notes deducted (one invoice alone is ``exact``). Fewest credit
        notes first."""
        invoices, notes = self.invoices, self.notes
        deducted, given_back, position = [], 0, notes.first()
        while True:
            last = invoices.reach(cents + given_back)
            if last is not None and (deducted or last != invoices.first()):
                return ([invoices.items[p] for p in invoices.open_until(last)],
                        [notes.items[p] for p in deducted])
            if position >= len(notes.owed):
                return None
            deducted.append(position)
            given_back += notes.owed[position]
            position = notes.first(position + 1)

    def has_open(self) -> bool:
        return self.invoices.first() < len(self.invoices.owed) or self.notes.first() < len(self.notes.owed)



NOTHING = Ledger(())


def age(item: OpenItem) -> tuple[date, date, int]:
    """Oldest first: due date, then issue date (then id, so that the order is always the same)."""
    return item.due_date, item.issue_date, item.invoice_id
