"""Reminders already sent outside Encours, recorded so that the dunning continues from there: from the customer
card (« Relance déjà envoyée… ») for one customer, or on first use of Relances (a banner above the list) for
several of the late payers at once. The service (app.services.outside_reminders) checks and records; these
forms show its French errors under their fields."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import (QAbstractItemView, QComboBox, QDialog, QFormLayout, QHBoxLayout, QHeaderView,
                               QLabel, QLineEdit, QPushButton, QTableView, QVBoxLayout, QWidget)

from app.domain.dunning import Action
from app.domain.vocabulary import DUNNING_STEP_LABELS, DunningStep
from app.services.outside_reminders import OUTSIDE_STEPS, late_then, record_outside
from app.services.store import commit, read
from app.ui.format import LATE, fr_amount
from app.ui.forms import DateEdit, FieldMessages, dialog_buttons
from app.ui.banner import Banner
from app.ui.icons import icon
from app.ui.table_model import Column, RowTableModel

COL_CHECK = 0
BANNER_TEXT = ("<b>Première utilisation : des relances ont-elles déjà été envoyées hors Encours ?</b> "
               "Enregistrez-les (étape et date) : Encours proposera l'étape suivante plutôt qu'une 1re relance.")


def step_combo() -> QComboBox:
    """The steps one may have taken outside Encours, by their French names."""
    combo = QComboBox()
    for step in OUTSIDE_STEPS:
        combo.addItem(DUNNING_STEP_LABELS[step], step.value)
    return combo


class OutsideReminderDialog(QDialog):
    """The customer card's « Relance déjà envoyée… »: one step taken outside Encours, its date and, for a formal
    notice, its registered-mail number; the invoices it chased are shown before it is recorded."""

    def __init__(self, context, customer_id: int, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context, self.customer_id = context, customer_id
        self.setWindowTitle(f"Relance déjà envoyée — {name}")
        self.setMinimumWidth(480)
        layout = QVBoxLayout(self)
        intro = QLabel("Une relance envoyée (ou un appel passé) sans Encours : notez-la pour que les relances "
                       "continuent à partir d'elle.")
        intro.setWordWrap(True)
        layout.addWidget(intro)
        form = QFormLayout()
        layout.addLayout(form)
        self.messages = FieldMessages(form)
        self.step = self.messages.add("step", "Étape", step_combo())
        self.sent_on = self.messages.add("sent_on", "Envoyée le", DateEdit(context.today()))
        self.registered = QLineEdit(placeholderText="facultatif, par exemple 1A 123 456 7890 1")
        self.messages.add("registered", "N° du recommandé", self.registered)
        # below the form, where a long list wraps freely (a form row would cut it)
        layout.addWidget(QLabel("Factures relancées (en retard ce jour-là et encore dues) :"))
        self.invoices = QLabel()
        self.invoices.setWordWrap(True)
        self.invoices.setObjectName("outside_invoices")
        self.invoices.setContentsMargins(12, 0, 0, 0)
        layout.addWidget(self.invoices)
        layout.addWidget(self.messages.general)  # what the service says of this customer, under its invoices
        layout.addStretch(1)
        layout.addWidget(dialog_buttons(self, self.save))
        self.step.currentIndexChanged.connect(self._step_changed)
        self.sent_on.dateChanged.connect(self._show_invoices)
        self._step_changed()
        self._show_invoices()

    def _step_changed(self) -> None:
        notice = self.step.currentData() == DunningStep.FORMAL_NOTICE
        self.registered.setEnabled(notice)
        self.registered.setPlaceholderText("facultatif, par exemple 1A 123 456 7890 1" if notice
                                           else "seulement pour une mise en demeure")
        if not notice:
            self.registered.clear()

    def _show_invoices(self) -> None:
        """The invoices late on the chosen day and still due: those the step is recorded for."""
        found = read(self.context.db, late_then, [self.customer_id], self.sent_on.value(),
                     self.context.today()).get(self.customer_id, [])
        self.invoices.setText(", ".join(f"{i.number} ({fr_amount(i.due_then)})" for i in found) if found else
                              "aucune")
        self.adjustSize()

    def save(self) -> None:
        result = commit(self.context.db, record_outside, [self.customer_id], self.step.currentData(),
                        self.sent_on.value(), self.context.today(), self.registered.text())
        self.messages.show(result.errors)
        if result.errors:
            self.adjustSize()  # room for the messages
        else:
            self.accept()


class LatePayersModel(RowTableModel):
    """Today's late payers (Relances' actions), each with a box to tick: those already chased outside Encours."""

    def __init__(self, parent=None) -> None:
        super().__init__((
            Column("Client", lambda a: a.name, width=260),
            Column("Montant dû", lambda a: a.amount_due, fr_amount, numeric=True, width=120),
            Column("Retard", lambda a: a.days_late, lambda d: f"{d} j", numeric=True, width=80,
                   colour=lambda _a: LATE),
        ), parent)
        self.checked: set[int] = set()  # the customers ticked

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        flags = super().flags(index)
        return flags | Qt.ItemFlag.ItemIsUserCheckable if index.column() == COL_CHECK else flags

    def data(self, index, role: int = Qt.ItemDataRole.DisplayRole):
        if index.isValid() and index.column() == COL_CHECK and role == Qt.ItemDataRole.CheckStateRole:
            ticked = self.rows[index.row()].customer_id in self.checked
            return Qt.CheckState.Checked if ticked else Qt.CheckState.Unchecked
        return super().data(index, role)

    def setData(self, index, value, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.CheckStateRole or index.column() != COL_CHECK:
            return False
        customer_id = self.rows[index.row()].customer_id
        if Qt.CheckState(value) == Qt.CheckState.Checked:
            self.checked.add(customer_id)
        else:
            self.checked.discard(customer_id)
        self.dataChanged.emit(index, index, [Qt.ItemDataRole.CheckStateRole])
        return True

    def uncheck(self, customer_ids) -> None:
        self.checked -= set(customer_ids)
        if self.rows:
            self.dataChanged.emit(self.index(0, COL_CHECK), self.index(len(self.rows) - 1, COL_CHECK))

    def check_all(self, ticked: bool) -> None:
        self.checked = {row.customer_id for row in self.rows} if ticked else set()
        if self.rows:
            self.dataChanged.emit(self.index(0, COL_CHECK), self.index(len(self.rows) - 1, COL_CHECK))


class OutsideRemindersDialog(QDialog):
    """Relances' first-use step: the late payers, the ones already chased ticked, one step and one date recorded
    for all of them at once."""

    def __init__(self, context, actions: list[Action], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.setWindowTitle("Relances déjà envoyées hors Encours")
        self.resize(620, 520)
        layout = QVBoxLayout(self)
        intro = QLabel("Cochez les clients déjà relancés, puis l'étape faite et sa date : Encours les relancera à "
                       "partir de là. Pour des étapes ou des dates différentes, enregistrez-les en plusieurs fois. "
                       "Le n° de recommandé d'une mise en demeure se note ensuite sur la fiche client (Historique).")
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.model = LatePayersModel(self)
        self.model.set_rows([a for a in actions if a.days_late > 0])  # the courtesy reminders chase nothing late
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(26)
        for number, column in enumerate(self.model.columns):
            self.table.horizontalHeader().resizeSection(number, column.width)
        self.table.horizontalHeader().setSectionResizeMode(COL_CHECK, QHeaderView.ResizeMode.Stretch)
        layout.addWidget(self.table, 1)
        ticks = QHBoxLayout()
        for text, ticked in (("Tout cocher", True), ("Tout décocher", False)):
            button = QPushButton(text)
            button.clicked.connect(lambda _checked=False, ticked=ticked: self.model.check_all(ticked))
            ticks.addWidget(button)
        ticks.addStretch(1)
        layout.addLayout(ticks)
        form = QFormLayout()
        layout.addLayout(form)
        self.messages = FieldMessages(form)
        self.step = self.messages.add("step", "Étape faite", step_combo())
        self.sent_on = self.messages.add("sent_on", "Envoyée le", DateEdit(context.today()))
        layout.addWidget(self.messages.general)  # what the service says of the customers ticked
        layout.addWidget(dialog_buttons(self, self.save))

    def save(self) -> None:
        chosen = [row.customer_id for row in self.model.rows if row.customer_id in self.model.checked]
        result = commit(self.context.db, record_outside, chosen, self.step.currentData(), self.sent_on.value(),
                        self.context.today())
        errors = dict(result.errors)
        if result.refused and set(chosen) - set(result.refused):  # the others can go: one more click for them
            self.model.uncheck(result.refused)
            errors["customers"] += "\nCes clients ont été décochés : « Enregistrer » enregistre les autres."
        self.messages.show(errors)
        if not errors:
            self.accept()


class FirstUseBanner(Banner):
    """A band at the top of Relances while no step is on record yet, for any customer (first use), offering to
    record the reminders already sent outside Encours; « Plus tard » hides it until the next start."""

    def __init__(self, on_record, parent: QWidget | None = None) -> None:
        button, later = QPushButton(icon("history"), "Les enregistrer…"), QPushButton("Plus tard")
        super().__init__("info", [button, later], BANNER_TEXT, parent)
        self.button = button
        self.button.clicked.connect(on_record)
        later.clicked.connect(self.dismiss)
        self.dismissed = False

    def offer(self, first_use: bool) -> None:
        """Shown on first use (no step on record, something to chase), unless put off."""
        self.setVisible(first_use and not self.dismissed)

    def dismiss(self) -> None:
        self.dismissed = True
        self.hide()
