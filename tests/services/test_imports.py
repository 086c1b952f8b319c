"""The import service on records written by hand: what is created, recognised, updated, rejected, undone."""

from datetime import date
from decimal import Decimal as D

import pytest
from sqlalchemy import func, select

from app.importers.records import (CustomerRecord, InvoiceRecord, LetteredGroup, PaymentRecord, Problem,
                                   LedgerRead, row_hash)
from app.models import Allocation, Customer, ImportBatch, Invoice, Payment
from app.services.aging import aging_at
from app.services.import_history import undo_import
from app.services.import_summary import ImportRefused
from app.services.imports import import_records
from app.services.invoices import list_invoices
from tests.conftest import TODAY


def invoice(number, key, total, issued=date(2026, 9, 1), line=2, **extra):
    return InvoiceRecord(number=number, customer_key=key, issue_date=issued, total=D(total), line=line,
                         row_hash=row_hash(number, key, total, issued, extra.get("still_due")), **extra)


def payment(key, amount, on, letter="", line=9):
    return PaymentRecord(customer_key=key, received_on=on, amount=D(amount), reference=f"VIR {amount}",
                         letter=letter, line=line, row_hash=row_hash(key, amount, on, letter))


def fec_like() -> LedgerRead:
    """Two customers: Roux lettered AA (F1 1 200 paid by 1 000 + credit note AV1 -200), Blanc open F3 500."""
    pay = payment("411ROUX", "1000.00", date(2026, 10, 5), "AA")
    return LedgerRead(
        kind="fec", rows=5,
        customers=[CustomerRecord("411ROUX", "Menuiserie Roux", code="411ROUX", siren="732829320"),
                   CustomerRecord("411BLANC", "Blanc SARL", code="411BLANC")],
        invoices=[invoice("F1", "411ROUX", "1200.00", paid=True, line=2),
                  invoice("AV1", "411ROUX", "-200.00", issued=date(2026, 9, 15), paid=True, line=3),
                  invoice("F3", "411BLANC", "500.00", line=4)],
        payments=[pay],
        lettered=[LetteredGroup("AA", "411ROUX", ("F1", "AV1"), (pay.row_hash,))])


def run(db, tmp_path, result, **options):
    source = tmp_path / "export.txt"
    source.write_text("contenu")
    with db.transaction() as s:
        return import_records(s, source, result, today=TODAY, **options)


def counts(db):
    with db.sessions() as s:
        return tuple(s.scalar(select(func.count()).select_from(m)) for m in (Customer, Invoice, Payment, Allocation))


def test_records_become_customers_invoices_payments_and_allocations(db, tmp_path):
    summary = run(db, tmp_path, fec_like())
    assert summary.created == {"customers": 2, "invoices": 3, "payments": 1, "allocations": 2}
    with db.sessions() as s:
        f1 = s.scalar(select(Invoice).where(Invoice.number == "F1"))
        assert f1.status == "paid" and f1.total_cents == 120000
        assert f1.due_date == date(2026, 10, 1)                 # no due date in the file: 30 days net
        assert s.scalar(select(Invoice.kind).where(Invoice.number == "AV1")) == "credit_note"
        allocations = sorted((a.credit_note_id is not None, a.amount_cents) for a in s.scalars(select(Allocation)))
        assert allocations == [(False, 100000), (True, 20000)]  # the credit note first, then the payment
        report = aging_at(s, TODAY)
    assert report.balance.total.total == D("500.00")            # only Blanc's F3 is still due


def test_the_same_file_again_creates_nothing(db, tmp_path):
    run(db, tmp_path, fec_like())
    before = counts(db)
    summary = run(db, tmp_path, fec_like())
    assert summary.created == {"customers": 0, "invoices": 0, "payments": 0, "allocations": 0}
    assert summary.duplicates == 4 and summary.changes == []
    assert counts(db) == before


def test_a_changed_row_updates_the_invoice_and_undo_restores_it(db, tmp_path):
    run(db, tmp_path, fec_like())
    later = fec_like()
    later.invoices[2] = invoice("F3", "411BLANC", "650.00", due_date=date(2026, 12, 31), line=4)
    summary = run(db, tmp_path, later)
    assert summary.changes == ["F3 : montant 500,00\u00a0€ → 650,00\u00a0€, échéance 01/10/2026 → 31/12/2026"]
    with db.sessions() as s:
        assert s.scalar(select(Invoice.total_cents).where(Invoice.number == "F3")) == 65000
    with db.transaction() as s:
        undo_import(s, summary.batch_id)
    with db.sessions() as s:
        f3 = s.scalar(select(Invoice).where(Invoice.number == "F3"))
        assert (f3.total_cents, f3.due_date) == (50000, date(2026, 10, 1))


def test_undo_takes_back_everything_the_import_created(db, tmp_path):
    summary = run(db, tmp_path, fec_like())
    with db.transaction() as s:
        assert undo_import(s, summary.batch_id) == "Import de export.txt annulé."
    assert counts(db) == (0, 0, 0, 0)
    with db.sessions() as s:
        assert s.scalar(select(func.count()).select_from(ImportBatch)) == 0


def test_a_file_with_problems_imports_nothing_unless_asked(db, tmp_path):
    result = fec_like()
    result.problems.append(Problem(4, "Debit", "12,3,4", "n'est pas un montant"))
    summary = run(db, tmp_path, result)
    assert summary.rejected and summary.batch_id is None
    assert counts(db) == (0, 0, 0, 0)
    summary = run(db, tmp_path, result, accept_valid_rows=True)
    assert summary.created["invoices"] == 2                     # line 4 (F3) left out, the rest imported
    with db.sessions() as s:
        assert s.scalar(select(Invoice.id).where(Invoice.number == "F3")) is None


def test_customers_are_matched_by_siren_code_then_name_and_lookalikes_reported(ledger, tmp_path):
    result = LedgerRead(kind="invoices", customers=[
        CustomerRecord("A", "GARAGE PETIT (nouveau nom)", siren="732829320"),    # same SIREN as Garage Petit
        CustomerRecord("B", "Boulangerie Martin SARL"),                           # same name, legal form aside
        CustomerRecord("C", "Garage Petit", siren="552100554")],                  # same name, other SIREN
        invoices=[invoice("N1", "A", "10"), invoice("N2", "B", "20"), invoice("N3", "C", "30")])
    summary = run(ledger, tmp_path, result)
    assert summary.created["customers"] == 1
    assert len(summary.possible_duplicates) == 1 and "552100554" in summary.possible_duplicates[0]
    with ledger.sessions() as s:
        owners = {n: c for n, c in s.execute(select(Invoice.number, Customer.name).join(Customer)
                                             .where(Invoice.number.in_(["N1", "N2"])))}
    assert owners == {"N1": "Garage Petit", "N2": "Boulangerie Martin"}


def test_what_remains_due_in_a_spreadsheet_is_honoured(db, tmp_path):
    result = LedgerRead(kind="invoices", customers=[CustomerRecord("C1", "Client Un")], invoices=[
        invoice("S1", "C1", "1000.00", still_due=D("250.00")), invoice("S2", "C1", "300.00", paid=True)])
    run(db, tmp_path, result)
    with db.sessions() as s:
        remaining = {row.number: row.still_due for row in list_invoices(s, TODAY)}
        assert remaining == {"S1": D("250.00"), "S2": D("0.00")}
        assert s.scalar(select(Invoice.status).where(Invoice.number == "S2")) == "paid"


def test_a_failure_half_way_leaves_the_database_as_it_was(ledger, tmp_path, monkeypatch):
    from app.services import imports

    before = counts(ledger)

    def broken(self):
        raise RuntimeError("disque plein")

    monkeypatch.setattr(imports._Import, "lettering", broken)   # after customers, invoices and payments
    with pytest.raises(RuntimeError):
        run(ledger, tmp_path, fec_like())
    assert counts(ledger) == before
    with ledger.sessions() as s:
        assert s.scalar(select(func.count()).select_from(ImportBatch)) == 0


def test_only_the_latest_import_can_be_undone(db, tmp_path):
    first = run(db, tmp_path, fec_like())
    later = fec_like()
    later.invoices[2] = invoice("F3", "411BLANC", "650.00", line=4)
    second = run(db, tmp_path, later)
    with pytest.raises(ValueError, match="plus récent"):
        with db.transaction() as s:
            undo_import(s, first.batch_id)
    with db.transaction() as s:
        undo_import(s, second.batch_id)
        undo_import(s, first.batch_id)
    assert counts(db) == (0, 0, 0, 0)


def test_an_import_again_that_recorded_nothing_does_not_stop_the_undo_of_the_one_before(db, tmp_path):
    first = run(db, tmp_path, fec_like())
    again = run(db, tmp_path, fec_like())
    assert again.duplicates == 4 and not any(again.created.values()) and not again.changes
    assert counts(db) == (2, 3, 1, 2)
    with db.transaction() as s:
        undo_import(s, first.batch_id)
    assert counts(db) == (0, 0, 0, 0)
    with db.sessions() as s:  # the second stays in the history, as an import that recorded nothing
        assert s.scalars(select(ImportBatch.id)).all() == [again.batch_id]


def test_an_invoice_number_of_another_customer_is_an_error_not_a_match(db, tmp_path):
    run(db, tmp_path, fec_like())
    clash = LedgerRead(kind="invoices", customers=[CustomerRecord("Z", "Zinc SAS")],
                       invoices=[invoice("F3", "Z", "500.00", line=7)])
    with pytest.raises(ImportRefused) as refused:
        run(db, tmp_path, clash)
    summary = refused.value.summary
    assert summary.errors[0].line == 7 and "autre client" in summary.errors[0].message
    assert summary.rejected and not any(summary.created.values())
    assert counts(db) == (2, 3, 1, 2)  # Zinc SAS not created: the whole import rolled back
    with db.sessions() as s:
        assert s.scalar(select(Customer.name).join(Invoice, Invoice.customer_id == Customer.id)
                        .where(Invoice.number == "F3")) == "Blanc SARL"


def test_a_changed_amount_moves_the_status(db, tmp_path):
    run(db, tmp_path, fec_like())
    later = fec_like()
    later.invoices[0] = invoice("F1", "411ROUX", "1500.00", paid=True, line=2)
    summary = run(db, tmp_path, later)
    assert summary.changes == ["F1 : montant 1\u202f200,00\u00a0€ → 1\u202f500,00\u00a0€"]
    with db.sessions() as s:
        assert s.scalar(select(Invoice.status).where(Invoice.number == "F1")) == "open"   # 300 now due
