"""The main window: a navigation column on the left, the current screen on the right.

It remembers its size, the last screen and the tables' column widths (QSettings). An empty database shows
the welcome screen first.
"""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QSize, Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QHBoxLayout, QLabel, QListWidget, QListWidgetItem, QMainWindow, QStackedWidget, QWidget

from app.services.company import get_company
from app.ui.bootstrap import Context
from app.ui.customers import CustomersScreen
from app.ui.icons import icon
from app.ui.invoices import InvoicesScreen
from app.ui.placeholder import PlaceholderScreen
from app.ui.screen import Screen
from app.ui.settings import SettingsScreen
from app.ui.welcome import WelcomeScreen

STYLE = """
QListWidget#nav { background: #f3f4f6; border: none; border-right: 1px solid #e5e7eb; font-size: 14px;
                  padding-top: 8px; }
QListWidget#nav::item { padding: 9px 12px; border-radius: 6px; margin: 1px 8px; color: #1f2937; }
QListWidget#nav::item:selected { background: #dbe4f0; color: #111827; }
QLabel#brand { font-size: 17px; font-weight: 600; letter-spacing: 2px; color: #1f2937; padding: 16px 20px 6px; }
QLabel#heading { font-size: 19px; font-weight: 600; color: #111827; }
QLabel#section { font-size: 15px; font-weight: 600; color: #374151; margin-top: 6px; }
QLabel#welcome_title { font-size: 26px; font-weight: 600; color: #111827; }
QTableView { gridline-color: #e5e7eb; selection-background-color: #dbe4f0; selection-color: #111827; }
QHeaderView::section { background: #f9fafb; border: none; border-bottom: 1px solid #e5e7eb; padding: 5px 6px;
                       font-weight: 600; color: #374151; }
"""

SCREENS = ("dashboard", "reminders", "customers", "invoices", "imports", "settings")


class MainWindow(QMainWindow):
    def __init__(self, context: Context) -> None:
        super().__init__()
        self.context = context
        self.setWindowTitle("Encours")
        self.setWindowIcon(icon("scale"))
        self.setStyleSheet(STYLE)
        self.setMinimumSize(QSize(1024, 640))
        self.screens: dict[str, Screen] = {
            "dashboard": PlaceholderScreen(context, "Tableau de bord"),
            "reminders": PlaceholderScreen(context, "Relances"),
            "customers": CustomersScreen(context),
            "invoices": InvoicesScreen(context),
            "imports": PlaceholderScreen(context, "Imports"),
            "settings": SettingsScreen(context),
        }
        icons = {"dashboard": "layout-dashboard", "reminders": "bell-ring", "customers": "users",
                 "invoices": "file-text", "imports": "upload", "settings": "settings"}
        self.nav = QListWidget()
        self.nav.setObjectName("nav")
        self.nav.setIconSize(QSize(18, 18))
        self.stack = QStackedWidget()
        for number, (key, screen) in enumerate(self.screens.items(), start=1):
            item = QListWidgetItem(icon(icons[key]), screen.title)
            item.setData(Qt.ItemDataRole.UserRole, key)
            item.setToolTip(f"{screen.title} (Ctrl+{number})")
            self.nav.addItem(item)
            self.stack.addWidget(screen)
            QShortcut(QKeySequence(f"Ctrl+{number}"), self, lambda k=key: self.show_screen(k))
        QShortcut(QKeySequence.StandardKey.Find, self, lambda: self.current_screen().focus_search())
        self.nav.currentRowChanged.connect(self._nav_changed)

        side = QWidget()
        side.setFixedWidth(210)
        side.setObjectName("side")
        side_layout = QHBoxLayout(side)
        side_layout.setContentsMargins(0, 0, 0, 0)
        side_layout.addWidget(self.nav)
        brand = QLabel("ENCOURS")
        brand.setObjectName("brand")
        self.nav.insertItem(0, "")  # room for the brand label drawn over it
        self.nav.item(0).setFlags(Qt.ItemFlag.NoItemFlags)
        self.nav.setItemWidget(self.nav.item(0), brand)

        workspace = QWidget()
        layout = QHBoxLayout(workspace)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(side)
        layout.addWidget(self.stack, 1)

        self.welcome = WelcomeScreen(context)
        self.welcome.ready.connect(self.open_workspace)
        self.pages = QStackedWidget()
        self.pages.addWidget(self.welcome)
        self.pages.addWidget(workspace)
        self.setCentralWidget(self.pages)
        self.restore()
        with context.db.sessions() as session:
            has_company = get_company(session) is not None
        if has_company:
            self.open_workspace()

    def open_workspace(self) -> None:
        with self.context.db.sessions() as session:
            company = get_company(session)
        self.setWindowTitle(f"Encours — {company.name}")
        self.statusBar().showMessage(f"Données : {self.context.location}")
        self.pages.setCurrentIndex(1)
        last = self.context.settings.value("window/screen", "customers")
        self.show_screen(last if last in self.screens else "customers")

    def show_screen(self, key: str) -> None:
        self.nav.setCurrentRow(SCREENS.index(key) + 1)

    def current_screen(self) -> Screen:
        return self.stack.currentWidget()

    def _nav_changed(self, row: int) -> None:
        if row < 1:
            return
        key = self.nav.item(row).data(Qt.ItemDataRole.UserRole)
        screen = self.screens[key]
        self.stack.setCurrentWidget(screen)
        screen.refresh()
        self.context.settings.setValue("window/screen", key)

    def restore(self) -> None:
        settings = self.context.settings
        geometry = settings.value("window/geometry")
        if isinstance(geometry, QByteArray):
            self.restoreGeometry(geometry)
        else:
            self.resize(1280, 800)
        for key, screen in self.screens.items():
            state = settings.value(f"columns/{key}")
            if isinstance(state, QByteArray) and hasattr(screen, "table"):
                screen.table.horizontalHeader().restoreState(state)

    def closeEvent(self, event) -> None:
        settings = self.context.settings
        settings.setValue("window/geometry", self.saveGeometry())
        for key, screen in self.screens.items():
            if hasattr(screen, "table"):
                settings.setValue(f"columns/{key}", screen.table.horizontalHeader().saveState())
        super().closeEvent(event)
