"""Indicators (DOMAIN.md, "Indicators"): each formula pinned on small examples computed by hand, the
arithmetic written next to the expected figure, plus properties that must hold for any input."""

from datetime import date, timedelta
from decimal import ROUND_HALF_UP
from decimal import Decimal as D

from hypothesis import given
from hypothesis import strategies as st

from app.domain.kpi import (
    DAYS_PLACES,
    RATE_PLACES,
    PaidInvoice,
    WorkingCapital,
    average_delay,
    collection_effectiveness,
    delay_trend,
    doubtful_rate,
    dso_countback,
    dso_simple,
    month_bounds,
    monthly_delays,
    months_back,
    overdue_rate,
    sales_to_recover,
    top_share,
    working_capital,
)

AT = date(2026, 3, 10)


# --- helpers ---------------------------------------------------------------------------------------------

def test_month_bounds():
    assert month_bounds(2026, 3) == (date(2026, 3, 1), date(2026, 3, 31))
    assert month_bounds(2024, 2) == (date(2024, 2, 1), date(2024, 2, 29))   # leap year
    assert month_bounds(2026, 2) == (date(2026, 2, 1), date(2026, 2, 28))
    assert month_bounds(2100, 2) == (date(2100, 2, 1), date(2100, 2, 28))   # divisible by 100: not leap
    assert month_bounds(2026, 12) == (date(2026, 12, 1), date(2026, 12, 31))


def test_months_back_crosses_the_year_newest_first():
    assert months_back(date(2026, 2, 15), 3) == [(2026, 2), (2026, 1), (2025, 12)]
    assert months_back(date(2026, 12, 31), 1) == [(2026, 12)]
    assert months_back(AT, 0) == []
    assert len(months_back(AT, 24)) == 24 and months_back(AT, 24)[-1] == (2024, 4)   # Mar 2026 − 23 months


# --- DSO countback ---------------------------------------------------------------------------------------

def test_countback_worked_example():
    sales = {(2026, 3): D("8000"), (2026, 2): D("12000"), (2026, 1): D("20000")}
    # R = 25 000: March (10 days) 25 000 − 8 000 = 17 000; Feb (28 days) 17 000 − 12 000 = 5 000;
    # Jan: 5 000 / 20 000 × 31 = 7.75  ->  10 + 28 + 7.75 = 45.75 -> 45.8
    assert dso_countback(D("25000"), sales, AT) == D("45.8")


def test_countback_crosses_a_leap_february():
    sales = {(2024, 3): D("10000"), (2024, 2): D("10000"), (2024, 1): D("20000")}
    # R = 30 000 at 2024-03-15: 15 days of March, 29 days of Feb 2024, then 10 000 / 20 000 × 31 = 15.5
    assert dso_countback(D("30000"), sales, date(2024, 3, 15)) == D("59.5")   # 15 + 29 + 15.5
    # the same figures a year later (28-day February): 15 + 28 + 15.5
    sales_2025 = {(2025, 3): D("10000"), (2025, 2): D("10000"), (2025, 1): D("20000")}
    assert dso_countback(D("30000"), sales_2025, date(2025, 3, 15)) == D("58.5")


def test_countback_within_the_current_month_counts_only_the_days_elapsed():
    sales = {(2026, 3): D("8000"), (2026, 2): D("12000")}
    assert dso_countback(D("3000"), sales, AT) == D("3.8")     # 10 × 3 000 / 8 000 = 3.75 -> 3.8
    assert dso_countback(D("200"), sales, AT) == D("0.3")      # 10 × 200 / 8 000 = 0.25 -> 0.3 (half-up)
    assert dso_countback(D("8000"), sales, AT) == D("10.0")    # exactly the month's sales: its 10 days


def test_countback_stops_after_24_months():
    sales = {month: D("1000") for month in months_back(AT, 36)}
    # R = 1 000 000 is never used up by 24 × 1 000: the whole window is returned, i.e.
    # 10 (March 2026) + 334 (Apr 2025–Feb 2026) + 365 (Apr 2024–Mar 2025) = 709 days
    assert dso_countback(D("1000000"), sales, AT) == D("709.0")
    assert dso_countback(D("1000000"), sales, AT, months=3) == D("69.0")    # 10 + 28 + 31


def test_countback_month_without_sales_adds_its_days():
    # R = 15 000: March 15 000 − 8 000 = 7 000; Feb has no sales: + 28 days, R still 7 000;
    # Jan: 7 000 / 14 000 × 31 = 15.5  ->  10 + 28 + 15.5 = 53.5
    assert dso_countback(D("15000"), {(2026, 3): D("8000"), (2026, 1): D("14000")}, AT) == D("53.5")
    # a month of credit notes (negative sales) neither adds to nor takes from R
    sales = {(2026, 3): D("8000"), (2026, 2): D("-500"), (2026, 1): D("14000")}
    assert dso_countback(D("15000"), sales, AT) == D("53.5")


def test_countback_without_receivables_is_zero_days():
    sales = {(2026, 3): D("8000")}
    assert dso_countback(D("0"), sales, AT) == D("0.0")
    assert dso_countback(D("-1500"), sales, AT) == D("0.0")     # customers in credit: nothing outstanding
    assert str(dso_countback(D("0"), sales, AT)) == "0.0"


def test_countback_without_positive_sales_in_the_window_is_none():
    assert dso_countback(D("1000"), {}, AT) is None
    assert dso_countback(D("1000"), {(2026, 3): D("0"), (2026, 2): D("-300")}, AT) is None
    assert dso_countback(D("1000"), {(2026, 1): D("5000")}, AT, months=2) is None   # January is outside
    assert dso_countback(D("1000"), {(2026, 1): D("5000")}, AT, months=3) == D("44.2")  # 10 + 28 + 6.2


_sales_maps = st.dictionaries(
    st.sampled_from(months_back(AT, 30)),
    st.decimals(min_value=-5000, max_value=50000, places=2, allow_nan=False, allow_infinity=False),
)
_amounts = st.decimals(min_value=-10000, max_value=2000000, places=2, allow_nan=False, allow_infinity=False)


@given(_amounts, _sales_maps, st.integers(min_value=1, max_value=30))
def test_countback_never_exceeds_the_window(receivables, sales, months):
    result = dso_countback(receivables, sales, AT, months)
    window = (AT - date(*months_back(AT, months)[-1], 1)).days + 1     # first day of the oldest month to AT
    if result is not None:
        assert D(0) <= result <= window
        assert result == result.quantize(DAYS_PLACES)


@given(_amounts, _amounts, _sales_maps)
def test_countback_is_non_decreasing_in_receivables(a, b, sales):
    low, high = sorted((a, b))
    low_days, high_days = dso_countback(low, sales, AT), dso_countback(high, sales, AT)
    if low_days is not None and high_days is not None:
        assert low_days <= high_days


@given(st.decimals(min_value="0.01", max_value=8000, places=2, allow_nan=False, allow_infinity=False))
def test_countback_inside_the_current_month_is_proportional(receivables):
    expected = (D(10) * receivables / D("8000")).quantize(DAYS_PLACES, rounding=ROUND_HALF_UP)
    assert dso_countback(receivables, {(2026, 3): D("8000")}, AT) == expected


# --- DSO simple ------------------------------------------------------------------------------------------

def test_dso_simple():
    assert dso_simple(D("100000"), D("600000")) == D("60.8")    # 100 000 / 600 000 × 365 = 60.83
    assert dso_simple(D("30000"), D("365000")) == D("30.0")     # 30 000 / 365 000 × 365
    assert dso_simple(D("50"), D("73000")) == D("0.3")          # 50 / 73 000 × 365 = 0.25 -> 0.3 (half-up)
    assert dso_simple(D("0"), D("600000")) == D("0.0")
    assert dso_simple(D("-500"), D("600000")) == D("0.0")       # in credit: like the countback, zero days
    assert dso_simple(D("100000"), D("0")) is None
    assert dso_simple(D("100000"), D("-10")) is None


# --- Rates -----------------------------------------------------------------------------------------------

def test_overdue_rate():
    assert overdue_rate(D("10000"), D("6000")) == D("0.4000")     # (10 000 − 6 000) / 10 000
    assert overdue_rate(D("3000"), D("2000")) == D("0.3333")      # 1 000 / 3 000
    assert overdue_rate(D("3000"), D("1000")) == D("0.6667")      # 2 000 / 3 000
    assert overdue_rate(D("1000"), D("1200")) == D("0")           # overdue credit notes: −0.2 clamped to 0
    assert overdue_rate(D("1000"), D("-200")) == D("1")           # 1 200 / 1 000 clamped to 1
    assert overdue_rate(D("0"), D("0")) is None
    assert overdue_rate(D("-100"), D("50")) is None


def test_doubtful_rate():
    assert doubtful_rate(D("1500"), D("20000")) == D("0.0750")    # 1 500 / 20 000
    assert doubtful_rate(D("0"), D("20000")) == D("0")
    assert doubtful_rate(D("25000"), D("20000")) == D("1")        # more doubtful than owed: clamped
    assert doubtful_rate(D("1500"), D("0")) is None
    assert doubtful_rate(D("1500"), D("-1")) is None


def test_collection_effectiveness():
    # (50 000 + 120 000 − 60 000) / (50 000 + 120 000 − 35 000) = 110 000 / 135 000 = 0.814814…
    assert collection_effectiveness(D("50000"), D("120000"), D("60000"), D("35000")) == D("0.8148")
    # everything collectable was collected: closing = closing current
    assert collection_effectiveness(D("50000"), D("120000"), D("35000"), D("35000")) == D("1.0000")
    # closing above opening + sales: a negative numerator is clamped to 0
    assert collection_effectiveness(D("1000"), D("1000"), D("2500"), D("500")) == D("0")
    # inconsistent input (current > closing) pushes above 1: clamped
    assert collection_effectiveness(D("1000"), D("1000"), D("500"), D("800")) == D("1")
    # nothing collectable: 1 000 + 0 − 1 000 = 0
    assert collection_effectiveness(D("1000"), D("0"), D("900"), D("1000")) is None


def test_top_share():
    exposures = [D("5000"), D("2000"), D("1000"), D("1000"), D("1000"), D("600"), D("400"), D("-500")]
    # top 5 = 5 000 + 2 000 + 1 000 × 3 = 10 000; total = 11 000 − 500 = 10 500; 10 000 / 10 500 = 0.95238…
    assert top_share(exposures) == D("0.9524")
    assert top_share(exposures, n=2) == D("0.6667")                # 7 000 / 10 500
    assert top_share(iter(exposures)) == D("0.9524")               # any iterable, read once


def test_top_share_with_fewer_than_five_customers_and_credits():
    assert top_share([D("100"), D("50"), D("30")]) == D("1.0000")  # 180 / 180
    assert top_share([D("300"), D("100"), D("-100")]) == D("1")    # 400 / 300 clamped to 1
    assert top_share([D("100"), D("-100")]) is None                # total 0
    assert top_share([D("-100")]) is None
    assert top_share([]) is None


def test_sales_to_recover():
    assert sales_to_recover(D("1000"), D("0.20")) == D("5000.00")   # 1 000 / 0.20 (DOMAIN.md's example)
    assert sales_to_recover(D("1000"), D("0.30")) == D("3333.33")   # 3 333.333…
    assert sales_to_recover(D("1.01"), D("0.4")) == D("2.53")       # 2.525 -> 2.53 (half-up)
    assert sales_to_recover(D("1000"), D("0")) is None
    assert sales_to_recover(D("1000"), D("-0.1")) is None


_money = st.decimals(min_value=-100000, max_value=100000, places=2, allow_nan=False, allow_infinity=False)


@given(_money, _money, _money, _money)
def test_rates_are_always_within_0_and_1(a, b, c, d):
    for rate in (overdue_rate(a, b), doubtful_rate(a, b), collection_effectiveness(a, b, c, d),
                 top_share([a, b, c, d]), top_share([a, b, c, d], n=1)):
        if rate is not None:
            assert D(0) <= rate <= D(1)
            assert rate == rate.quantize(RATE_PLACES)


@given(st.lists(_money, max_size=12))
def test_top_share_is_none_exactly_when_the_total_is_not_positive(exposures):
    assert (top_share(exposures) is None) == (sum(exposures, D(0)) <= 0)


# --- Payment delays --------------------------------------------------------------------------------------

def paid(amount: str, due: date, delay: int) -> PaidInvoice:
    """An invoice of ``amount`` due on ``due`` and settled ``delay`` days after it (negative: early)."""
    return PaidInvoice(D(amount), due, due + timedelta(days=delay))


def test_average_delay_is_weighted_by_amount_and_signed():
    at = date(2026, 6, 15)
    invoices = [
        paid("1000", date(2026, 3, 1), 30),    # paid 2026-03-31, 30 days late
        paid("3000", date(2026, 4, 1), -3),    # paid 2026-03-29, 3 days early
    ]
    # (1 000 × 30 + 3 000 × −3) / 4 000 = 21 000 / 4 000 = 5.25 -> 5.3
    assert average_delay(invoices, at) == D("5.3")
    # unweighted it would be (30 − 3) / 2 = 13.5: the weights matter
    assert average_delay(invoices[:1], at) == D("30.0")
    assert average_delay(invoices[1:], at) == D("-3.0")


def test_average_delay_window_edges():
    at = date(2026, 6, 15)                                  # window: (2025-12-15, 2026-06-15]
    on_edge = PaidInvoice(D("1000"), date(2025, 9, 6), date(2025, 12, 15))     # 100 days, paid 6 months before
    inside = PaidInvoice(D("1000"), date(2025, 9, 7), date(2025, 12, 16))      # 100 days, the day after
    today = PaidInvoice(D("1000"), date(2026, 6, 5), date(2026, 6, 15))        # 10 days, paid on `at`
    later = PaidInvoice(D("1000"), date(2026, 5, 1), date(2026, 6, 16))        # after `at`
    assert average_delay([on_edge, today, later], at) == D("10.0")     # only `today`
    assert average_delay([inside, today], at) == D("55.0")             # (100 + 10) / 2
    assert average_delay([on_edge, later], at) is None
    assert average_delay([], at) is None
    assert average_delay([inside, today], at, months=3) == D("10.0")   # window (2026-03-15, 2026-06-15]


def test_average_delay_window_from_a_month_end():
    at = date(2026, 8, 31)                                 # 6 months before: 2026-02-28 (no 31 February)
    last_out = PaidInvoice(D("1000"), date(2026, 2, 18), date(2026, 2, 28))    # 10 days, excluded
    first_in = PaidInvoice(D("1000"), date(2026, 2, 19), date(2026, 3, 1))     # 10 days, included
    assert average_delay([last_out], at) is None
    assert average_delay([first_in], at) == D("10.0")


def test_average_delay_ignores_non_positive_amounts():
    at = date(2026, 6, 15)
    invoices = [paid("1000", date(2026, 5, 1), 20), paid("0", date(2026, 3, 1), 90),     # paid 05-21, 05-30
                paid("-500", date(2026, 3, 1), 90)]                                      # paid 05-30
    # counted, the −500 would give (20 000 − 45 000) / 500 = −50
    assert average_delay(invoices, at) == D("20.0")
    assert average_delay(invoices[1:], at) is None


@given(st.lists(st.tuples(st.decimals(min_value="0.01", max_value=100000, places=2, allow_nan=False,
                                      allow_infinity=False),
                          st.integers(min_value=-60, max_value=400)), min_size=1, max_size=20))
def test_average_delay_lies_between_the_shortest_and_longest_delay(rows):
    at = date(2026, 6, 15)
    invoices = [PaidInvoice(amount, at - timedelta(days=delay), at) for amount, delay in rows]
    result = average_delay(invoices, at)
    assert min(delay for _, delay in rows) <= result <= max(delay for _, delay in rows)


def test_delay_trend():
    at = date(2026, 6, 30)               # last 3 months: (2026-03-30, 2026-06-30]; before: (2025-12-30, 2026-03-30]
    invoices = [
        paid("1000", date(2026, 4, 20), 20),     # paid 2026-05-10: recent, 20 days
        paid("1000", date(2026, 2, 5), 5),       # paid 2026-02-10: before, 5 days
        paid("3000", date(2026, 3, 20), 10),     # paid 2026-03-30: before (edge), 10 days
        paid("9000", date(2025, 3, 5), 300),     # paid 2025-12-30: more than 6 months ago, ignored
    ]
    # recent 20.0; before (1 000 × 5 + 3 000 × 10) / 4 000 = 8.75 -> 8.8; trend 20.0 − 8.8 = 11.2
    assert delay_trend(invoices, at) == D("11.2")
    assert delay_trend(iter(invoices), at) == D("11.2")        # a generator is read only once
    # paying earlier now: before 20 days, recent 5 days -> −15.0
    assert delay_trend([paid("1000", date(2026, 1, 1), 20), paid("1000", date(2026, 5, 1), 5)], at) == D("-15.0")
    assert delay_trend(invoices[:1], at) is None               # nothing in the 3 months before
    assert delay_trend(invoices[1:], at) is None               # nothing in the last 3 months


def test_monthly_delays():
    invoices = [
        PaidInvoice(D("1000"), date(2026, 1, 5), date(2026, 1, 15)),     # January: 10 days
        PaidInvoice(D("3000"), date(2026, 1, 1), date(2026, 1, 31)),     # January: 30 days
        PaidInvoice(D("2000"), date(2026, 3, 1), date(2026, 3, 10)),     # March, on `at`: 9 days
        PaidInvoice(D("5000"), date(2026, 3, 1), date(2026, 3, 12)),     # March, after `at`: left out
        PaidInvoice(D("5000"), date(2025, 12, 1), date(2025, 12, 31)),   # December: outside 3 months
    ]
    assert monthly_delays(invoices, AT, months=3) == [
        (date(2026, 1, 1), D("25.0")),      # (1 000 × 10 + 3 000 × 30) / 4 000
        (date(2026, 2, 1), None),           # nothing paid in February
        (date(2026, 3, 1), D("9.0")),
    ]
    points = monthly_delays(iter(invoices), AT)
    assert [first for first, _ in points] == [date(*month, 1) for month in reversed(months_back(AT, 12))]
    assert points[-4] == (date(2025, 12, 1), D("30.0"))
    assert sum(delay is not None for _, delay in points) == 3


# --- Working capital -------------------------------------------------------------------------------------

def test_working_capital_worked_example():
    result = working_capital(receivables=D("240000"), sales_ht=D("1000000"), purchases_ht=D("500000"),
                             stocks=D("50000"), payables=D("90000"))
    assert result == WorkingCapital(
        dso=D("73.0"),          # 240 000 / (1 000 000 × 1.20) × 365 = 0.2 × 365
        dpo=D("54.8"),          # 90 000 / (500 000 × 1.20) × 365 = 0.15 × 365 = 54.75 -> 54.8
        dio=D("36.5"),          # 50 000 / 500 000 × 365 (cost of sales ≈ purchases)
        bfr_days=D("73.0"),     # 200 000 / 1 000 000 × 365
        bfr=D("200000"),        # 50 000 + 240 000 − 90 000
    )


def test_working_capital_vat_rate_and_period_length():
    # 18-month first year (2025-01-01 to 2026-06-30 = 365 + 181 = 546 days), 1 500 000 HT of sales:
    # DSO = 240 000 / (1 500 000 × 1.20) × 546 = 72.8
    assert working_capital(D("240000"), D("1500000"), D("500000"), D("0"), D("0"), days=546).dso == D("72.8")
    # no VAT (exempt business): DSO = 240 000 / 1 000 000 × 365 = 87.6; DPO = 90 000 / 500 000 × 365 = 65.7
    exempt = working_capital(D("240000"), D("1000000"), D("500000"), D("50000"), D("90000"), vat_rate=D("0"))
    assert (exempt.dso, exempt.dpo, exempt.dio) == (D("87.6"), D("65.7"), D("36.5"))


def test_working_capital_without_flows():
    result = working_capital(D("10000"), D("0"), D("0"), D("5000"), D("20000"))
    assert result == WorkingCapital(dso=None, dpo=None, dio=None, bfr_days=None, bfr=D("-5000"))
    # a negative BFR (suppliers finance the business) is a real figure: −5 000 / 100 000 × 365 = −18.25
    assert working_capital(D("10000"), D("100000"), D("0"), D("5000"), D("20000")).bfr_days == D("-18.3")
