import subprocess
import sys

from PySide6.QtGui import QImage

from app.models import Company
from app.ui.table_model import Column, RowTableModel
from tests.ui.conftest import loaded


def test_empty_database_offers_demo_or_own_company(db, make_window):
    window = make_window(db)
    assert window.pages.currentWidget() is window.welcome
    assert window.welcome.demo_button.text() == "Ouvrir la société de démonstration"
    assert window.welcome.create_button.text() == "Créer ma société"


def test_demo_button_fills_the_database(db, make_window, qtbot):
    window = make_window(db)
    qtbot.mouseClick(window.welcome.demo_button, __import__("PySide6.QtCore").QtCore.Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.pages.currentIndex() == 0, timeout=60_000)
    # the company and its file; Qt shows it as "Atelier Dubois SARL — encours.sqlite — Encours"
    assert window.windowTitle() == f"Atelier Dubois SARL — {db.name.rsplit('/', 1)[-1]}"
    dashboard = window.screens["dashboard"]
    assert window.current_screen() is dashboard  # the first screen of the week
    qtbot.waitUntil(lambda: dashboard.figures is not None, timeout=30_000)
    assert dashboard.cards[0].value.text() == "1\u202f464\u202f208,31\xa0€"  # receivables at 23/11/2026
    window.show_screen("customers")
    loaded(window.screens["customers"])  # read in a worker
    assert len(window.screens["customers"].table.visible_rows()) >= 100


def test_settings_screen_saves_the_company(ledger, make_window):
    window = make_window(ledger)
    window.show_screen("settings")
    screen = window.screens["settings"]
    assert screen.form.name.text() == "Atelier Test SARL"
    screen.form.siren.setText("123")
    screen.save()
    assert "9 chiffres" in screen.form.messages.labels["siren"].text()
    screen.form.siren.setText("732829320")
    screen.form.iban.setText("FR7630006000011234567890189")
    screen.save()
    assert screen.saved.text() == "Enregistré."
    with ledger.sessions() as s:
        assert s.query(Company).one().iban == "FR76 3000 6000 0112 3456 7890 189"  # grouped by four


def test_window_remembers_last_screen(ledger, make_window, settings):
    window = make_window(ledger)
    window.show_screen("invoices")
    window.close()
    again = make_window(ledger)
    assert again.current_screen() is again.screens["invoices"]
    assert settings.value("window/screen") == "invoices"


def test_ctrl_number_switches_screens(ledger, make_window, qtbot):
    from PySide6.QtCore import Qt

    window = make_window(ledger)
    window.activateWindow()
    qtbot.waitActive(window)
    handle = window.windowHandle()
    qtbot.keyClick(handle, Qt.Key.Key_8, Qt.KeyboardModifier.ControlModifier)
    assert window.current_screen() is window.screens["settings"]
    qtbot.keyClick(handle, Qt.Key.Key_5, Qt.KeyboardModifier.ControlModifier)
    assert window.current_screen() is window.screens["reconcile"]
    qtbot.keyClick(handle, Qt.Key.Key_4, Qt.KeyboardModifier.ControlModifier)
    assert window.current_screen() is window.screens["invoices"]
    qtbot.keyClick(handle, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert window.screens["invoices"].search.hasFocus()


def test_table_model_passes_qt_checks(qtmodeltester):
    model = RowTableModel([Column("A", lambda r: r[0]), Column("B", lambda r: r[1], numeric=True)])
    model.set_rows([("x", 1), ("y", 2)])
    qtmodeltester.check(model)


def test_screenshot_command(ledger, tmp_path):
    """The customers screen at 1280×800, with the late amounts of the ledger in the muted red of LATE; a picture
    only reads: no day's backup is made for it."""
    from app.services.backups import backups_folder
    from app.ui.format import LATE

    out = tmp_path / "customers.png"
    backups = backups_folder(ledger)  # beside a SQLite file; the user's data folder for a server, shared
    kept = set(backups.iterdir()) if backups.exists() else set()
    url = ledger.engine.url.render_as_string(hide_password=False)
    result = subprocess.run([sys.executable, "-m", "app", "--db", url, "screenshot", "customers", "--out", str(out)],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert (set(backups.iterdir()) if backups.exists() else set()) == kept
    image = QImage(str(out))
    assert (image.width(), image.height()) == (1280, 800)

    def late_red(x, y):
        colour = image.pixelColor(x, y)
        return colour.red() > 120 and colour.red() - colour.green() > 60 and colour.red() - colour.blue() > 60

    reds = sum(late_red(x, y) for x in range(600, 1280) for y in range(60, 200))
    assert LATE.red() - LATE.green() > 60 and reds > 50  # Garage Petit's and Boulangerie Martin's overdue amounts


def test_column_widths_are_remembered_and_the_name_still_stretches(ledger, make_window):
    from PySide6.QtWidgets import QHeaderView

    from app.ui.customers import COL_NAME, COL_SEGMENT

    window = make_window(ledger)
    window.show_screen("customers")
    loaded(window.screens["customers"])  # read in a worker
    window.screens["customers"].table.horizontalHeader().resizeSection(COL_SEGMENT, 222)
    window.close()
    header = make_window(ledger).screens["customers"].table.horizontalHeader()
    assert header.sectionSize(COL_SEGMENT) == 222
    assert header.sectionResizeMode(COL_NAME) == QHeaderView.ResizeMode.Stretch


def test_search_ignores_accents_and_case(ledger, make_window):
    window = make_window(ledger)
    window.show_screen("customers")
    loaded(window.screens["customers"])  # read in a worker
    screen = window.screens["customers"]
    screen.search.setText("GARAGE petit")
    assert [r.name for r in screen.table.visible_rows()] == ["Garage Petit"]
    from app.domain.text import without_accents as fold

    assert fold("Électricité Générale") == "electricite generale"


def test_an_invalid_iban_is_refused_next_to_its_field(ledger, make_window):
    window = make_window(ledger)
    window.show_screen("settings")
    form = window.screens["settings"].form
    form.iban.setText("FR76 1234 5678 9012")
    window.screens["settings"].save()
    assert form.messages.labels["iban"].isVisible()
    assert "IBAN" in form.messages.labels["iban"].text()
    form.iban.setText("fr7630006000011234567890189")
    assert not form.messages.labels["iban"].isVisible()   # editing the field clears its message
    window.screens["settings"].save()
    with ledger.sessions() as s:
        assert s.query(Company).one().iban == "FR76 3000 6000 0112 3456 7890 189"


def test_create_my_company_starts_from_sensible_defaults(db, make_window):
    from app.domain.terms import PaymentTerms
    from app.ui.settings import CompanyForm

    form = CompanyForm()
    form.load(db)
    assert form.terms.terms() == PaymentTerms()          # 30 days net
    assert "40 €" in form.penalty_clause.toPlainText()
    assert form.tolerance.text() == "5,00"


def test_real_tables_pass_qt_checks(ledger, make_window, qtmodeltester):
    window = make_window(ledger)
    for key in ("customers", "invoices"):
        window.show_screen(key)
        qtmodeltester.check(window.screens[key].table.model())  # the invoices: paged


def test_the_navigation_counts_what_waits(ledger, make_window):
    """A bank credit nobody has matched yet and an open dispute: "À rapprocher  1", "Litiges  1"; once the
    credit is allocated the count goes when the user moves."""
    from datetime import date

    from app.models import BankLine, Dispute, Invoice, Payment

    with ledger.transaction() as s:
        payment = Payment(customer_id=None, received_on=date(2026, 11, 20), amount_cents=30000, reference="VIR")
        s.add(BankLine(booked_on=date(2026, 11, 20), amount_cents=30000, label="VIR", payment=payment,
                       row_hash="h1"))
        f3 = s.query(Invoice).filter_by(number="F3").one()
        s.add(Dispute(invoice_id=f3.id, opened_on=date(2026, 11, 1), reason="quantités"))
    window = make_window(ledger)
    texts = [window.nav.item(row).text() for row in range(window.nav.count())]
    assert texts[4:7] == ["À rapprocher  1", "Imports", "Litiges  1"]
    with ledger.transaction() as s:
        from app.services.reconciliation import allocate
        allocate(s, s.query(Payment).filter_by(reference="VIR").one().id, [(f3.id, 300)])
    window.show_screen("invoices")
    assert window.nav.item(4).text() == "À rapprocher"
