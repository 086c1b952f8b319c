"""Paramètres › Taux d'intérêt: the rates the late penalties are computed with, half-year by half-year, and
the form to enter a half-year that is missing (or correct one). The program never guesses a rate: where a
missing one stops the work (Relances), a banner says which and opens the same form in a dialog."""

from __future__ import annotations

from datetime import date

from PySide6.QtWidgets import (QComboBox, QDialog, QFormLayout, QLabel, QLineEdit, QPushButton,
                               QVBoxLayout, QWidget)

from app.domain.penalties import half_year_label, half_year_start, next_half_year
from app.domain.wording import rate
from app.services.rates import RateRow, rate_rows, save_rates
from app.services.store import commit, read
from app.ui.forms import FieldMessages, combo_select, dialog_buttons
from app.ui.banner import Banner
from app.ui.icons import icon
from app.ui.screen import RowTable
from app.ui.table_model import Column

COLUMNS = (
    Column("Semestre", lambda r: r.rates.start, lambda d: half_year_label(d), width=150),
    Column("Taux BCE", lambda r: r.rates.ecb, rate, numeric=True, width=90),
    Column("BCE + 10 pts", lambda r: r.penalty_rate, rate, numeric=True, width=110),
    Column("Taux légal", lambda r: r.rates.legal_other, rate, numeric=True, width=90),
    Column("Particuliers", lambda r: r.rates.legal_private, rate, numeric=True, width=100),
    Column("Source", lambda r: r.rates.source, stretch=True),
)
RATE_FIELDS = (("ecb", "Taux de la BCE (refinancement) au 1er jour (%)"), ("legal_other", "Taux d'intérêt légal (%)"),
               ("legal_private", "Taux d'intérêt légal des particuliers (%)"))


class RatesForm(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        column = QVBoxLayout(self)
        explanation = QLabel(
            "Entre professionnels, les pénalités de retard courent au taux de la BCE en vigueur au 1er janvier "
            "(1er semestre) ou au 1er juillet (2e semestre), majoré de 10 points ; un particulier doit le taux "
            "d'intérêt légal (celui des « autres cas », votre entreprise étant le créancier) à partir de la mise en "
            "demeure. Encours ne devine jamais un taux : "
            "entrez ceux d'un semestre qui manque.")
        explanation.setWordWrap(True)
        column.addWidget(explanation)
        self.table = RowTable(COLUMNS)
        self.table.setMinimumHeight(180)
        self.table.activated_row.connect(self.edit)
        column.addWidget(self.table, 1)
        form = QFormLayout()
        column.addLayout(form)
        self.messages = FieldMessages(form)
        self.half_year = self.messages.add("half_year", "Semestre", QComboBox())
        self.half_year.setMinimumWidth(260)
        self.half_year.setMaximumWidth(260)
        self.half_year.currentIndexChanged.connect(self._show_known)
        self.fields: dict[str, QLineEdit] = {}
        for name, label in RATE_FIELDS:
            edit = QLineEdit(placeholderText="par exemple 2,15")
            edit.setMaximumWidth(120)
            self.fields[name] = self.messages.add(name, label, edit)
        self.source = self.messages.add("source", "Source (décret, communiqué BCE…)", QLineEdit())
        form.addRow(self.messages.general)
        self.rows: dict[date, RateRow] = {}
        self.today = date.today()

    def load(self, db, today: date) -> None:
        """The known half-years in the table; the form offers each half-year from the oldest known to the
        next one, on the first missing (else the current one)."""
        self.today = today
        rows = read(db, rate_rows)
        self.rows = {row.rates.start: row for row in rows}
        self.table.set_rows(rows)
        current = half_year_start(today)
        # back five years: an invoice that old is still claimable between merchants (L110-4)
        starts, start = [], min([half_year_start(today.replace(year=today.year - 5)), *self.rows])
        while start <= next_half_year(current):
            starts.append(start)
            start = next_half_year(start)
        self.half_year.blockSignals(True)
        self.half_year.clear()
        for start in reversed(starts):  # the most recent first
            known = "" if start in self.rows else " — manquant"
            self.half_year.addItem(half_year_label(start) + known, start)
        self.half_year.blockSignals(False)
        missing = [start for start in starts if start not in self.rows and start <= current]
        combo_select(self.half_year, missing[-1] if missing else current)
        self._show_known()

    def edit(self, row: RateRow) -> None:
        combo_select(self.half_year, row.rates.start)

    def _show_known(self) -> None:
        row = self.rows.get(self.half_year.currentData())
        for name, edit in self.fields.items():
            edit.setText("" if row is None else f"{getattr(row.rates, name):.2f}".replace(".", ","))
        self.source.setText("" if row is None or not row.entered else row.rates.source)

    def save(self, db) -> bool:
        """Save the half-year shown when its three rates are typed (nothing to do when they are all empty)."""
        texts = {name: edit.text().strip() for name, edit in self.fields.items()}
        start = self.half_year.currentData()
        known = self.rows.get(start)
        unchanged = known is not None and all(
            text == f"{getattr(known.rates, name):.2f}".replace(".", ",") for name, text in texts.items()) \
            and self.source.text().strip() == (known.rates.source if known.entered else "")
        if start is None or unchanged or not any(texts.values()):
            self.messages.show({})
            return True
        errors = commit(db, save_rates, start, texts["ecb"], texts["legal_other"], texts["legal_private"],
                        self.source.text())
        self.messages.show(errors)
        if not errors:
            self.load(db, self.today)
            combo_select(self.half_year, start)
        return not errors


class RatesDialog(QDialog):
    """The rates form opened from the screen a missing rate stops, on the half-year missing: the owner enters
    it without leaving that screen, which then computes again."""

    def __init__(self, context, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.setWindowTitle("Taux d'intérêt")
        self.setMinimumSize(860, 520)
        layout = QVBoxLayout(self)
        self.form = RatesForm()
        layout.addWidget(self.form, 1)
        layout.addWidget(dialog_buttons(self, self.save))
        self.form.load(context.db, context.today())

    def save(self) -> None:
        if self.form.save(self.context.db):
            self.accept()


class MissingRateBanner(Banner):
    """A band at the top of a screen saying that the current half-year's rates are missing (the service's
    French reason) with « Saisir le taux »; hidden while the rates are known."""

    def __init__(self, on_enter, parent: QWidget | None = None) -> None:
        button = QPushButton(icon("pencil"), "Saisir le taux")
        super().__init__("warning", [button], parent=parent)
        self.button = button
        self.button.clicked.connect(on_enter)

    def say(self, reason: str) -> None:
        """Show ``reason`` ("" hides the banner)."""
        self.text.setText(f"{reason[:1].upper()}{reason[1:]} Aucune lettre ne peut être imprimée d'ici là."
                          if reason else "")
        self.setVisible(bool(reason))
