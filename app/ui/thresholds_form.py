"""Paramètres › Objectifs et alertes: the DSO target, the margin rate and the thresholds the dashboard's
alerts are raised at."""

from __future__ import annotations

from decimal import Decimal

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFormLayout, QSpinBox, QWidget

from app.domain.alerts import Thresholds
from app.services.cockpit import save_thresholds, thresholds
from app.services.store import commit, read
from app.ui.forms import FieldMessages

# field, label, suffix, maximum, tooltip
FIELDS = (
    ("dso_target_days", "Objectif de DSO (délai moyen d'encaissement)", " j", 365, ""),
    ("margin_rate", "Taux de marge (pour chiffrer un impayé)", " %", 100,
     "Un impayé de 1 000 € à 20 % de marge demande 5 000 € de ventes en plus pour être compensé."),
    ("delay_growth_days", "Alerter si un client paie plus tard qu'au trimestre précédent de", " j", 365, ""),
    ("concentration_share", "Alerter si les 5 premiers clients détiennent plus de", " %", 100, "de l'encours total"),
    ("prescription_days", "Prévenir avant la prescription d'une facture", " j", 730,
     "Une créance est prescrite 5 ans après l'échéance entre commerçants, 2 ans pour un particulier."),
    ("declaration_days", "Délai de déclaration à l'assureur-crédit (après l'échéance)", " j", 730, ""),
    ("cover_expiry_days", "Prévenir avant l'expiration d'une couverture", " j", 365, ""),
    ("insolvency_days", "Délai pour informer l'assureur-crédit d'une procédure collective (après la publication)",
     " j", 365, "Le délai de votre contrat d'assurance-crédit : Encours l'affiche à côté de celui de la déclaration "
     "de créance."),
)
PERCENTS = ("margin_rate", "concentration_share")


class ThresholdsForm(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        form = QFormLayout(self)
        self.messages = FieldMessages(form)
        self.boxes: dict[str, QSpinBox] = {}
        for name, label, suffix, maximum, hint in FIELDS:
            box = QSpinBox()
            box.setRange(0, maximum)
            box.setSuffix(suffix)
            box.setMaximumWidth(110)
            box.setAlignment(Qt.AlignmentFlag.AlignRight)
            box.setToolTip(hint)
            self.boxes[name] = self.messages.add(name, label, box)
        form.addRow(self.messages.general)

    def load(self, db) -> None:
        for name, value in read(db, thresholds)._asdict().items():
            self.boxes[name].setValue(int(value * 100) if name in PERCENTS else value)

    def values(self) -> Thresholds:
        return Thresholds(**{name: Decimal(box.value()).scaleb(-2) if name in PERCENTS else box.value()
                             for name, box in self.boxes.items()})

    def save(self, db, seen: dict[str, int] | None = None) -> bool:
        errors = commit(db, save_thresholds, self.values(), seen)
        self.messages.show(errors)
        return not errors
