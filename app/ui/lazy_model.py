"""A table model over a large list that the database pages: it holds the count and a few pages, not the rows.

At 1 000 000 invoices, reading every row into a ``RowTableModel`` takes half a minute and over a gigabyte.
This model asks its source for the count, then for the page of ``PAGE`` rows a position falls in when the
view shows it; the page after a cached one starts from that one's boundary (keyset), any other at its
offset. At most ``KEPT_PAGES`` pages stay cached (the least recently shown go first), so memory stays
bounded wherever the user scrolls. Sorting and filtering are the source's (SQL), never a proxy's (which
would read every row).
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterable, Sequence
from typing import Any, Protocol

from PySide6.QtCore import QModelIndex, Qt

from app.ui.table_model import Column, ColumnsModel, Index

PAGE = 200
KEPT_PAGES = 50


class PagedSource(Protocol):
    """Rows kept by one filter, sorted by a column (its number, descending or not) in the database.
    ``page`` returns the rows and the boundary (cursor) of the last one; ``after`` is the boundary of the
    page before, else ``offset`` applies; ``total`` is the count, which lets the source read a late page
    from the end."""

    def sortable(self, column: int) -> bool: ...

    def count(self) -> int: ...

    def page(self, column: int, descending: bool, offset: int, limit: int, after: Any, total: int
             ) -> tuple[list[Any], Any]: ...

    def every_row(self, column: int, descending: bool) -> Iterable[Any]: ...


class LazyRowModel(ColumnsModel):
    def __init__(self, columns: Sequence[Column], source: PagedSource | None = None, parent=None) -> None:
        super().__init__(columns, parent)
        self.source = source
        self.sorted_by = (0, False)
        self.total = 0
        self.pages: OrderedDict[int, tuple[list[Any], Any]] = OrderedDict()
        if source is not None:
            self.set_source(source)

    def set_source(self, source: PagedSource) -> None:
        """Show what another filter keeps (or the same one read again): the count anew, no page cached."""
        self.beginResetModel()
        self.source = source
        self.pages.clear()
        self.total = source.count()
        self.endResetModel()

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if column < 0 or (self.source is not None and not self.source.sortable(column)):
            return
        self.beginResetModel()
        self.sorted_by = (column, order == Qt.SortOrder.DescendingOrder)
        self.pages.clear()
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else self.total

    def row_at(self, position: int) -> Any:
        number, within = divmod(position, PAGE)
        if number in self.pages:
            self.pages.move_to_end(number)
        else:
            before = self.pages.get(number - 1)
            self.pages[number] = self.source.page(*self.sorted_by, number * PAGE, PAGE,
                                                  before[1] if before else None, self.total)
            while len(self.pages) > KEPT_PAGES:
                self.pages.popitem(last=False)
        rows = self.pages[number][0]
        return rows[within] if within < len(rows) else None

    def every_row(self) -> list[Any]:
        """Every row the filter keeps, in the order shown, read from the source (not from the cache)."""
        return [] if self.source is None else list(self.source.every_row(*self.sorted_by))
