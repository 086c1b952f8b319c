"""Litiges: the contested invoices, open ones first, filterable by assignee; the card opens a dispute on an
invoice, follows it (reason, assignee, note) and closes it with its resolution."""

from __future__ import annotations

from PySide6.QtWidgets import QCheckBox, QComboBox, QDialog, QFormLayout, QLineEdit, QPlainTextEdit, QVBoxLayout

from app.domain.vocabulary import RESOLUTION_LABELS
from app.services.disputes import DisputeInput, DisputeRow, dispute_input, list_disputes, save_dispute
from app.services.store import commit, read
from app.ui.format import AT_RISK, fr_amount, fr_date
from app.ui.forms import DateEdit, FieldMessages, combo_select, dialog_buttons
from app.ui.screen import TableScreen
from app.ui.table_model import Column

DISPUTE_COLUMNS = [
    Column("Facture", lambda r: r.invoice_number, width=120),
    Column("Client", lambda r: r.customer, sort_key=lambda r: r.customer.casefold(), stretch=True),
    Column("Reste dû", lambda r: r.still_due, fr_amount, numeric=True, width=110),
    Column("Motif", lambda r: r.reason, width=240),
    Column("Suivi par", lambda r: r.assignee, width=110),
    Column("Ouvert le", lambda r: r.opened_on, fr_date, width=88),
    Column("Issue", lambda r: r.resolution_label if r.closed_on else "en cours", width=150,
           colour=lambda r: AT_RISK if r.open else None),
]
COL_OPENED = 5


class DisputesScreen(TableScreen):
    columns = DISPUTE_COLUMNS
    sort_column = COL_OPENED
    search_hint = "Facture, client ou motif…"
    new_label = "Nouveau litige"

    def filters(self):
        self.assignee = QComboBox()
        self.assignee.setMinimumWidth(150)
        self.assignee.currentIndexChanged.connect(self.apply_filter)
        self.open_only = QCheckBox("En cours seulement")
        self.open_only.setChecked(True)
        self.open_only.toggled.connect(self.apply_filter)
        return [self.assignee, self.open_only]

    def load(self, session) -> list[DisputeRow]:
        rows = list_disputes(session, self.context.today())
        chosen = self.assignee.currentData()
        self.assignee.blockSignals(True)
        self.assignee.clear()
        self.assignee.addItem("Tous les suivis", None)
        for name in sorted({r.assignee for r in rows if r.assignee}, key=str.casefold):
            self.assignee.addItem(name, name)
        combo_select(self.assignee, chosen)
        self.assignee.blockSignals(False)
        return rows

    def haystack(self, row: DisputeRow) -> str:
        return f"{row.invoice_number} {row.customer} {row.reason}"

    def accepts(self, row: DisputeRow) -> bool:
        assignee = self.assignee.currentData()
        return (not self.open_only.isChecked() or row.open) and (assignee is None or row.assignee == assignee)

    def card(self, row_id: int | None):
        return DisputeDialog(self.context, row_id, self)


class DisputeDialog(QDialog):
    def __init__(self, context, dispute_id: int | None, parent=None) -> None:
        super().__init__(parent)
        self.context, self.dispute_id = context, dispute_id
        self.setWindowTitle("Nouveau litige" if dispute_id is None else "Litige")
        self.setMinimumWidth(520)
        form = QFormLayout()
        self.messages = FieldMessages(form)
        add = self.messages.add
        self.invoice_number = add("invoice_number", "N° de facture *", QLineEdit())
        self.reason = add("reason", "Motif *", QLineEdit(placeholderText="livraison incomplète, prix contesté…"))
        self.assignee = add("assignee", "Suivi par", QLineEdit(placeholderText="le commercial…"))
        self.note = add("note", "Note", QPlainTextEdit())
        self.note.setMaximumHeight(80)
        self.opened_on = add("opened_on", "Ouvert le", DateEdit(context.today()))
        self.closed = QCheckBox("Litige clos")
        form.addRow("", self.closed)
        self.closed_on = add("closed_on", "Clos le", DateEdit(context.today()))
        self.resolution = add("resolution", "Issue", QComboBox())
        self.resolution.addItem("—", "")
        for value, label in RESOLUTION_LABELS.items():
            self.resolution.addItem(label, value.value)
        self.closed.toggled.connect(self._closing)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.messages.general)
        layout.addWidget(dialog_buttons(self, self.save))
        if dispute_id is not None:
            data = read(context.db, dispute_input, dispute_id)
            self.invoice_number.setText(data.invoice_number)
            self.reason.setText(data.reason)
            self.assignee.setText(data.assignee)
            self.note.setPlainText(data.note)
            self.opened_on.set_date(data.opened_on)
            self.closed.setChecked(data.closed_on is not None)
            if data.closed_on is not None:
                self.closed_on.set_date(data.closed_on)
            combo_select(self.resolution, data.resolution)
        self._closing()

    def _closing(self) -> None:
        for widget in (self.closed_on, self.resolution):
            widget.setEnabled(self.closed.isChecked())

    def save(self) -> None:
        closing = self.closed.isChecked()
        data = DisputeInput(self.invoice_number.text(), self.reason.text(), self.assignee.text(),
                            self.note.toPlainText(), self.opened_on.value(),
                            self.closed_on.value() if closing else None,
                            self.resolution.currentData() if closing else "")
        saved, errors = commit(self.context.db, save_dispute, data, self.dispute_id, self.context.today())
        self.messages.show(errors)
        if saved is not None:
            self.accept()
