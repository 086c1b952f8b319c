"""Factures: the invoices and credit notes still open (or all of them), filterable by status, customer and
"en retard". A ledger may hold a million of them: the database counts, filters, sorts and pages them
(``services.invoice_pages``), the table holds only the pages in view."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from PySide6.QtWidgets import QCheckBox, QComboBox, QLabel

from app.domain.vocabulary import STATUS_LABELS
from app.services import invoice_pages
from app.services.invoice_pages import InvoiceFilter, InvoiceSort
from app.services.invoices import InvoiceRow
from app.services.store import Database, read
from app.ui.format import LATE, fr_amount, fr_count, fr_date
from app.ui.screen import TableScreen
from app.ui.table_model import Column


def _late_colour(row: InvoiceRow):
    return LATE if row.overdue else None


INVOICE_COLUMNS = [
    Column("N°", lambda r: r.number, width=115),
    Column("Type", lambda r: "Avoir" if r.is_credit_note else "Facture", width=64),
    Column("Client", lambda r: r.customer, sort_key=lambda r: r.customer.casefold(), stretch=True),
    Column("Date", lambda r: r.issue_date, fr_date, width=88),
    Column("Échéance", lambda r: r.due_date, fr_date, colour=_late_colour, width=88),
    Column("Montant TTC", lambda r: r.total, fr_amount, numeric=True, width=112),
    Column("Reste dû", lambda r: r.still_due, fr_amount, numeric=True, colour=_late_colour, width=112),
    Column("Retard", lambda r: r.days_late, lambda d: f"{d} j" if d else "", numeric=True, colour=_late_colour,
           width=64),
    Column("Statut", lambda r: r.status_label, width=96),
]
(COL_NUMBER, COL_KIND, COL_CUSTOMER, COL_DATE, COL_DUE, COL_TOTAL, COL_STILL_DUE, COL_LATE,
 COL_STATUS) = range(len(INVOICE_COLUMNS))
SORT_KEYS = invoice_pages.SORTS  # the service's sort of each column, in the columns' order
OPEN, ALL = "open", "all"  # the first two entries of the status list


@dataclass(frozen=True)
class InvoiceSource:
    """The invoices one filter keeps, read from the database a page at a time (see ``lazy_model``)."""

    db: Database
    at: date
    kept: InvoiceFilter

    def sortable(self, column: int) -> bool:
        return 0 <= column < len(SORT_KEYS)

    def count(self) -> int:
        return read(self.db, invoice_pages.count, self.at, self.kept)

    def page(self, column: int, descending: bool, offset: int, limit: int, after: Any, total: int):
        return read(self.db, invoice_pages.page, self.at, self.kept, InvoiceSort(SORT_KEYS[column], descending),
                    offset, limit, after, total)

    def every_row(self, column: int, descending: bool) -> Iterable[InvoiceRow]:
        return read(self.db, lambda s: list(invoice_pages.every_row(s, self.at, self.kept,
                                                                     InvoiceSort(SORT_KEYS[column], descending))))


class InvoicesScreen(TableScreen):
    columns = INVOICE_COLUMNS
    sort_column = COL_DATE
    sort_descending = True
    search_hint = "N° de facture ou client…"
    new_label = "Nouvelle facture"
    paged = True

    def filters(self):
        self.status = QComboBox()
        self.status.addItem("Factures ouvertes", OPEN)
        self.status.addItem("Toutes les factures", ALL)
        for status, label in STATUS_LABELS.items():
            self.status.addItem(label, status.value)
        self.status.setToolTip("Ouvertes : ce qui reste dû (factures non soldées, avoirs non utilisés)")
        self.overdue_only = QCheckBox("En retard seulement")
        self.counted = QLabel()
        self.counted.setObjectName("muted")
        self.status.currentIndexChanged.connect(self.apply_filter)
        self.overdue_only.toggled.connect(self.apply_filter)
        return [self.status, self.overdue_only, self.counted]

    def kept(self) -> InvoiceFilter:
        chosen = self.status.currentData()
        return InvoiceFilter(open_only=chosen == OPEN, status=None if chosen in (OPEN, ALL) else chosen,
                             overdue_only=self.overdue_only.isChecked(), search=self.search.text())

    def source(self) -> InvoiceSource:
        return InvoiceSource(self.context.db, self.context.today(), self.kept())

    def filtered(self) -> None:
        count = self.table.source.rowCount()
        self.counted.setText(fr_count(count, "facture"))

    def card(self, row_id: int | None):
        from app.ui.invoice_form import InvoiceDialog

        return InvoiceDialog(self.context, row_id, self)
