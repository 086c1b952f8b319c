"""Paramètres › Stocks et fournisseurs: what the working capital needs when no FEC was imported (the FEC's
balances take over once one is)."""

from __future__ import annotations

from PySide6.QtWidgets import QFormLayout, QLabel, QWidget

from app.services.store import commit, read
from app.services.working_capital import TypedFigures, save_typed_figures, typed_figures
from app.ui.forms import AmountEdit, FieldMessages

FIELDS = (
    ("stock", "Valeur du stock (€)"),
    ("supplier_payables", "Dettes fournisseurs (€, TTC)"),
    ("yearly_purchases", "Achats des 12 derniers mois (€, HT)"),
)


class WorkingCapitalForm(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        form = QFormLayout(self)
        explanation = QLabel("Le tableau de bord calcule votre besoin en fonds de roulement (BFR) à partir de ces "
                             "chiffres tant qu'aucun FEC de votre comptable n'a été importé ; ensuite, il prend "
                             "ceux du FEC, exercice par exercice.")
        explanation.setWordWrap(True)
        form.addRow(explanation)
        self.messages = FieldMessages(form)
        self.fields: dict[str, AmountEdit] = {}
        for name, label in FIELDS:
            edit = AmountEdit(optional=True)
            edit.setMaximumWidth(160)
            self.fields[name] = self.messages.add(name, label, edit)
        form.addRow(self.messages.general)

    def load(self, db) -> None:
        figures = read(db, typed_figures)
        for name, edit in self.fields.items():
            edit.set_amount(getattr(figures, name))

    def save(self, db, seen: dict[str, int] | None = None) -> bool:
        values, errors = {}, {}
        for name, edit in self.fields.items():
            try:
                values[name] = edit.amount()
            except ValueError as exc:
                errors[name] = str(exc)
        if not errors:
            errors = commit(db, save_typed_figures, TypedFigures(**values), seen)
        self.messages.show(errors)
        return not errors
