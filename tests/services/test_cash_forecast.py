"""The cockpit's 13-week forecast reads which invoices are in litigation, time-barred or promised (issue 16):
those in doubt go to the « Douteux » line, never to a week; a late invoice without a promise is not « Sûr »."""

from datetime import date
from decimal import Decimal as D

from sqlalchemy import select

from app.domain.money import format_eur
from app.models import Activity, Customer, Dispute, DunningLetter, Invoice, Segment
from app.services.cockpit import cockpit
from app.services.cockpit_view import forecast_lines
from tests.conftest import TODAY, invoice


def ids(s):
    return {i.number: i for i in s.scalars(select(Invoice))}, {c.name: c for c in s.scalars(select(Customer))}


def test_invoices_in_litigation_or_time_barred_are_doubtful_and_in_no_week(ledger):
    """On Monday 23/11/2026, Garage Petit's F2 (300 € left, due 13/11) is under an open dispute and its F3
    (300 € due 04/08, less its unused 50 € credit note: 250 €) was listed in a litigation file; a consumer's
    F9 of 90 € due 01/11/2024 is time-barred since 01/11/2026 (L218-2), F8 of 70 € is marked doubtful.
    « Douteux »: 300 + 250 + 90 + 70 = 710 €. What stays expected: F1's 1 000 € (due 30/11) and Boulangerie
    Martin's F4 less its unallocated 120 € (1 880 €, 46 days late: this week)."""
    with ledger.transaction() as s:
        invoices, customers = ids(s)
        s.add(Dispute(invoice_id=invoices["F2"].id, reason="prix contesté", opened_on=date(2026, 11, 15)))
        s.add(DunningLetter(customer_id=customers["Garage Petit"].id, step="litigation", sent_on=date(2026, 11, 20),
                            lines=[{"invoice_id": invoices["F3"].id, "number": "F3", "amount_due": 25000}]))
        dupont = Customer(name="Jean Dupont", code="C0003", segment=Segment.CONSUMER.value)
        s.add_all([invoice("F9", dupont, date(2024, 10, 1), date(2024, 11, 1), 9000),
                   invoice("F8", dupont, date(2026, 10, 1), date(2026, 11, 1), 7000, status="doubtful")])
    with ledger.sessions() as s:
        figures = cockpit(s, TODAY)
    assert figures.in_doubt == D("710.00")
    this_week = figures.forecast[0].by_confidence
    assert sum(this_week.values()) == D("1880.00") and this_week["sure"] == D(0)
    assert figures.forecast[1].expected == D("1000.00")
    assert figures.expected_13_weeks == D("2880.00")
    assert forecast_lines(figures)[-1] == ("Douteux (litige, procédure collective, prescrit), attendu dans aucune "
                                           f"semaine : {format_eur(D('710'))}")


def test_a_promise_to_pay_dates_the_late_invoices_of_its_customer(ledger):
    """Boulangerie Martin promised on 20/11 to pay by 09/12: its 1 880 € is expected in the week of 07/12, no
    longer this week; a dispute closed on 20/11 no longer puts F2 in doubt."""
    with ledger.transaction() as s:
        invoices, customers = ids(s)
        s.add(Activity(customer_id=customers["Boulangerie Martin"].id, kind="promise",
                       promised_on=date(2026, 12, 9), promised_cents=188000))
        s.add(Dispute(invoice_id=invoices["F2"].id, reason="prix contesté", opened_on=date(2026, 11, 15),
                      closed_on=date(2026, 11, 20)))
    with ledger.sessions() as s:
        figures = cockpit(s, TODAY)
    assert figures.in_doubt == D(0)
    assert [week.expected for week in figures.forecast[:3]] == [D("550.00"), D("1000.00"), D("1880.00")]
    assert forecast_lines(figures)[-1].startswith("Total")
