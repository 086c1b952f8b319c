from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox
from sqlalchemy import select

from app.models import Invoice
from app.ui.invoices import COL_LATE, COL_STILL_DUE


def numbers(screen):
    return sorted(r.number for r in screen.table.visible_rows())


def test_filter_invoices_by_overdue_status_and_customer(ledger, make_window, qtbot):
    window = make_window(ledger)
    window.show_screen("invoices")
    screen = window.screens["invoices"]
    assert numbers(screen) == ["AV1", "F1", "F2", "F3", "F4"]  # the open ones first: F0 is paid
    assert screen.counted.text() == "5 factures"
    screen.status.setCurrentIndex(screen.status.findData("all"))
    assert numbers(screen) == ["AV1", "F0", "F1", "F2", "F3", "F4"]
    assert screen.counted.text() == "6 factures"
    qtbot.mouseClick(screen.overdue_only, Qt.MouseButton.LeftButton)
    assert numbers(screen) == ["F2", "F3", "F4"]
    screen.search.setText("petit")  # searched once the typing pauses
    assert numbers(screen) == ["F2", "F3", "F4"]
    qtbot.waitUntil(lambda: numbers(screen) == ["F2", "F3"])
    screen.search.clear()
    qtbot.waitUntil(lambda: numbers(screen) == ["F2", "F3", "F4"])
    screen.overdue_only.setChecked(False)
    screen.status.setCurrentIndex(screen.status.findData("paid"))
    assert numbers(screen) == ["F0"]


def test_still_due_and_days_late_columns(ledger, make_window):
    window = make_window(ledger)
    window.show_screen("invoices")
    model = window.screens["invoices"].table.model()
    row = next(i for i in range(model.rowCount()) if model.index(i, 0).data() == "F2")
    assert model.index(row, COL_STILL_DUE).data() == "300,00\u00a0€"
    assert model.index(row, COL_LATE).data() == "10 j"
    assert model.index(row, COL_LATE).data(Qt.ItemDataRole.ForegroundRole) is not None  # late: red


def test_sorting_amounts_as_numbers(ledger, make_window):
    window = make_window(ledger)
    window.show_screen("invoices")
    table = window.screens["invoices"].table
    table.sortByColumn(COL_STILL_DUE, Qt.SortOrder.DescendingOrder)
    order = [r.number for r in table.visible_rows()]
    # 2 000, 1 000, then the two 300 and F0's 0, the credit note's -50 last (as text "300" would beat "2 000")
    assert order[:2] == ["F4", "F1"] and order[-1] == "AV1"


def test_new_invoice_due_date_follows_customer_terms(ledger, make_window, qtbot):
    window = make_window(ledger)
    window.show_screen("invoices")
    screen = window.screens["invoices"]
    screen.open(None)
    dialog = screen.dialog
    dialog.number.setText("F100")
    dialog.customer.setCurrentIndex(dialog.customer.findText("Garage Petit"))
    dialog.issue_date.set_date(date(2026, 1, 15))
    assert dialog.due_date.value() == date(2026, 2, 14)
    dialog.net.setText("1 000,00")
    dialog.vat.setText("200")
    assert dialog.total.text() == "1\u202f200,00\u00a0€"
    qtbot.mouseClick(dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Save),
                     Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    with ledger.sessions() as s:
        assert s.scalar(select(Invoice.total_cents).where(Invoice.number == "F100")) == 120000
    assert "F100" in numbers(screen)


def test_an_allocation_is_taken_back_from_the_invoice_card(ledger, make_window, monkeypatch):
    """F2's card lists the 200,00 € of 20/11 allocated to it: "Annuler l'imputation" (after a yes) makes it due
    again in full, and the card says so."""
    from PySide6.QtWidgets import QMessageBox

    from app.models import Allocation

    window = make_window(ledger)
    window.show_screen("invoices")
    screen = window.screens["invoices"]
    with ledger.sessions() as s:
        f2 = s.scalar(select(Invoice.id).where(Invoice.number == "F2"))
    screen.open(f2)
    dialog = screen.dialog
    assert dialog.remaining.text() == "300,00\u00a0€" and not dialog.unallocate_button.isEnabled()
    dialog.allocations.selectRow(0)
    assert dialog.unallocate_button.isEnabled()
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    dialog.unallocate_button.click()
    assert dialog.messages.general.text() == "Imputations annulées : 200,00\u00a0€ à nouveau à rapprocher."
    assert dialog.remaining.text() == "500,00\u00a0€" and dialog.allocations.visible_rows() == []
    with ledger.sessions() as s:
        assert s.scalar(select(Allocation.id).where(Allocation.invoice_id == f2)) is None
