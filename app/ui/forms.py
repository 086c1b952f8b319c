"""Pieces the forms share: a field with its message underneath, amount and date inputs, the terms editor."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtWidgets import (QComboBox, QCompleter, QDateEdit, QDialog, QDialogButtonBox, QFileDialog, QFormLayout,
                               QHBoxLayout, QLabel, QLineEdit, QMessageBox, QSizePolicy, QSpinBox, QVBoxLayout,
                               QWidget)

from app.domain.money import format_eur, parse_eur
from app.domain.terms import TERMS_LABELS, PaymentTerms, TermsKind
from app.ui.format import AT_RISK, LATE


class FieldMessages:
    """Adds rows to a QFormLayout with a message label under each field, and shows errors (red) and
    warnings (amber) next to the fields they concern, by field name."""

    def __init__(self, form: QFormLayout) -> None:
        self.form = form
        self.labels: dict[str, QLabel] = {}
        self.general = QLabel()  # messages about no single field; the dialog places it
        self.general.setObjectName("message_general")
        self.general.setWordWrap(True)

    def add(self, key: str, title: str, widget: QWidget) -> QWidget:
        box = QWidget()
        box.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
        layout = QVBoxLayout(box)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(widget)
        message = QLabel()
        message.setObjectName(f"message_{key}")
        message.setWordWrap(True)
        message.hide()
        layout.addWidget(message)
        self.labels[key] = message
        self.form.addRow(title, box)
        for signal in ("textChanged", "currentIndexChanged", "dateChanged"):
            if hasattr(widget, signal):  # what the user changes is checked again at the next save
                getattr(widget, signal).connect(message.hide)
                break
        return widget

    def show(self, errors: dict[str, str], warnings: dict[str, str] | None = None) -> None:
        warnings = warnings or {}
        for key, label in self.labels.items():
            text, colour = (errors[key], LATE) if key in errors else (warnings.get(key), AT_RISK)
            label.setText(text or "")
            label.setStyleSheet(f"color: {colour.name()};")
            label.setVisible(bool(text))
        others = [text for key, text in errors.items() if key not in self.labels]
        self.general.setText("\n".join(others))
        self.general.setStyleSheet(f"color: {LATE.name()};")


class AmountEdit(QLineEdit):
    """An amount typed the French way, right-aligned; ``amount()`` raises ValueError with a French message."""

    def __init__(self, parent: QWidget | None = None, *, optional: bool = False) -> None:
        super().__init__(parent)
        self.optional = optional
        self.setAlignment(Qt.AlignmentFlag.AlignRight)
        self.setPlaceholderText("facultatif" if optional else "0,00")

    def amount(self) -> Decimal | None:
        if self.optional and not self.text().strip():
            return None
        return parse_eur(self.text() or "0")

    def set_amount(self, value: Decimal | None) -> None:
        self.setText("" if value is None else format_eur(value, symbol=False))


class DateEdit(QDateEdit):
    def __init__(self, value: date | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setDisplayFormat("dd/MM/yyyy")
        self.setCalendarPopup(True)
        self.set_date(value or date.today())

    def value(self) -> date:
        return self.date().toPython()

    def set_date(self, value: date) -> None:
        self.setDate(QDate(value.year, value.month, value.day))


class TermsEdit(QWidget):
    """Payment terms: a kind ("30 jours date de facture", "45 jours fin de mois"...) and a number of days."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.kind = QComboBox()
        for kind in TermsKind:
            self.kind.addItem(TERMS_LABELS[kind].replace("{days}", "N"), kind.value)
        self.days = QSpinBox()
        self.days.setRange(0, 365)
        self.days.setSuffix(" jours")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.kind, 1)
        layout.addWidget(self.days)
        self.kind.currentIndexChanged.connect(self._kind_changed)
        self.days.valueChanged.connect(self.changed)

    def _kind_changed(self) -> None:
        self.days.setEnabled(self.kind.currentData() != TermsKind.ON_RECEIPT)
        self.changed.emit()

    def terms(self) -> PaymentTerms:
        return PaymentTerms(TermsKind(self.kind.currentData()), self.days.value())

    def set_terms(self, terms: PaymentTerms) -> None:
        self.kind.setCurrentIndex(self.kind.findData(terms.kind.value))
        self.days.setValue(terms.days)
        self._kind_changed()


def combo_select(combo: QComboBox, data: object) -> None:
    """Select the item of ``combo`` whose data equals ``data`` (compared in Python: ``findData`` matches a
    Python object such as a date only by identity), else the first."""
    combo.setCurrentIndex(next((i for i in range(combo.count()) if combo.itemData(i) == data), 0))


def dialog_buttons(dialog: QDialog, on_save, save_text: str | None = None) -> QDialogButtonBox:
    """Enregistrer / Annuler (Qt's French texts, or ``save_text``): Enregistrer calls ``on_save``, which
    accepts the dialog once the data is saved; Annuler rejects it."""
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
    if save_text:
        buttons.button(QDialogButtonBox.StandardButton.Save).setText(save_text)
    buttons.accepted.connect(on_save)
    buttons.rejected.connect(dialog.reject)
    return buttons


RELOAD = "Recharger"


def conflict_box(parent: QWidget, conflict) -> QMessageBox:
    """The refusal of a save made over someone else's newer one (``services.edits.Conflict``): who changed
    what and when, with « Recharger » unless the row is gone."""
    box = QMessageBox(QMessageBox.Icon.Warning, "Enregistrement refusé", str(conflict),
                      QMessageBox.StandardButton.Cancel, parent)
    box.setStyleSheet("QLabel#qt_msgbox_label { min-width: 520px; }")  # a long sentence: fewer, longer lines
    if not conflict.gone:
        box.setDefaultButton(box.addButton(RELOAD, QMessageBox.ButtonRole.AcceptRole))
    return box


def offer_reload(parent: QWidget, conflict, reload, close=None) -> None:
    """Say why the save was refused; « Recharger » shows what is saved now (the user's typing is lost, as
    the message said). A row deleted meanwhile has nothing to reload: ``close`` then closes the form."""
    box = conflict_box(parent, conflict)
    box.exec()
    clicked = box.clickedButton()
    if conflict.gone and close is not None:
        close()
    elif clicked is not None and clicked.text() == RELOAD:
        reload()


def ask_save_path(parent: QWidget, settings, key: str, title: str, name: str, kinds: str) -> Path | None:
    """A "save as" dialog opened in the folder last used for this kind of file (``folders/<key>`` in the
    window's settings), which then remembers the folder chosen; None when the user cancels."""
    chosen, _ = QFileDialog.getSaveFileName(parent, title, str(_last_folder(settings, key) / name), kinds)
    return _remember(settings, key, Path(chosen).parent, Path(chosen)) if chosen else None


def ask_folder(parent: QWidget, settings, key: str, title: str) -> Path | None:
    """A folder chosen from the one last used for this kind of file, then remembered; None when cancelled."""
    chosen = QFileDialog.getExistingDirectory(parent, title, str(_last_folder(settings, key)))
    return _remember(settings, key, Path(chosen), Path(chosen)) if chosen else None


def _last_folder(settings, key: str) -> Path:
    return Path(settings.value(f"folders/{key}", str(Path.home())) if settings else Path.home())


def _remember(settings, key: str, folder: Path, chosen: Path) -> Path:
    if settings:
        settings.setValue(f"folders/{key}", str(folder))
    return chosen


def customer_picker() -> QComboBox:
    """A combo of the customers that finds one from any part of its name as it is typed."""
    combo = QComboBox()
    combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
    combo.setMinimumContentsLength(24)  # not as wide as the longest name
    combo.setEditable(True)
    combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
    combo.completer().setFilterMode(Qt.MatchFlag.MatchContains)
    combo.completer().setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
    return combo
