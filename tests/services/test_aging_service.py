from datetime import date
from decimal import Decimal as D

from app.services.aging import aging_at
from tests.conftest import TODAY


def test_aging_of_the_ledger(ledger):
    with ledger.sessions() as s:
        report = aging_at(s, TODAY)
    total = report.balance.total
    # not due: F1 1000; 1-30: F2 500 - 200 paid = 300, Martin's unallocated payment -120 (8 days) -> 180;
    # 31-60: AV1 -50 (53 days); 61-90: nothing; over 90: F3 300 (111 days); F4 2000 is 46 days -> 31-60.
    assert total.amounts == {"not_due": D("1000.00"), "1_30": D("180.00"), "31_60": D("1950.00"),
                             "61_90": D("0.00"), "over_90": D("300.00")}
    assert total.total == D("3430.00")
    by_name = {report.names[cid]: owed.total for cid, owed in report.balance.by_customer.items()}
    assert by_name == {"Garage Petit": D("1550.00"), "Boulangerie Martin": D("1880.00")}


def test_aging_at_a_past_date_uses_payment_dates(ledger):
    with ledger.sessions() as s:
        report = aging_at(s, date(2026, 11, 14))
    # F1 (issued 31/10) not due; F2 500 one day late, its 200 payment of 20/11 not yet received;
    # Martin's payment of 15/11 not yet received; F3 102 days; AV1 44 days; F4 37 days.
    assert report.balance.total.amounts == {
        "not_due": D("1000.00"), "1_30": D("500.00"), "31_60": D("1950.00"), "61_90": D("0.00"),
        "over_90": D("300.00")}
    with ledger.sessions() as s:
        assert aging_at(s, date(2026, 7, 1)).balance.total.total == D("100.00")  # F0 due, paid the 2nd
