from datetime import date, timedelta
from decimal import Decimal as D

import pytest

from sqlalchemy import select

from app.domain.alerts import Thresholds
from app.domain.vocabulary import GuaranteeKind, InvoiceStatus, Segment
from app.models import Allocation, Customer, Guarantee, Invoice, Payment
from app.models.settlement import resettle
from app.services.aging import aging_at
from app.services.cockpit import cockpit, save_thresholds, thresholds
from app.services import risk
from app.services.ledger_history import ledger_history
from tests.conftest import TODAY, invoice


def test_receivables_from_daily_sums_equal_the_aging_total(ledger):
    with ledger.sessions() as s:
        history = ledger_history(s)
        for day in (TODAY, date(2026, 11, 14), date(2026, 10, 1), date(2026, 7, 1), date(2026, 7, 2),
                    date(2026, 5, 31)):
            assert history.receivables(day) == aging_at(s, day).balance.total.total, day
    assert history.receivables(TODAY) == D("3430.00")


def test_the_weeks_figures_of_the_ledger(ledger):
    with ledger.sessions() as s:
        c = cockpit(s, TODAY)
    assert c.now.receivables == D("3430.00")
    assert c.now.overdue == D("2430.00")  # everything but F1's 1 000 not yet due
    # sales of the 365 days to 23/11/2026: F1 1000 + F2 500 + F3 300 - AV1 50 + F4 2000 + F0 100 = 3 850;
    # 3 430 / 3 850 × 365 = 325.18
    assert c.dso_simple == D("325.2")
    # countback: November has no sales yet (+23 days); October 1 450 (F1, F2, AV1): 3 430 - 1 450 = 1 980,
    # +31 days; September 2 000 (F4) > 1 980: 1 980 / 2 000 × 30 = 29.7 -> 23 + 31 + 29.7
    assert c.now.dso == D("83.7")
    assert c.overdue_rate == D("0.7085")  # 2 430 / 3 430
    assert c.top5_share == D("1.0000")  # two customers hold everything
    assert {a.kind for a in c.alerts} == {"dso", "concentration", "limit"}
    limit = next(a for a in c.alerts if a.kind == "limit")
    assert "Garage Petit" in limit.text and "50,00" in limit.text  # 1 550 owed for a 1 500 limit
    # Boulangerie Martin: F4 2 000 less its unallocated 120 -> 1 880 overdue, 46 days;
    # Garage Petit: F2 300 + F3 300 - AV1 50 = 550 overdue, F3 111 days late
    assert [(e.name, e.overdue, e.days_late) for e in c.to_call] == [
        ("Boulangerie Martin", D("1880.00"), 46), ("Garage Petit", D("550.00"), 111)]


def test_the_forecast_of_the_ledger(ledger):
    with ledger.sessions() as s:
        c = cockpit(s, TODAY)
    assert len(c.forecast) == 13 and c.forecast[0].week_start == date(2026, 11, 23)
    # late already: F2's 300 left, F3 300 less Garage Petit's credit note AV1 50 (taken off its oldest item),
    # F4 2 000 less Boulangerie Martin's 120 received and not allocated -> this week 250 + 300 + 1 880 = 2 430;
    # F1 1 000 due 30/11 + Garage Petit's usual day of delay (F0 due 01/07, paid 02/07) -> 01/12, next week
    assert [w.expected for w in c.forecast[:3]] == [D("2430.00"), D("1000.00"), D("0")]
    assert c.expected_13_weeks == D("3430.00")
    assert c.forecast[0].by_confidence["uncertain"] >= D("250.00")  # F3 (what AV1 leaves of it): over 90 days late
    assert all(w.balance is None for w in c.forecast)  # no bank statement yet


def test_the_figures_a_week_before(ledger):
    with ledger.sessions() as s:
        c = cockpit(s, TODAY)
        before = aging_at(s, TODAY - timedelta(days=7)).balance.total
    assert c.week_before.receivables == before.total
    assert c.week_before.overdue == before.overdue


def test_thresholds_are_kept_and_change_the_alerts(ledger):
    with ledger.transaction() as s:
        assert thresholds(s) == Thresholds()
        assert save_thresholds(s, Thresholds(dso_target_days=90, concentration_share=D("1"))) == {}
    with ledger.sessions() as s:
        assert thresholds(s).dso_target_days == 90
        assert {a.kind for a in cockpit(s, TODAY).alerts} == {"limit"}


@pytest.mark.parametrize("values, field", [
    (Thresholds(margin_rate=D("0")), "margin_rate"),
    (Thresholds(concentration_share=D("1.5")), "concentration_share"),
    (Thresholds(delay_growth_days=-1), "delay_growth_days"),
])
def test_thresholds_out_of_range_are_refused(ledger, values, field):
    with ledger.transaction() as s:
        errors = save_thresholds(s, values)
    assert field in errors
    with ledger.sessions() as s:
        assert thresholds(s) == Thresholds()


@pytest.mark.parametrize("per_quarter, alerted", [(1, False), (3, True)])
def test_paying_later_is_announced_only_on_enough_invoices(db, per_quarter, alerted):
    from app.models import Allocation, Company, Customer, Payment
    from tests.conftest import invoice

    with db.transaction() as s:
        s.add(Company(name="Atelier Test SARL"))
        garage = Customer(name="Garage Lent", code="C9")
        for n in range(per_quarter):
            for quarter, late in ((date(2026, 7, 1), 2), (date(2026, 10, 1), 40)):  # 2 days late, then 40
                due = quarter + timedelta(days=n)
                f = invoice(f"F{quarter.month}-{n}", garage, due - timedelta(days=30), due, 10000)
                p = Payment(customer=garage, received_on=due + timedelta(days=late), amount_cents=10000)
                s.add_all([f, p, Allocation(invoice=f, payment=p, allocated_on=p.received_on, amount_cents=10000)])
    with db.sessions() as s:
        kinds = {a.kind for a in cockpit(s, TODAY).alerts}
    assert ("delay" in kinds) is alerted


def test_a_written_off_invoice_leaves_the_receivables_and_its_payments_count_as_received(ledger):
    """Writing off F3 (300,00 €, of which 100,00 € were paid on 01/09) takes its 200,00 € left out of what
    is owed, at every date after it was issued, in the daily sums as in the aging."""
    with ledger.transaction() as s:
        f3 = s.scalar(select(Invoice).where(Invoice.number == "F3"))
        payment = Payment(customer_id=f3.customer_id, received_on=date(2026, 9, 1), amount_cents=10000)
        s.add_all([payment, Allocation(invoice=f3, payment=payment, allocated_on=date(2026, 9, 1),
                                       amount_cents=10000)])
        f3.status = InvoiceStatus.WRITTEN_OFF.value
        resettle(s, {f3.id}, set())
    with ledger.sessions() as s:
        history = ledger_history(s)
        for day in (TODAY, date(2026, 9, 1), date(2026, 8, 31), date(2026, 7, 5)):
            assert history.receivables(day) == aging_at(s, day).balance.total.total, day
        # 3 430 before, less F3's 300: it is neither owed nor, for its 100 paid, still receivable
        assert history.receivables(TODAY) == D("3130.00")
        assert history.sales(date(2026, 7, 4), date(2026, 7, 5)) == D("300.00")  # still a sale


def test_deadline_alerts_name_the_insured_customers_invoices_and_the_old_consumer_ones(ledger):
    """The insurer's deadline (150 days after the due date, announced 15 days ahead) concerns the customers
    with credit insurance in force; prescription (2 years on a consumer, announced 90 days ahead) everyone."""
    with ledger.transaction() as s:
        petit, martin = (s.scalar(select(Customer).where(Customer.code == code)) for code in ("C0001", "C0002"))
        s.add(Guarantee(customer_id=petit.id, kind=GuaranteeKind.CREDIT_INSURANCE.value, amount_cents=500000,
                        percentage=90, valid_from=date(2026, 1, 1), valid_to=date(2026, 12, 31)))
        s.add(Guarantee(customer_id=martin.id, kind=GuaranteeKind.CREDIT_INSURANCE.value, amount_cents=500000,
                        percentage=90, valid_from=date(2025, 1, 1), valid_to=date(2025, 12, 31)))  # expired
        consumer = Customer(name="Mme Durand", code="C0003", segment=Segment.CONSUMER.value)
        # due 140 days ago: the insurer's deadline is in 10 days, for Garage Petit only
        s.add_all([invoice("F5", petit, date(2026, 6, 6), date(2026, 7, 6), 40000),
                   invoice("F6", martin, date(2026, 6, 6), date(2026, 7, 6), 60000),
                   # due 01/02/2025: prescribed on 01/02/2027, within 90 days; a merchant's would not be
                   invoice("F7", consumer, date(2025, 1, 2), date(2025, 2, 1), 7000),
                   invoice("F8", martin, date(2025, 1, 2), date(2025, 2, 1), 8000)])
    with ledger.sessions() as s:
        found = sorted((a.kind, a.text.split(" de ")[0]) for a in cockpit(s, TODAY).alerts
                       if a.kind in ("declaration", "prescription"))
    assert found == [("declaration", "Facture F5"), ("prescription", "Facture F7")]


def test_after_an_allocation_the_cockpit_is_what_a_full_computation_gives(ledger):
    """The scores of the customers an allocation did not touch are reused from the previous computation
    (``risk._score_of``); the customer it touched is scored again, as a computation from nothing would."""
    with ledger.sessions() as s:
        before = cockpit(s, TODAY)
    with ledger.transaction() as s:
        f4 = s.scalar(select(Invoice).where(Invoice.number == "F4"))
        payment = Payment(customer_id=f4.customer_id, received_on=TODAY, amount_cents=150000)
        s.add_all([payment, Allocation(invoice=f4, payment=payment, allocated_on=TODAY, amount_cents=150000)])
        s.flush()
        resettle(s, {f4.id}, {payment.id})
        martin = f4.customer_id
    with ledger.sessions() as s:
        again = cockpit(s, TODAY)
        risk._score_of.cache_clear()
        afresh = cockpit(s, TODAY)
    assert again.scores[martin] != before.scores[martin]  # 1 500,00 € less overdue: a better score
    assert again == afresh
