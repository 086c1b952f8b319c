"""Litiges on the hand-made ledger (tests/conftest.py): open a dispute on F3 from the screen, find it by its
assignee, close it with its resolution; the letters leave F3 out while it is open, not after."""

from datetime import date

import pytest

from app.services.dunning import due_actions
from app.ui.disputes import DisputeDialog
from tests.conftest import chase_history
from tests.ui.conftest import loaded


@pytest.fixture
def ledger(ledger):
    """The ledger with its late payers' reminders on record: the steps these tests chase come next."""
    chase_history(ledger)
    return ledger


def claimed(ledger, name="Garage Petit"):
    with ledger.sessions() as s:
        actions, _ = due_actions(s, date(2026, 11, 23))
    return [i.number for a in actions if a.name == name for i in a.invoices]


def test_open_follow_and_close_a_dispute(ledger, make_window):
    window = make_window(ledger)
    window.show_screen("disputes")
    loaded(window.screens["disputes"])  # read in a worker
    screen = window.screens["disputes"]
    assert screen.table.model().rowCount() == 0
    dialog = DisputeDialog(screen.context, None, screen)
    dialog.invoice_number.setText("F99")
    dialog.save()
    assert dialog.messages.labels["invoice_number"].text() == "Aucune facture n'a le numéro « F99 »."
    assert dialog.messages.labels["reason"].text() == "Indiquez le motif du litige."
    dialog.invoice_number.setText("F3")
    dialog.reason.setText("prix contesté")
    dialog.assignee.setText("Karim")
    dialog.save()
    assert dialog.result() == dialog.DialogCode.Accepted
    assert claimed(ledger) == ["F2"]  # F3 out of the letters while its dispute is open
    assert status_of(ledger, "F3") == "disputed"
    screen.refresh()
    loaded(screen)
    row = [screen.table.model().index(0, c).data() for c in range(7)]
    assert row == ["F3", "Garage Petit", "300,00\u00a0€", "prix contesté", "Karim", "23/11/2026", "en cours"]
    assert [screen.assignee.itemText(i) for i in range(screen.assignee.count())] == ["Tous les suivis", "Karim"]

    card = DisputeDialog(screen.context, screen.table.visible_rows()[0].id, screen)
    card.closed.setChecked(True)
    card.closed_on.set_date(date(2026, 11, 1))
    card.save()
    assert card.messages.labels["resolution"].text() == "Choisissez comment le litige s'est terminé."
    assert card.messages.labels["closed_on"].text() == "Un litige ne peut pas être clos avant d'être ouvert."
    card.closed_on.set_date(date(2026, 11, 23))
    card.resolution.setCurrentIndex(3)  # Contestation rejetée
    card.save()
    screen.refresh()
    loaded(screen)
    assert screen.table.model().rowCount() == 0  # open ones only, by default
    screen.open_only.setChecked(False)
    assert screen.table.model().index(0, 6).data() == "Contestation rejetée"
    assert claimed(ledger) == ["F3"] and status_of(ledger, "F3") == "open"  # its litigation file again
    from sqlalchemy import select

    from app.models import Customer
    from app.services.timeline import timeline

    with ledger.sessions() as s:
        petit = s.scalar(select(Customer.id).where(Customer.name == "Garage Petit"))
        history = [(e.what, e.detail) for e in timeline(s, petit)]
    assert ("Litige clos", "F3 : Contestation rejetée") in history


def status_of(ledger, number):
    from sqlalchemy import select

    from app.models import Invoice

    with ledger.sessions() as s:
        return s.scalar(select(Invoice.status).where(Invoice.number == number))

