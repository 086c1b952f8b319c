"""The customer card's « Procédure collective » tab: the owner records the proceedings from the mandataire's
letter (or the BODACC), sees the deadlines that must not pass in silence, notes the declaration of claim once
sent. Every figure and sentence comes from app.services.proceedings; this module only lays them out."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (QCheckBox, QComboBox, QDialog, QFormLayout, QHBoxLayout, QLabel, QLineEdit,
                               QPlainTextEdit, QPushButton, QTabWidget, QVBoxLayout, QWidget)

from app.domain.insolvency import PROCEEDING_LABELS
from app.services.proceedings import (ProceedingInput, ProceedingRefused, proceeding_view, record_claim_sent,
                                      record_proceeding)
from app.services.store import commit, read
from app.ui.format import LATE
from app.ui.forms import DateEdit, FieldMessages, ask_save_path, combo_select, dialog_buttons
from app.ui.icons import icon

TITLE = "Procédure collective"
RUNNING_MARK = " ●"  # a deadline runs: the tab's title says so, in red
EXPLANATION = ("Votre client est en sauvegarde, en redressement ou en liquidation judiciaire ? Enregistrez la "
               "procédure dès la lettre du mandataire ou la publication au BODACC : Encours suspend les relances "
               "des factures antérieures au jugement et vous rappelle la date limite de déclaration de votre "
               "créance (deux mois après la publication).")


class ProceedingTab(QWidget):
    """Empty (what it is for, a button to record) or the proceedings' summary, deadlines and actions. It adds
    itself to the card's ``tabs`` so that it can mark its title when a deadline runs."""

    def __init__(self, context, customer_id: int, tabs: QTabWidget) -> None:
        super().__init__()
        self.context, self.customer_id, self.tabs = context, customer_id, tabs
        self.view = None
        self.explanation = QLabel(EXPLANATION)
        self.explanation.setWordWrap(True)
        self.summary = QLabel()
        self.summary.setObjectName("proceeding_summary")
        self.deadlines = QLabel()
        self.deadlines.setObjectName("proceeding_deadlines")
        for label in (self.summary, self.deadlines):
            label.setWordWrap(True)
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.record_button = QPushButton(icon("scale"), "Enregistrer une procédure…")
        self.record_button.clicked.connect(self.edit)
        self.sent_button = QPushButton(icon("mail"), "Déclaration envoyée…")
        self.sent_button.setToolTip("La date d'envoi de la déclaration au mandataire et le n° du recommandé : "
                                    "le délai de déclaration ne s'affiche plus")
        self.sent_button.clicked.connect(self.note_claim_sent)
        self.claim_button = QPushButton(icon("printer"), "Déclaration de créance (PDF)…")
        self.claim_button.setToolTip("La lettre de déclaration au mandataire : factures antérieures au jugement, "
                                     "pénalités arrêtées à sa veille, sommes à échoir")
        self.claim_button.clicked.connect(self.write_claim)
        buttons = QHBoxLayout()
        for button in (self.record_button, self.sent_button, self.claim_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        for widget in (self.explanation, self.summary, self.deadlines):
            layout.addWidget(widget)
        layout.addLayout(buttons)
        layout.addStretch(1)
        tabs.addTab(self, icon("scale"), TITLE)
        self.load()

    def load(self) -> None:
        """Show the proceedings as recorded now, and mark the tab's title while a deadline runs."""
        self.view = view = read(self.context.db, proceeding_view, self.customer_id, self.context.today())
        recorded = view is not None
        self.explanation.setVisible(not recorded)
        for widget in (self.summary, self.deadlines, self.sent_button, self.claim_button):
            widget.setVisible(recorded)
        self.record_button.setText("Modifier la procédure…" if recorded else "Enregistrer une procédure…")
        if recorded:
            self.summary.setText("\n".join(view.lines()))
            self.deadlines.setText("\n".join(view.deadline_lines()))
            self.sent_button.setVisible(view.claim_sent_on is None)
        running = recorded and bool(view.running)
        self.deadlines.setStyleSheet(f"color: {LATE.name()}; font-weight: bold;" if running else "")
        index = self.tabs.indexOf(self)
        self.tabs.setTabText(index, TITLE + (RUNNING_MARK if running else ""))
        self.tabs.tabBar().setTabTextColor(index, LATE if running else self.palette().windowText().color())

    def edit(self) -> None:
        if ProceedingDialog(self.context, self.customer_id, self.view and self.view.recorded, self).exec():
            self.load()

    def note_claim_sent(self) -> None:
        if ClaimSentDialog(self.context, self.customer_id, self).exec():
            self.load()

    def write_claim(self) -> None:
        """The declaration of claim's PDF, written in a worker (its figures need the whole history of the
        customer's invoices) and opened; a refusal (a half-year's rate missing, no company) is said."""
        from app.services.claims import write_claim
        from app.ui.worker import run_op

        path = ask_save_path(self, self.context.settings, "letters", "Déclaration de créance",
                             f"declaration-creance-{self.context.today():%Y-%m-%d}.pdf", "PDF (*.pdf)")
        if path is None:
            return
        db, customer_id, today = self.context.db, self.customer_id, self.context.today()

        def opened(_written) -> None:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))
            self.window().statusBar().showMessage(f"Déclaration de créance écrite : {path}", 10_000) \
                if hasattr(self.window(), "statusBar") else None

        self.op = run_op(self, lambda _job: commit(db, write_claim, customer_id, today, path), on_success=opened,
                         label="Déclaration de créance…")

class OptionalDate(QWidget):
    """A date that may not be known yet: a box to tick when there is none (« pas encore publiée »)."""

    def __init__(self, none_text: str, value: date | None, today: date) -> None:
        super().__init__()
        self.none = QCheckBox(none_text)
        self.date = DateEdit(value or today)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.date)
        layout.addWidget(self.none, 1)
        self.none.toggled.connect(lambda none: self.date.setEnabled(not none))
        self.none.setChecked(value is None)

    def value(self) -> date | None:
        return None if self.none.isChecked() else self.date.value()


class ProceedingDialog(QDialog):
    """The proceedings as the mandataire's letter states them; recorded (or updated) by the service, whose
    refusal shows under the form."""

    def __init__(self, context, customer_id: int, recorded: ProceedingInput | None, parent: QWidget) -> None:
        super().__init__(parent)
        self.context, self.customer_id = context, customer_id
        self.setWindowTitle(TITLE)
        self.setMinimumWidth(560)
        given = recorded or ProceedingInput("redressement", context.today())
        form = QFormLayout(self)
        self.messages = FieldMessages(form)
        add = self.messages.add
        self.kind = add("kind", "Nature", QComboBox())
        for kind, label in PROCEEDING_LABELS.items():
            self.kind.addItem(label.capitalize(), kind.value)
        combo_select(self.kind, given.kind)
        self.judgment = add("judgment_on", "Jugement d'ouverture", DateEdit(given.judgment_on))
        self.published = add("published_on", "Publication au BODACC",
                             OptionalDate("pas encore publiée", given.published_on, context.today()))
        self.court = add("court", "Tribunal",
                         QLineEdit(given.court, placeholderText="ex. Tribunal de commerce de Lyon"))
        self.reference = add("reference", "Référence", QLineEdit(given.reference, placeholderText="n° RG"))
        self.mandataire_name = add("mandataire_name", "Mandataire / liquidateur", QLineEdit(given.mandataire_name))
        self.mandataire_address = add("mandataire_address", "Adresse", QPlainTextEdit(given.mandataire_address))
        self.mandataire_address.setMaximumHeight(70)
        self.mandataire_email = add("mandataire_email", "E-mail", QLineEdit(given.mandataire_email))
        self.abroad = QCheckBox("Créancier à l'étranger ou outre-mer")
        self.abroad.setToolTip("Le délai de déclaration est alors de quatre mois au lieu de deux")
        self.abroad.setChecked(given.abroad)
        form.addRow("", self.abroad)
        self.plan = add("plan_on", "Adoption du plan", OptionalDate("pas de plan", given.plan_on, context.today()))
        self.closed = add("closed_on", "Clôture", OptionalDate("non clôturée", given.closed_on, context.today()))
        form.addRow(self.messages.general)
        form.addRow(dialog_buttons(self, self.save))

    def data(self) -> ProceedingInput:
        return ProceedingInput(self.kind.currentData(), self.judgment.value(), self.published.value(),
                               self.court.text(), self.reference.text(), self.mandataire_name.text(),
                               self.mandataire_address.toPlainText(), self.mandataire_email.text(),
                               self.abroad.isChecked(), self.plan.value(), self.closed.value())

    def save(self) -> None:
        try:
            commit(self.context.db, record_proceeding, self.customer_id, self.data(), self.context.today())
        except ProceedingRefused as refused:
            self.messages.show({"": _capitalised(str(refused))})
            return
        self.accept()


class ClaimSentDialog(QDialog):
    """The declaration of claim posted to the mandataire: its date and registered-mail number."""

    def __init__(self, context, customer_id: int, parent: QWidget) -> None:
        super().__init__(parent)
        self.context, self.customer_id = context, customer_id
        self.setWindowTitle("Déclaration de créance envoyée")
        form = QFormLayout(self)
        self.messages = FieldMessages(form)
        self.sent_on = self.messages.add("sent_on", "Envoyée le", DateEdit(context.today()))
        self.number = self.messages.add("number", "N° de recommandé",
                                        QLineEdit(placeholderText="ex. 1A 123 456 7890 1"))
        form.addRow(self.messages.general)
        form.addRow(dialog_buttons(self, self.save))

    def save(self) -> None:
        try:
            commit(self.context.db, record_claim_sent, self.customer_id, self.sent_on.value(), self.number.text())
        except ProceedingRefused as refused:
            self.messages.show({"": _capitalised(str(refused))})
            return
        self.accept()


def _capitalised(message: str) -> str:
    """The service's refusals are written to follow « encours : »; alone under a form they start a sentence."""
    return message[:1].upper() + message[1:]
