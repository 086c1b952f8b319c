"""The invoice card: number, customer, dates, amounts HT/TVA/TTC, status, and what settled it."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (QComboBox, QDialog, QFormLayout, QLabel, QLineEdit, QMessageBox, QPushButton,
                               QVBoxLayout, QWidget)

from app.domain.money import gross
from app.domain.vocabulary import STATUS_LABELS, InvoiceKind, InvoiceStatus
from app.services.customers import customer_choices
from app.services.edits import Conflict
from app.services.invoices import InvoiceInput, invoice_card, save_invoice, suggested_due_date
from app.services.reconciliation import unallocate
from app.services.store import commit, read
from app.ui.format import LATE, fr_amount, fr_date
from app.ui.forms import (AmountEdit, DateEdit, FieldMessages, combo_select, customer_picker, dialog_buttons,
                          offer_reload)
from app.ui.reconciliation import take_back_confirmed
from app.ui.screen import RowTable
from app.ui.table_model import ROW_ROLE, Column

SETTLEMENT_COLUMNS = [
    Column("Date", lambda a: a.on, fr_date, width=90),
    Column("Origine", lambda a: a.origin, stretch=True),
    Column("Montant", lambda a: a.amount, fr_amount, numeric=True, width=110),
]


class InvoiceDialog(QDialog):
    def __init__(self, context, invoice_id: int | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.invoice_id = invoice_id
        self.version: int | None = None  # the invoice's as loaded: a save over a newer one is refused
        self.setWindowTitle("Nouvelle facture" if invoice_id is None else "Facture")
        self.resize(640, 560)
        form = QFormLayout()
        self.messages = FieldMessages(form)
        add = self.messages.add
        self.number = add("number", "N° *", QLineEdit())
        self.kind = add("kind", "Type", QComboBox())
        self.kind.addItem("Facture", InvoiceKind.INVOICE.value)
        self.kind.addItem("Avoir", InvoiceKind.CREDIT_NOTE.value)
        self.customer = add("customer", "Client *", customer_picker())
        self.issue_date = add("issue_date", "Date de facture", DateEdit())
        self.due_date = add("due_date", "Échéance", DateEdit())
        self.net = add("net", "Montant HT (€)", AmountEdit())
        self.vat = add("vat", "TVA (€)", AmountEdit())
        self.total = add("total", "Montant TTC", QLabel())
        self.remaining = add("remaining", "Reste dû", QLabel())
        self.late = add("late", "Retard", QLabel())
        for edit in (self.net, self.vat, self.total, self.remaining, self.late):
            edit.setFixedWidth(160)
            edit.setAlignment(Qt.AlignmentFlag.AlignRight)
        self.status = add("status", "Statut", QComboBox())
        for status, label in STATUS_LABELS.items():
            self.status.addItem(label, status.value)
        self.allocations = RowTable(SETTLEMENT_COLUMNS)
        self.allocations.setMaximumHeight(150)
        self.unallocate_button = QPushButton("Annuler l'imputation")
        self.unallocate_button.setToolTip("Reprendre ce règlement : la facture est de nouveau due, le règlement "
                                          "revient dans « À rapprocher »")
        self.unallocate_button.setEnabled(False)
        self.unallocate_button.clicked.connect(self.unallocate)
        self.allocations.selectionModel().selectionChanged.connect(
            lambda *_: self.unallocate_button.setEnabled(self._selected_payment() is not None))

        buttons = dialog_buttons(self, self.save)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(QLabel("Règlements et avoirs imputés"))
        layout.addWidget(self.allocations)
        layout.addWidget(self.unallocate_button, alignment=Qt.AlignmentFlag.AlignRight)
        layout.addWidget(self.messages.general)
        layout.addWidget(buttons)

        self.net.textChanged.connect(self.update_total)
        self.vat.textChanged.connect(self.update_total)
        self.customer.currentIndexChanged.connect(self.suggest_due_date)
        self.issue_date.dateChanged.connect(self.suggest_due_date)
        self.load()

    def load(self) -> None:
        db = self.context.db
        for customer_id, name in read(db, customer_choices):
            self.customer.addItem(name, customer_id)
        self.customer.setCurrentIndex(-1)
        if self.invoice_id is None:
            return
        self.load_card()

    def load_card(self) -> None:
        """The invoice as it stands: its fields, what remains due and its allocations."""
        card = read(self.context.db, invoice_card, self.invoice_id, self.context.today())
        invoice, row = card.data, card.row
        self.version = invoice.version
        self.number.setText(invoice.number)
        combo_select(self.kind, invoice.kind.value)
        combo_select(self.customer, invoice.customer_id)
        self.issue_date.set_date(invoice.issue_date)
        self.due_date.set_date(invoice.due_date)
        self.net.set_amount(invoice.net)
        self.vat.set_amount(invoice.vat)
        combo_select(self.status, invoice.status.value)
        self.remaining.setText(fr_amount(row.still_due))
        self.late.setText(f"{row.days_late} jours" if row.overdue else "—")
        if row.overdue:
            for label in (self.remaining, self.late):
                label.setStyleSheet(f"color: {LATE.name()};")
        self.allocations.set_rows(card.settlements)
        self.setWindowTitle(f"Facture {invoice.number}")

    def _selected_payment(self) -> int | None:
        rows = self.allocations.selectionModel().selectedRows()
        return rows[0].data(ROW_ROLE).payment_id if rows else None

    def unallocate(self) -> None:
        """Take back the selected payment's allocations (all of them: a payment split over several invoices
        comes back whole to "À rapprocher"), after the user confirms."""
        payment_id = self._selected_payment()
        if payment_id is None:
            return
        if not take_back_confirmed(self):
            return
        try:
            said = commit(self.context.db, unallocate, payment_id)
        except ValueError as refused:
            QMessageBox.warning(self, "Annuler l'imputation", str(refused))
            return
        self.messages.general.setStyleSheet("")  # said, not refused
        self.messages.general.setText(said)
        self.load_card()

    def chosen_customer(self) -> int | None:
        """The customer picked in the list; None when the text typed names none of them."""
        index = self.customer.findText(self.customer.currentText(), Qt.MatchFlag.MatchExactly)
        return self.customer.itemData(index) if index >= 0 else None

    def suggest_due_date(self) -> None:
        """A new invoice's due date follows the customer's terms; an existing one keeps its own."""
        if self.invoice_id is not None or self.customer.currentData() is None:
            return
        self.due_date.set_date(read(self.context.db, suggested_due_date, self.customer.currentData(),
                                    self.issue_date.value()))

    def update_total(self) -> None:
        try:
            self.total.setText(fr_amount(gross(self.net.amount(), self.vat.amount())))
        except ValueError:
            self.total.setText("—")

    def save(self) -> None:
        errors = {}
        amounts = {}
        for key, edit in (("net", self.net), ("vat", self.vat)):
            try:
                amounts[key] = edit.amount()
            except ValueError as exc:
                errors[key] = str(exc)
        if errors:
            self.messages.show(errors)
            return
        data = InvoiceInput(
            number=self.number.text(), customer_id=self.chosen_customer(), issue_date=self.issue_date.value(),
            due_date=self.due_date.value(), net=amounts["net"], vat=amounts["vat"],
            kind=InvoiceKind(self.kind.currentData()), status=InvoiceStatus(self.status.currentData()),
            version=self.version)
        try:
            invoice, errors = commit(self.context.db, save_invoice, data, self.invoice_id)
        except Conflict as conflict:
            offer_reload(self, conflict, self.load_card, self.reject)
            return
        self.messages.show(errors)
        if invoice is not None:
            self.invoice_id = invoice.id
            self.accept()
