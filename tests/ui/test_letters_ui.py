"""The customer card prints the customer's statement of account; « E-mails… » in Relances writes no
litigation file as an e-mail and says so. On the hand-made ledger of tests/conftest.py (23/11/2026)."""

from datetime import date

from PySide6.QtWidgets import QFileDialog, QMessageBox
from pypdf import PdfReader

from app.services.rates import save_rates
from tests.ui.test_reminders_ui import reminders_screen
from tests.conftest import chase_history
from tests.ui.conftest import loaded


def test_the_customer_card_prints_the_statement_of_account(ledger, make_window, qtbot, tmp_path, monkeypatch):
    window = make_window(ledger)
    window.show_screen("customers")
    loaded(window.screens["customers"])  # read in a worker
    screen = window.screens["customers"]
    screen.open(next(r for r in screen.table.visible_rows() if r.name == "Garage Petit").id)
    dialog = screen.dialog
    assert dialog.statement_button.isEnabled() and dialog.statement_button.text() == "Relevé de compte…"
    target = tmp_path / "releve.pdf"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), "PDF (*.pdf)"))
    opened = []
    monkeypatch.setattr("app.ui.customer_form.QDesktopServices.openUrl", lambda url: opened.append(url.toLocalFile()))
    dialog.statement_button.click()
    assert opened == [str(target)]
    text = " ".join(" ".join(page.extract_text() for page in PdfReader(target).pages).split())
    assert "Relevé de compte au 23/11/2026" in text and "Garage Petit" in text
    assert "F1" in text and "F3" in text and "Solde 1 550,00 €" in text


def test_a_new_customer_has_no_statement_to_print(ledger, make_window):
    from app.ui.customer_form import CustomerDialog

    window = make_window(ledger)
    assert not CustomerDialog(window.context, None, window).statement_button.isEnabled()


def test_the_emails_leave_the_litigation_file_out_and_say_why(ledger, make_window, qtbot, tmp_path, monkeypatch):
    chase_history(ledger)  # Garage Petit's formal notice expired: its litigation file is due
    with ledger.transaction() as s:
        assert save_rates(s, date(2026, 7, 1), "2,15", "3,00", "7,00") == {}
    screen = reminders_screen(make_window(ledger), qtbot)  # Garage Petit: a litigation file
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *a, **k: str(tmp_path))
    monkeypatch.setattr("app.ui.reminders.QDesktopServices.openUrl", lambda url: None)
    said = []
    monkeypatch.setattr(QMessageBox, "information", lambda _parent, _title, text: said.append(text))
    screen.emails()
    qtbot.waitUntil(lambda: bool(said), timeout=20_000)
    assert said == ["1 dossier contentieux écrit en PDF sans e-mail : un dossier contentieux est pour vous, le "
                    "tribunal ou le commissaire de justice, jamais envoyé au débiteur."]
    assert sorted(path.name for path in tmp_path.glob("*.eml")) == [
        "2026-11-23_mise-en-demeure_Boulangerie-Martin_C0002.eml"]
    assert (tmp_path / "2026-11-23_dossier-contentieux_Garage-Petit_C0001.pdf").exists()
