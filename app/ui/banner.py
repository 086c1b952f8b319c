"""A band at the top of a screen that says something the owner should act on, with the buttons to do it."""

from __future__ import annotations

from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QWidget

from app.ui.icons import icon

TONES = {  # background, border, sign
    "warning": ("#fdf2e0", "#e8c07a", "triangle-alert"),
    "info": ("#e8f0fb", "#9db8e0", "history"),
}


class Banner(QFrame):
    """A sign, a sentence (``text``, wrapped) and ``buttons`` on the right; hidden until the screen shows it."""

    def __init__(self, tone: str, buttons: list[QPushButton], text: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        background, border, sign_name = TONES[tone]
        self.setObjectName("banner")
        self.setStyleSheet(f"QFrame#banner {{ background: {background}; border: 1px solid {border}; "
                           "border-radius: 6px; }")
        row = QHBoxLayout(self)
        row.setContentsMargins(12, 8, 12, 8)
        sign = QLabel()
        sign.setPixmap(icon(sign_name).pixmap(20, 20))
        self.text = QLabel(text)
        self.text.setWordWrap(True)
        row.addWidget(sign)
        row.addWidget(self.text, 1)
        for button in buttons:
            row.addWidget(button)
        self.hide()
