"""A figure shown in two places is computed in one (issue 16): the uncovered exposure of the alert list and of
the customer's Risque tab, the aging chart's bar labels and each customer's total still due."""

from datetime import date, timedelta
from decimal import Decimal as D

import pytest
from sqlalchemy import select

from app.domain.aging import still_due
from app.domain.alerts import DueInvoice, invoice_alerts
from app.domain.money import format_eur
from app.domain.vocabulary import Segment
from app.models import Customer, Guarantee, Invoice
from app.reports.charts import aging_chart
from app.services.aging import open_items
from app.services.cockpit import cockpit, thresholds
from app.services.cockpit_view import aging_rows
from app.services.customers import list_customers
from app.services.risk import covers, customer_risk
from tests.conftest import TODAY, copied
from tests.reports.test_charts import row_totals

DEMO_DAY = TODAY  # the day the run's demo template is generated on (conftest.demo_template)


@pytest.fixture(scope="module")
def demo(tmp_path_factory, demo_template):
    db = copied(demo_template[0], tmp_path_factory.mktemp("demo") / "demo.sqlite")
    yield db
    db.dispose()


def cover_factor(risk):
    return next(f for f in risk.score.factors if f.key == "cover")


def test_alert_and_risk_tab_say_the_hand_computed_uncovered_exposure(ledger):
    """Garage Petit owes 1 550,00 € (1 000 + 300 + 300 − 50) under 1 000,00 € insured at 90 % in force, an
    expired 5 000,00 € bank guarantee beside it: 1 550 − min(1 550, 1 000) × 90 % = 650,00 € uncovered
    (not the 550,00 € over the cover)."""
    with ledger.transaction() as s:
        petit = s.scalar(select(Customer).where(Customer.name == "Garage Petit"))
        s.add_all([Guarantee(customer=petit, kind="credit_insurance", guarantor="Assureur", amount_cents=100000,
                             percentage=90, valid_from=date(2026, 1, 1), valid_to=date(2027, 6, 30)),
                   Guarantee(customer=petit, kind="bank_guarantee", guarantor="Banque", amount_cents=500000,
                             valid_to=date(2026, 10, 31))])
    with ledger.sessions() as s:
        figures = cockpit(s, TODAY)
        risk = customer_risk(s, petit.id, TODAY)
    [alert] = [a for a in figures.alerts if a.kind == "cover"]
    assert alert.text == (f"Garage Petit : l'encours de {format_eur(D('1550'))} dépasse la couverture de "
                          f"{format_eur(D('1000'))} ; {format_eur(D('650'))} non couverts.")
    assert alert.weight == risk.uncovered == D("650.00")
    assert cover_factor(risk).detail.startswith(f"{format_eur(D('650'))} non couverts sur")


def test_on_the_demo_every_cover_alert_says_the_risk_tab_figure(demo):
    with demo.sessions() as s:
        found = [a for a in cockpit(s, DEMO_DAY).alerts if a.kind == "cover"]
        assert found  # the demo has insured customers over their cover
        for alert in found:
            risk = customer_risk(s, alert.customer_id, DEMO_DAY)
            said = format_eur(risk.uncovered)
            assert alert.text.endswith(f" ; {said} non couverts.")
            assert cover_factor(risk).detail.startswith(f"{said} non couverts sur")


def test_on_the_demo_each_aging_bar_says_the_customer_list_total_due(demo):
    """The chart's figure is the customer's total still due, its unallocated cash and credit notes deducted,
    as the customer list says it, even where a negative bucket makes the drawn bar longer."""
    with demo.sessions() as s:
        figures = cockpit(s, DEMO_DAY)
        owed = {row.name: row.exposure for row in list_customers(s, DEMO_DAY)}
    rows = aging_rows(figures)
    (ax,) = aging_chart(rows).axes
    assert row_totals(ax) == [format_eur(owed[name]) for name, _ in rows]
    assert any(min(buckets.amounts.values()) < 0 for _, buckets in rows)  # a bar longer than its figure


@pytest.mark.parametrize("later", [60, 200, 700])  # days after the demo: declarations due, then prescriptions
def test_on_the_demo_the_deadline_alerts_are_those_of_each_open_invoice_read_one_by_one(demo, later):
    """The cockpit finds the invoices near a deadline (prescription, the insurer's declaration) among the
    open invoices it read for the aging; each open invoice read as an object, with its customer's cover and
    segment, gives the same alerts."""
    at = DEMO_DAY + timedelta(days=later)
    with demo.sessions() as s:
        figures = cockpit(s, at)
        limits, cover_of = thresholds(s), covers(s, at)
        customers = {c.id: c for c in s.execute(select(Customer.id, Customer.name, Customer.segment))}
        numbers = dict(s.execute(select(Invoice.id, Invoice.number)).all())
        expected = []
        for item in open_items(s, at):
            left = still_due(item, at)
            if left > 0:  # an invoice: credit notes and payments are negative
                customer = customers[item.customer]
                expected += invoice_alerts(DueInvoice(
                    item.customer, customer.name, numbers[item.key[1]], item.due, left,
                    customer.segment == Segment.CONSUMER.value,
                    item.customer in cover_of and cover_of[item.customer].insured), at, limits)
    found = [alert for alert in figures.alerts if alert.kind in ("prescription", "declaration")]
    assert expected  # the demo has such invoices: the comparison says something
    assert sorted(found) == sorted(expected)
