from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox
from sqlalchemy import select

from app.models import Customer
from app.ui.customers import COL_EXPOSURE, COL_NAME
from app.ui.table_model import ROW_ROLE
from tests.ui.conftest import loaded


def save_button(dialog):
    return dialog.buttons.button(QDialogButtonBox.StandardButton.Save)


def test_customers_table_shows_exposure_in_french(ledger, make_window):
    window = make_window(ledger)
    window.show_screen("customers")
    loaded(window.screens["customers"])  # read in a worker
    table = window.screens["customers"].table
    names = [r.name for r in table.visible_rows()]
    assert sorted(names) == ["Boulangerie Martin", "Garage Petit"]
    model = table.model()
    row = next(i for i in range(model.rowCount()) if model.index(i, COL_NAME).data() == "Garage Petit")
    assert model.index(row, COL_EXPOSURE).data() == "1\u202f550,00\u00a0€"
    assert model.index(row, COL_EXPOSURE).data(Qt.ItemDataRole.TextAlignmentRole) & Qt.AlignmentFlag.AlignRight


def test_create_customer_with_invalid_then_valid_siren(ledger, make_window, qtbot):
    window = make_window(ledger)
    window.show_screen("customers")
    loaded(window.screens["customers"])  # read in a worker
    screen = window.screens["customers"]
    qtbot.mouseClick(screen.new_button, Qt.MouseButton.LeftButton)
    dialog = screen.dialog
    qtbot.waitExposed(dialog)
    qtbot.keyClicks(dialog.name, "Menuiserie Roux & Fils")
    qtbot.keyClicks(dialog.siren, "732829321")
    qtbot.mouseClick(save_button(dialog), Qt.MouseButton.LeftButton)
    message = dialog.findChild(type(dialog.aging_label), "message_siren")
    assert message.isVisible() and "invalide" in message.text()
    assert dialog.isVisible()
    with ledger.sessions() as s:
        assert s.scalar(select(Customer).where(Customer.name.like("Menuiserie%"))) is None

    dialog.siren.clear()
    qtbot.keyClicks(dialog.siren, "732 829 320")
    qtbot.mouseClick(save_button(dialog), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    with ledger.sessions() as s:
        saved = s.scalar(select(Customer).where(Customer.name == "Menuiserie Roux & Fils"))
        assert saved.siren == "732829320"
    loaded(screen)  # the list read again once the card saved
    screen.search.setText("roux")
    assert [r.name for r in screen.table.visible_rows()] == ["Menuiserie Roux & Fils"]


def test_terms_over_the_legal_cap_warn_next_to_the_field(ledger, make_window, qtbot):
    window = make_window(ledger)
    window.show_screen("customers")
    loaded(window.screens["customers"])  # read in a worker
    screen = window.screens["customers"]
    screen.open(None)
    dialog = screen.dialog
    dialog.terms.days.setValue(75)
    message = dialog.findChild(type(dialog.aging_label), "message_terms")
    assert message.isVisible() and "plafond légal de 60 jours" in message.text()


def test_customer_card_shows_open_invoices_and_aging(ledger, make_window, qtbot):
    window = make_window(ledger)
    window.show_screen("customers")
    loaded(window.screens["customers"])  # read in a worker
    screen = window.screens["customers"]
    petit = next(r for r in screen.table.visible_rows() if r.name == "Garage Petit")
    screen.open(petit.id)
    dialog = screen.dialog
    assert dialog.name.text() == "Garage Petit"
    assert sorted(r.number for r in dialog.invoice_table.visible_rows()) == ["AV1", "F1", "F2", "F3"]
    assert "Encours 1\u202f550,00\u00a0€" in dialog.aging_label.text()
    assert dialog.credit_limit.text() == "1\u202f500,00"


def test_search_filter_and_segment(ledger, make_window):
    window = make_window(ledger)
    window.show_screen("customers")
    loaded(window.screens["customers"])  # read in a worker
    screen = window.screens["customers"]
    screen.search.setText("boulang")
    rows = [screen.table.model().index(i, 0).data(ROW_ROLE).name for i in range(screen.table.model().rowCount())]
    assert rows == ["Boulangerie Martin"]
    screen.search.clear()
    screen.segment.setCurrentIndex(screen.segment.findData("Organisme public"))
    assert screen.table.visible_rows() == []


def test_dialog_buttons_speak_french(ledger, make_window):
    window = make_window(ledger)
    window.show_screen("customers")
    loaded(window.screens["customers"])  # read in a worker
    screen = window.screens["customers"]
    screen.open(None)
    buttons = screen.dialog.buttons
    assert save_button(screen.dialog).text() == "Enregistrer"
    assert buttons.button(QDialogButtonBox.StandardButton.Cancel).text() == "Annuler"


def test_the_list_is_read_in_a_worker_and_the_previous_rows_stay_meanwhile(ledger, make_window, qtbot):
    """Opening Clients hands the reading to a worker: the window's thread goes on (the customers of a large
    ledger take a moment to sum) and the rows come when it is done; read again, the list keeps its rows
    until the new ones come, and a second refresh asked meanwhile reads once more after it."""
    window = make_window(ledger)
    window.show_screen("customers")
    screen = window.screens["customers"]
    assert screen.running is not None and screen.table.visible_rows() == []
    qtbot.waitUntil(lambda: screen.running is None, timeout=20_000)
    assert sorted(r.name for r in screen.table.visible_rows()) == ["Boulangerie Martin", "Garage Petit"]
    with ledger.transaction() as s:
        s.add(Customer(name="Menuiserie Roux"))
    screen.refresh()
    screen.refresh()
    assert screen.stale and len(screen.table.visible_rows()) == 2
    qtbot.waitUntil(lambda: screen.running is None and not screen.stale, timeout=20_000)
    assert len(screen.table.visible_rows()) == 3


def test_a_list_that_cannot_be_read_says_so_and_is_read_again_next_time(ledger, make_window, qtbot, monkeypatch):
    from app.ui import customers, screen as screens

    said = []
    monkeypatch.setattr(screens.QMessageBox, "critical", lambda parent, title, text: said.append(text))
    monkeypatch.setattr(customers, "list_customers", lambda session, at: 1 / 0)
    window = make_window(ledger)
    window.show_screen("customers")
    screen = window.screens["customers"]
    qtbot.waitUntil(lambda: bool(said), timeout=20_000)
    assert screen.running is None and said == [
        "La liste « Clients » n'a pas pu être lue (division by zero). Elle le sera de nouveau à la prochaine "
        "ouverture de cet écran."]
    monkeypatch.undo()
    screen.refresh()
    loaded(screen)
    assert len(screen.table.visible_rows()) == 2
