"""The customer card: identity and terms on the left, open invoices with their aging and guarantees on the
right. Checks (SIREN key, legal caps on terms, credit limit) show next to their field."""

from __future__ import annotations

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (QComboBox, QDialog, QFormLayout, QHBoxLayout, QInputDialog, QLabel, QLineEdit,
                               QMessageBox, QPlainTextEdit, QPushButton, QSpinBox, QTabWidget, QVBoxLayout, QWidget)

from app.domain.aging import BUCKET_LABELS, BUCKETS
from app.domain.vocabulary import (DUNNING_STEP_LABELS, GUARANTEE_LABELS, SEGMENT_LABELS, DunningStep, GuaranteeKind,
                                   Segment)
from app.jobs import Refused
from app.services.company import default_terms
from app.services.customers import (CustomerInput, GuaranteeInput, customer_exposure, customer_input, save_customer,
                                    validate_customer)
from app.services.edits import Conflict
from app.services.invoices import list_invoices
from app.services.store import commit, read
from app.ui.format import fr_amount, fr_date
from app.ui.forms import (AmountEdit, DateEdit, FieldMessages, TermsEdit, ask_save_path, combo_select, dialog_buttons,
                           offer_reload)
from app.ui.icons import icon
from app.ui.invoices import COL_CUSTOMER, COL_DUE, COL_KIND, INVOICE_COLUMNS
from app.ui.screen import RowTable
from app.ui.table_model import Column

HISTORY_COLUMNS = (
    Column("Date", lambda e: e.day, fr_date, width=80),
    Column("Quoi", lambda e: e.what, width=120),
    Column("Détail", lambda e: e.detail, stretch=True),  # the longest: what changed, in full in its tooltip
    Column("Montant", lambda e: e.amount, fr_amount, numeric=True, width=95),
    Column("Par", lambda e: e.user, width=70),
)
GUARANTEE_COLUMNS = [
    Column("Type", lambda g: GUARANTEE_LABELS[GuaranteeKind(g.kind)], width=150),
    Column("Garant / assureur", lambda g: g.guarantor, stretch=True),
    Column("Montant", lambda g: g.amount, fr_amount, numeric=True, width=105),
    Column("%", lambda g: g.percentage, lambda p: f"{p} %", numeric=True, width=50),
    Column("Note", lambda g: g.grade, width=60),
    Column("Du", lambda g: g.valid_from, fr_date, width=84),
    Column("Au", lambda g: g.valid_to, fr_date, width=84),
]


class CustomerDialog(QDialog):
    def __init__(self, context, customer_id: int | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.customer_id = customer_id
        self.setWindowTitle("Nouveau client" if customer_id is None else "Fiche client")
        self.resize(1200, 680)
        self.guarantees: list[GuaranteeInput] = []
        self.version: int | None = None  # the customer's as loaded: a save over a newer one is refused

        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.messages = FieldMessages(form)
        add = self.messages.add
        self.name = add("name", "Raison sociale *", QLineEdit())
        self.code = add("code", "Code client", QLineEdit(placeholderText="attribué automatiquement"))
        self.siren = add("siren", "SIREN / SIRET", QLineEdit(placeholderText="9 ou 14 chiffres"))
        self.vat_number = add("vat_number", "N° TVA", QLineEdit())
        self.segment = add("segment", "Segment", QComboBox())
        for segment, label in SEGMENT_LABELS.items():
            self.segment.addItem(label, segment.value)
        self.dunning_plan = add("dunning_plan", "Plan de relance", QComboBox())
        self.dunning_plan.addItem("celui de son segment", "")
        for segment, label in SEGMENT_LABELS.items():
            self.dunning_plan.addItem(f"celui d'un client « {label.lower()} »", segment.value)
        self.naf_code = add("naf_code", "Code NAF", QLineEdit(placeholderText="ex. 4332A"))
        self.address = add("address", "Adresse", QLineEdit())
        city_row = QWidget()
        city_layout = QHBoxLayout(city_row)
        city_layout.setContentsMargins(0, 0, 0, 0)
        self.postcode, self.city = QLineEdit(placeholderText="CP"), QLineEdit(placeholderText="Ville")
        self.postcode.setMaximumWidth(80)
        city_layout.addWidget(self.postcode)
        city_layout.addWidget(self.city, 1)
        add("city", "Code postal, ville", city_row)
        self.contact_name = add("contact_name", "Contact", QLineEdit())
        self.email = add("email", "E-mail", QLineEdit())
        self.phone = add("phone", "Téléphone", QLineEdit())
        self.terms = add("terms", "Conditions de paiement", TermsEdit())
        self.credit_limit = add("credit_limit", "Limite de crédit (€)", AmountEdit(optional=True))
        self.external_rating = add("external_rating", "Note externe", QLineEdit())
        self.salesperson = add("salesperson", "Commercial", QLineEdit())
        self.notes = add("notes", "Notes", QPlainTextEdit())
        self.notes.setMaximumHeight(60)

        identity = QWidget()
        identity.setLayout(form)
        identity.setMinimumWidth(400)
        tabs = QTabWidget()
        tabs.addTab(self._invoices_tab(), icon("file-text"), "Factures ouvertes")
        tabs.addTab(self._guarantees_tab(), icon("shield-check"), "Garanties")
        if customer_id is not None:
            from app.ui.customer_risk import RiskTab
            from app.ui.proceeding_tab import ProceedingTab

            self.history = RowTable(HISTORY_COLUMNS, sort_column=-1)  # newest first
            self.history.setSortingEnabled(False)
            self.history.setToolTip("Double-cliquez une mise en demeure pour noter son n° de recommandé")
            self.history.activated_row.connect(self.note_registered_mail)
            tabs.addTab(self.history, icon("history"), "Historique")

            self.risk_tab = RiskTab(context)
            tabs.addTab(self.risk_tab, icon("triangle-alert"), "Risque")
            tabs.currentChanged.connect(self._show_risk)  # computed when first looked at (charts load then)
            self.proceeding_tab = ProceedingTab(context, customer_id, tabs)  # the lead wires claim_requested
        self.tabs = tabs

        self.buttons = buttons = dialog_buttons(self, self.save)

        body = QHBoxLayout()
        body.addWidget(identity, 0)
        body.addWidget(tabs, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(body)
        layout.addWidget(self.messages.general)
        layout.addWidget(buttons)

        self.siren.editingFinished.connect(self.check)
        self.terms.changed.connect(self.check)
        self.segment.currentIndexChanged.connect(self.check)
        self.naf_code.editingFinished.connect(self.check)  # a public hospital (86.10Z) may take 50 days
        self.credit_limit.editingFinished.connect(self.check)
        self.load()

    def _invoices_tab(self) -> QWidget:
        tab = QWidget()
        layout = QVBoxLayout(tab)
        self.aging_label = QLabel()
        self.aging_label.setObjectName("aging")
        self.aging_label.setWordWrap(True)
        self.statement_button = QPushButton(icon("printer"), "Relevé de compte…")
        self.statement_button.setToolTip("Le relevé du compte à ce jour en PDF : factures ouvertes, avoirs et "
                                         "règlements non lettrés déduits, solde")
        self.statement_button.setEnabled(self.customer_id is not None)
        self.statement_button.clicked.connect(self.print_statement)
        self.outside_button = QPushButton(icon("history"), "Relance déjà envoyée…")
        self.outside_button.setToolTip("Une relance envoyée ou un appel passé sans Encours (étape et date) : les "
                                       "relances continuent à partir d'elle")
        self.outside_button.setEnabled(self.customer_id is not None)
        self.outside_button.clicked.connect(self.record_outside)
        top = QHBoxLayout()
        top.addWidget(self.aging_label, 1)
        top.addWidget(self.outside_button, 0, Qt.AlignmentFlag.AlignTop)
        top.addWidget(self.statement_button, 0, Qt.AlignmentFlag.AlignTop)
        layout.addLayout(top)
        self.invoice_table = RowTable(INVOICE_COLUMNS, sort_column=COL_DUE)
        for column in (COL_CUSTOMER, COL_KIND):  # it is this customer's card; credit notes show negative
            self.invoice_table.setColumnHidden(column, True)
        self.invoice_table.horizontalHeader().setStretchLastSection(True)
        layout.addWidget(self.invoice_table)
        return tab

    def _guarantees_tab(self) -> QWidget:
        tab = QWidget()
        layout = QVBoxLayout(tab)
        self.guarantee_table = RowTable(GUARANTEE_COLUMNS)
        layout.addWidget(self.guarantee_table)
        row = QHBoxLayout()
        add, remove = QPushButton(icon("plus"), "Ajouter une garantie"), QPushButton(icon("trash-2"), "Retirer")
        add.clicked.connect(self.add_guarantee)
        remove.clicked.connect(self.remove_guarantee)
        row.addWidget(add)
        row.addWidget(remove)
        row.addStretch(1)
        layout.addLayout(row)
        return tab

    def load(self) -> None:
        today, db = self.context.today(), self.context.db
        if self.customer_id is None:
            self.terms.set_terms(read(db, default_terms))
            self.aging_label.setText("Aucune facture pour ce nouveau client.")
            return
        from app.services.timeline import timeline

        self.history.set_rows(read(db, timeline, self.customer_id))
        customer = read(db, customer_input, self.customer_id)
        owed = read(db, customer_exposure, self.customer_id, today)
        invoices = [row for row in read(db, list_invoices, today, self.customer_id) if row.still_due]
        for name in ("name", "code", "siren", "vat_number", "naf_code", "address", "postcode", "city",
                     "contact_name", "email", "phone", "external_rating", "salesperson"):
            getattr(self, name).setText(getattr(customer, name))
        self.notes.setPlainText(customer.notes)
        combo_select(self.segment, customer.segment.value)
        combo_select(self.dunning_plan, customer.dunning_plan)
        self.terms.set_terms(customer.terms)
        self.credit_limit.set_amount(customer.credit_limit)
        self.guarantees, self.version = customer.guarantees, customer.version
        self.guarantee_table.set_rows(self.guarantees)
        self.invoice_table.set_rows(invoices)
        # each bucket kept on one line: Qt's rich text would break an amount at its thousands' narrow space
        parts = [f"<span style='white-space:nowrap'>{BUCKET_LABELS[b]} : {fr_amount(owed[b])}</span>" for b in BUCKETS]
        self.aging_label.setText(f"<b>Encours {fr_amount(owed.total)}</b> — " + " · ".join(parts))
        self.setWindowTitle(f"Fiche client — {customer.name}")

    def print_statement(self) -> None:
        """The customer's statement of account at the program's date, saved where the user says and opened."""
        from app.services.account_statement import write_statement

        today = self.context.today()
        path = ask_save_path(self, self.context.settings, "letters", "Relevé de compte",
                             f"{today:%Y-%m-%d} relevé {self.code.text()}.pdf", "PDF (*.pdf)")
        if path is None:
            return
        try:
            read(self.context.db, write_statement, self.customer_id, today, path)
        except Refused as refused:
            QMessageBox.warning(self, "Encours", str(refused))
            return
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))

    def record_outside(self) -> None:
        """A reminder sent outside Encours, recorded: it shows in the Historique, the dunning continues from it."""
        from app.services.timeline import timeline
        from app.ui.outside_reminders import OutsideReminderDialog

        if OutsideReminderDialog(self.context, self.customer_id, self.name.text(), self).exec():
            self.history.set_rows(read(self.context.db, timeline, self.customer_id))

    def note_registered_mail(self, entry) -> None:
        """A formal notice's registered-mail number, noted once the letter is posted."""
        from app.services.timeline import note_registered_mail, timeline

        if entry.formal_notice_id is None:
            return
        number, ok = QInputDialog.getText(self, DUNNING_STEP_LABELS[DunningStep.FORMAL_NOTICE],
                                          "N° de la lettre recommandée avec AR :")
        if not ok:
            return
        errors = commit(self.context.db, note_registered_mail, entry.formal_notice_id, number)
        if errors:
            QMessageBox.warning(self, "Encours", errors["number"])
            return
        self.history.set_rows(read(self.context.db, timeline, self.customer_id))

    def _show_risk(self) -> None:
        from app.services.risk import customer_risk

        if self.tabs.currentWidget() is self.risk_tab and self.risk_tab.chart is None:
            self.risk_tab.show_risk(read(self.context.db, customer_risk, self.customer_id, self.context.today()))

    def data(self) -> tuple[CustomerInput | None, dict[str, str]]:
        """The form's content, or the errors of fields that cannot even be read (an amount)."""
        try:
            limit = self.credit_limit.amount()
        except ValueError as exc:
            return None, {"credit_limit": str(exc)}
        return CustomerInput(
            name=self.name.text(), code=self.code.text(), siren=self.siren.text(),
            vat_number=self.vat_number.text(), address=self.address.text(), postcode=self.postcode.text(),
            city=self.city.text(), contact_name=self.contact_name.text(), email=self.email.text(),
            phone=self.phone.text(), segment=Segment(self.segment.currentData()), naf_code=self.naf_code.text(),
            terms=self.terms.terms(), credit_limit=limit, external_rating=self.external_rating.text(),
            salesperson=self.salesperson.text(), notes=self.notes.toPlainText(),
            dunning_plan=self.dunning_plan.currentData(), guarantees=list(self.guarantees), version=self.version), {}

    def check(self) -> None:
        """Show the checks as the user types, before saving; the empty name waits for the save."""
        data, errors = self.data()
        if data is None:
            self.messages.show(errors)
            return
        validation = read(self.context.db, validate_customer, data, self.customer_id, self.context.today())
        errors = {k: v for k, v in validation.errors.items() if k != "name"}
        self.messages.show(errors, validation.warnings)

    def save(self) -> None:
        data, errors = self.data()
        if data is None:
            self.messages.show(errors)
            return
        try:
            customer, validation = commit(self.context.db, save_customer, data, self.customer_id,
                                          self.context.today())
        except Conflict as conflict:
            offer_reload(self, conflict, self.load, self.reject)
            return
        self.messages.show(validation.errors, validation.warnings)
        if customer is not None:
            self.customer_id = customer.id
            self.accept()

    def add_guarantee(self) -> None:
        dialog = GuaranteeDialog(self)
        if dialog.exec():
            self.guarantees.append(dialog.value)
            self.guarantee_table.set_rows(self.guarantees)

    def remove_guarantee(self) -> None:
        index = self.guarantee_table.currentIndex()
        if index.isValid():
            del self.guarantees[self.guarantee_table.proxy.mapToSource(index).row()]
            self.guarantee_table.set_rows(self.guarantees)


class GuaranteeDialog(QDialog):
    """One guarantee: credit insurance, bank guarantee, deposit or payment delegation."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Nouvelle garantie")
        form = QFormLayout(self)
        self.messages = FieldMessages(form)
        self.kind = self.messages.add("kind", "Type", QComboBox())
        for kind, label in GUARANTEE_LABELS.items():
            self.kind.addItem(label, kind.value)
        self.guarantor = self.messages.add("guarantor", "Garant / assureur", QLineEdit())
        self.amount = self.messages.add("amount", "Montant couvert (€)", AmountEdit(optional=True))
        self.percentage = self.messages.add("percentage", "Pourcentage", QSpinBox())
        self.percentage.setRange(0, 100)
        self.percentage.setSuffix(" %")
        self.grade = self.messages.add("grade", "Note de l'assureur", QLineEdit())
        self.valid_from = self.messages.add("valid_from", "Valable du", DateEdit())
        self.valid_to = self.messages.add("valid_to", "au", DateEdit(self.valid_from.value().replace(
            year=self.valid_from.value().year + 1, day=min(self.valid_from.value().day, 28))))
        form.addRow(dialog_buttons(self, self.accept_value, "Ajouter"))
        self.value: GuaranteeInput | None = None

    def accept_value(self) -> None:
        try:
            amount = self.amount.amount()
        except ValueError as exc:
            self.messages.show({"amount": str(exc)})
            return
        if self.valid_to.value() < self.valid_from.value():
            self.messages.show({"valid_to": "La date de fin précède la date de début."})
            return
        self.value = GuaranteeInput(GuaranteeKind(self.kind.currentData()), self.guarantor.text(), amount,
                                    self.percentage.value() or None, self.grade.text(),
                                    self.valid_from.value(), self.valid_to.value())
        self.accept()
