"""The customer card's Historique: the events of the history (who did what) among the letters and payments."""

from datetime import datetime

from sqlalchemy import select, update

from app.domain.vocabulary import EventKind
from app.models import Customer, Event
from app.services.history import Happened, record
from app.ui.customer_form import CustomerDialog


def test_the_historique_tab_shows_each_event_with_its_author(ledger, make_window):
    with ledger.transaction() as s:
        petit = s.scalar(select(Customer.id).where(Customer.name == "Garage Petit"))
        record(s, Happened(EventKind.EDIT, "Limite de crédit : 1 500,00 € → 3 000,00 €", petit))
        s.execute(update(Event).values(at=datetime(2026, 11, 22, 9, 30), user="marie"))
    window = make_window(ledger)
    card = CustomerDialog(window.context, petit, window)
    card.tabs.setCurrentWidget(card.history)
    model = card.history.model()
    titles = [model.headerData(c, card.history.horizontalHeader().orientation()) for c in range(model.columnCount())]
    assert titles == ["Date", "Quoi", "Détail", "Montant", "Par"]
    shown = [[model.index(r, c).data() for c in range(model.columnCount())] for r in range(model.rowCount())]
    assert shown == [
        ["22/11/2026", "Modification", "Limite de crédit : 1 500,00 € → 3 000,00 €", "", "marie"],
        ["20/11/2026", "Règlement reçu", "VIR F2", "200,00\u00a0€", ""],
        ["02/07/2026", "Règlement reçu", "VIR F0", "100,00\u00a0€", ""],
    ]
