"""The menu bar: Fichier (a new company file, open one, the recent ones, import, quit), Écrans (each screen
and its Ctrl+number, then Actualiser F5), Actions (the buttons of the screen shown, with their shortcuts:
what a user finds by looking at the menu rather than at the screen) and Aide. Every shortcut of the window
is an action of one of these menus, so the menus say them all."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QAbstractButton, QFileDialog, QMenu, QMessageBox

from app.ui.files import RecentFiles, default_folder, is_file

if TYPE_CHECKING:
    from app.ui.main_window import MainWindow

DATABASE_FILTER = "Données Encours (*.sqlite *.db);;Tous les fichiers (*)"


class MenuBar:
    """Builds the window's menus; the Actions menu is rebuilt each time it opens, from the screen shown."""

    def __init__(self, window: MainWindow) -> None:
        self.window = window
        self.recent = RecentFiles(window.settings)
        bar = window.menuBar()
        self.file_menu = bar.addMenu("&Fichier")
        self._action(self.file_menu, "Nouvelle société…", self.new_company, "Ctrl+Shift+N",
                     "Créer un nouveau fichier de données, pour une autre société")
        self._action(self.file_menu, "Ouvrir…", self.open_file, QKeySequence.StandardKey.Open,
                     "Ouvrir le fichier de données d'une autre société")
        self.recent_menu = self.file_menu.addMenu("Fichiers récents")
        self.recent_menu.aboutToShow.connect(self._fill_recent)
        self.file_menu.addSeparator()
        self.copy_action = self._action(self.file_menu, "Enregistrer une copie…", self.save_copy, None,
                                        "Une copie des données, à garder ailleurs (clé USB, cloud…)")
        self.backups_action = self._action(self.file_menu, "Sauvegardes…", self.backups, None,
                                           "Les sauvegardes faites par Encours, et la restauration de l'une d'elles")
        self.file_menu.addSeparator()
        self.import_action = self._action(self.file_menu, "Importer un fichier…", self.import_file, "Ctrl+I",
                                          "Relevé bancaire, FEC, export de facturation ou facture Factur-X")
        self.file_menu.addSeparator()
        self._action(self.file_menu, "Quitter", window.close, "Ctrl+Q")
        self.screens_menu = bar.addMenu("É&crans")
        self.actions_menu = bar.addMenu("&Actions")
        self.actions_menu.aboutToShow.connect(self._fill_actions)
        self.help_menu = bar.addMenu("A&ide")
        self._action(self.help_menu, "Aide sur cet écran", self.help_here, "F1",
                     "La page d'aide de l'écran affiché, avec ses raccourcis")
        self._action(self.help_menu, "Premiers pas", lambda: self._help("welcome"), None,
                     "La semaine type : importer, rapprocher, relancer, regarder la trésorerie")
        self.help_menu.addSeparator()
        self._action(self.help_menu, "À propos d'Encours", self.about)
        self.data_actions = [self.import_action, self.copy_action, self.backups_action]  # need an open company: off on the welcome screen
        self.set_workspace(False)

    def _action(self, menu: QMenu, text: str, slot, shortcut=None, tip: str = "") -> QAction:
        action = QAction(text, self.window)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        action.setStatusTip(tip)
        action.triggered.connect(lambda _checked=False: slot())
        menu.addAction(action)
        return action

    def add_screen(self, number: int, title: str, slot) -> QAction:
        """A screen in the Écrans menu, with its Ctrl+number."""
        action = self._action(self.screens_menu, title, slot, f"Ctrl+{number}")
        action.setEnabled(self.actions_menu.isEnabled())
        self.data_actions.append(action)
        return action

    def add_refresh(self, slot) -> QAction:
        """Écrans > Actualiser (F5): the screen shown computed again (after « Annuler », or to see what
        another workstation just did)."""
        self.screens_menu.addSeparator()
        action = self._action(self.screens_menu, "Actualiser", slot, QKeySequence.StandardKey.Refresh,
                              "Recalculer l'écran affiché")
        action.setEnabled(self.actions_menu.isEnabled())
        self.data_actions.append(action)
        return action

    def set_workspace(self, open_: bool) -> None:
        """The menus that act on a company's data are enabled once one is open (not on the welcome screen)."""
        for action in self.data_actions:
            action.setEnabled(open_)
        self.actions_menu.setEnabled(open_)

    # Fichier ------------------------------------------------------------------------------------------------
    def new_company(self) -> None:
        """A new, empty data file: the welcome screen then offers the demo or one's own company."""
        name, _ = QFileDialog.getSaveFileName(self.window, "Nouvelle société", str(default_folder(self.recent)
                                              / "nouvelle-societe.sqlite"), DATABASE_FILTER)
        if not name:
            return
        path = Path(name) if Path(name).suffix else Path(name).with_suffix(".sqlite")
        if path.exists():
            QMessageBox.warning(self.window, "Nouvelle société",
                                f"{path} existe déjà : choisissez un autre nom, ou ouvrez-le avec Fichier > Ouvrir.")
            return
        self.window.switch_to(str(path))

    def open_file(self) -> None:
        name, _ = QFileDialog.getOpenFileName(self.window, "Ouvrir les données d'une société",
                                              str(default_folder(self.recent)), DATABASE_FILTER)
        if name:
            self.window.switch_to(name)

    def _fill_recent(self) -> None:
        self.recent_menu.clear()
        current = self.window.context.location if self.window.context else ""
        shown = [location for location in self.recent.locations() if location != current]
        for number, location in enumerate(shown, start=1):
            action = self.recent_menu.addAction(f"&{number} {Path(location).name if is_file(location) else location}")
            action.setStatusTip(location)
            action.triggered.connect(lambda _checked=False, where=location: self.window.switch_to(where))
        if not shown:
            self.recent_menu.addAction("(aucun autre fichier)").setEnabled(False)

    def save_copy(self) -> None:
        """A consistent copy of the data where the user says (a backup taken by hand, kept elsewhere)."""
        from datetime import date

        from app.services.backups import back_up
        from app.ui.worker import run_op

        db = self.window.context.db
        suffix = ".sqlite" if is_file(self.window.context.location) else ".dump"
        name, _ = QFileDialog.getSaveFileName(self.window, "Enregistrer une copie des données", str(
            default_folder(self.recent) / f"copie-encours-{date.today():%Y-%m-%d}{suffix}"))
        if name:
            self.copy_op = run_op(self.window, lambda _job: back_up(db, "manuelle", out=Path(name)),
                                  on_success=lambda backup: self.window.statusBar().showMessage(
                                      f"Copie enregistrée : {backup.path}", 8000),
                                  label="Copie des données…")

    def backups(self) -> None:
        from app.ui.backups import BackupsDialog

        self.backups_dialog = BackupsDialog(self.window.context, self.window)
        self.backups_dialog.restored.connect(self.window.reload)
        self.backups_dialog.open()

    def import_file(self) -> None:
        self.window.show_screen("imports")
        self.window.screens["imports"].choose_file()

    # Aide ---------------------------------------------------------------------------------------------------
    def help_here(self) -> None:
        """F1: the page of the screen shown (the welcome screen's: « Premiers pas »)."""
        window = self.window
        self._help(window.current_key() if window.pages.currentIndex() == 0 and window.screens else "welcome")

    def _help(self, page_key: str) -> None:
        from app.ui.help import show_help

        self.help_window = show_help(self.window, page_key, self.window.settings)

    def about(self) -> None:
        from app.ui.help import AboutDialog

        AboutDialog(self.window, self.window.context.location if self.window.context else "—").exec()

    # Actions ------------------------------------------------------------------------------------------------
    def _fill_actions(self) -> None:
        """The enabled buttons of the screen shown, in their order, each with its shortcut when it has one."""
        self.actions_menu.clear()
        screen = self.window.current_screen()
        buttons = [button for button in screen.findChildren(QAbstractButton)
                   if button.isVisibleTo(screen) and button.text() and button.metaObject().className() == "QPushButton"]
        for button in buttons:
            # the shortcut written after a tab is shown in its column without being registered twice: the
            # button keeps handling it
            keys = button.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
            action = self.actions_menu.addAction(button.icon(), button.text().replace("&", "&&")
                                                 + (f"\t{keys}" if keys else ""))
            action.setEnabled(button.isEnabled())
            action.triggered.connect(lambda _checked=False, b=button: b.click())
        if not buttons:
            self.actions_menu.addAction("(aucune action sur cet écran)").setEnabled(False)
