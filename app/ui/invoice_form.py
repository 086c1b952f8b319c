"""The invoice card: number, customer, dates, amounts HT/TVA/TTC, status, and what settled it."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (QComboBox, QCompleter, QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit,
                               QVBoxLayout, QWidget)

from app.models import STATUS_LABELS, Invoice, InvoiceKind, InvoiceStatus
from app.services.customers import customer_choices
from app.services.invoices import InvoiceInput, allocations_of, list_invoices, save_invoice, suggested_due_date
from app.ui.format import LATE, fr_amount, fr_date
from app.ui.forms import AmountEdit, DateEdit, FieldMessages, combo_select
from app.ui.screen import RowTable
from app.ui.table_model import Column

ALLOCATION_COLUMNS = [
    Column("Date", lambda a: a.allocated_on, fr_date, width=90),
    Column("Origine", lambda a: f"Avoir {a.credit_note.number}" if a.credit_note_id
           else f"Règlement {a.payment.method} {a.payment.reference}".strip(), stretch=True),
    Column("Montant", lambda a: a.amount, fr_amount, numeric=True, width=110),
]


class InvoiceDialog(QDialog):
    def __init__(self, context, invoice_id: int | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.invoice_id = invoice_id
        self.setWindowTitle("Nouvelle facture" if invoice_id is None else "Facture")
        self.resize(640, 560)
        form = QFormLayout()
        self.messages = FieldMessages(form)
        add = self.messages.add
        self.number = add("number", "N° *", QLineEdit())
        self.kind = add("kind", "Type", QComboBox())
        self.kind.addItem("Facture", InvoiceKind.INVOICE.value)
        self.kind.addItem("Avoir", InvoiceKind.CREDIT_NOTE.value)
        self.customer = add("customer", "Client *", QComboBox())
        self.customer.setEditable(True)
        self.customer.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.customer.completer().setFilterMode(Qt.MatchFlag.MatchContains)
        self.customer.completer().setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
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
        self.allocations = RowTable(ALLOCATION_COLUMNS)
        self.allocations.setMaximumHeight(150)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(QLabel("Règlements et avoirs imputés"))
        layout.addWidget(self.allocations)
        layout.addWidget(self.messages.general)
        layout.addWidget(buttons)

        self.net.textChanged.connect(self.update_total)
        self.vat.textChanged.connect(self.update_total)
        self.customer.currentIndexChanged.connect(self.suggest_due_date)
        self.issue_date.dateChanged.connect(self.suggest_due_date)
        self.load()

    def load(self) -> None:
        with self.context.db.sessions() as session:
            for customer_id, name in customer_choices(session):
                self.customer.addItem(name, customer_id)
            self.customer.setCurrentIndex(-1)
            if self.invoice_id is None:
                return
            invoice = session.get(Invoice, self.invoice_id)
            row = next(r for r in list_invoices(session, self.context.today(), invoice.customer_id)
                       if r.id == self.invoice_id)
            allocations = allocations_of(session, self.invoice_id)
            for allocation in allocations:  # load what the rows show before the session closes
                _ = allocation.payment, allocation.credit_note
        self.number.setText(invoice.number)
        combo_select(self.kind, invoice.kind)
        combo_select(self.customer, invoice.customer_id)
        self.issue_date.set_date(invoice.issue_date)
        self.due_date.set_date(invoice.due_date)
        self.net.set_amount(invoice.net)
        self.vat.set_amount(invoice.vat)
        combo_select(self.status, invoice.status)
        self.remaining.setText(fr_amount(row.still_due))
        self.late.setText(f"{row.days_late} jours" if row.overdue else "—")
        if row.overdue:
            for label in (self.remaining, self.late):
                label.setStyleSheet(f"color: {LATE.name()};")
        self.allocations.set_rows(allocations)
        self.setWindowTitle(f"Facture {invoice.number}")

    def suggest_due_date(self) -> None:
        """A new invoice's due date follows the customer's terms; an existing one keeps its own."""
        if self.invoice_id is not None or self.customer.currentData() is None:
            return
        with self.context.db.sessions() as session:
            self.due_date.set_date(suggested_due_date(session, self.customer.currentData(), self.issue_date.value()))

    def update_total(self) -> None:
        try:
            self.total.setText(fr_amount(self.net.amount() + self.vat.amount()))
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
            number=self.number.text(), customer_id=self.customer.currentData(), issue_date=self.issue_date.value(),
            due_date=self.due_date.value(), net=amounts["net"], vat=amounts["vat"],
            kind=InvoiceKind(self.kind.currentData()), status=InvoiceStatus(self.status.currentData()))
        with self.context.db.transaction() as session:
            invoice, errors = save_invoice(session, data, self.invoice_id)
        self.messages.show(errors)
        if invoice is not None:
            self.invoice_id = invoice.id
            self.accept()
