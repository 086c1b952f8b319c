"""The window's safety net: an exception no screen caught (a quick save refused because a colleague saved
first, the database held by another writer, a bug) is said in French in a message box instead of a
traceback on a console the owner never sees. Every write being one transaction, nothing half-written stays."""

from __future__ import annotations

import sys
import traceback

from PySide6.QtWidgets import QMessageBox, QWidget

from app.config import APP_NAME
from app.jobs import Refused
from app.services.edits import Conflict

UNEXPECTED = ("Une erreur inattendue a interrompu cette action. Vos données ne sont jamais enregistrées à "
              "moitié : vérifiez si ce que vous faisiez l'a été, puis recommencez si besoin. Si l'erreur se "
              "reproduit, notez ce que vous faisiez et le détail ci-dessous pour le support.")


def install(window: QWidget) -> None:
    """Route the uncaught exceptions of the Qt event loop to ``said`` above ``window``."""
    sys.excepthook = lambda kind, error, trace: said(window, error, trace)


def said(window: QWidget, error: BaseException, trace=None) -> None:
    """A refusal the user can act on (its French message), else the unexpected one with its detail."""
    if isinstance(error, (Refused, Conflict)):
        QMessageBox.warning(window, APP_NAME, str(error))
        return
    traceback.print_exception(type(error), error, trace, file=sys.stderr)
    box = QMessageBox(QMessageBox.Icon.Critical, APP_NAME, UNEXPECTED, parent=window)
    box.setDetailedText("".join(traceback.format_exception(type(error), error, trace)))
    box.exec()
