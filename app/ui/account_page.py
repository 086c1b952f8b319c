"""The import wizard's question when a statement names no account: which one it is, among the accounts
already known (with their last balance), or another typed as an IBAN or a RIB and checked before the import
starts. The service remembers the answer for the file's layout, so the question comes once per layout."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QButtonGroup, QGridLayout, QLabel, QLineEdit, QRadioButton, QVBoxLayout, QWidget

from app.services.bank_accounts import KnownAccount, typed_account_error
from app.ui.format import LATE

OTHER = "Un autre compte, son IBAN ou son RIB :"


class AccountPage(QWidget):
    def __init__(self, known: list[KnownAccount], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.known = known
        question = QLabel("<b>De quel compte bancaire est ce relevé ?</b> Le fichier ne le dit pas. Encours "
                          "retiendra votre réponse pour les prochains relevés présentés de la même façon.")
        question.setWordWrap(True)
        self.choices = QButtonGroup(self)
        grid = QGridLayout()
        grid.setColumnStretch(2, 1)  # the field as wide as an IBAN, the rest of the line empty
        for row, account in enumerate(known):
            button = QRadioButton(account.text())
            self.choices.addButton(button, row)
            grid.addWidget(button, row, 0, 1, 3)
        self.other = QRadioButton(OTHER if known else "IBAN ou RIB du compte :")
        self.choices.addButton(self.other, len(known))
        self.typed = QLineEdit()
        self.typed.setPlaceholderText("FR76 3000 4000 1200 0123 4567 859, ou 30004 00012 00012345678 59")
        self.typed.setFixedWidth(self.typed.fontMetrics().horizontalAdvance(self.typed.placeholderText()) + 24)
        self.typed.textEdited.connect(lambda _text: self.other.setChecked(True))
        grid.addWidget(self.other, len(known), 0)
        grid.addWidget(self.typed, len(known), 1)
        self.error = QLabel()
        self.error.setObjectName("account_error")
        self.error.setWordWrap(True)
        self.error.setStyleSheet(f"color: {LATE.name()};")
        layout = QVBoxLayout(self)
        layout.addWidget(question)
        layout.addLayout(grid)
        layout.addWidget(self.error)
        layout.addStretch(1)
        layout.setAlignment(Qt.AlignmentFlag.AlignTop)
        self.choices.buttons()[0].setChecked(True)

    def chosen(self) -> str | None:
        """The account chosen or typed (a known one's key, or the IBAN or RIB as typed), or None after saying
        in red why what was typed names no account."""
        if not self.other.isChecked():
            return self.known[self.choices.checkedId()].key
        error = typed_account_error(self.typed.text(), {account.key for account in self.known})
        self.error.setText(error or "")
        if error:
            self.typed.setFocus()
            return None
        return self.typed.text()
