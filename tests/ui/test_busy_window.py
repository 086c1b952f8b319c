"""In the window, a write refused because another Encours was writing says so in French, without traceback,
and nothing is written."""

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QWidget
from sqlalchemy import func, select

from app.models import Customer, Invoice
from app.services.company import CompanyInput, save_company
from app.services.store import commit
from app.ui.worker import run_op
from tests.conftest import another_writer
from tests.ui.test_imports_ui import CSV, open_wizard, write


def busy_text(database) -> str:
    return (f"Une autre fenêtre ou commande Encours est en train d'écrire dans {database.name} : "
            "réessayez dans un instant.")


def test_an_import_while_another_encours_writes_says_so_and_imports_nothing(impatient, make_window, qtbot,
                                                                             tmp_path):
    _screen, wizard = open_wizard(make_window(impatient), write(tmp_path, CSV))
    with another_writer(impatient):
        qtbot.mouseClick(wizard.import_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: wizard.pages.currentWidget() is wizard.summary_page, timeout=10_000)
    assert busy_text(impatient) in wizard.detected.text()
    assert wizard.summary_text.text() == "Ce fichier n'a pas pu être importé ; rien n'a été modifié."
    with impatient.sessions() as s:
        assert s.scalar(select(func.count()).select_from(Invoice)) == 0
        assert s.scalar(select(func.count()).select_from(Customer)) == 0


def test_an_operation_without_its_own_failure_page_says_so_in_a_box(impatient, qtbot, monkeypatch):
    parent = QWidget()
    qtbot.addWidget(parent)
    said = []
    monkeypatch.setattr(QMessageBox, "critical", lambda _parent, _title, text: said.append(text))
    with another_writer(impatient):
        run_op(parent, lambda job: commit(impatient, save_company, CompanyInput(name="Atelier Dupont")),
               on_success=said.append)
        qtbot.waitUntil(lambda: bool(said), timeout=10_000)
    assert said == [f"L'opération a échoué :\n{busy_text(impatient)}"]
