"""Relances' top line: the deadlines of the customers' collective proceedings (the declaration of claim counted
down, the credit insurer's beside it), until they are met; a click on a customer opens its card, where the
declaration is recorded."""

from __future__ import annotations

from collections.abc import Callable
from html import escape

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget

from app.domain.alerts import deadlines_text
from app.domain.insolvency import CustomerDeadlines
from app.ui.banner import Banner


class DeadlinesBanner(Banner):
    """One line per customer in proceedings with a deadline to meet, each a link to its card (``open_customer``
    with its id); hidden when there is none."""

    def __init__(self, open_customer: Callable[[int], None], parent: QWidget | None = None) -> None:
        super().__init__("warning", [], parent=parent)
        self.text.setTextFormat(Qt.TextFormat.RichText)
        self.text.setToolTip("Cliquez sur un client pour ouvrir sa fiche et enregistrer la déclaration")
        self.text.linkActivated.connect(lambda link: open_customer(int(link)))

    def say(self, shown: list[CustomerDeadlines]) -> None:
        self.text.setText("<br>".join(f'<a href="{found.customer_id}">{escape(deadlines_text(found))}</a>'
                                      for found in shown))
        self.setVisible(bool(shown))
