"""The split of a credit in « À rapprocher »: the open invoices it may go to, each ticked with the amount to
allocate to it, typed from the keyboard. The screen (``app.ui.reconciliation``) asks the services to apply it."""

from __future__ import annotations

from decimal import Decimal

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QStyledItemDelegate, QTableView, QWidget

from app.domain.money import format_eur, parse_eur
from app.services.to_reconcile import Candidate
from app.ui.format import fr_amount, fr_date
from app.ui.forms import AmountEdit
from app.ui.table_model import Column, RowTableModel

COL_CHECK, COL_AMOUNT = 0, 3


class SplitModel(RowTableModel):
    """The open invoices a credit may go to, each with a box to tick and the amount to allocate to it:
    taken from the proposal, or typed by the owner ("Répartir"). Ticking an invoice offers what it still
    owes; the service decides whether the split is acceptable."""

    edited = Signal()
    refused = Signal(str)

    def __init__(self, parent=None) -> None:
        super().__init__((
            Column("Facture", lambda c: c.number, width=110),
            Column("Échéance", lambda c: c.due_date, fr_date, width=84),
            Column("Reste dû", lambda c: c.due, fr_amount, numeric=True, width=104),
            Column("À imputer", lambda c: self.amounts.get(c.invoice_id), fr_amount, numeric=True, width=104),
        ), parent)
        self.amounts: dict[int, Decimal] = {}  # the ticked invoices and their amounts

    def set_candidates(self, rows: list[Candidate], amounts: dict[int, Decimal]) -> None:
        self.amounts = dict(amounts)
        self.set_rows(rows)

    def allocations(self) -> list[tuple[int, Decimal]]:
        return list(self.amounts.items())

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        flags = super().flags(index)
        if index.column() == COL_CHECK:
            flags |= Qt.ItemFlag.ItemIsUserCheckable
        elif index.column() == COL_AMOUNT:
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    def data(self, index, role: int = Qt.ItemDataRole.DisplayRole):
        if index.isValid() and index.column() == COL_CHECK and role == Qt.ItemDataRole.CheckStateRole:
            ticked = self.rows[index.row()].invoice_id in self.amounts
            return Qt.CheckState.Checked if ticked else Qt.CheckState.Unchecked
        if index.isValid() and index.column() == COL_AMOUNT and role == Qt.ItemDataRole.EditRole:
            amount = self.amounts.get(self.rows[index.row()].invoice_id)
            return "" if amount is None else format_eur(amount, symbol=False)
        return super().data(index, role)

    def setData(self, index, value, role: int = Qt.ItemDataRole.EditRole) -> bool:
        candidate = self.rows[index.row()]
        if role == Qt.ItemDataRole.CheckStateRole:
            if Qt.CheckState(value) == Qt.CheckState.Checked:
                self.amounts[candidate.invoice_id] = candidate.due
            else:
                self.amounts.pop(candidate.invoice_id, None)
        elif role == Qt.ItemDataRole.EditRole:
            if not str(value).strip():
                self.amounts.pop(candidate.invoice_id, None)
            else:
                try:
                    typed = parse_eur(str(value))
                    # a credit note gives back: what is typed on it counts against the invoices
                    self.amounts[candidate.invoice_id] = -abs(typed) if candidate.due < 0 else typed
                except ValueError as wrong:
                    self.refused.emit(str(wrong))
                    return False
        else:
            return False
        self.dataChanged.emit(self.index(index.row(), 0), self.index(index.row(), len(self.columns) - 1))
        self.edited.emit()
        return True


class AmountDelegate(QStyledItemDelegate):
    """Amounts typed in the split as in the forms: French format, right-aligned."""

    def createEditor(self, parent, option, index) -> QWidget:
        return AmountEdit(parent)


class SplitView(QTableView):
    """The candidate invoices: Space ticks one, typing edits its amount, Enter (when no amount is being
    typed) confirms the split, as Enter does in the list of credits."""

    confirmed = Signal()

    def __init__(self, model: SplitModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setModel(model)
        self.setItemDelegateForColumn(COL_AMOUNT, AmountDelegate(self))
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.DoubleClicked | QAbstractItemView.EditTrigger.EditKeyPressed
                             | QAbstractItemView.EditTrigger.AnyKeyPressed)
        self.verticalHeader().hide()
        self.verticalHeader().setDefaultSectionSize(26)
        for number, column in enumerate(model.columns):
            self.horizontalHeader().resizeSection(number, column.width)
        self.horizontalHeader().setSectionResizeMode(COL_CHECK, QHeaderView.ResizeMode.Stretch)

    def keyPressEvent(self, event) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.state() != self.State.EditingState:
            self.confirmed.emit()
            return
        super().keyPressEvent(event)
