"""The main window: a navigation column on the left, the current screen on the right.

It remembers its size, the last screen and the tables' column widths (QSettings). An empty database shows
the welcome screen first. Its title names the company and the data file; Fichier opens another company's
file in a new window that replaces this one (``switch_to``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, QSettings, QSize, Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (QHBoxLayout, QLabel, QListWidget, QListWidgetItem, QMainWindow, QMessageBox,
                               QStackedWidget, QVBoxLayout, QWidget)

from app.ui.icons import icon
from app.ui.menus import MenuBar

if TYPE_CHECKING:
    from app.ui.bootstrap import Context
    from app.ui.screen import Screen

STYLE = """
QWidget#side { background: #f3f4f6; border-right: 1px solid #e5e7eb; }
QListWidget#nav { background: transparent; border: none; font-size: 14px; outline: 0; }
QListWidget#nav::item { padding: 9px 12px; border-radius: 6px; margin: 1px 8px; color: #1f2937; }
QListWidget#nav::item:selected { background: #dbe4f0; color: #111827; }
QLabel#brand { font-size: 17px; font-weight: 600; letter-spacing: 2px; color: #1f2937; padding: 16px 20px 6px; }
QLabel#heading { font-size: 19px; font-weight: 600; color: #111827; }
QLabel#section { font-size: 15px; font-weight: 600; color: #374151; margin-top: 6px; }
QFrame#card { background: #ffffff; border: 1px solid #e5e7eb; border-radius: 8px; }
QLabel#card_label { color: #4b5563; font-size: 13px; }
QLabel#card_value { color: #111827; font-size: 21px; font-weight: 600; }
QLabel#card_change, QLabel#muted { color: #6b7280; font-size: 12px; }
QListWidget#alerts::item { padding: 4px 2px; border-bottom: 1px solid #f3f4f6; }
QLabel#welcome_title { font-size: 26px; font-weight: 600; color: #111827; }
QTableView { gridline-color: #e5e7eb; selection-background-color: #dbe4f0; selection-color: #111827; }
QHeaderView::section { background: #f9fafb; border: none; border-bottom: 1px solid #e5e7eb; padding: 5px 6px;
                       font-weight: 600; color: #374151; }
"""

# The screens in navigation order: key, title, icon. Ctrl+1… follow this order.
NAVIGATION = (
    ("dashboard", "Tableau de bord", "layout-dashboard"),
    ("reminders", "Relances", "bell-ring"),
    ("customers", "Clients", "users"),
    ("invoices", "Factures", "file-text"),
    ("reconcile", "À rapprocher", "git-compare-arrows"),
    ("imports", "Imports", "upload"),
    ("disputes", "Litiges", "message-square-warning"),
    ("settings", "Paramètres", "settings"),
)
SCREENS = tuple(key for key, _title, _icon in NAVIGATION)


def build_screens(context: Context) -> dict[str, Screen]:
    """The screens, built once the database is open (their modules bring SQLAlchemy in)."""
    from app.ui.customers import CustomersScreen
    from app.ui.dashboard import DashboardScreen
    from app.ui.disputes import DisputesScreen
    from app.ui.invoices import InvoicesScreen
    from app.ui.imports import ImportsScreen
    from app.ui.reconciliation import ReconcileScreen
    from app.ui.reminders import RemindersScreen
    from app.ui.settings import SettingsScreen

    classes = {"dashboard": DashboardScreen, "reminders": RemindersScreen, "customers": CustomersScreen,
               "invoices": InvoicesScreen, "reconcile": ReconcileScreen, "imports": ImportsScreen,
               "disputes": DisputesScreen, "settings": SettingsScreen}
    return {key: classes[key](context, title) for key, title, _icon in NAVIGATION}


class MainWindow(QMainWindow):
    """The window paints its frame and navigation at once; ``attach(context)`` then opens the screens on
    the database, so that the first paint does not wait for SQLAlchemy and the data."""

    def __init__(self, settings: QSettings) -> None:
        super().__init__()
        self.settings = settings
        self.context: Context | None = None
        self.screens: dict[str, Screen] = {}
        self.setWindowTitle("Encours")
        self.setWindowIcon(icon("scale"))
        self.setStyleSheet(STYLE)
        self.setMinimumSize(QSize(1200, 640))  # the tables' amount columns stay in view
        self.setAcceptDrops(True)
        self.nav = QListWidget()
        self.nav.setObjectName("nav")
        self.nav.setIconSize(QSize(18, 18))
        self.menus = MenuBar(self)
        for number, (key, title, icon_name) in enumerate(NAVIGATION, start=1):
            item = QListWidgetItem(icon(icon_name), title)
            item.setData(Qt.ItemDataRole.UserRole, key)
            item.setToolTip(f"{title} (Ctrl+{number})")
            self.nav.addItem(item)
            self.menus.add_screen(number, title, lambda k=key: self.show_screen(k))
        self.menus.add_refresh(lambda: self.current_screen().refresh())
        QShortcut(QKeySequence.StandardKey.Find, self, lambda: self.current_screen().focus_search())
        self.nav.setEnabled(False)
        self.nav.currentRowChanged.connect(self._nav_changed)
        side = QWidget()
        side.setObjectName("side")
        side.setAttribute(Qt.WidgetAttribute.WA_StyledBackground)
        side.setFixedWidth(210)
        side_layout = QVBoxLayout(side)
        side_layout.setContentsMargins(0, 0, 0, 0)
        brand = QLabel("ENCOURS")
        brand.setObjectName("brand")
        side_layout.addWidget(brand)
        side_layout.addWidget(self.nav, 1)

        self.stack = QStackedWidget()
        loading = QLabel("Ouverture des données…")
        loading.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.stack.addWidget(loading)
        workspace = QWidget()
        layout = QHBoxLayout(workspace)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(side)
        layout.addWidget(self.stack, 1)
        self.pages = QStackedWidget()
        self.pages.addWidget(workspace)
        self.setCentralWidget(self.pages)
        geometry = settings.value("window/geometry")
        if isinstance(geometry, QByteArray):
            self.restoreGeometry(geometry)
        else:
            self.resize(1280, 800)

    def attach(self, context: Context, backup: bool = True, first: str | None = None) -> None:
        """Build the screens on the open database; an empty one shows the welcome screen first. ``backup``:
        make the day's backup behind the window (a screenshot or an export of a screen only reads). ``first``:
        the screen to show (a screenshot's), instead of the one the user left; « welcome » stays there."""
        from app.services.backups import daily_backup
        from app.services.company import company_name
        from app.services.store import read
        from app.ui.welcome import WelcomeScreen
        from app.ui.worker import run_quietly

        self.context = context
        context.settings = self.settings
        self.menus.recent.add(context.location)
        # the day's backup, behind the window (a large file takes seconds); said only when it failed
        if backup:
            run_quietly(self, lambda: daily_backup(context.db),
                        lambda warning: warning and QMessageBox.warning(self, "Sauvegarde quotidienne", warning))
        self.screens = build_screens(context)
        for key, screen in self.screens.items():
            self.stack.addWidget(screen)
            screen.changed.connect(self.refresh_counts)
            state = self.settings.value(f"columns/{key}")
            if isinstance(state, QByteArray) and hasattr(screen, "table"):
                screen.table.restore_state(state)
        self.welcome = WelcomeScreen(context)
        self.welcome.ready.connect(self.open_workspace)
        self.pages.addWidget(self.welcome)
        if first != "welcome" and read(context.db, company_name) is not None:
            self.open_workspace(first)
        else:
            self.pages.setCurrentWidget(self.welcome)

    def open_workspace(self, first: str | None = None) -> None:
        from app.services.company import company_name
        from app.services.store import read
        from app.ui.bodacc import start_weekly_check

        # the company and its file (Qt appends " — Encours"): two windows on two companies are told apart
        self.setWindowTitle(f"{read(self.context.db, company_name)} — {self.context.db.name.rsplit('/', 1)[-1]}")
        self.statusBar().showMessage(f"Données : {self.context.location}")
        self.pages.setCurrentIndex(0)
        self.nav.setEnabled(True)
        self.menus.set_workspace(True)
        last = first or self.settings.value("window/screen", "dashboard")
        self.show_screen(last if last in self.screens else "dashboard")
        # the customers' proceedings at the BODACC, once a week behind the window, only when the owner allowed it
        start_weekly_check(self, self.context, lambda: self.current_screen().refresh())

    def show_screen(self, key: str) -> None:
        if self.nav.isEnabled():
            self.nav.setCurrentRow(SCREENS.index(key))

    def current_screen(self) -> Screen:
        return self.stack.currentWidget()

    def current_key(self) -> str:
        """The key of the screen shown (``NAVIGATION``)."""
        return SCREENS[max(self.nav.currentRow(), 0)]

    def _nav_changed(self, row: int) -> None:
        if row < 0:
            return
        key = self.nav.item(row).data(Qt.ItemDataRole.UserRole)
        screen = self.screens[key]
        self.stack.setCurrentWidget(screen)
        screen.refresh()
        self.settings.setValue("window/screen", key)
        self.refresh_counts()

    def refresh_counts(self) -> None:
        """The number of items waiting beside a screen's name ("À rapprocher  12"), read again each time the
        user moves, so that it follows what was just done; none when nothing waits."""
        from app.services.disputes import open_count
        from app.services.to_reconcile import pending_count
        from app.services.store import read

        for row, (key, title, _icon) in enumerate(NAVIGATION):
            count = {"reconcile": pending_count, "disputes": open_count}.get(key)
            if count is not None:
                waiting = read(self.context.db, count)
                self.nav.item(row).setText(f"{title}  {waiting}" if waiting else title)

    def dragEnterEvent(self, event) -> None:
        if self.screens and event.mimeData().hasUrls() and all(u.isLocalFile() for u in event.mimeData().urls()):
            event.acceptProposedAction()

    def dropEvent(self, event) -> None:
        """A file dropped anywhere on the window goes to the import wizard."""
        from pathlib import Path

        files = [Path(url.toLocalFile()) for url in event.mimeData().urls() if Path(url.toLocalFile()).is_file()]
        if files:
            self.show_screen("imports")
            self.screens["imports"].open_wizard(files[0])
            event.acceptProposedAction()

    def reload(self) -> None:
        """The data was replaced under the window (a backup restored): the title, the screen shown and the
        counts are read again; the other screens read theirs when shown."""
        self.open_workspace()
        self.current_screen().refresh()

    def switch_to(self, location: str) -> None:
        """Open another company's data file: a new window on it takes this one's place (this one closes once
        the other is shown; a file another window holds is refused, and this one stays)."""
        from app.ui.app import start_window

        if start_window(location, self.settings, replacing=self) is not None:
            self.close()

    def closeEvent(self, event) -> None:
        if getattr(self, "lock", None) is not None:  # the file is free for another window
            self.lock.unlock()
        self.settings.setValue("window/geometry", self.saveGeometry())
        for key, screen in self.screens.items():
            if hasattr(screen, "table"):
                self.settings.setValue(f"columns/{key}", screen.table.horizontalHeader().saveState())
        super().closeEvent(event)
