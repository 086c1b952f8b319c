from decimal import Decimal as D

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.domain.money import format_eur, from_cents, json_amount, parse_eur, to_cents


def test_half_up_rounding_to_the_cent():
    assert to_cents(D("0.005")) == 1       # half-up, not banker's rounding (which gives 0)
    assert to_cents(D("0.015")) == 2
    assert to_cents(D("2.675")) == 268
    assert to_cents(D("-0.005")) == -1      # half away from zero on negatives
    assert to_cents("1234.56") == 123456
    assert to_cents(12) == 1200


def test_float_is_refused():
    with pytest.raises(TypeError):
        to_cents(0.1)  # float-ok: checking the refusal


def test_from_cents():
    assert from_cents(123456) == D("1234.56")
    assert from_cents(-5) == D("-0.05")
    assert from_cents(None) == D("0.00")


def test_french_format():
    assert format_eur(D("1234.56")) == "1\u202f234,56\u00a0€"
    assert format_eur(D("0")) == "0,00\u00a0€"
    assert format_eur(D("-1234567.8")) == "-1\u202f234\u202f567,80\u00a0€"
    assert format_eur(D("1234.5"), symbol=False) == "1\u202f234,50"


def test_parse_french_amounts():
    assert parse_eur("1 234,56 €") == D("1234.56")
    assert parse_eur("1\u202f234,56") == D("1234.56")
    assert parse_eur("1.234,5") == D("1234.50")
    assert parse_eur("-12") == D("-12.00")
    assert parse_eur("99.99") == D("99.99")
    assert parse_eur("1.234") == D("1234.00")      # French grouping by dots
    assert parse_eur("0,5") == D("0.50")
    for ambiguous in ("douze", "1,234.56", "12,345", "1 234,567", "NaN", "Infinity", "1 23,4", ""):
        with pytest.raises(ValueError):
            parse_eur(ambiguous)


def test_json_amount():
    assert json_amount(D("1234.5")) == "1234.50"


@given(st.integers(min_value=-10**12, max_value=10**12))
def test_cents_round_trip(cents):
    assert to_cents(from_cents(cents)) == cents
    assert parse_eur(format_eur(from_cents(cents))) == from_cents(cents)


@given(st.decimals(min_value=-10**9, max_value=10**9, places=2, allow_nan=False))
def test_french_format_is_babels(amount):
    from babel.numbers import format_currency, format_decimal

    assert format_eur(amount) == format_currency(amount, "EUR", locale="fr_FR")
    assert format_eur(amount, symbol=False) == format_decimal(amount, format="#,##0.00", locale="fr_FR")
