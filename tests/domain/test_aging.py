from datetime import date, timedelta
from decimal import Decimal as D

from hypothesis import given
from hypothesis import strategies as st

from app.domain.aging import BUCKETS, OpenItem, Settlement, aging_balance, bucket_of, still_due

AT = date(2026, 11, 23)


def test_bucket_boundaries():
    assert bucket_of(date(2026, 11, 23), AT) == "not_due"   # due today: not late yet
    assert bucket_of(date(2026, 11, 22), AT) == "1_30"      # 1 day
    assert bucket_of(date(2026, 10, 24), AT) == "1_30"      # 30 days
    assert bucket_of(date(2026, 10, 23), AT) == "31_60"     # 31 days
    assert bucket_of(date(2026, 9, 24), AT) == "31_60"      # 60 days
    assert bucket_of(date(2026, 9, 23), AT) == "61_90"      # 61 days
    assert bucket_of(date(2026, 8, 25), AT) == "61_90"      # 90 days
    assert bucket_of(date(2026, 8, 24), AT) == "over_90"    # 91 days


def test_hand_made_aging():
    items = [
        OpenItem("A", date(2026, 11, 1), date(2026, 12, 1), D("1000.00")),                 # not due
        OpenItem("A", date(2026, 10, 1), date(2026, 11, 10), D("500.00"),                  # 13 days late,
                 (Settlement(date(2026, 11, 20), D("200.00")),)),                           # 300 left
        OpenItem("A", date(2026, 6, 1), date(2026, 7, 1), D("300.00")),                    # 145 days
        OpenItem("A", date(2026, 10, 1), date(2026, 10, 1), D("-50.00")),                  # credit note, 53 d
        OpenItem("B", date(2026, 9, 1), date(2026, 9, 20), D("2000.00")),                  # 64 days
        OpenItem("B", date(2026, 11, 15), date(2026, 11, 15), D("-120.00")),               # payment, 8 days
        OpenItem("B", date(2026, 1, 1), date(2026, 2, 1), D("80.00"),                      # fully paid
                 (Settlement(date(2026, 2, 5), D("80.00")),)),
    ]
    balance = aging_balance(items, AT)
    # not due 1000; 1-30: 300 - 120 = 180; 31-60: -50; 61-90: 2000; over 90: 300
    assert balance.total.amounts == {"not_due": D("1000.00"), "1_30": D("180.00"), "31_60": D("-50.00"),
                                     "61_90": D("2000.00"), "over_90": D("300.00")}
    assert balance.total.total == D("3430.00")          # 1000 + 180 - 50 + 2000 + 300
    assert balance.total.overdue == D("2430.00")
    assert balance.by_customer["A"].total == D("1550.00")   # 1000 + 300 + 300 - 50
    assert balance.by_customer["B"].total == D("1880.00")   # 2000 - 120


def test_aging_at_a_past_date_ignores_later_payments_and_invoices():
    item = OpenItem("A", date(2026, 10, 1), date(2026, 11, 10), D("500.00"),
                    (Settlement(date(2026, 11, 20), D("200.00")),))
    later = OpenItem("A", date(2026, 11, 21), date(2026, 12, 21), D("999.00"))
    assert still_due(item, date(2026, 11, 19)) == D("500.00")
    assert still_due(item, date(2026, 11, 20)) == D("300.00")
    assert still_due(later, date(2026, 11, 20)) == D("0.00")
    past = aging_balance([item, later], date(2026, 11, 19))
    assert past.total.amounts["1_30"] == D("500.00")   # 9 days late then, nothing paid yet
    assert past.total.total == D("500.00")


items_strategy = st.lists(st.builds(
    lambda customer, booked, delay, cents, paid: OpenItem(
        customer, booked, booked + timedelta(days=delay), D(cents) / 100,
        tuple(Settlement(booked + timedelta(days=d), D(c) / 100) for d, c in paid)),
    st.sampled_from("ABC"), st.dates(date(2024, 1, 1), date(2026, 12, 31)), st.integers(0, 90),
    st.integers(-100_000, 1_000_000),
    st.lists(st.tuples(st.integers(0, 400), st.integers(0, 50_000)), max_size=3)), max_size=30)


@given(items_strategy, st.dates(date(2024, 1, 1), date(2027, 6, 30)))
def test_buckets_sum_to_what_is_still_due(items, at):
    balance = aging_balance(items, at)
    expected = sum((still_due(i, at) for i in items), D(0))
    assert sum(balance.total.amounts[b] for b in BUCKETS) == expected == balance.total.total
    assert sum((c.total for c in balance.by_customer.values()), D(0)) == expected


@given(items_strategy, st.dates(date(2024, 1, 1), date(2027, 6, 30)))
def test_aging_at_a_date_ignores_what_happened_after(items, at):
    """Dropping every settlement and item dated after ``at`` changes nothing in the balance at ``at``."""
    trimmed = [OpenItem(i.customer, i.booked, i.due, i.amount, tuple(s for s in i.settlements if s.on <= at))
               for i in items if i.booked <= at]
    assert aging_balance(items, at).total.amounts == aging_balance(trimmed, at).total.amounts
