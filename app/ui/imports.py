"""Imports: bring in a file (button, Ctrl+I or a drop on the window) through the wizard, see the history of
imports, and undo one of them as a whole."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QLabel, QMessageBox, QPushButton

from app.services.backups import back_up
from app.services.import_preview import file_filters, kind_titles
from app.services.import_history import ImportRow, list_imports, undo_import, undo_question
from app.services.store import commit, read
from app.ui.format import fr_date
from app.ui.icons import icon
from app.ui.export import add_export
from app.ui.screen import RowTable, Screen
from app.ui.table_model import ROW_ROLE, Column

# the file dialog's filters: first (the default) every file some reader takes, then each kind's, then all files
FILE_FILTER = ";;".join([*(f"{title} ({' '.join(f'*{suffix}' for suffix in suffixes)})"
                           for title, suffixes in file_filters()), "Tous les fichiers (*)"])
KIND_TITLES = kind_titles()

COLUMNS = [
    Column("Date", lambda r: r.imported_at, lambda d: f"{fr_date(d)} {d:%H:%M}", width=130),
    Column("Fichier", lambda r: r.file_name, stretch=True),
    Column("Type", lambda r: KIND_TITLES.get(r.kind, r.kind), width=140),
    Column("Créés", lambda r: r.created, numeric=True, width=80),
    Column("Mis à jour", lambda r: r.updated, numeric=True, width=90),
    Column("Déjà connus", lambda r: r.skipped, numeric=True, width=100),
    Column("Rejetés", lambda r: r.rejected, numeric=True, width=80),
]


class ImportsScreen(Screen):
    def __init__(self, context, title, parent=None) -> None:
        super().__init__(context, title, parent)
        self.import_button = QPushButton(icon("upload"), "Importer un fichier…")
        self.import_button.setToolTip("Importer un fichier (Ctrl+I) — vous pouvez aussi le déposer sur la fenêtre")
        self.undo_button = QPushButton(icon("rotate-ccw"), "Annuler cet import")
        self.undo_button.setEnabled(False)
        self.actions_bar.addWidget(self.undo_button)
        self.actions_bar.addWidget(self.import_button)
        add_export(self)
        hint = QLabel("Relevés du cabinet comptable (FEC), exports de votre logiciel de facturation (CSV, XLSX, "
                      "ODS), factures Factur-X ou relevés de votre banque (CFONB, camt, OFX, CSV) : déposez le "
                      "fichier sur la fenêtre ou cliquez sur\u00a0«\u00a0Importer\u00a0».")
        hint.setWordWrap(True)
        self.layout_.addWidget(hint)
        self.table = RowTable(COLUMNS, sort_column=0, descending=True)
        self.layout_.addWidget(self.table)
        self.import_button.clicked.connect(self.choose_file)
        self.undo_button.clicked.connect(self.undo_selected)
        self.table.selectionModel().selectionChanged.connect(
            lambda: self.undo_button.setEnabled(self.selected() is not None))

    def refresh(self) -> None:
        self.table.set_rows(read(self.context.db, list_imports))
        self.undo_button.setEnabled(False)

    def exportables(self) -> list:
        return [self.table.exportable(self.title)]

    def selected(self) -> ImportRow | None:
        rows = self.table.selectionModel().selectedRows()
        return rows[0].data(ROW_ROLE) if rows else None

    def choose_file(self) -> None:
        settings = self.context.settings
        folder = settings.value("imports/folder", str(Path.home())) if settings else str(Path.home())
        name, _ = QFileDialog.getOpenFileName(self, "Importer un fichier", folder, FILE_FILTER)
        if name:
            if settings:
                settings.setValue("imports/folder", str(Path(name).parent))
            self.open_wizard(Path(name))

    def open_wizard(self, path: Path) -> None:
        from app.ui.import_wizard import ImportWizard

        self.wizard = ImportWizard(self.context, path, self)
        self.wizard.finished.connect(lambda _result: (self.refresh(), self.changed.emit()))
        self.wizard.open()

    def undo_selected(self) -> None:
        row = self.selected()
        if row is None:
            return
        possible, question = read(self.context.db, undo_question, row.id)
        if not possible:
            QMessageBox.warning(self, "Annuler cet import", question)
            return
        answer = QMessageBox.question(self, "Annuler cet import", question)
        if answer != QMessageBox.StandardButton.Yes:
            return
        back_up(self.context.db, "annulation")  # refused (said by the window) when it cannot be written
        try:
            message = commit(self.context.db, undo_import, row.id)
        except ValueError as refused:  # undone, or depended on, from another workstation meanwhile
            QMessageBox.warning(self, "Annuler cet import", str(refused))
            return
        self.refresh()
        self.changed.emit()
        self.window().statusBar().showMessage(message, 8000)
