"""``encours screenshot VIEW --out FILE.png``: a screen rendered at 1280×800, for docs and checks."""

from __future__ import annotations

import sys
import time

from PySide6.QtWidgets import QApplication

from app.ui.lazy_model import PAGE

VIEWS = ("welcome", "dashboard", "reminders", "customers", "customer", "invoices", "invoice", "reconcile", "imports",
         "disputes", "settings")
CARD_AMONG = PAGE  # the card shown is chosen among a list's first rows, as a user chooses among those shown
WAIT_SECONDS = 60  # what a screenshot or an export waits for a screen's worker


def screen_of(view: str) -> str:
    """The window's screen a view is taken on (a card over its list), shown first so that no other screen
    computes behind it; « welcome » stays on the welcome page."""
    return {"customer": "customers", "invoice": "invoices"}.get(view, view)


def wait_for(screen, seconds: float = WAIT_SECONDS) -> bool:
    """Let a screen that computes or reads in a worker (the dashboard, À rapprocher, the lists) finish before the
    picture is taken; False when it has not within ``seconds``."""
    deadline = time.monotonic() + seconds
    while getattr(screen, "running", None) is not None and time.monotonic() < deadline:
        QApplication.processEvents()
        time.sleep(0.02)
    return getattr(screen, "running", None) is None


def unfinished(view: str) -> str:
    """What the command line says of a screen still computing after ``WAIT_SECONDS``."""
    return f"encours : l'écran « {view} » n'a pas fini de calculer en {WAIT_SECONDS} s ; réessayez"


def take(window, view: str, out: str) -> int:
    if view not in VIEWS:
        print(f"encours : écran inconnu « {view} » ; choisissez parmi : {', '.join(VIEWS)}", file=sys.stderr)
        return 1
    window.resize(1280, 800)
    window.show()
    target = window
    if view == "welcome":
        window.pages.setCurrentWidget(window.welcome)
    elif view in ("customer", "invoice"):
        screen_key = screen_of(view)
        window.show_screen(screen_key)
        screen = window.screens[screen_key]
        if not wait_for(screen):
            print(unfinished(screen_key), file=sys.stderr)
            return 1
        rows = screen.table.leading_rows(CARD_AMONG)  # not the million rows of a large ledger's invoices
        if not rows:
            print("encours : aucune fiche à montrer (base vide ?)", file=sys.stderr)
            return 1
        from app.ui.customer_form import CustomerDialog
        from app.ui.invoice_form import InvoiceDialog

        dialog_class = CustomerDialog if view == "customer" else InvoiceDialog
        target = dialog_class(window.context, max(rows, key=lambda r: (r.overdue, r.id)).id, window)
        target.show()
    else:
        window.show_screen(view)
        if not wait_for(window.screens.get(view)):
            print(unfinished(view), file=sys.stderr)
            return 1
    for _ in range(3):
        QApplication.processEvents()
    if not target.grab().save(out):
        print(f"encours : impossible d'écrire {out}", file=sys.stderr)
        return 1
    print(out)
    return 0
