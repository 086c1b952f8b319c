"""The settlement rules on hand-written examples, and their invariant on any input."""

from datetime import date

import pytest
from hypothesis import given, strategies as st

from app.domain.settlement import (CREDIT_NOTE, PAYMENT, Debt, ImpossibleRemaining, Reported, Share, Source,
                                   allocate, confirms, reported)

D = date


def test_credit_notes_first_then_payments_oldest_first_on_the_oldest_invoices():
    debts = [Debt(1, 100_00, D(2026, 9, 1)), Debt(2, 300_00, D(2026, 10, 1))]
    sources = [Source(PAYMENT, 20, 250_00, D(2026, 11, 20)), Source(PAYMENT, 10, 50_00, D(2026, 11, 2)),
               Source(CREDIT_NOTE, 7, 30_00, D(2026, 10, 15))]
    shares, left = allocate(debts, sources)
    assert shares == [Share(1, CREDIT_NOTE, 7, 30_00, D(2026, 10, 15)),
                      Share(1, PAYMENT, 10, 50_00, D(2026, 11, 2)),
                      Share(1, PAYMENT, 20, 20_00, D(2026, 11, 20)),
                      Share(2, PAYMENT, 20, 230_00, D(2026, 11, 20))]
    assert left == {(PAYMENT, 20): 0, (PAYMENT, 10): 0, (CREDIT_NOTE, 7): 0}


def test_a_credit_note_naming_an_invoice_settles_that_one_first_and_what_is_left_stays_unallocated():
    debts = [Debt(1, 100_00, D(2026, 9, 1)), Debt(2, 40_00, D(2026, 10, 1))]
    shares, left = allocate(debts, [Source(CREDIT_NOTE, 9, 60_00, D(2026, 10, 5), names=2),
                                    Source(PAYMENT, 5, 500_00, D(2026, 11, 1))])
    assert shares[0] == Share(2, CREDIT_NOTE, 9, 40_00, D(2026, 10, 5))
    assert shares[1] == Share(1, CREDIT_NOTE, 9, 20_00, D(2026, 10, 5))
    assert shares[2] == Share(1, PAYMENT, 5, 80_00, D(2026, 11, 1))
    assert left[PAYMENT, 5] == 420_00  # the customer's unallocated cash


def test_a_deposit_paid_before_its_invoice_settles_it_from_the_invoice_date():
    shares, _ = allocate([Debt(1, 100_00, D(2026, 11, 10))], [Source(PAYMENT, 1, 100_00, D(2026, 11, 1))])
    assert shares[0].on == D(2026, 11, 10)


def test_reported_settled_is_total_less_stated_remaining_less_what_is_settled_here():
    assert reported(12_000_00, 6_000_00, 0) == Reported(to_book=6_000_00)
    assert reported(12_000_00, 6_000_00, 6_000_00) == Reported()          # the bank said it first
    assert reported(12_000_00, 6_000_00, 8_000_00) == Reported(disagreement=2_000_00)
    assert reported(12_000_00, 0, 0) == Reported(to_book=12_000_00)
    for impossible in (-50_00, 12_000_01):
        with pytest.raises(ImpossibleRemaining):
            reported(12_000_00, impossible, 0)


def _credit(cents, on, *, names=True, customer=True, as_of=D(2026, 11, 30), reported_cents=6_000_00):
    return confirms(credit_cents=cents, credit_on=on, same_customer=customer, names_invoice=names,
                    reported_cents=reported_cents, as_of=as_of)


def test_a_bank_credit_confirms_a_reported_settlement_when_it_is_the_same_money():
    assert _credit(6_000_00, D(2026, 11, 15))                         # named, same amount
    assert _credit(6_000_00, D(2026, 11, 15), names=False)            # same amount, same customer
    assert _credit(7_000_00, D(2026, 11, 15))                         # named, 1 000 € of new money beside
    assert _credit(6_000_00, D(2026, 12, 5))                          # within the bank's delay
    assert not _credit(6_000_00, D(2026, 12, 7))                      # after: new money
    assert not _credit(6_000_00, D(2026, 11, 15), customer=False)
    assert not _credit(7_000_00, D(2026, 11, 15), names=False)       # another amount, invoice not named
    assert _credit(5_000_00, D(2026, 11, 15))                         # named, less: an instalment of it
    assert not _credit(5_000_00, D(2026, 11, 15), names=False)       # less, not named: new money


def test_fa_2026_0152_counted_once_export_first_then_bank_then_the_rest_next_week():
    """The export (as of 30/11) says 6 000 € of 12 000 € remain; the bank then shows the 6 000 € of 15/11
    that the export had counted, and the other 6 000 € on 07/12."""
    as_of = D(2026, 11, 30)
    booked = reported(12_000_00, 6_000_00, settled_here=0).to_book
    assert booked == 6_000_00  # a reported settlement, awaiting evidence
    assert confirms(credit_cents=6_000_00, credit_on=D(2026, 11, 15), same_customer=True, names_invoice=True,
                    reported_cents=booked, as_of=as_of)  # the same money: confirmed, not applied again
    settled = booked
    # the second credit: nothing reported is left to confirm, so it is new money for what is still due
    assert not confirms(credit_cents=6_000_00, credit_on=D(2026, 12, 7), same_customer=True, names_invoice=True,
                        reported_cents=booked, as_of=as_of)
    shares, left = allocate([Debt(152, 12_000_00 - settled, D(2026, 10, 1))],
                            [Source(PAYMENT, 2, 6_000_00, D(2026, 12, 7))])
    assert sum(s.cents for s in shares) + settled == 12_000_00 and left[PAYMENT, 2] == 0


def test_fa_2026_0152_counted_once_bank_first_then_export_then_the_rest_next_week():
    shares, _ = allocate([Debt(152, 12_000_00, D(2026, 10, 1))], [Source(PAYMENT, 1, 6_000_00, D(2026, 11, 15))])
    settled = sum(s.cents for s in shares)
    assert settled == 6_000_00
    assert reported(12_000_00, 6_000_00, settled_here=settled) == Reported()  # the export adds nothing
    shares, left = allocate([Debt(152, 12_000_00 - settled, D(2026, 10, 1))],
                            [Source(PAYMENT, 2, 6_000_00, D(2026, 12, 7))])
    assert settled + sum(s.cents for s in shares) == 12_000_00 and left[PAYMENT, 2] == 0


cents = st.integers(min_value=1, max_value=10_000_000)
days = st.dates(min_value=D(2024, 1, 1), max_value=D(2027, 12, 31))


@given(st.lists(st.tuples(cents, days), min_size=0, max_size=8),
       st.lists(st.tuples(st.sampled_from([CREDIT_NOTE, PAYMENT]), cents, days, st.none() | st.integers(0, 9)),
                min_size=0, max_size=8))
def test_no_invoice_and_no_source_is_ever_settled_beyond_its_amount(debt_specs, source_specs):
    debts = [Debt(i, due, on) for i, (due, on) in enumerate(debt_specs)]
    sources = [Source(kind, 100 + i, available, on, names) for i, (kind, available, on, names) in enumerate(source_specs)]
    shares, left = allocate(debts, sources)
    for debt in debts:
        assert sum(s.cents for s in shares if s.invoice_id == debt.invoice_id) <= debt.due
    for source in sources:
        given_out = sum(s.cents for s in shares if (s.kind, s.source) == (source.kind, source.key))
        assert given_out + left[source.kind, source.key] == source.available and left[source.kind, source.key] >= 0
    assert all(s.cents > 0 for s in shares)
    # nothing is left on both sides: a source with money left means every invoice is settled
    if any(left.values()):
        assert all(sum(s.cents for s in shares if s.invoice_id == d.invoice_id) == d.due for d in debts)


def test_two_instalments_naming_the_invoice_are_each_the_evidence_of_their_part_of_the_report():
    """The export (as of 30/11) counted 6 000 € paid; the bank shows them as 4 000 € on 10/11 and 2 000 € on
    20/11, each quoting the invoice: both confirm their part; a third credit after is new money."""
    from decimal import Decimal

    from app.domain.matching import Book, Credit, OpenItem, Party
    from app.domain.settlement import Report, evidence

    book = Book([Party(1, "Masson Habitat", "C1", "", ())],
                [OpenItem(152, "FA-2026-0152", 1, Decimal("6000.00"), D(2026, 10, 1), D(2026, 10, 31))])
    report = Report(7, 152, 1, 6_000_00, D(2026, 11, 30))
    credits = [Credit(key, Decimal(amount), on, "VIR MASSON REF FA-2026-0152", customer_id=1)
               for key, amount, on in ((1, "4000.00", D(2026, 11, 10)), (2, "2000.00", D(2026, 11, 20)),
                                       (3, "2000.00", D(2026, 11, 25)))]
    pairs = evidence(credits, [report], book)
    assert [(key, r.key, r.cents) for key, r in pairs] == [(1, 7, 6_000_00), (2, 7, 2_000_00)]


def test_the_owner_is_offered_the_report_the_credit_names_else_the_one_of_its_amount_else_the_only_one():
    from decimal import Decimal

    from app.domain.matching import Credit
    from app.domain.settlement import Report, likely_report

    first, second = Report(7, 152, 1, 6_000_00, D(2026, 11, 30)), Report(8, 160, 1, 2_500_00, D(2026, 11, 30))
    other = Report(9, 170, 2, 2_500_00, D(2026, 11, 30))

    def credit(amount):
        return Credit(1, Decimal(amount), D(2026, 12, 20), "VIREMENT")

    assert likely_report(credit("4000.00"), 1, [first, second, other], frozenset({152})) == first
    assert likely_report(credit("2500.00"), 1, [first, second, other], frozenset()) == second
    assert likely_report(credit("100.00"), 1, [first, second, other], frozenset()) is None  # two: no guess
    assert likely_report(credit("100.00"), 2, [first, second, other], frozenset()) == other
    assert likely_report(credit("2500.00"), None, [first, second, other], frozenset()) is None
