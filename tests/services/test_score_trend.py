"""How a customer's score moves: month by month on its card, over four weeks for the customers to call.

One customer, Trend SARL (private business, no limit, no guarantee, no payment yet), invoiced 1 000 € (T1)
and 500 € (T2) on 01/07/2026 due 31/07/2026, never paid; a dispute on T2 opened on 10/11/2026 (T1 is still
chased: the customer is one to call). Its points, factor by factor
(app/domain/scoring.py): no payment history 8, trend 0, overdue share (0 % -> 0, 100 % -> 20), limit 0,
nothing covered 10, disputes (0 -> 0, 1 -> 5), customer for less than 6 months 5, private business 3:
- before 01/07/2026: not a customer yet, no score;
- 31/07/2026: due that very day, nothing overdue: 8 + 0 + 10 + 5 + 3 = 26;
- 31/08, 30/09, 31/10/2026 and 26/10/2026 (four weeks before 23/11): all overdue, 26 + 20 = 46;
- 23/11/2026: the dispute too, 46 + 5 = 51: +5 since 31/08/2026 and over four weeks.
"""

from datetime import date
from decimal import Decimal

from app.models import Customer, Dispute
from app.services.cockpit import cockpit
from app.services.risk import customer_risk
from tests.conftest import TODAY, invoice


def trend_ledger(db):
    assert TODAY == date(2026, 11, 23)
    with db.transaction() as s:
        customer = Customer(name="Trend SARL", segment="private", created_on=date(2026, 7, 1))
        s.add(customer)
        s.flush()
        bill = invoice("T2", customer, date(2026, 7, 1), date(2026, 7, 31), 50000)
        s.add_all([invoice("T1", customer, date(2026, 7, 1), date(2026, 7, 31), 100000), bill])
        s.flush()
        s.add(Dispute(invoice_id=bill.id, reason="Livraison incomplète", opened_on=date(2026, 11, 10)))
        return customer.id


def test_the_card_shows_the_score_at_each_month_end_and_its_change_over_the_quarter(db):
    customer_id = trend_ledger(db)
    with db.sessions() as s:
        risk = customer_risk(s, customer_id, TODAY)
    assert risk.score.points == 51
    assert [points for _month, points in risk.score_history] == [None] * 7 + [26, 46, 46, 46, 51]
    assert risk.score_history[0][0] == date(2025, 12, 1) and risk.score_history[-1][0] == date(2026, 11, 1)
    assert risk.score_months_ago == (date(2026, 8, 31), 46)


def test_the_customers_to_call_show_their_score_four_weeks_ago(db):
    customer_id = trend_ledger(db)
    with db.sessions() as s:
        entry = next(e for e in cockpit(s, TODAY).to_call if e.customer_id == customer_id)
    assert (entry.points, entry.points_before) == (51, 46)
    assert (entry.overdue, entry.step) == (Decimal("1000.00"), "first_reminder")  # T2, in dispute, is not chased
    assert entry.score_change == "+5" and not entry.worsening  # worth pointing out from +10


def test_a_customer_created_later_has_no_score_then(db):
    customer_id = trend_ledger(db)
    with db.sessions() as s:
        assert customer_risk(s, customer_id, date(2026, 6, 30)) is None
