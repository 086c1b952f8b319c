"""Screens still to come say what they will hold, so the navigation is never a blank page."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel

from app.ui.screen import Screen

PLANNED = {
    "Relances": (
        "Les relances du jour arriveront ici.",
        ["la liste des actions du jour : courrier, appel, mise en demeure ;",
         "l'aperçu de chaque lettre avant impression, avec les pénalités légales calculées ;",
         "l'impression de toutes les lettres du jour en un seul PDF ;",
         "les litiges et les promesses de paiement, qui suspendent les relances."]),
}


class PlaceholderScreen(Screen):
    def __init__(self, context, title: str, parent=None) -> None:
        super().__init__(context, title, parent)
        headline, items = PLANNED[title]
        text = QLabel(f"<p><b>{headline}</b></p><p>Cet écran présentera :</p><ul>"
                      + "".join(f"<li>{item}</li>" for item in items) + "</ul>"
                      "<p>En attendant, l'écran Clients montre l'encours et la part échue de chaque client, "
                      "et l'écran Factures les factures en retard.</p>")
        text.setObjectName("placeholder")
        text.setWordWrap(True)
        text.setTextFormat(Qt.TextFormat.RichText)
        text.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        text.setMaximumWidth(760)
        self.layout_.addWidget(text)
        self.layout_.addStretch(1)
