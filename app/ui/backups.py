"""Fichier > Sauvegardes: the backups beside the data (when, before what, how big), a backup made now, one
restored after a confirmation, and the folder opened in the file manager. After a restore the dialog emits
``restored``: every screen then reads the data again."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QHBoxLayout, QLabel, QMessageBox, QPushButton, QVBoxLayout

from app.services.backups import Backup, back_up, backups_folder, list_backups, restore, size_text
from app.ui.format import fr_date
from app.ui.icons import icon
from app.ui.screen import RowTable
from app.ui.table_model import ROW_ROLE, Column
from app.ui.worker import run_op

COLUMNS = [
    Column("Date", lambda b: b.taken, lambda d: f"{fr_date(d)} {d:%H:%M}", width=140),
    Column("Avant…", lambda b: b.reason, stretch=True),
    Column("Taille", lambda b: b.size, size_text, numeric=True, width=90),
]
CONFIRM = ("Remettre les données telles qu'elles étaient le {when} ({reason}) ?\n\nL'état présent est d'abord "
           "sauvegardé (« avant restauration ») : vous pourrez y revenir depuis cette même liste.")


class BackupsDialog(QDialog):
    restored = Signal()  # the data was replaced: the window reloads its screens

    def __init__(self, context, parent=None) -> None:
        super().__init__(parent)
        self.context = context
        self.setWindowTitle("Sauvegardes")
        self.resize(640, 420)
        layout = QVBoxLayout(self)
        self.folder = backups_folder(context.db)
        intro = QLabel("Encours sauvegarde vos données avant chaque import, annulation, mise à jour et impression "
                       "de relances, et une fois par jour à l'ouverture. Les 30 dernières sauvegardes sont "
                       "gardées, et une par mois pendant un an.")
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.table = RowTable(COLUMNS, sort_column=0, descending=True)
        layout.addWidget(self.table)
        self.where = QLabel(f"Dossier : {self.folder}")
        self.where.setObjectName("muted")
        layout.addWidget(self.where)
        buttons = QHBoxLayout()
        self.back_up_button = QPushButton(icon("save"), "Sauvegarder maintenant")
        self.restore_button = QPushButton(icon("rotate-ccw"), "Restaurer…")
        self.open_button = QPushButton(icon("folder-open"), "Ouvrir le dossier")
        for button in (self.back_up_button, self.restore_button, self.open_button):
            buttons.addWidget(button)
        buttons.addStretch()
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        buttons.addWidget(close)
        layout.addLayout(buttons)
        self.back_up_button.clicked.connect(self.back_up_now)
        self.restore_button.clicked.connect(self.restore_selected)
        self.open_button.clicked.connect(self.open_folder)
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)
        self.refresh()

    def refresh(self) -> None:
        self.table.set_rows(list_backups(self.context.db))
        self._selection_changed()

    def selected(self) -> Backup | None:
        rows = self.table.selectionModel().selectedRows()
        return rows[0].data(ROW_ROLE) if rows else None

    def _selection_changed(self) -> None:
        self.restore_button.setEnabled(self.selected() is not None)

    def back_up_now(self) -> None:
        db = self.context.db
        self.running = run_op(self, lambda _job: back_up(db, "manuelle"), lambda _backup: self.refresh(),
                              self._failed, "Sauvegarde en cours…")

    def restore_selected(self) -> None:
        backup = self.selected()
        if backup is None:
            return
        question = CONFIRM.format(when=f"{fr_date(backup.taken)} à {backup.taken:%H:%M}", reason=backup.reason)
        if QMessageBox.question(self, "Restaurer une sauvegarde", question) != QMessageBox.StandardButton.Yes:
            return
        db, path = self.context.db, backup.path
        self.running = run_op(self, lambda _job: restore(db, path), self._restored, self._failed,
                              "Restauration en cours…")

    def _restored(self, before: Backup) -> None:
        self.refresh()
        self.restored.emit()
        QMessageBox.information(self, "Sauvegardes", f"Les données ont été restaurées. L'état d'avant est gardé "
                                                     f"dans la sauvegarde {Path(before.path).name}.")

    def _failed(self, message: str) -> None:
        QMessageBox.warning(self, "Sauvegardes", message)

    def open_folder(self) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.folder)))
