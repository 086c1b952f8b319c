"""Factures: every invoice and credit note, filterable by status, customer and "en retard"."""

from __future__ import annotations

from PySide6.QtWidgets import QCheckBox, QComboBox

from app.domain.vocabulary import STATUS_LABELS
from app.services.invoices import InvoiceRow, list_invoices
from app.ui.format import LATE, fr_amount, fr_date
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


class InvoicesScreen(TableScreen):
    columns = INVOICE_COLUMNS
    sort_column = COL_DATE
    sort_descending = True
    search_hint = "N° de facture ou client…"
    new_label = "Nouvelle facture"

    def filters(self):
        self.status = QComboBox()
        self.status.addItem("Tous les statuts", None)
        for status, label in STATUS_LABELS.items():
            self.status.addItem(label, status.value)
        self.overdue_only = QCheckBox("En retard seulement")
        self.status.currentIndexChanged.connect(self.apply_filter)
        self.overdue_only.toggled.connect(self.apply_filter)
        return [self.status, self.overdue_only]

    def load(self, session) -> list[InvoiceRow]:
        return list_invoices(session, self.context.today())

    def haystack(self, row: InvoiceRow) -> str:
        return f"{row.number} {row.customer}"

    def accepts(self, row: InvoiceRow) -> bool:
        status = self.status.currentData()
        return (status is None or row.status == status) and (not self.overdue_only.isChecked() or row.overdue)

    def card(self, row_id: int | None):
        from app.ui.invoice_form import InvoiceDialog

        return InvoiceDialog(self.context, row_id, self)
