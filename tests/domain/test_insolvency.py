"""Insolvency proceedings by hand (DOMAIN.md, "Insolvency proceedings"): which invoices they hold, the claim at
the judgment date with penalties to its eve, half-year by half-year, and the deadlines counted in months from
the BODACC publication."""

from datetime import date
from decimal import Decimal as D

import pytest

from app.domain.insolvency import (InvoiceFacts, Proceeding, ProceedingKind, add_months, claim, deadlines)
from app.domain.penalties import HalfYearRates, RateTable

TABLE = RateTable([  # ECB rate in force on 1 January and 1 July 2025: 3,15 % then 2,15 %
    HalfYearRates(date(2025, 1, 1), D("3.15"), D("3.71"), D("7.21")),
    HalfYearRates(date(2025, 7, 1), D("2.15"), D("2.76"), D("6.65")),
])
REDRESSEMENT = Proceeding(ProceedingKind.RECOVERY, judgment_on=date(2025, 7, 20), published_on=date(2025, 7, 31))


def test_the_claim_at_the_judgment_date_by_hand():
    invoices = [
        InvoiceFacts("F1", date(2025, 5, 1), date(2025, 6, 15), D("10000.00")),
        InvoiceFacts("F2", date(2025, 7, 10), date(2025, 8, 9), D("5000.00")),   # not yet due at the judgment
        InvoiceFacts("F3", date(2025, 7, 20), date(2025, 8, 19), D("3000.00")),  # dated the judgment day: outside
        InvoiceFacts("F4", date(2025, 3, 1), date(2025, 3, 31), D("2000.00"),
                     ((date(2025, 4, 1), D("500.00")), (date(2025, 7, 25), D("300.00")))),  # 300 after: not counted
    ]
    found = claim(invoices, REDRESSEMENT, TABLE)
    assert [(i.number, i.still_due, i.to_fall_due) for i in found.invoices] == [
        ("F4", D("1500.00"), False), ("F1", D("10000.00"), False), ("F2", D("5000.00"), True)]
    f4, f1, _f2 = found.invoices
    # F1: 16/06 to 30/06/2025, 15 days at 3,15 + 10 = 13,15 %: 10 000 × 13,15 % × 15 / 365 = 54,0411;
    # 01/07 to 19/07 (the eve of the judgment: interest stops at it, L622-28), 19 days at 12,15 %: 63,2466
    assert [(p.start, p.end, p.interest) for p in f1.penalties.periods] == [
        (date(2025, 6, 16), date(2025, 6, 30), D("54.04")), (date(2025, 7, 1), date(2025, 7, 19), D("63.25"))]
    assert f1.penalties.interest == D("117.29")  # 117,2877 rounded once
    # F4: the 2 000 € on 01/04 (the day 500 € were paid), 0,7205; 1 500 € from 02/04 to 30/06, 90 days at
    # 13,15 %, 48,6370; 19 days at 12,15 % in July, 9,4870: 58,8445
    assert f4.penalties.interest == D("58.84")
    assert (found.due, found.to_fall_due, found.interest, found.indemnities) == (
        D("11500.00"), D("5000.00"), D("176.13"), D("80.00"))
    assert found.total == D("16756.13")


def test_invoices_dated_before_the_judgment_are_in_the_proceedings_those_of_its_day_and_after_are_not():
    assert REDRESSEMENT.holds(date(2025, 7, 19)) and not REDRESSEMENT.holds(date(2025, 7, 20))
    assert REDRESSEMENT.open_on(date(2025, 7, 20)) and not REDRESSEMENT.open_on(date(2025, 7, 19))
    closed = Proceeding(ProceedingKind.LIQUIDATION, date(2025, 7, 20), date(2025, 7, 31), closed_on=date(2026, 3, 1))
    assert closed.open_on(date(2026, 2, 28)) and not closed.open_on(date(2026, 3, 1))


@pytest.mark.parametrize("published, months, expected", [
    (date(2025, 12, 31), 2, date(2026, 2, 28)),  # 31 December + 2 months: the last day of February
    (date(2027, 12, 31), 2, date(2028, 2, 29)),  # a leap year's
    (date(2025, 7, 31), 2, date(2025, 9, 30)),
    (date(2025, 1, 15), 2, date(2025, 3, 15)),
    (date(2025, 11, 30), 4, date(2026, 3, 30)),
])
def test_a_period_in_months_ends_on_the_same_day_number_or_the_month_s_last(published, months, expected):
    assert add_months(published, months) == expected


def test_the_deadlines_from_the_publication():
    assert (REDRESSEMENT.declaration_deadline, REDRESSEMENT.revendication_deadline, REDRESSEMENT.relief_deadline) == (
        date(2025, 9, 30), date(2025, 10, 31), date(2026, 1, 31))
    abroad = Proceeding(ProceedingKind.RECOVERY, date(2025, 7, 20), date(2025, 12, 31), abroad=True)
    assert abroad.declaration_deadline == date(2026, 4, 30)  # four months for a creditor abroad or overseas
    unknown = Proceeding(ProceedingKind.SAFEGUARD, date(2025, 7, 20), None)
    assert unknown.declaration_deadline is None and deadlines(unknown, date(2025, 8, 1), declared=False,
                                                               retention_of_title=True) == []


def test_the_deadline_shown_until_the_declaration_then_the_relief_then_nothing():
    shown = deadlines(REDRESSEMENT, date(2025, 9, 1), declared=False, retention_of_title=True)
    assert [(d.what, d.on, d.days_left) for d in shown] == [
        ("déclaration de créance", date(2025, 9, 30), 29),
        ("revendication des marchandises (clause de réserve de propriété)", date(2025, 10, 31), 60)]
    assert deadlines(REDRESSEMENT, date(2025, 9, 1), declared=True, retention_of_title=False) == []
    late = deadlines(REDRESSEMENT, date(2025, 10, 1), declared=False, retention_of_title=False)
    assert [(d.what, d.on, d.days_left) for d in late] == [("relevé de forclusion", date(2026, 1, 31), 122)]
    assert deadlines(REDRESSEMENT, date(2026, 2, 1), declared=False, retention_of_title=False) == []
