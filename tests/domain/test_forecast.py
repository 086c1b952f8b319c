"""The 13-week cash forecast (DOMAIN.md "Cash-flow forecast"): weeks, expected dates, confidence, balance."""

from datetime import date, timedelta
from decimal import Decimal as D

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.domain.forecast import (CONFIDENCE_LABELS, CONFIDENCES, DOUBTFUL, Debit, Outflow, Receivable, confidence,
                                 expected_date, forecast, in_doubt, net_of_credits, recurring_outflows, week_start)

AT = date(2026, 11, 25)       # a Wednesday
MONDAY = date(2026, 11, 23)   # its week's Monday


def test_week_start():
    assert week_start(MONDAY) == MONDAY
    assert week_start(AT) == MONDAY
    assert week_start(date(2026, 11, 29)) == MONDAY              # Sunday: same week
    assert week_start(date(2026, 11, 30)) == date(2026, 11, 30)
    assert week_start(date(2027, 1, 1)) == date(2026, 12, 28)    # a Friday: its Monday is in the old year
    assert week_start(date(2027, 1, 3)) == date(2026, 12, 28)


@pytest.mark.parametrize(("delay", "expected"), [
    ("0", date(2026, 12, 28)),
    ("0.4", date(2026, 12, 28)),
    ("2.5", date(2026, 12, 31)),    # half-up: 3 days
    ("4", date(2027, 1, 1)),        # across the year end
    ("-2.4", date(2026, 12, 26)),   # pays early: 2 days before
    ("-2.5", date(2026, 12, 25)),   # half away from zero: 3 days before
])
def test_expected_date(delay, expected):
    assert expected_date(Receivable(date(2026, 12, 28), D("100.00"), D(delay), "A")) == expected


@pytest.mark.parametrize(("grade", "expected"), [
    ("A", "sure"), ("B", "sure"), ("C", "probable"), ("D", "uncertain"), ("E", "uncertain"),
    ("", "uncertain"),   # not scored yet: not counted on
])
def test_confidence_by_grade(grade, expected):
    assert confidence(Receivable(date(2026, 12, 1), D("100.00"), D(0), grade), AT) == expected


def test_confidence_after_90_days_late():
    ninety = AT - timedelta(days=90)            # 27 Aug 2026
    assert confidence(Receivable(ninety, D("100.00"), D(0), "A"), AT) == "probable"
    assert confidence(Receivable(ninety - timedelta(days=1), D("100.00"), D(0), "A"), AT) == "uncertain"
    assert confidence(Receivable(ninety - timedelta(days=1), D("100.00"), D(0), "C"), AT) == "uncertain"


def test_a_single_invoice_35_days_late_with_no_promise_is_not_sure():
    """An A customer's only invoice, due 21/10/2026, 35 days late on 25/11/2026 (no history: expected on its
    due date, so this week): probable, not sure; 30 days late it still is sure (the 1–30 days bucket)."""
    late = Receivable(AT - timedelta(days=35), D("1200.00"), D(0), "A")
    assert confidence(late, AT) == "probable"
    assert forecast([late], AT)[0].by_confidence == {"sure": D(0), "probable": D("1200.00"), "uncertain": D(0)}
    assert confidence(late._replace(due=AT - timedelta(days=30)), AT) == "sure"


def test_a_promise_to_pay_running_keeps_a_late_invoice_sure_and_dates_it():
    """The same invoice with a promise to pay on 09/12/2026: expected that day (week 3), sure again; once
    the promised day has passed unpaid, it is only probable (and this week's, by its due date)."""
    promised = Receivable(AT - timedelta(days=35), D("1200.00"), D(0), "A", promised_on=date(2026, 12, 9))
    assert expected_date(promised) == date(2026, 12, 9) and confidence(promised, AT) == "sure"
    weeks = forecast([promised], AT)
    assert weeks[0].expected == D(0) and weeks[2].by_confidence["sure"] == D("1200.00")
    broken = promised._replace(promised_on=date(2026, 11, 20))
    assert confidence(broken, AT) == "probable"
    assert forecast([broken], AT)[0].by_confidence["probable"] == D("1200.00")


def test_an_invoice_in_litigation_or_time_barred_is_doubtful_never_expected():
    """On 25/11/2026: F1 of an A customer sent to litigation (or disputed, or marked doubtful), due in two
    weeks; F2 due 24/11/2021, time-barred since 24/11/2026 between merchants (L110-4); F3 of a consumer due
    25/11/2024, time-barred that very day (L218-2). None in any week, nor in the balance: 600 + 300 + 50
    € of « Douteux ». F4 due 26/11/2021 is not barred yet: uncertain (over 90 days late), in this week."""
    items = [Receivable(date(2026, 12, 9), D("600.00"), D(0), "A", in_litigation=True),
             Receivable(date(2021, 11, 24), D("300.00"), D(0), "A"),
             Receivable(date(2024, 11, 25), D("50.00"), D(0), "B", consumer=True),
             Receivable(date(2021, 11, 26), D("80.00"), D(0), "A")]
    assert [confidence(item, AT) for item in items] == [DOUBTFUL, DOUBTFUL, DOUBTFUL, "uncertain"]
    weeks = forecast(items, AT, opening_balance=D("1000.00"))
    assert weeks[0].by_confidence == {"sure": D(0), "probable": D(0), "uncertain": D("80.00")}
    assert sum(w.expected for w in weeks) == D("80.00") and weeks[-1].balance == D("1080.00")
    assert in_doubt(items, AT) == D("950.00")


def test_forecast_judges_the_90_days_at_its_own_date():
    late = Receivable(AT - timedelta(days=91), D("100.00"), D(0), "A")   # 89 days late on Monday, 91 on `at`
    assert forecast([late], AT)[0].by_confidence["uncertain"] == D("100.00")


def test_labels_in_french():
    assert [CONFIDENCE_LABELS[c] for c in (*CONFIDENCES, DOUBTFUL)] == ["Sûr", "Probable", "Incertain", "Douteux"]


def test_weeks_are_consecutive_mondays():
    weeks = forecast([], AT)
    assert len(weeks) == 13
    assert [w.week_start for w in weeks] == [MONDAY + timedelta(weeks=i) for i in range(13)]
    assert weeks[-1].week_start == date(2027, 2, 15)
    assert all(w.by_confidence == {"sure": 0, "probable": 0, "uncertain": 0} for w in weeks)


def test_hand_made_forecast():
    items = [
        Receivable(date(2026, 10, 1), D("300.00"), D(10), "C"),      # expected 11 Oct: late -> week 1
        Receivable(date(2026, 11, 20), D("200.00"), D(5), "A"),      # 25 Nov -> week 1
        Receivable(date(2026, 12, 1), D("1000.00"), D(-1), "B"),     # 30 Nov (Monday) -> week 2
        Receivable(date(2026, 11, 30), D("400.00"), D("6.5"), "D"),  # + 7 = 7 Dec -> week 3
        Receivable(date(2026, 12, 1), D("-150.00"), D(0), "A"),      # credit note: not a receipt
        Receivable(date(2026, 12, 1), D("0.00"), D(0), "A"),         # nothing due
        Receivable(date(2026, 7, 1), D("500.00"), D(0), "A"),        # 147 days late: uncertain, week 1
        Receivable(date(2027, 2, 21), D("700.00"), D(0), "A"),       # Sunday of week 13: last one kept
        Receivable(date(2027, 2, 22), D("800.00"), D(0), "A"),       # Monday after week 13: left out
    ]
    weeks = forecast(items, AT)
    assert weeks[0].by_confidence == {"sure": D("200.00"), "probable": D("300.00"), "uncertain": D("500.00")}
    assert weeks[0].expected == D("1000.00")    # 200 + 300 + 500
    assert weeks[1].by_confidence == {"sure": D("1000.00"), "probable": D(0), "uncertain": D(0)}
    assert weeks[2].by_confidence == {"sure": D(0), "probable": D(0), "uncertain": D("400.00")}
    assert weeks[12].expected == D("700.00")
    assert sum(w.expected for w in weeks) == D("3100.00")   # 1000 + 1000 + 400 + 700; 800 beyond
    assert all(w.balance is None for w in weeks)             # no opening balance known
    assert all(w.outflows == 0 for w in weeks)


def test_balance_runs_with_outflows():
    items = [Receivable(date(2026, 11, 27), D("500.00"), D(0), "A"),   # week 1
             Receivable(date(2026, 12, 9), D("250.00"), D(0), "C")]    # week 3
    outflows = [
        Outflow(date(2026, 11, 20), D("999.00")),   # before the first week: already in the opening balance
        Outflow(date(2026, 11, 23), D("800.00")),   # week 1
        Outflow(date(2026, 12, 4), D("300.00")),    # week 2
        Outflow(date(2026, 12, 6), D("100.00")),    # week 2 (Sunday)
        Outflow(date(2027, 2, 22), D("5000.00")),   # after week 13: left out
    ]
    weeks = forecast(items, AT, opening_balance=D("1000.00"), outflows=outflows)
    assert [w.outflows for w in weeks[:3]] == [D("800.00"), D("400.00"), D(0)]
    assert [w.balance for w in weeks[:4]] == [
        D("700.00"),    # 1000 + 500 - 800
        D("300.00"),    # 700 - 400
        D("550.00"),    # 300 + 250
        D("550.00"),
    ]
    assert weeks[-1].balance == D("550.00")


def test_number_of_weeks():
    item = Receivable(date(2026, 12, 10), D("100.00"), D(0), "A")   # week 3
    assert [w.expected for w in forecast([item], AT, weeks=3)] == [D(0), D(0), D("100.00")]
    assert [w.expected for w in forecast([item], AT, weeks=2)] == [D(0), D(0)]
    assert forecast([item], AT, weeks=0) == []
    with pytest.raises(ValueError):
        forecast([item], AT, weeks=-1)


items_strategy = st.lists(st.builds(
    Receivable,
    due=st.dates(date(2026, 1, 1), date(2027, 6, 30)),
    amount=st.integers(-100_000, 1_000_000).map(lambda c: D(c) / 100),
    usual_delay=st.integers(-3000, 12_000).map(lambda t: D(t) / 100),
    grade=st.sampled_from(["A", "B", "C", "D", "E"]),
), max_size=30)


@given(items_strategy, st.dates(date(2026, 6, 1), date(2027, 3, 31)), st.integers(1, 20))
def test_receipts_add_up_to_what_is_expected_before_the_end(items, at, weeks):
    result = forecast(items, at, weeks=weeks)
    end = week_start(at) + timedelta(weeks=weeks)
    hoped = [i for i in items if i.amount > 0 and confidence(i, at) != DOUBTFUL]
    assert sum(w.expected for w in result) == sum((i.amount for i in hoped if expected_date(i) < end), D(0))
    assert in_doubt(items, at) == sum((i.amount for i in items if i.amount > 0) , D(0)) - sum(
        (i.amount for i in hoped), D(0))
    assert all(w.expected == sum(w.by_confidence.values()) for w in result)
    assert all(set(w.by_confidence) == set(CONFIDENCES) for w in result)


@given(items_strategy, st.dates(date(2026, 6, 1), date(2027, 3, 31)),
       st.lists(st.builds(Outflow, st.dates(date(2026, 1, 1), date(2027, 9, 30)),
                          st.integers(0, 1_000_000).map(lambda c: D(c) / 100)), max_size=10))
def test_last_balance_is_opening_plus_receipts_minus_outflows(items, at, outflows):
    result = forecast(items, at, opening_balance=D("1234.56"), outflows=outflows)
    first, end = week_start(at), week_start(at) + timedelta(weeks=13)
    spent = sum((o.amount for o in outflows if first <= o.on < end), D(0))
    assert result[-1].balance == D("1234.56") + sum(w.expected for w in result) - spent


# known outflows: the debits that come back every month ------------------------------------------------------

def test_a_monthly_debit_is_projected_on_its_day_at_its_last_amount():
    """Rent paid on the 5th in September (1 180 €) and October (1 200 €): seen in 2 of the 3 months before
    November, it is expected on the 5th of each month of the 13 weeks from Monday 23/11/2026 (to 21/02/2027):
    05/12, 05/01, 05/02, at the last amount, 1 200 €. The 5th of November is before the first week: already
    in the balance the statement gives, or not yet known, it is not projected."""
    debits = [Debit(date(2026, 9, 5), D("1180.00"), "PRLV SEPA LOYER SCI DES LILAS 09/2026"),
              Debit(date(2026, 10, 5), D("1200.00"), "PRLV SEPA LOYER SCI DES LILAS 10/2026")]
    assert recurring_outflows(debits, date(2026, 11, 23)) == [
        Outflow(date(2026, 12, 5), D("1200.00")), Outflow(date(2027, 1, 5), D("1200.00")),
        Outflow(date(2027, 2, 5), D("1200.00"))]


def test_a_one_off_or_old_debit_is_not_projected():
    """A debit seen in one month only, or in months more than three before ``at``'s, says nothing of the
    weeks ahead."""
    debits = [Debit(date(2026, 10, 12), D("49.90"), "CB BOULANGERIE MARTIN"),
              Debit(date(2026, 5, 3), D("300.00"), "PRLV ASSURANCE"), Debit(date(2026, 6, 3), D("300.00"),
                                                                         "PRLV ASSURANCE")]
    assert recurring_outflows(debits, date(2026, 11, 23)) == []


def test_a_debit_of_the_31st_falls_on_the_last_day_of_shorter_months():
    """Salaries paid on 31/08 and 30/09 and 31/10 (last seen the 31st): expected 30/11, 31/12, 31/01 and, in
    February, on the 28th... but 28/02/2027 is after the 13 weeks from 23/11 (the last week starts 15/02 and
    ends 21/02), so three of them."""
    debits = [Debit(date(2026, m, d), D("5400.00"), "VIR SALAIRES") for m, d in ((8, 31), (9, 30), (10, 31))]
    assert [o.on for o in recurring_outflows(debits, date(2026, 11, 23))] == [
        date(2026, 11, 30), date(2026, 12, 31), date(2027, 1, 31)]


def test_projected_outflows_lower_the_balance_of_their_week():
    """Opening 10 000 €, no receipt, the rent of 1 200 € on Saturday 05/12/2026: the week of Monday 30/11 ends
    at 8 800 €, and so do the following ones until the next rent (week of 04/01/2027: 7 600 €)."""
    debits = [Debit(date(2026, 9, 5), D("1200.00"), "LOYER"), Debit(date(2026, 10, 5), D("1200.00"), "LOYER")]
    weeks = forecast([], date(2026, 11, 23), D("10000.00"), recurring_outflows(debits, date(2026, 11, 23)))
    assert [w.balance for w in weeks[:7]] == [D("10000.00"), D("8800.00"), D("8800.00"), D("8800.00"),
                                             D("8800.00"), D("8800.00"), D("7600.00")]


def test_money_already_received_is_not_expected_again():
    """Customer 1 owes 300 € due 01/10 and 500 € due 01/11, and has paid 350 € not yet allocated: the 300 €
    is covered and 450 € of the 500 € remain to come (350 − 300 = 50 taken off it). Customer 2's credit note
    of 80 € is more than its 60 € invoice: nothing is expected from it. Customer 3 has no credit."""
    items = [(1, date(2026, 11, 1), 50000), (1, date(2026, 10, 1), 30000), (1, date(2026, 11, 5), -35000),
             (2, date(2026, 12, 1), 6000), (2, date(2026, 9, 1), -8000), (3, date(2026, 12, 15), 12000)]
    assert net_of_credits(items) == [(1, date(2026, 11, 1), 45000), (3, date(2026, 12, 15), 12000)]
    # what the caller keeps of each item follows it: customer 1's 300 € in litigation is paid off first
    flagged = [(*item, item[1] == date(2026, 10, 1)) for item in items]
    assert net_of_credits(flagged) == [(1, date(2026, 11, 1), 45000, False), (3, date(2026, 12, 15), 12000, False)]
