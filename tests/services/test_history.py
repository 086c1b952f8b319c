"""The history: events recorded in the change's transaction, read back newest first with their author."""

from decimal import Decimal

from sqlalchemy import select

from app.domain.vocabulary import EventKind
from app.models import Customer, Invoice
from app.services.history import Happened, customer_by_code, history, record


def test_events_are_read_back_newest_first_with_their_invoice_and_author(ledger):
    with ledger.transaction() as session:
        petit = session.scalar(select(Customer).where(Customer.name == "Garage Petit"))
        f2 = session.scalar(select(Invoice).where(Invoice.number == "F2"))
        record(session, Happened(EventKind.EDIT, "Délai de paiement : 30 jours → 45 jours", petit.id))
        record(session, Happened(EventKind.ALLOCATION, "Virement du 20/11/2026 imputé", petit.id, f2.id, cents=20000))
    with ledger.sessions() as session:
        lines = history(session, petit.id)
    assert [(line.kind, line.invoice, line.amount) for line in lines] == [
        (EventKind.ALLOCATION, "F2", Decimal("200.00")), (EventKind.EDIT, "", None)]
    assert lines[0].label == "Imputation" and lines[0].user
    assert lines[0].as_json()["amount"] == "200.00"


def test_an_event_recorded_in_a_transaction_rolled_back_is_gone(ledger):
    with ledger.sessions() as session, session.begin():
        petit_id = session.scalar(select(Customer.id).where(Customer.name == "Garage Petit"))
        record(session, Happened(EventKind.EDIT, "essai", petit_id))
        assert len(history(session, petit_id)) == 1
        session.rollback()
    with ledger.sessions() as session:
        assert history(session, petit_id) == []


def test_a_customer_is_found_by_its_code_whatever_the_case(ledger):
    with ledger.transaction() as session:
        petit = session.scalar(select(Customer).where(Customer.name == "Garage Petit"))
        petit.code = "GPETIT"
    with ledger.sessions() as session:
        assert customer_by_code(session, "gpetit").id == petit.id
        assert customer_by_code(session, "nobody") is None
