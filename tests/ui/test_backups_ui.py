"""Fichier > Sauvegardes: the window's daily backup, the one before an undo, the dialog that lists them and
restores one after a confirmation."""

from datetime import datetime

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox
from sqlalchemy import func, select

from app.__main__ import main
from app.models import Invoice
from app.services.backups import back_up, list_backups, size_text
from app.ui.backups import BackupsDialog
from tests.conftest import TEST_DATABASE_URL

pytestmark = pytest.mark.skipif(bool(TEST_DATABASE_URL), reason="SQLite backups (the server's need pg_dump)")

INVOICES = "Numéro;Client;Date;Échéance;Montant TTC\nF100;Garage Neuf;01/11/2026;01/12/2026;1200,00\n"


def imported_f100(db) -> int:
    with db.sessions() as s:
        return s.scalar(select(func.count()).select_from(Invoice).where(Invoice.number == "F100"))


def test_the_window_backs_up_once_a_day_and_before_an_undo(ledger, make_window, qtbot, tmp_path, monkeypatch):
    csv = tmp_path / "factures.csv"
    csv.write_text(INVOICES, "utf-8")
    assert main(["--db", ledger.engine.url.database, "import", str(csv)]) == 0
    window = make_window(ledger)  # the day's backup is taken behind the window
    qtbot.waitUntil(lambda: [b.reason for b in list_backups(ledger)] == ["quotidienne", "avant import de factures.csv"])
    screen = window.screens["imports"]
    screen.refresh()
    screen.table.selectRow(0)
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    qtbot.mouseClick(screen.undo_button, Qt.MouseButton.LeftButton)
    assert imported_f100(ledger) == 0
    assert list_backups(ledger)[0].reason == "avant annulation d'import"


def test_the_dialog_lists_backs_up_and_restores_after_a_confirmation(ledger, qtbot, tmp_path, monkeypatch):
    from tests.ui.conftest import FixedDayContext

    older = back_up(ledger, "import", "factures.csv", datetime(2026, 11, 20, 9, 5))
    with ledger.transaction() as s:
        s.add(Invoice(number="F100", customer_id=1, issue_date=datetime(2026, 11, 1).date(),
                      due_date=datetime(2026, 12, 1).date(), total_cents=120000))
    dialog = BackupsDialog(FixedDayContext(db=ledger, location=ledger.engine.url.database))
    qtbot.addWidget(dialog)
    model = dialog.table.model()
    assert [[model.index(r, c).data() for c in range(3)] for r in range(model.rowCount())] == [
        ["20/11/2026 09:05", "avant import de factures.csv", size_text(older.size)]]
    with qtbot.waitSignal(dialog.table.model().modelReset):
        qtbot.mouseClick(dialog.back_up_button, Qt.MouseButton.LeftButton)
    assert [model.index(r, 1).data() for r in range(model.rowCount())] == ["manuelle", "avant import de factures.csv"]
    dialog.table.selectRow(1)
    asked, told = [], []
    monkeypatch.setattr(QMessageBox, "question",
                        lambda _p, _t, text, *a: asked.append(text) or QMessageBox.StandardButton.Yes)
    monkeypatch.setattr(QMessageBox, "information", lambda _p, _t, text, *a: told.append(text))
    with qtbot.waitSignal(dialog.restored):
        qtbot.mouseClick(dialog.restore_button, Qt.MouseButton.LeftButton)
    assert asked == ["Remettre les données telles qu'elles étaient le 20/11/2026 à 09:05 (avant import de "
                     "factures.csv) ?\n\nL'état présent est d'abord sauvegardé (« avant restauration ») : vous "
                     "pourrez y revenir depuis cette même liste."]
    assert imported_f100(ledger) == 0
    before = list_backups(ledger)[0]
    assert before.reason == "avant restauration"
    assert told == ["Les données ont été restaurées. L'état d'avant est gardé dans la sauvegarde "
                    f"{before.path.name}."]
    assert model.index(0, 1).data() == "avant restauration"


def test_a_restore_answered_no_changes_nothing(ledger, qtbot, monkeypatch):
    from tests.ui.conftest import FixedDayContext

    back_up(ledger, "manuelle")
    dialog = BackupsDialog(FixedDayContext(db=ledger, location=ledger.engine.url.database))
    qtbot.addWidget(dialog)
    assert not dialog.restore_button.isEnabled()
    dialog.table.selectRow(0)
    monkeypatch.setattr(QMessageBox, "question", lambda *a: QMessageBox.StandardButton.No)
    dialog.restore_button.click()
    assert [b.reason for b in list_backups(ledger)] == ["manuelle"]
