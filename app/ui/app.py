"""Start the Qt application: open the database, show the main window (or take a screenshot of a screen).

The window paints its frame first and opens the database right after, so it appears without waiting for
SQLAlchemy. For the start-up benchmark and the installer check, ``ENCOURS_QUIT_AFTER_PAINT=paint`` quits
at that first paint, and ``ENCOURS_QUIT_AFTER_PAINT=1`` once the data is open behind it.
"""

from __future__ import annotations

import os
import sys
import tempfile

from PySide6.QtCore import QEvent, QLibraryInfo, QLocale, QObject, Qt, QTimer, QTranslator
from PySide6.QtWidgets import QApplication, QMessageBox

from app.config import APP_NAME, ORG_NAME
from app.jobs import Refused

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


_windows: set = set()  # the windows shown, kept alive (a window opened by Fichier > Ouvrir has no other owner)


def attached(window, location: str, backup: bool = True, first: str | None = None) -> bool:
    """Open ``location`` behind ``window``; False, said, when it cannot be opened. ``backup``: the day's
    backup is made behind it (not for a screenshot or an export, which only read); ``first``: the screen
    shown first (``MainWindow.attach``)."""
    from app.ui.bootstrap import bootstrap
    from app.ui.errors import said

    try:
        context = bootstrap(location)
    except Refused as refused:  # opened, but the database refused the work of opening: said as that
        QMessageBox.critical(window, APP_NAME, str(refused))
        return False
    except Exception as exc:  # a file that is not a database, a server that does not answer
        QMessageBox.critical(window, APP_NAME, f"Impossible d'ouvrir les données {location} :\n{exc}\n\n"
                             "Vérifiez le fichier ou l'adresse passés à --db ou à ENCOURS_DB.")
        return False
    try:
        window.attach(context, backup, first)
    except Exception as exc:  # the data opened: what went wrong after is said as what it is, not as the path
        said(window, exc, exc.__traceback__)
        return False
    return True


def _shown(window, held) -> None:
    """``window`` shown and kept until it is closed, holding its file's lock."""
    from app.ui.errors import install

    window.lock = held
    install(window)  # a refusal or a bug no screen caught: said in a message box, never only on a console
    _windows.add(window)
    window.destroyed.connect(lambda *_: _windows.discard(window))
    window.show()


def start_window(location: str, settings, replacing=None):
    """A window on another data file, taking ``replacing``'s place (Fichier > Ouvrir, Nouvelle société, a
    recent file): opened before it is shown, so that a file that cannot be opened leaves ``replacing`` as it
    is; None then, and when another window holds the file (said)."""
    from app.ui.files import lock
    from app.ui.main_window import MainWindow

    held, why = lock(location)
    if why:
        QMessageBox.warning(replacing, APP_NAME, why)
        return None
    window = MainWindow(settings)
    window.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    if not attached(window, location):
        window.deleteLater()
        return None
    _shown(window, held)
    return window


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
    if screenshot or export:  # a picture or a file of a screen, while the user's window may be open on it
        from app.ui.errors import install
        from app.ui.export import VIEWS as EXPORTED, export_view
        from app.ui.screenshot import screen_of, take

        install(window)
        first = screen_of(screenshot[0]) if screenshot else EXPORTED.get(export[0], ("dashboard",))[0]
        if not attached(window, location, backup=False, first=first):
            return 1
        return take(window, *screenshot) if screenshot else export_view(window, *export)
    from app.ui.files import lock

    held, why = lock(location)
    if why:  # a second Encours on the same file: said at once, not as « database is locked » later
        QMessageBox.warning(None, APP_NAME, why)
        return 1

    def attach() -> None:
        if not attached(window, location):
            app.exit(1)
        elif quit_when:
            QTimer.singleShot(0, app.quit)

    _AfterFirstPaint(window, app.quit if quit_when == "paint" else attach)
    _shown(window, held)
    return app.exec()
