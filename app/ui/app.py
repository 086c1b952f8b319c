"""Start the Qt application: open the database, show the main window (or take a screenshot of a screen).

``ENCOURS_QUIT_AFTER_PAINT=1`` quits right after the first paint: the start-up benchmark and the installer
check use it.
"""

from __future__ import annotations

import os
import sys

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from app.config import APP_NAME, ORG_NAME

SCREENSHOT_SIZE = (1280, 800)


class _QuitOnFirstPaint(QObject):
    def eventFilter(self, watched, event) -> bool:
        if event.type() == QEvent.Type.Paint:
            watched.removeEventFilter(self)
            QTimer.singleShot(0, QApplication.instance().quit)
        return False


def application() -> QApplication:
    app = QApplication.instance() or QApplication(sys.argv)
    app.setOrganizationName(ORG_NAME)
    app.setApplicationName(APP_NAME)
    app.setApplicationDisplayName(APP_NAME)
    app.setStyle("Fusion")
    return app


def run(location: str, screenshot: tuple[str, str] | None = None) -> int:
    if screenshot:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    app = application()
    from app.ui.bootstrap import bootstrap
    from app.ui.main_window import MainWindow

    try:
        context = bootstrap(location)
    except Exception as exc:  # a file that is not a database, a server that does not answer
        if screenshot:
            raise
        QMessageBox.critical(None, APP_NAME, f"Impossible d'ouvrir les données {location} :\n{exc}")
        return 1
    window = MainWindow(context)
    if screenshot:
        from app.ui.screenshot import take

        return take(window, *screenshot)
    if os.environ.get("ENCOURS_QUIT_AFTER_PAINT"):
        window.installEventFilter(_QuitOnFirstPaint(window))
    window.show()
    return app.exec()
