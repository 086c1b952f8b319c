"""The first screen of an empty database: open the demo company, or create one's own."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (QDialog, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget)

from app.services.store import commit
from app.ui.forms import dialog_buttons
from app.ui.icons import icon
from app.ui.settings import CompanyForm
from app.ui.worker import run_op


def create_demo(db, today: date, job):
    """The demo company, created in one transaction in a worker thread."""
    from app.services.demo import create_demo_company

    return commit(db, create_demo_company, today=today, job=job)


class WelcomeScreen(QWidget):
    """Emits ``ready`` once the database holds a company."""

    ready = Signal()

    def __init__(self, context, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        title = QLabel("Bienvenue dans Encours")
        title.setObjectName("welcome_title")
        intro = QLabel("Encours vous dit qui vous doit quoi, qui relancer aujourd'hui et avec quelle lettre, "
                       "et combien vous encaisserez ces prochaines semaines.\n\n"
                       "Pour commencer, découvrez le programme avec une société fictive, ou créez la vôtre.")
        intro.setWordWrap(True)
        intro.setFixedWidth(600)
        intro.setMinimumHeight(intro.heightForWidth(600))
        self.demo_button = QPushButton(icon("sparkles"), "Ouvrir la société de démonstration")
        self.create_button = QPushButton(icon("building-2"), "Créer ma société")
        for button in (self.demo_button, self.create_button):
            button.setMinimumHeight(44)
            button.setMinimumWidth(280)
        self.demo_button.setDefault(True)
        self.demo_button.clicked.connect(self.open_demo)
        self.create_button.clicked.connect(self.create_company)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.demo_button)
        buttons.addWidget(self.create_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addStretch(2)
        layout.addWidget(title, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addSpacing(12)
        layout.addWidget(intro, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addSpacing(24)
        layout.addLayout(buttons)
        layout.addStretch(3)

    def open_demo(self) -> None:
        self.demo_button.setEnabled(False)
        today = self.context.today()
        self.op = run_op(self, lambda job: create_demo(self.context.db, today, job),
                         on_success=lambda _summary: self.ready.emit(),
                         label="Création de la société de démonstration…")
        self.op.signals.cancelled.connect(lambda: self.demo_button.setEnabled(True))
        self.op.signals.failed.connect(lambda _message: self.demo_button.setEnabled(True))

    def create_company(self) -> None:
        dialog = QDialog(self)
        dialog.setWindowTitle("Créer ma société")
        form = CompanyForm(dialog)
        form.load(self.context.db)
        def save() -> None:
            if form.save(self.context.db):
                dialog.accept()

        layout = QVBoxLayout(dialog)
        layout.addWidget(form)
        layout.addWidget(dialog_buttons(dialog, save, "Créer"))
        self.company_dialog = dialog
        if dialog.exec():
            self.ready.emit()
