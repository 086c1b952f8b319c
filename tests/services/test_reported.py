"""Every euro counted once: a billing export's paid / remaining amounts and the bank's credits of the same
money, in any order, settle an invoice once (issue 15's FA-2026-0152 story), and undoing puts things back."""

from datetime import date
from decimal import Decimal as D
from itertools import permutations

import pytest
from sqlalchemy import func, select

from app.domain.money import format_eur
from app.importers.records import BankLineRecord, CustomerRecord, LedgerRead, StatementRead, with_bank_hashes
from app.models import Allocation, BankLine, Customer, Event, Invoice, Payment
from app.models.payment import UNDATED as REPORTED
from app.services.import_history import undo_import
from app.services.imports import import_records
from tests.services.test_imports import invoice

MASSON = [CustomerRecord("C1", "Masson Habitat", code="C1")]
AS_OF = date(2026, 11, 30)


def export(still_due: str | None = "6000.00") -> LedgerRead:
    """The billing software's export: FA-2026-0152, 12 000 €, of which ``still_due`` is left to pay."""
    row = invoice("FA-2026-0152", "C1", "12000.00", issued=date(2026, 10, 1),
                  **({"still_due": D(still_due)} if still_due is not None else {}))
    return LedgerRead(kind="invoices", rows=1, customers=MASSON, invoices=[row])


def week(on: date, label: str = "VIR SEPA MASSON HABITAT REF F2026-0152", amount: str = "6000.00") -> StatementRead:
    line = BankLineRecord(on, D(amount), label, account="FR7630004000031234567890143", line=2)
    return StatementRead(kind="cfonb", rows=1, bank_lines=with_bank_hashes([line]))


FIRST, SECOND = week(date(2026, 11, 15)), week(date(2026, 12, 7))


def run(db, tmp_path, result, name, **options):
    source = tmp_path / name
    source.write_text(name)
    with db.transaction() as s:
        return import_records(s, source, result, today=date(2026, 12, 10), **options)


def invoice_state(db) -> tuple[int, str]:
    with db.sessions() as s:
        found = s.scalar(select(Invoice).where(Invoice.number == "FA-2026-0152"))
        return found.settled_cents, found.status


def money_received(db) -> int:
    """Every euro the program holds as received: it must be the 12 000 € of the invoice at most."""
    with db.sessions() as s:
        return s.scalar(select(func.coalesce(func.sum(Payment.amount_cents), 0)))


@pytest.fixture
def known(db, tmp_path):
    """The invoice is known (an earlier export said nothing of what was paid)."""
    run(db, tmp_path, export(still_due=None), "factures-octobre.csv")
    return db


def test_export_first_then_the_bank_credit_it_counted_confirms_it_then_the_rest_next_week(known, tmp_path):
    summary = run(known, tmp_path, export(), "export.csv", as_of=AS_OF)
    assert (summary.reported, summary.as_of, summary.as_of_said) == (1, AS_OF, "date indiquée")
    assert "au 30/11/2026 (date indiquée)" in summary.reported_text()
    assert invoice_state(known) == (600000, "open")
    first = run(known, tmp_path, FIRST, "releve-novembre.cfo")
    assert first.confirmed == 1 and first.created["payments"] == 0
    assert invoice_state(known) == (600000, "open")  # the same money: not applied a second time
    assert money_received(known) == 600000
    with known.sessions() as s:
        confirmed = s.scalar(select(Payment))
        assert (confirmed.method, confirmed.received_on) == ("virement", date(2026, 11, 15))
        assert s.scalar(select(BankLine.payment_id)) == confirmed.id
        assert s.scalar(select(Allocation.allocated_on)) == date(2026, 11, 15)
        assert s.scalar(select(Invoice.paid_on)) is None
        kinds = set(s.scalars(select(Event.kind)))
        assert {"allocation", "confirmed"} <= kinds
    second = run(known, tmp_path, SECOND, "releve-decembre.cfo")
    assert (second.confirmed, second.matching.auto) == (0, 1)  # new money
    assert invoice_state(known) == (1200000, "paid")
    assert money_received(known) == 1200000


def test_bank_first_then_the_export_adds_nothing_then_the_rest_next_week(known, tmp_path):
    run(known, tmp_path, FIRST, "releve-novembre.cfo")
    assert invoice_state(known) == (600000, "open")
    summary = run(known, tmp_path, export(), "export.csv", as_of=AS_OF)
    assert (summary.reported, summary.by_bank, summary.disagreements) == (0, 0, [])
    assert invoice_state(known) == (600000, "open")
    run(known, tmp_path, SECOND, "releve-decembre.cfo")
    assert invoice_state(known) == (1200000, "paid") and money_received(known) == 1200000


def test_a_credit_received_before_its_invoice_was_known_explains_the_export(db, tmp_path):
    """The first ever import is the bank's: the credit is the customer's unallocated cash; the export that
    then brings the invoice is explained by it, and books no reported settlement."""
    with db.transaction() as s:
        s.add(Customer(name="Masson Habitat", code="C1"))
    run(db, tmp_path, FIRST, "releve-novembre.cfo")
    summary = run(db, tmp_path, export(), "export.csv", as_of=AS_OF)
    assert (summary.by_bank, summary.reported) == (1, 0)
    assert invoice_state(db) == (600000, "open") and money_received(db) == 600000


def test_an_export_saying_more_is_due_than_encours_knows_is_a_disagreement_never_an_unallocation(known, tmp_path):
    run(known, tmp_path, FIRST, "releve-novembre.cfo")
    run(known, tmp_path, SECOND, "releve-decembre.cfo")
    summary = run(known, tmp_path, export(), "export.csv", as_of=AS_OF)
    assert len(summary.disagreements) == 1 and "FA-2026-0152" in summary.disagreements[0]
    assert f"{format_eur(D(6000))} restant dû, Encours {format_eur(D(0))}" in summary.disagreements[0]
    assert invoice_state(known) == (1200000, "paid")


def test_undoing_the_statement_puts_the_reported_settlement_back_to_await_its_evidence(known, tmp_path):
    run(known, tmp_path, export(), "export.csv", as_of=AS_OF)
    first = run(known, tmp_path, week(date(2026, 11, 15), amount="6500.00"), "releve-novembre.cfo")
    assert first.confirmed == 1
    with known.sessions() as s:
        assert s.scalar(select(Payment.amount_cents)) == 650000  # 500 € beyond: unallocated, new money
    with known.transaction() as s:
        undo_import(s, first.batch_id)
    with known.sessions() as s:
        back = s.scalar(select(Payment))
        assert (back.method, back.received_on, back.amount_cents, back.settled_cents) == (
            REPORTED, AS_OF, 600000, 600000)
        assert s.scalar(select(func.count()).select_from(BankLine)) == 0
    assert invoice_state(known) == (600000, "open")
    again = run(known, tmp_path, FIRST, "releve-novembre-bis.cfo")
    assert again.confirmed == 1 and money_received(known) == 600000


def test_the_file_date_is_the_as_of_date_when_none_is_given(known, tmp_path):
    summary = run(known, tmp_path, export(), "export.csv")
    assert (summary.as_of_said, summary.as_of) == ("date du fichier", min(date.today(), date(2026, 12, 10)))
    assert summary.as_json()["as_of_source"] == "date du fichier"


@pytest.mark.parametrize("order", list(permutations(("export", "first", "second"))))
def test_in_any_order_the_invoice_is_settled_once_and_nothing_beyond(known, tmp_path, order):
    files = {"export": (export(), {"as_of": AS_OF}), "first": (FIRST, {}), "second": (SECOND, {})}
    for name in order:
        result, options = files[name]
        run(known, tmp_path, result, f"{name}.txt", **options)
        settled, _ = invoice_state(known)
        assert settled <= 1200000
    assert invoice_state(known) == (1200000, "paid")
    assert money_received(known) == 1200000  # no euro counted twice, none left over


@pytest.mark.parametrize("order", list(permutations(("export", "first", "second"))))
def test_undoing_the_imports_from_the_latest_leaves_nothing_settled(known, tmp_path, order):
    files = {"export": (export(), {"as_of": AS_OF}), "first": (FIRST, {}), "second": (SECOND, {})}
    batches = [run(known, tmp_path, files[name][0], f"{name}.txt", **files[name][1]).batch_id for name in order]
    for batch_id in reversed(batches):
        with known.transaction() as s:
            undo_import(s, batch_id)
        assert invoice_state(known)[0] <= 1200000
    assert invoice_state(known) == (0, "open") and money_received(known) == 0
