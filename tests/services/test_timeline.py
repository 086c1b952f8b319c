"""A customer's history on the hand-made ledger (tests/conftest.py): Garage Petit paid 100,00 € on 02/07 (F0)
and 200,00 € on 20/11 (F2); here it also gets a first reminder on 21/11, a call with a promise on 22/11 and
a dispute on F3 opened on 10/11."""

from datetime import date, datetime
from decimal import Decimal as D

from sqlalchemy import select

from app.models import Activity, Customer, Dispute, DunningLetter, Invoice
from app.services.timeline import timeline


def test_letters_calls_promises_disputes_and_payments_newest_first(ledger):
    with ledger.transaction() as s:
        petit = s.scalar(select(Customer).where(Customer.name == "Garage Petit"))
        f3 = s.scalar(select(Invoice).where(Invoice.number == "F3"))
        s.add_all([
            DunningLetter(customer_id=petit.id, step="first_reminder", sent_on=date(2026, 11, 21),
                          lines=[{"invoice_id": f3.id, "number": "F3", "amount_due": 30000}], amount_due_cents=30000),
            Activity(customer_id=petit.id, kind="call", happened_at=datetime(2026, 11, 22, 10, 30),
                     text="Le gérant est en congé."),
            Activity(customer_id=petit.id, kind="promise", happened_at=datetime(2026, 11, 22, 10, 31),
                     text="Virement promis", promised_on=date(2026, 11, 30), promised_cents=30000),
            Dispute(invoice_id=f3.id, reason="prix contesté", assignee="Karim", opened_on=date(2026, 11, 10)),
        ])
        petit_id = petit.id
    with ledger.sessions() as s:
        entries = timeline(s, petit_id)
    assert [(e.day, e.what, e.detail, e.amount) for e in entries] == [
        (date(2026, 11, 22), "Appel", "Le gérant est en congé.", None),
        (date(2026, 11, 22), "Promesse de paiement", "pour le 30/11/2026 — Virement promis", D("300.00")),
        (date(2026, 11, 21), "1re relance", "F3", D("300.00")),
        (date(2026, 11, 20), "Règlement reçu", "VIR F2", D("200.00")),
        (date(2026, 11, 10), "Litige ouvert", "F3 : prix contesté (suivi par Karim)", None),
        (date(2026, 7, 2), "Règlement reçu", "VIR F0", D("100.00")),
    ]


def test_a_formal_notice_keeps_its_registered_mail_number(ledger):
    from app.services.timeline import note_registered_mail

    with ledger.transaction() as s:
        martin = s.scalar(select(Customer).where(Customer.name == "Boulangerie Martin"))
        s.add(DunningLetter(customer_id=martin.id, step="formal_notice", sent_on=date(2026, 11, 23), lines=[],
                            amount_due_cents=188000))
        martin_id = martin.id
    with ledger.sessions() as s:
        (entry, *_rest) = timeline(s, martin_id)
    assert entry.what == "Mise en demeure" and entry.formal_notice_id is not None
    with ledger.transaction() as s:
        assert note_registered_mail(s, entry.formal_notice_id, "  ") == {
            "number": "Saisissez le numéro du recommandé (par exemple 1A 123 456 7890 1)."}
        assert note_registered_mail(s, entry.formal_notice_id, " 1A 123  456 7890 1 ") == {}
    with ledger.sessions() as s:
        assert timeline(s, martin_id)[0].detail == "LRAR n° 1A 123 456 7890 1"


def test_the_events_of_the_history_are_in_it_with_their_author(ledger):
    """An event of the history (its time and author recorded) takes its place among the letters and payments:
    same day, first (it carries its time); the other entries stay as they were."""
    from sqlalchemy import update

    from app.domain.vocabulary import EventKind
    from app.models import Event
    from app.services.history import Happened, record

    with ledger.transaction() as s:
        petit = s.scalar(select(Customer.id).where(Customer.name == "Garage Petit"))
        f2 = s.scalar(select(Invoice.id).where(Invoice.number == "F2"))
        record(s, Happened(EventKind.ALLOCATION, "Virement du 20/11/2026 imputé", petit, f2, cents=20000),
               Happened(EventKind.EDIT, "Délai de paiement : 30 jours → 45 jours", petit))
        s.execute(update(Event).values(at=datetime(2026, 11, 20, 16, 45), user="marie"))
    with ledger.sessions() as s:
        entries = timeline(s, petit)
    assert [(e.day, e.what, e.detail, e.amount, e.user) for e in entries] == [
        (date(2026, 11, 20), "Modification", "Délai de paiement : 30 jours → 45 jours", None, "marie"),
        (date(2026, 11, 20), "Imputation", "F2 : Virement du 20/11/2026 imputé", D("200.00"), "marie"),
        (date(2026, 11, 20), "Règlement reçu", "VIR F2", D("200.00"), ""),
        (date(2026, 7, 2), "Règlement reçu", "VIR F0", D("100.00"), ""),
    ]
