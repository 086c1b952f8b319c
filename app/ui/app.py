"""Start the Qt application: open the database, show the main window (or take a screenshot of a screen).

The window paints its frame first and opens the database right after, so it appears without waiting for
SQLAlchemy. For the start-up benchmark and the installer check, ``ENCOURS_QUIT_AFTER_PAINT=paint`` quits
at that first paint, and ``ENCOURS_QUIT_AFTER_PAINT=1`` once the data is open behind it.
"""

from __future__ import annotations

import os
import sys
import tempfile

from PySide6.QtCore import QEvent, QLibraryInfo, QLocale, QObject, QTimer, QTranslator
from PySide6.QtWidgets import QApplication, QMessageBox

from app.config import APP_NAME, ORG_NAME

SCREENSHOT_SIZE = (1280, 800)


class _AfterFirstPaint(QObject):
    """Calls ``then`` once the watched window has painted for the first time."""

    def __init__(self, watched: QObject, then) -> None:
        super().__init__(watched)
        self.then = then
        watched.installEventFilter(self)

    def eventFilter(self, watched, event) -> bool:
        if event.type() == QEvent.Type.Paint:
            watched.removeEventFilter(self)
            QTimer.singleShot(0, self.then)
        return False


def configure(app: QApplication) -> None:
    """Names (for QSettings), style, and Qt's own French texts (Enregistrer, Annuler, calendars...)."""
    if app.property("encours_configured"):
        return
    app.setProperty("encours_configured", True)
    app.setOrganizationName(ORG_NAME)
    app.setApplicationName(APP_NAME)
    app.setApplicationDisplayName(APP_NAME)
    app.setStyle("Fusion")
    QLocale.setDefault(QLocale(QLocale.Language.French, QLocale.Country.France))
    translator = QTranslator(app)
    if translator.load(QLocale(QLocale.Language.French), "qtbase", "_",
                       QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)):
        app.installTranslator(translator)


def application() -> QApplication:
    app = QApplication.instance() or QApplication(sys.argv)
    configure(app)
    return app


def run(location: str, screenshot: tuple[str, str] | None = None, export: tuple[str, str] | None = None) -> int:
    """Show the window at once, then open the database behind it (or take a screenshot of a screen, or
    export its table)."""
    if screenshot or export:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    app = application()
    from PySide6.QtCore import QSettings

    from app.ui.main_window import MainWindow

    # a screenshot or a timed start shows the screens as a new user sees them and leaves the user's settings
    quit_when = os.environ.get("ENCOURS_QUIT_AFTER_PAINT", "")
    settings = QSettings(os.path.join(tempfile.mkdtemp(), "encours.ini"), QSettings.Format.IniFormat) \
        if screenshot or export or quit_when else QSettings()
    window = MainWindow(settings)
    from app.ui.errors import install

    install(window)  # a refusal or a bug no screen caught: said in a message box, never only on a console

    def attach() -> bool:
        from app.ui.bootstrap import bootstrap

        try:
            window.attach(bootstrap(location))
        except Exception as exc:  # a file that is not a database, a server that does not answer
            QMessageBox.critical(window, APP_NAME, f"Impossible d'ouvrir les données {location} :\n{exc}\n\n"
                                 "Vérifiez le fichier ou l'adresse passés à --db ou à ENCOURS_DB.")
            app.exit(1)
            return False
        return True

    if screenshot:
        from app.ui.screenshot import take

        return take(window, *screenshot) if attach() else 1
    if export:
        from app.ui.export import export_view

        return export_view(window, *export) if attach() else 1
    if quit_when == "paint":
        _AfterFirstPaint(window, app.quit)
    else:
        _AfterFirstPaint(window, lambda: (attach(), quit_when and QTimer.singleShot(0, app.quit)))
    window.show()
    return app.exec()
