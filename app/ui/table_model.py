"""A read-only table model over plain rows (frozen dataclasses), its columns declared once.

Each screen declares its columns as ``Column`` values; the model answers display, alignment, colour, a
sort role (the raw value, so amounts sort as numbers and dates as dates) and a row role (the row itself).
The model sorts its own rows with a Python key: letting the proxy sort would call ``data()`` twice per
comparison, half a second for 10 000 customers.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, QSortFilterProxyModel
from PySide6.QtGui import QColor

SORT_ROLE = Qt.ItemDataRole.UserRole + 1
ROW_ROLE = Qt.ItemDataRole.UserRole + 2

Index = QModelIndex | QPersistentModelIndex


@dataclass(frozen=True)
class Column:
    title: str
    value: Callable[[Any], Any]
    text: Callable[[Any], str] = str
    numeric: bool = False
    colour: Callable[[Any], QColor | None] | None = None
    sort_key: Callable[[Any], Any] | None = None
    width: int = 110          # initial width in pixels; the user's own widths are remembered
    stretch: bool = False     # takes the room left (the name column)


class ColumnsModel(QAbstractTableModel):
    """What every table of rows answers from its columns: display, tooltip, alignment, colour, the sort and
    the row roles; a subclass says how many rows there are and which row is at a position (``row_at``)."""

    def __init__(self, columns: Sequence[Column], parent=None) -> None:
        super().__init__(parent)
        self.columns = list(columns)

    def row_at(self, position: int) -> Any:
        raise NotImplementedError

    def columnCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.columns)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row, column = self.row_at(index.row()), self.columns[index.column()]
        if row is None:  # a paged row gone since it was counted
            return None
        if role == Qt.ItemDataRole.DisplayRole or (role == Qt.ItemDataRole.ToolTipRole and not column.numeric):
            value = column.value(row)  # a text (a name, a label, a reason) may be cut: its tooltip is whole
            return "" if value is None else column.text(value)
        if role == SORT_ROLE:
            return (column.sort_key or column.value)(row)
        if role == ROW_ROLE:
            return row
        if role == Qt.ItemDataRole.TextAlignmentRole:
            horizontal = Qt.AlignmentFlag.AlignRight if column.numeric else Qt.AlignmentFlag.AlignLeft
            return int(horizontal | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ForegroundRole and column.colour is not None:
            return column.colour(row)
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal:
            if role == Qt.ItemDataRole.DisplayRole:
                return self.columns[section].title
            if role == Qt.ItemDataRole.TextAlignmentRole and self.columns[section].numeric:
                return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None


class RowTableModel(ColumnsModel):
    def __init__(self, columns: Sequence[Column], parent=None) -> None:
        super().__init__(columns, parent)
        self.rows: list[Any] = []
        self.sorted_by: tuple[int, Qt.SortOrder] | None = None

    def set_rows(self, rows: Sequence[Any]) -> None:
        self.beginResetModel()
        self.rows = list(rows)
        self._sort_rows()
        self.endResetModel()

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        self.layoutAboutToBeChanged.emit()
        self.sorted_by = (column, order) if column >= 0 else None  # -1: the rows' own order
        self._sort_rows()
        self.layoutChanged.emit()

    def _sort_rows(self) -> None:
        if self.sorted_by is None:
            return
        number, order = self.sorted_by
        column = self.columns[number]
        key = column.sort_key or column.value
        self.rows.sort(key=lambda row: sort_key(key(row)), reverse=order == Qt.SortOrder.DescendingOrder)

    def rowCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.rows)

    def row_at(self, position: int) -> Any:
        return self.rows[position]


def sort_key(value: Any) -> tuple[bool, Any]:
    """Missing values first, then the values themselves (amounts as numbers, dates as dates)."""
    return (value is not None, value if value is not None else 0)


class RowFilterProxy(QSortFilterProxyModel):
    """Keeps the rows a predicate accepts (text search, status, overdue...); sorting is passed on to the
    source model, which sorts its rows itself."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.predicate: Callable[[Any], bool] = lambda row: True

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        self.sourceModel().sort(column, order)

    def set_predicate(self, predicate: Callable[[Any], bool]) -> None:
        self.beginFilterChange()
        self.predicate = predicate
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, source_row: int, source_parent: Index) -> bool:
        return self.predicate(self.sourceModel().rows[source_row])
