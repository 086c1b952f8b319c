"""Paramètres: the company's letterhead, default payment terms, penalty clause and tolerance; the cockpit's
targets and alert thresholds; stock and payables typed by hand; the interest rates of the penalties; the
dunning plans and the texts of the letters."""

from __future__ import annotations

from PySide6.QtWidgets import (QCheckBox, QFormLayout, QHBoxLayout, QLabel, QLineEdit, QPlainTextEdit, QPushButton, QTabWidget,
                               QVBoxLayout, QWidget)

from app.services.company import CompanyInput, company_input, save_company
from app.services.edits import Conflict, settings_seen
from app.services.store import commit, read
from app.ui.forms import AmountEdit, FieldMessages, TermsEdit, offer_reload
from app.ui.icons import icon
from app.ui.screen import Screen

TEXT_FIELDS = ("name", "siren", "vat_number", "address", "postcode", "city", "email", "phone", "iban", "bic",
               "logo_path")


class CompanyForm(QWidget):
    """The company's identity and defaults; used by the settings screen and on first start."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        form = QFormLayout(self)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.messages = FieldMessages(form)
        add = self.messages.add
        self.name = add("name", "Raison sociale *", QLineEdit())
        self.siren = add("siren", "SIREN", QLineEdit(placeholderText="9 chiffres"))
        self.vat_number = add("vat_number", "N° TVA intracommunautaire", QLineEdit())
        self.address = add("address", "Adresse", QLineEdit())
        self.postcode = add("postcode", "Code postal", QLineEdit())
        self.postcode.setMaximumWidth(100)
        self.city = add("city", "Ville", QLineEdit())
        self.email = add("email", "E-mail", QLineEdit())
        self.phone = add("phone", "Téléphone", QLineEdit())
        self.iban = add("iban", "IBAN (pour vos règlements)", QLineEdit())
        self.bic = add("bic", "BIC", QLineEdit())
        self.logo_path = add("logo_path", "Logo (fichier image)", QLineEdit())
        self.terms = add("terms", "Conditions de paiement par défaut", TermsEdit())
        self.tolerance = add("tolerance", "Ne pas relancer en dessous de (€)", AmountEdit())
        self.tolerance.setMaximumWidth(140)
        self.penalty_clause = add("penalty_clause", "Clause de pénalités", QPlainTextEdit())
        self.penalty_clause.setMaximumHeight(90)
        self.retention_of_title = add("retention_of_title", "", QCheckBox(
            "Mes conditions de vente comportent une clause de réserve de propriété"))
        self.retention_of_title.setToolTip("Si un client est en procédure collective, vous pouvez revendiquer les "
                                           "marchandises non payées dans les trois mois de la publication au BODACC : "
                                           "Encours vous rappelle ce délai.")
        form.addRow(self.messages.general)

    def load(self, db) -> None:
        """Show the company, or the defaults of a new one (30 days, the legal penalty clause, 5 €)."""
        company = read(db, company_input) or CompanyInput(name="")
        for name in TEXT_FIELDS:
            getattr(self, name).setText(getattr(company, name))
        self.terms.set_terms(company.terms)
        self.tolerance.set_amount(company.tolerance)
        self.penalty_clause.setPlainText(company.penalty_clause)
        self.retention_of_title.setChecked(company.retention_of_title)

    def save(self, db, seen: dict[str, int] | None = None) -> bool:
        """Save in one transaction; show the errors and return False if any (nothing is then written).
        ``seen``: the versions the settings screen loaded (None on first start, when the company is created)."""
        try:
            tolerance = self.tolerance.amount()
        except ValueError as exc:
            self.messages.show({"tolerance": str(exc)})
            return False
        data = CompanyInput(**{name: getattr(self, name).text() for name in TEXT_FIELDS},
                            terms=self.terms.terms(), tolerance=tolerance,
                            penalty_clause=self.penalty_clause.toPlainText(),
                            retention_of_title=self.retention_of_title.isChecked())
        company, errors = commit(db, save_company, data, seen)
        self.messages.show(errors)
        return company is not None


class SettingsScreen(Screen):

    def __init__(self, context, title, parent=None) -> None:
        super().__init__(context, title, parent)
        from app.ui.bodacc import BodaccForm
        from app.ui.dunning_forms import LetterTextsForm, PlansForm
        from app.ui.rates_form import RatesForm
        from app.ui.thresholds_form import ThresholdsForm
        from app.ui.working_capital_form import WorkingCapitalForm

        self.seen: dict[str, int] = {}  # the versions of the settings shown (``refresh``)
        self.form = CompanyForm()
        self.thresholds = ThresholdsForm()
        self.working_capital = WorkingCapitalForm()
        self.rates = RatesForm()
        self.plans = PlansForm()
        self.letter_texts = LetterTextsForm()
        self.bodacc = BodaccForm()
        self.saved = QLabel()
        self.save_button = QPushButton(icon("save"), "Enregistrer")
        self.save_button.setShortcut("Ctrl+S")
        self.save_button.clicked.connect(self.save)
        self.tabs = QTabWidget()
        for widget, label in ((self.form, "Votre société"), (self.thresholds, "Objectifs et alertes"),
                              (self.working_capital, "Stocks et fournisseurs"), (self.rates, "Taux d'intérêt"),
                              (self.plans, "Plans de relance"), (self.letter_texts, "Textes des lettres"),
                              (self.bodacc, "BODACC")):
            page = QWidget()
            column = QVBoxLayout(page)
            column.addWidget(widget)
            column.addStretch(1)
            self.tabs.addTab(page, label)
        self.tabs.setMaximumWidth(980)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.saved)
        row.addWidget(self.save_button)
        self.layout_.addWidget(self.tabs, 1)
        self.layout_.addLayout(row)

    def refresh(self) -> None:
        # the versions first: a save made while the forms load is then refused, not overwritten
        self.seen = read(self.context.db, settings_seen)
        self.form.load(self.context.db)
        self.thresholds.load(self.context.db)
        self.working_capital.load(self.context.db)
        self.rates.load(self.context.db, self.context.today())
        self.plans.load(self.context.db)
        self.letter_texts.load(self.context.db)
        self.bodacc.load(self.context.db)
        self.saved.clear()

    def save(self) -> None:
        db, seen = self.context.db, self.seen
        try:
            ok = (self.form.save(db, seen) and self.thresholds.save(db, seen) and self.working_capital.save(db, seen)
                  and self.rates.save(db) and self.plans.save(db, seen) and self.letter_texts.save(db, seen) and self.bodacc.save(db, seen))
        except Conflict as conflict:
            self.saved.clear()
            offer_reload(self, conflict, self.refresh)
            return
        self.saved.setText("Enregistré." if ok else "")
