"""The risk score (DOMAIN.md "Risk score"): hand-computed examples, each factor's edges, the classes, and
properties (bounds, sum of the factors, monotonic in the payment delay and the overdue amount)."""

from datetime import date, timedelta
from decimal import Decimal as D

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.domain.money import format_eur
from app.domain.scoring import GRADES, Factor, Score, ScoreInput, grade_of, score

AT = date(2026, 11, 23)
KEYS = ("delay", "trend", "overdue", "limit", "cover", "disputes", "seniority", "segment", "rating")


def base(**changes) -> ScoreInput:
    """A customer who scores 0 on every factor but its segment (public body: 1 point): pays on time for
    nearly 4 years and owes nothing."""
    data = ScoreInput(at=AT, average_delay=D(0), delay_trend=D(0), exposure=D("0.00"), overdue=D("0.00"),
                      credit_limit=None, cover=None, open_disputes=0, customer_since=date(2023, 1, 1),
                      segment="public", external_rating="")
    return data._replace(**changes)


def points(data: ScoreInput, key: str) -> int:
    return factor(data, key).points


def factor(data: ScoreInput, key: str) -> Factor:
    return next(f for f in score(data).factors if f.key == key)


def test_hand_computed_customer():
    data = ScoreInput(
        at=AT, average_delay=D("18.5"), delay_trend=D("4.5"), exposure=D("10000.00"), overdue=D("2500.00"),
        credit_limit=D("16000.00"), cover=D("6000.00"), open_disputes=1, customer_since=date(2025, 2, 10),
        segment="private", external_rating="c")
    result = score(data)
    assert [(f.key, f.points) for f in result.factors] == [
        ("delay", 9),       # 18.5 / 60 × 30 = 9.25 -> 9
        ("trend", 2),       # 4.5 / 30 × 10 = 1.5 -> 2 (half-up)
        ("overdue", 5),     # 2 500 / 10 000 = 25 % × 20 = 5
        ("limit", 3),       # 10 000 / 16 000 = 62.5 %; (62.5 - 50) / 50 × 10 = 2.5 -> 3
        ("cover", 4),       # (10 000 - 6 000) / 10 000 = 40 % uncovered × 10 = 4
        ("disputes", 5),    # 1 dispute
        ("seniority", 1),   # 10 Feb 2025 -> 23 Nov 2026: 21 whole months, < 24
        ("segment", 3),     # private business
        ("rating", 5),      # "c" read as C
    ]
    assert result.points == 37   # 9 + 2 + 5 + 3 + 4 + 5 + 1 + 3 + 5
    assert result.grade == "B"
    details = {f.key: f.detail for f in result.factors}
    assert details["delay"] == "payé en moyenne 18,5 jours après l'échéance"
    assert details["trend"] == "paie 4,5 jours plus tard que les 3 mois précédents"
    assert details["overdue"] == f"{format_eur(D('2500'))} en retard sur {format_eur(D('10000'))} dus (25\u00a0%)"
    assert details["seniority"] == "client depuis 21 mois"
    assert details["rating"] == "note saisie : C"


def test_worst_customer_is_capped_at_100():
    data = ScoreInput(
        at=AT, average_delay=D(75), delay_trend=D(40), exposure=D("5000.00"), overdue=D("5000.00"),
        credit_limit=D("4000.00"), cover=None, open_disputes=4, customer_since=None, segment="consumer",
        external_rating="5")
    result = score(data)
    # 30 + 10 + 20 + 15 + 10 + 10 + 5 + 5 + 10 = 115, capped
    assert [f.points for f in result.factors] == [30, 10, 20, 15, 10, 10, 5, 5, 10]
    assert result == Score(100, "E", result.factors)


def test_new_customer_without_history():
    data = base(average_delay=None, delay_trend=None, customer_since=AT - timedelta(days=10))
    result = score(data)
    # delay neutral 8 + seniority 5 + public body 1 = 14
    assert [f.points for f in result.factors] == [8, 0, 0, 0, 0, 0, 5, 1, 0]
    assert (result.points, result.grade) == (14, "A")
    assert factor(data, "delay").detail == "pas encore d'historique de paiement"


def test_every_factor_listed_in_a_fixed_order_with_its_maximum():
    result = score(base())
    assert tuple(f.key for f in result.factors) == KEYS
    assert [f.maximum for f in result.factors] == [30, 10, 20, 15, 10, 10, 5, 5, 10]
    assert all(f.label and f.detail for f in result.factors)
    assert result.points == 1 and result.grade == "A"    # only the public body's 1 point


@pytest.mark.parametrize(("delay", "expected"), [
    (None, 8), ("-5", 0), ("0", 0),
    ("1", 1),       # 0.5 -> 1: half-up, not half-even
    ("3", 2),       # 1.5 -> 2
    ("20", 10), ("59", 30),  # 29.5 -> 30
    ("60", 30), ("200", 30),
])
def test_delay_points(delay, expected):
    assert points(base(average_delay=None if delay is None else D(delay)), "delay") == expected


@pytest.mark.parametrize(("delay", "detail"), [
    ("-3", "payé en moyenne 3 jours avant l'échéance"),
    ("0.04", "payé en moyenne à l'échéance"),
    ("1", "payé en moyenne 1 jour après l'échéance"),
    ("2", "payé en moyenne 2 jours après l'échéance"),
    ("12.25", "payé en moyenne 12,3 jours après l'échéance"),
])
def test_delay_detail(delay, detail):
    assert factor(base(average_delay=D(delay)), "delay").detail == detail


@pytest.mark.parametrize(("trend", "expected"), [
    (None, 0), ("-10", 0), ("0", 0), ("1.5", 1), ("15", 5), ("30", 10), ("45", 10),
])
def test_trend_points(trend, expected):
    assert points(base(delay_trend=None if trend is None else D(trend)), "trend") == expected


@pytest.mark.parametrize(("exposure", "overdue", "expected"), [
    ("0", "0", 0), ("-100", "50", 0),        # nothing owed: no share
    ("4000", "0", 0), ("4000", "1000", 5),   # 25 % × 20
    ("40", "1", 1),                          # 2.5 % × 20 = 0.5 -> 1
    ("4000", "4000", 20), ("4000", "5000", 20),
])
def test_overdue_points(exposure, overdue, expected):
    assert points(base(exposure=D(exposure), overdue=D(overdue)), "overdue") == expected


@pytest.mark.parametrize(("exposure", "limit", "expected"), [
    ("5000", None, 0),
    ("5000", "10000", 0),        # 50 %: not yet counted
    ("7500", "10000", 5),        # (75 - 50) / 50 × 10
    ("10000", "10000", 10),      # at the limit
    ("10000.01", "10000", 15),   # over it
    ("1", "0", 15), ("0", "0", 0),
])
def test_limit_points(exposure, limit, expected):
    data = base(exposure=D(exposure), credit_limit=None if limit is None else D(limit))
    assert points(data, "limit") == expected


def test_limit_detail_says_over_the_limit():
    detail = factor(base(exposure=D("12000"), credit_limit=D("10000")), "limit").detail
    assert detail == f"{format_eur(D('12000'))} dus : au-delà de la limite de {format_eur(D('10000'))}"


@pytest.mark.parametrize(("exposure", "cover", "expected"), [
    ("0", None, 0),
    ("10000", None, 10), ("10000", "0", 10), ("10000", "-5", 10),
    ("10000", "7500", 3),        # 25 % uncovered × 10 = 2.5 -> 3
    ("10000", "10000", 0), ("10000", "20000", 0),
])
def test_cover_points(exposure, cover, expected):
    assert points(base(exposure=D(exposure), cover=None if cover is None else D(cover)), "cover") == expected


@pytest.mark.parametrize("cover", [None, "0", "-5"])
def test_no_cover_detail(cover):
    detail = factor(base(exposure=D("10000"), cover=None if cover is None else D(cover)), "cover").detail
    assert detail == f"aucune garantie : {format_eur(D('10000'))} non couverts"


def test_partial_cover_detail():
    detail = factor(base(exposure=D("10000"), cover=D("7500")), "cover").detail
    assert detail == f"{format_eur(D('2500'))} non couverts sur {format_eur(D('10000'))} dus (25\u00a0%)"


@pytest.mark.parametrize(("count", "expected", "detail"), [
    (-1, 0, "aucun litige en cours"), (0, 0, "aucun litige en cours"), (1, 5, "1 litige en cours"),
    (2, 8, "2 litiges en cours"), (3, 10, "3 litiges en cours"), (7, 10, "7 litiges en cours"),
])
def test_dispute_points(count, expected, detail):
    found = factor(base(open_disputes=count), "disputes")
    assert (found.detail, found.points) == (detail, expected)


@pytest.mark.parametrize(("since", "expected"), [
    (None, 5),
    (date(2026, 12, 1), 5),      # in the future: new
    (date(2026, 11, 23), 5),     # today
    (date(2026, 5, 24), 5),      # 5 months and 30 days
    (date(2026, 5, 23), 3),      # 6 months
    (date(2025, 11, 24), 3),     # 11 months
    (date(2025, 11, 23), 1),     # 12 months
    (date(2024, 11, 24), 1),     # 23 months
    (date(2024, 11, 23), 0),     # 24 months
])
def test_seniority_points(since, expected):
    assert points(base(customer_since=since), "seniority") == expected


def test_seniority_detail_in_years():
    assert factor(base(customer_since=date(2020, 1, 1)), "seniority").detail == "client depuis 6 ans"


@pytest.mark.parametrize(("segment", "expected"), [
    ("public", 1), ("key_account", 1), ("private", 3), ("consumer", 5), ("unknown", 3),
])
def test_segment_points(segment, expected):
    assert points(base(segment=segment), "segment") == expected


@pytest.mark.parametrize(("rating", "expected"), [
    ("", 0), ("A", 0), ("1", 0), ("B", 2), ("2", 2), ("C", 5), ("3", 5), ("D", 8), (" d ", 8), ("4", 8),
    ("E", 10), ("5", 10),
    ("F", 0), ("0", 0), ("6", 0), ("AA", 0), ("bien", 0),   # not a rating: ignored
])
def test_rating_points(rating, expected):
    assert points(base(external_rating=rating), "rating") == expected


def test_unreadable_rating_is_said_to_be_ignored():
    assert "non reconnue" in factor(base(external_rating="bien"), "rating").detail


@pytest.mark.parametrize(("value", "grade"), [
    (0, "A"), (19, "A"), (20, "B"), (39, "B"), (40, "C"), (59, "C"), (60, "D"), (79, "D"), (80, "E"),
    (100, "E"),
])
def test_grade_boundaries(value, grade):
    assert grade_of(value) == grade


@pytest.mark.parametrize("value", [-1, 101])
def test_grade_out_of_range(value):
    with pytest.raises(ValueError):
        grade_of(value)


# --- properties ----------------------------------------------------------------------------------------

cents = st.integers(-100_000, 10_000_000).map(lambda c: D(c) / 100)
days = st.integers(-6000, 20_000).map(lambda t: D(t) / 100)     # -60 .. 200 days, two decimals

inputs = st.builds(
    ScoreInput,
    at=st.just(AT),
    average_delay=st.none() | days,
    delay_trend=st.none() | days,
    exposure=cents,
    overdue=cents,
    credit_limit=st.none() | cents,
    cover=st.none() | cents,
    open_disputes=st.integers(-1, 6),
    customer_since=st.none() | st.dates(date(2000, 1, 1), date(2027, 12, 31)),
    segment=st.sampled_from(["private", "public", "consumer", "key_account", "other"]),
    external_rating=st.sampled_from(["", "A", "b", "3", "E", "5", "x"]),
    proceeding=st.none(),  # the proceedings' own test below
)


@given(inputs)
def test_score_within_bounds_and_the_sum_of_its_factors(data):
    result = score(data)
    total = sum(f.points for f in result.factors)
    assert 0 <= result.points <= 100
    assert result.points == total if total <= 100 else result.points == 100
    assert result.grade == grade_of(result.points) and result.grade in GRADES
    assert tuple(f.key for f in result.factors) == KEYS
    assert all(0 <= f.points <= f.maximum for f in result.factors)


@given(inputs, days, days)
def test_later_payments_never_lower_the_score(data, first, second):
    low, high = sorted((first, second))
    assert score(data._replace(average_delay=low)).points <= score(data._replace(average_delay=high)).points


@given(inputs, cents, cents)
def test_more_overdue_never_lowers_the_score(data, first, second):
    low, high = sorted((first, second))
    assert score(data._replace(overdue=low)).points <= score(data._replace(overdue=high)).points


def test_a_change_of_score_in_points_french_minus_sign():
    from app.domain.scoring import change_text, rising

    assert [change_text(51, 46), change_text(40, 52), change_text(30, 30), change_text(30, None)] == \
        ["+5", "\u221212", "=", ""]
    assert rising(56, 46) and not rising(55, 46) and not rising(80, None)  # from +10 points
