"""A bank export that names no account, through the import wizard: asked once which account it is (a known
one, with its last balance, or an IBAN or RIB typed and checked), nothing written until answered, and not
asked again for an export laid out the same way."""

from datetime import date

from PySide6.QtCore import Qt
from sqlalchemy import func, select

from app.models import BankLine
from app.services.imports import import_file
from tests.importers.test_cfonb import STATEMENT, write as write_cfonb
from tests.ui.test_imports_ui import BANK_CSV, open_wizard, write

KNOWN = "300030123401234567890"  # the account of tests.importers.test_cfonb's STATEMENT: 30003 01234 01234567890


def lines(db) -> list[tuple[str, int]]:
    with db.sessions() as s:
        return sorted(s.execute(select(BankLine.account, func.count()).group_by(BankLine.account)).all())


def test_a_statement_naming_no_account_asks_which_once_per_layout(ledger, make_window, qtbot, tmp_path):
    with ledger.transaction() as s:
        import_file(s, write_cfonb(tmp_path / "releve.cfo", STATEMENT), today=date(2026, 11, 23))
    window = make_window(ledger)
    _screen, wizard = open_wizard(window, write(tmp_path, BANK_CSV, "releve.csv"))
    qtbot.mouseClick(wizard.import_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: wizard.pages.currentWidget() is wizard.account_page, timeout=10_000)
    page = wizard.account_page
    assert [button.text() for button in page.choices.buttons()] == [
        "30003 01234 01234567890 57 (solde 10\u202f783,55\u00a0€ au 13/01/2024)", "Un autre compte, son IBAN ou son RIB :"]
    assert lines(ledger) == [(KNOWN, 2)]  # nothing of the export yet
    qtbot.keyClicks(page.typed, "FR76 3000 4000 1200 0123 4567 850")  # typing chooses "another account"
    assert page.other.isChecked()
    qtbot.mouseClick(wizard.import_button, Qt.MouseButton.LeftButton)
    assert "clé de contrôle fausse" in page.error.text() and wizard.pages.currentWidget() is page
    page.choices.buttons()[0].click()
    qtbot.mouseClick(wizard.import_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: wizard.pages.currentWidget() is wizard.summary_page, timeout=10_000)
    assert "Relevé importé" in wizard.summary_text.text()
    assert lines(ledger) == [(KNOWN, 4)]
    wizard.close_button.click()

    later = BANK_CSV.replace("20/11/2026", "27/11/2026").replace("21/11/2026", "28/11/2026")
    _screen, again = open_wizard(window, write(tmp_path, later, "releve-2.csv"))
    qtbot.mouseClick(again.import_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: again.pages.currentWidget() is again.summary_page, timeout=10_000)
    assert again.account_page is None and lines(ledger) == [(KNOWN, 6)]
    assert "ne nomme pas son compte" in again.problems.visible_rows()[0].message
