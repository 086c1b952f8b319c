"""Boulangerie Martin in redressement judiciaire (judgment 05/10/2026, published 16/10/2026) on the hand-made
ledger, 23/11/2026: Relances says the declaration's deadline on its top line, a click opens the customer's card;
its invoices wait with the reason; the dashboard's first alert says the same."""

from datetime import date

from sqlalchemy import select

from app.models import Customer
from app.services.proceedings import ProceedingInput, record_proceeding
from tests.ui.test_reminders_ui import held_rows, reminders_screen

DECLARE = "Boulangerie Martin — redressement judiciaire : déclaration de créance avant le 16/12/2026 (J-23)"


def test_relances_top_line_and_the_dashboard_say_the_deadline(ledger, make_window, qtbot):
    from app.ui.customer_form import CustomerDialog

    with ledger.transaction() as s:
        martin = s.scalar(select(Customer.id).where(Customer.name == "Boulangerie Martin"))
        record_proceeding(s, martin, ProceedingInput("redressement", date(2026, 10, 5), date(2026, 10, 16)),
                          date(2026, 11, 23))
    window = make_window(ledger)
    screen = reminders_screen(window, qtbot)
    assert screen.deadlines.isVisible() and screen.deadlines.text.text() == f'<a href="{martin}">{DECLARE}</a>'
    assert ["Boulangerie Martin", "redressement judiciaire depuis le 05/10/2026 : déclaration de créance avant le "
            "16/12/2026", "", "1\u202f880,00\u00a0€"] in held_rows(screen)
    screen.deadlines.text.linkActivated.emit(str(martin))
    assert isinstance(screen.dialog, CustomerDialog) and screen.dialog.customer_id == martin
    screen.dialog.reject()
    window.show_screen("dashboard")
    dashboard = window.screens["dashboard"]
    qtbot.waitUntil(lambda: dashboard.alerts.model().rowCount() > 0, timeout=20_000)
    assert dashboard.alerts.model().index(0).data() == DECLARE
