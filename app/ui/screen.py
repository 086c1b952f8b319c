"""What the screens of the main window share: a title row with actions, a searchable table."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from PySide6.QtCore import QByteArray, Qt, QTimer, Signal
from PySide6.QtWidgets import (QAbstractItemView, QDialog, QHBoxLayout, QHeaderView, QLabel, QLineEdit, QMessageBox,
                               QPushButton, QTableView, QVBoxLayout, QWidget)

from app.domain.text import without_accents
from app.jobs import Job
from app.services.store import read
from app.ui.bootstrap import Context
from app.ui.export import Exportable, add_export
from app.ui.format import LATE
from app.ui.icons import icon
from app.ui.lazy_model import LazyRowModel, PagedSource
from app.ui.table_model import ROW_ROLE, Column, RowFilterProxy, RowTableModel
from app.ui.worker import run_op, run_quietly

T = TypeVar("T")
SEARCH_PAUSE_MS = 300  # a paged table searches once the typing pauses this long


class Screen(QWidget):
    """A page of the main window, titled as in the navigation; ``refresh()`` reloads it from the database
    when it is shown. ``changed`` says the user changed data here (an import, an allocation): the window
    then reads again the counts it shows beside the screens' names."""

    changed = Signal()

    def __init__(self, context: Context, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.title = title
        self.running = None  # the computation or load under way, in a worker
        self.stale = False   # the data may have changed since it started: once more after it
        self.layout_ = QVBoxLayout(self)
        self.layout_.setContentsMargins(18, 14, 18, 14)
        header = QHBoxLayout()
        heading = QLabel(self.title)
        heading.setObjectName("heading")
        header.addWidget(heading)
        header.addStretch(1)
        self.actions_bar = header
        self.layout_.addLayout(header)
        self.problem = QLabel()  # why what the screen shows could not be computed, in place of a dialog
        self.problem.setStyleSheet(f"color: {LATE.name()};")
        self.problem.setWordWrap(True)
        self.problem.hide()
        self.layout_.addWidget(self.problem)

    def refresh(self) -> None:
        """Reload what the screen shows; screens with data override it."""

    def recompute(self, compute: Callable[[Job], T], show: Callable[[T], None], failed: Callable[[str], str],
                  cancelled: Callable[[], str], label: str) -> None:
        """What the screen shows, computed by ``compute(job)`` in a worker behind a progress dialog (a large
        ledger takes seconds), the screen keeping what it showed meanwhile; then ``show(result)``. One at a
        time: a refresh asked meanwhile runs once more after it. « Annuler » stops the work at its next step
        and nothing of it is shown: the screen keeps what it showed, and F5 (or coming back to the screen)
        computes it again. ``compute`` only reads, so its result is dropped safely. A failure or a cancel is
        said under the title (``failed(message)`` and ``cancelled()`` give the French text)."""
        if self.running is not None:
            self.stale = True
            return
        self.stale = False

        def checked(job: Job) -> T:
            result = compute(job)
            job.check()  # « Annuler » pressed during its last part: nothing to show either
            return result

        def done(result: T) -> None:
            self.running = None
            self.problem.hide()
            show(result)
            if self.stale:
                self.refresh()

        def broke(message: str) -> None:
            self.running = None
            self.problem.setText(failed(message))
            self.problem.show()

        def stopped() -> None:
            self.running, self.stale = None, False
            self.problem.setText(cancelled())
            self.problem.show()

        self.running = run_op(self, checked, done, broke, label, on_cancel=stopped)

    def focus_search(self) -> None:
        """Ctrl+F: put the cursor in the screen's search field, if it has one."""

    def exportables(self) -> list[Exportable]:
        """The tables « Exporter… » (Ctrl+E) writes, the default first; a screen with tables calls
        ``add_export(self)`` to get the button and the shortcut."""
        return []

    def open_customer(self, customer_id: int) -> None:
        """A customer's card over the screen (a double-click in one of its lists); the screen reloads when the
        card saves."""
        from app.ui.customer_form import CustomerDialog

        if getattr(self, "dialog", None) is not None:
            self.dialog.deleteLater()  # the previous card, closed by now
        self.dialog = CustomerDialog(self.context, customer_id, self)
        self.dialog.accepted.connect(self.refresh)
        self.dialog.open()


class RowTable(QTableView):
    """A sortable table over plain rows with a filter predicate; emits ``activated_row`` on double-click
    or Enter with the row itself."""

    activated_row = Signal(object)

    def __init__(self, columns: Sequence[Column], parent: QWidget | None = None, sort_column: int = 0,
                 descending: bool = False, lazy: bool = False) -> None:
        super().__init__(parent)
        if lazy:  # paged by the database, which filters and sorts (see lazy_model)
            self.source, self.proxy = LazyRowModel(columns, parent=self), None
            self.setModel(self.source)
            # every row as high as the others: the view never asks a million rows their size
            self.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        else:
            self.source = RowTableModel(columns, self)
            self.proxy = RowFilterProxy(self)
            self.proxy.setSourceModel(self.source)
            self.setModel(self.proxy)
        self.setSortingEnabled(True)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setAlternatingRowColors(True)
        self.verticalHeader().hide()
        self.verticalHeader().setDefaultSectionSize(26)
        self.horizontalHeader().setHighlightSections(False)
        header = self.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(False)
        for number, column in enumerate(columns):
            header.resizeSection(number, column.width)
        self._stretch()
        self.sortByColumn(sort_column, Qt.SortOrder.DescendingOrder if descending else Qt.SortOrder.AscendingOrder)
        self.doubleClicked.connect(lambda index: self.activated_row.emit(index.data(ROW_ROLE)))

    def _stretch(self) -> None:
        for number, column in enumerate(self.source.columns):
            if column.stretch:
                self.horizontalHeader().setSectionResizeMode(number, QHeaderView.ResizeMode.Stretch)

    def restore_state(self, state: QByteArray) -> None:
        """The user's column widths and sort order, the name column still taking the room left."""
        self.horizontalHeader().restoreState(state)
        self._stretch()

    def set_rows(self, rows: Sequence[Any]) -> None:
        self.source.set_rows(rows)

    def keyPressEvent(self, event) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.currentIndex().isValid():
            self.activated_row.emit(self.currentIndex().data(ROW_ROLE))
            return
        super().keyPressEvent(event)

    def visible_rows(self) -> list[Any]:
        """The rows the filters keep, in their sorted order (a paged table's read anew from the database)."""
        if self.proxy is None:
            return self.source.every_row()
        # the proxy's rows mapped to the source's by Qt itself: asking each row's data would call the model's
        # Python ``data`` once per row (0.1 s for the 20 000 customers of a large ledger)
        rows, proxy = self.source.rows, self.proxy
        return [rows[proxy.mapToSource(proxy.index(i, 0)).row()] for i in range(proxy.rowCount())]

    def leading_rows(self, count: int) -> list[Any]:
        """The first ``count`` rows shown, in their order (a paged table reads only their pages)."""
        model = self.model()
        return [model.index(i, 0).data(ROW_ROLE) for i in range(min(count, model.rowCount()))]

    def displayed(self) -> tuple[list[Column], list[Any]]:
        """What an export writes: the columns not hidden, in the order the user dragged them to, and the
        rows the filter keeps, in their sorted order."""
        header = self.horizontalHeader()
        shown = [header.logicalIndex(visual) for visual in range(header.count())]
        return [self.source.columns[i] for i in shown if not header.isSectionHidden(i)], self.visible_rows()

    def exportable(self, name: str) -> Exportable:
        return Exportable(name, self, self.displayed)


class TableScreen(Screen):
    """A screen that is a searchable table with a "Nouveau…" button: subclasses say how to load the rows,
    what the search looks in, which extra filters apply and how a row opens."""

    columns: Sequence[Column] = ()
    sort_column = 0
    sort_descending = False
    search_hint = ""
    new_label = ""
    paged = False  # True: the database filters, sorts and pages the rows (``source``), for the large lists

    def __init__(self, context: Context, title: str, parent: QWidget | None = None) -> None:
        super().__init__(context, title, parent)
        self.search = QLineEdit(placeholderText=f"{self.search_hint} (Ctrl+F)")
        self.search.setClearButtonEnabled(True)
        self.search.setMinimumWidth(340)
        self.actions_bar.addWidget(self.search)
        for widget in self.filters():
            self.actions_bar.addWidget(widget)
        self.new_button = QPushButton(icon("plus"), self.new_label)
        self.new_button.setShortcut("Ctrl+N")
        self.actions_bar.addWidget(self.new_button)
        self.table = RowTable(self.columns, sort_column=self.sort_column, descending=self.sort_descending,
                              lazy=self.paged)
        self.layout_.addWidget(self.table)
        if self.paged:  # each search is a query over the whole ledger: once the typing pauses
            self.pause = QTimer(self, singleShot=True, interval=SEARCH_PAUSE_MS)
            self.pause.timeout.connect(self.apply_filter)
            self.search.textChanged.connect(lambda: self.pause.start())
        else:
            self.search.textChanged.connect(self.apply_filter)
        self.table.activated_row.connect(lambda row: self.open(row.id))
        self.new_button.clicked.connect(lambda: self.open(None))
        add_export(self)

    def exportables(self) -> list[Exportable]:
        return [self.table.exportable(self.title)]

    def filters(self) -> list[QWidget]:
        """Extra filter widgets placed after the search field; they call ``apply_filter`` when changed."""
        return []

    def load(self, session) -> list[Any]:
        raise NotImplementedError

    def haystack(self, row: Any) -> str:
        raise NotImplementedError

    def accepts(self, row: Any) -> bool:
        """The extra filters' verdict on a row."""
        return True

    def card(self, row_id: int | None) -> QDialog:
        """The card (dialog) of a row, or an empty one for ``None``."""
        raise NotImplementedError

    def open(self, row_id: int | None) -> None:
        """Show the card of a row (window-modal, without blocking) and refresh the table once it is saved."""
        if getattr(self, "dialog", None) is not None:
            self.dialog.deleteLater()  # the previous card, closed by now
        self.dialog = self.card(row_id)
        self.dialog.accepted.connect(self.refresh)
        self.dialog.open()

    def source(self) -> PagedSource:
        """A paged screen's rows as its filters keep them now."""
        raise NotImplementedError

    def refresh(self) -> None:
        """A paged list asks the database again for the rows in view; a list held in memory is read in a
        worker (the customers of a large ledger, summed by the database, take a moment): the screen keeps
        the previous rows meanwhile."""
        if self.paged:
            self.apply_filter()
            return
        if self.running is not None:
            self.stale = True  # the data may have changed since that load started: once more after it
            return
        self.stale = False
        db, load = self.context.db, self.load
        self.running = run_quietly(self, lambda: read(db, load), self._loaded, self._failed)

    def _loaded(self, rows: list[Any]) -> None:
        self.running = None
        self.table.set_rows(rows)
        self.apply_filter()
        if self.stale:
            self.refresh()

    def _failed(self, message: str) -> None:
        self.running = None
        QMessageBox.critical(self, "Encours", f"La liste « {self.title} » n'a pas pu être lue ({message}). "
                             "Elle le sera de nouveau à la prochaine ouverture de cet écran.")

    def focus_search(self) -> None:
        self.search.setFocus()
        self.search.selectAll()

    def apply_filter(self) -> None:
        if self.paged:
            self.table.source.set_source(self.source())
            self.filtered()
            return
        words = without_accents(self.search.text()).split()
        self.table.proxy.set_predicate(
            lambda row: self.accepts(row) and all(w in without_accents(self.haystack(row)) for w in words))

    def filtered(self) -> None:
        """A paged screen's rows were filtered anew (to say how many there are)."""
