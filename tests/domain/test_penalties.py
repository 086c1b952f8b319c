"""Late penalties (L441-10, D441-5), each figure computed by hand in the test. Shipped rates (resources):
ECB 3,15 % in H1 2025, 2,15 % in H2 2025 and H1 2026; legal rate "other cases" 2,62 % and for private
persons 6,67 % in H1 2026 (owed to a private creditor: never ours)."""

from datetime import date, timedelta
from decimal import Decimal as D

import pytest
from hypothesis import given, strategies as st

from app.domain.penalties import (INDEMNITY, PENALTY_CLAUSE, HalfYearRates, MissingRate, RateTable, claims_penalties,
                                  half_year_start, penalties)
from app.domain.vocabulary import DunningStep

TABLE = RateTable([
    HalfYearRates(date(2025, 1, 1), D("3.15"), D("3.71"), D("7.21")),
    HalfYearRates(date(2025, 7, 1), D("2.15"), D("2.76"), D("6.65")),
    HalfYearRates(date(2026, 1, 1), D("2.15"), D("2.62"), D("6.67")),
])


def test_across_a_half_year_the_rate_changes_on_1_july():
    owed = penalties(D("10000.00"), date(2025, 6, 15), date(2025, 7, 20), TABLE)
    # 16/06–30/06: 15 days at 3,15 + 10 = 13,15 %: 10 000 × 0,1315 × 15 / 365 = 54,0410… -> 54,04
    # 01/07–20/07: 20 days at 2,15 + 10 = 12,15 %: 10 000 × 0,1215 × 20 / 365 = 66,5753… -> 66,58
    assert [(p.start, p.end, p.days, p.rate, p.interest) for p in owed.periods] == [
        (date(2025, 6, 16), date(2025, 6, 30), 15, D("13.15"), D("54.04")),
        (date(2025, 7, 1), date(2025, 7, 20), 20, D("12.15"), D("66.58"))]
    assert (owed.days_late, owed.principal, owed.interest, owed.indemnity, owed.total) == (
        35, D("10000.00"), D("120.62"), D("40.00"), D("160.62"))


def test_a_partial_payment_stops_the_interest_on_what_it_paid_at_its_date():
    owed = penalties(D("10000.00"), date(2025, 6, 15), date(2025, 7, 20), TABLE,
                     payments=[(date(2025, 7, 10), D("4000.00"))])
    # the 4 000 paid on 10/07 bear 25 days (16/06–10/07), the 6 000 left 35 days:
    # 16/06–30/06 on 10 000 at 13,15 %: 54,04 (as above)
    # 01/07–10/07 on 10 000 at 12,15 %: 10 000 × 0,1215 × 10 / 365 = 33,2876… -> 33,29
    # 11/07–20/07 on  6 000 at 12,15 %:  6 000 × 0,1215 × 10 / 365 = 19,9726… -> 19,97
    assert [(p.amount, p.days, p.interest) for p in owed.periods] == [
        (D("10000.00"), 15, D("54.04")), (D("10000.00"), 10, D("33.29")), (D("6000.00"), 10, D("19.97"))]
    assert (owed.principal, owed.interest, owed.total) == (D("6000.00"), D("107.30"), D("147.30"))


def test_an_invoice_paid_late_in_full_owes_interest_up_to_its_payment_and_the_indemnity():
    owed = penalties(D("1000.00"), date(2025, 3, 1), date(2025, 4, 1), TABLE,
                     payments=[(date(2025, 3, 11), D("1000.00"))])
    # 02/03–11/03: 10 days at 13,15 %: 1 000 × 0,1315 × 10 / 365 = 3,6027… -> 3,60
    assert (owed.principal, owed.days_late, owed.interest, owed.indemnity) == (D("0"), 10, D("3.60"), D("40.00"))


def test_an_agreed_rate_is_never_below_three_times_the_legal_rate():
    low = penalties(D("1000.00"), date(2026, 1, 31), date(2026, 3, 2), TABLE, agreed_rate=D("5"))
    # 3 × 2,62 = 7,86 % > 5 %: 01/02–02/03 is 30 days, 1 000 × 0,0786 × 30 / 365 = 6,4602… -> 6,46
    assert [(p.rate, p.days, p.interest) for p in low.periods] == [(D("7.86"), 30, D("6.46"))]
    high = penalties(D("1000.00"), date(2026, 1, 31), date(2026, 3, 2), TABLE, agreed_rate=D("15"))
    # 1 000 × 0,15 × 30 / 365 = 12,3287… -> 12,33
    assert [(p.rate, p.interest) for p in high.periods] == [(D("15"), D("12.33"))]


def test_a_consumer_owes_the_legal_rate_from_the_formal_notice_and_no_indemnity():
    owed = penalties(D("1000.00"), date(2025, 12, 1), date(2026, 2, 9), TABLE, consumer=True,
                     formal_notice=date(2026, 1, 10))
    # the legal rate "autres cas" (the creditor is a business, CMF L313-2), not the private persons' 6,67 %:
    # 11/01–09/02: 30 days at 2,62 %: 1 000 × 0,0262 × 30 / 365 = 2,1534… -> 2,15
    assert [(p.start, p.days, p.rate, p.interest) for p in owed.periods] == [
        (date(2026, 1, 11), 30, D("2.62"), D("2.15"))]
    assert (owed.indemnity, owed.total) == (D("0"), D("2.15"))
    before_notice = penalties(D("1000.00"), date(2025, 12, 1), date(2026, 2, 9), TABLE, consumer=True)
    assert (before_notice.days_late, before_notice.periods, before_notice.total) == (70, (), D("0"))


def test_not_late_owes_nothing():
    for at in (date(2026, 1, 31), date(2026, 1, 2)):
        owed = penalties(D("1000.00"), date(2026, 1, 31), at, TABLE)
        assert (owed.days_late, owed.periods, owed.total) == (0, (), D("0"))


def test_a_missing_half_year_is_asked_never_guessed():
    with pytest.raises(MissingRate) as error:
        penalties(D("1000.00"), date(2026, 5, 31), date(2026, 11, 23), TABLE)
    assert error.value.starts == [date(2026, 7, 1)]
    assert "2e semestre 2026" in str(error.value) and "Paramètres" in str(error.value)
    with pytest.raises(MissingRate) as error:
        penalties(D("1000.00"), date(2024, 5, 31), date(2025, 1, 15), TABLE)
    assert [half_year_start(day) for day in error.value.starts] == [date(2024, 1, 1), date(2024, 7, 1)]


@given(cents=st.integers(1, 10**9), due=st.dates(date(2025, 1, 1), date(2026, 6, 29)),
       late=st.integers(0, 400), paid_cents=st.integers(0, 10**9), paid_after=st.integers(0, 400))
def test_properties_days_add_up_and_paying_earlier_never_costs_more(cents, due, late, paid_cents, paid_after):
    """Every late day is in exactly one period; a payment lowers the interest, the earlier the more."""
    at = min(due + timedelta(days=late), date(2026, 6, 30))
    amount, part = D(cents).scaleb(-2), D(min(paid_cents, cents)).scaleb(-2)
    alone = penalties(amount, due, at, TABLE)
    assert sum(p.days for p in alone.periods) == alone.days_late == max((at - due).days, 0)
    paid_on = min(due + timedelta(days=paid_after), at)
    later = min(paid_on + timedelta(days=10), at)
    early = penalties(amount, due, at, TABLE, payments=[(paid_on, part)])
    late_ = penalties(amount, due, at, TABLE, payments=[(later, part)])
    assert early.interest <= late_.interest <= alone.interest


def test_payments_beyond_the_amount_end_the_lateness_the_day_it_was_paid_in_full():
    owed = penalties(D("1000.00"), date(2025, 3, 1), date(2025, 5, 1), TABLE,
                     payments=[(date(2025, 3, 31), D("1000.00")), (date(2025, 4, 28), D("100.00"))])
    # paid in full on 31/03 (30 days): 1 000 × 13,15 % × 30 / 365 = 10,8082… -> 10,81; the extra 100 changes nothing
    assert (owed.days_late, [(p.amount, p.days) for p in owed.periods], owed.interest) == (
        30, [(D("1000.00"), 30)], D("10.81"))


def test_a_public_buyer_owes_ecb_plus_8_points_and_the_indemnity():
    owed = penalties(D("1000.00"), date(2025, 9, 1), date(2025, 10, 1), TABLE, public_body=True, agreed_rate=D("15"))
    # Code de la commande publique R2192-31: ECB 2,15 % + 8 = 10,15 %, whatever the terms say:
    # 1 000 × 0,1015 × 30 / 365 = 8,3424… -> 8,34
    assert [(p.rate, p.days, p.interest) for p in owed.periods] == [(D("10.15"), 30, D("8.34"))]
    assert owed.indemnity == D("40.00")


def test_which_letters_claim_penalties_and_the_clause_quote_the_one_indemnity():
    # from the 2nd reminder on for a business; a consumer's interest runs from the formal notice only
    assert [step for step in DunningStep if claims_penalties(step, consumer=False)] == [
        DunningStep.SECOND_REMINDER, DunningStep.FORMAL_NOTICE, DunningStep.LITIGATION]
    assert [step for step in DunningStep if claims_penalties(step, consumer=True)] == [
        DunningStep.FORMAL_NOTICE, DunningStep.LITIGATION]
    assert INDEMNITY == D("40.00")
    assert "majoré de 10 points" in PENALTY_CLAUSE and "recouvrement de 40 € (art. L441-10" in PENALTY_CLAUSE
