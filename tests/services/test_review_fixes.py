"""What a review of the cockpit found, each pinned: totals below their allocations, negative amounts still
due, delays of invoices an export only says are paid, deposits lettered before their invoice, the insurer's
cover percentage, the declaration deadline's first day, undo of an allocation made since, zero-sum rows."""

from datetime import date, timedelta
from decimal import Decimal as D

import pytest
from sqlalchemy import select

from app.domain.aging import aging_balance
from app.importers.records import CustomerRecord, LetteredGroup, LedgerRead
from app.models import Allocation, Company, Customer, Guarantee, Invoice, InvoiceKind, Payment
from app.services.aging import aging_summary, open_items
from app.services.cockpit import cockpit
from app.services.import_history import undo_import
from app.services.import_summary import ImportRefused
from app.services.ledger_history import ledger_history
from app.services.payment_history import delay_sums
from app.services.risk import customer_risk
from tests.conftest import TODAY, invoice as invoice_row
from tests.services.test_imports import invoice, payment, run

ROUX = [CustomerRecord("C1", "Menuiserie Roux", code="C1")]


def same_aging(db, *days):
    with db.sessions() as s:
        for at in days:
            summary, domain = aging_summary(s, at), aging_balance(open_items(s, at), at)
            assert summary.total.amounts == domain.total.amounts, at
            assert {k: v.amounts for k, v in summary.by_customer.items()} == {
                k: v.amounts for k, v in domain.by_customer.items()}, at


def test_an_update_cannot_lower_a_total_below_what_is_allocated(db, tmp_path):
    run(db, tmp_path, LedgerRead(kind="invoices", customers=ROUX,
                                 invoices=[invoice("F1", "C1", "1000.00", still_due=D("0"), paid=True)]))
    with pytest.raises(ImportRefused) as refused:
        run(db, tmp_path, LedgerRead(kind="invoices", customers=ROUX,
                                     invoices=[invoice("F1", "C1", "800.00", still_due=D("0"), paid=True)]))
    again = refused.value.summary
    assert [e.column for e in again.errors] == ["Montant"] and "déjà imputés" in again.errors[0].message
    with db.sessions() as s:
        assert s.scalar(select(Invoice.total_cents).where(Invoice.number == "F1")) == 100000
    same_aging(db, date(2026, 10, 1), TODAY)


def test_a_stated_remaining_below_zero_or_above_the_total_is_refused_at_its_line(db, tmp_path):
    """DOMAIN.md: -50 € remaining once marked a 100 € invoice paid with a 100 € payment dated today."""
    for still_due in (D("-20.00"), D("100.01")):
        summary = run(db, tmp_path, LedgerRead(kind="invoices", customers=ROUX,
                                               invoices=[invoice("F1", "C1", "100.00", still_due=still_due)]),
                      accept_valid_rows=True)
        assert [(e.line, e.column) for e in summary.errors] == [(2, "Reste dû")]
        assert "ni négatif ni supérieur" in summary.errors[0].message
        with db.sessions() as s:
            assert s.scalar(select(Invoice).where(Invoice.number == "F1")) is None
            assert s.scalars(select(Payment)).all() == []


def test_invoices_an_export_says_are_paid_have_no_known_delay(db, tmp_path):
    run(db, tmp_path, LedgerRead(kind="invoices", customers=ROUX,
                                 invoices=[invoice("F1", "C1", "100.00", issued=date(2026, 3, 1), still_due=D("0"))]))
    with db.sessions() as s:
        assert delay_sums(s, TODAY) == {}  # settled today by the import, but paid on a day nobody knows
        customer = s.scalar(select(Customer.id))
        assert customer_risk(s, customer, TODAY).average_delay is None


def test_a_deposit_lettered_before_its_invoice_settles_it_from_the_invoices_date(db, tmp_path):
    deposit = payment("C1", "1000.00", date(2026, 10, 5), "AA")  # before F1, issued 10/10
    run(db, tmp_path, LedgerRead(kind="fec", customers=ROUX, payments=[deposit],
                                 invoices=[invoice("F1", "C1", "1000.00", issued=date(2026, 10, 10), paid=True)],
                                 lettered=[LetteredGroup("AA", "C1", ("F1",), (deposit.row_hash,))]))
    with db.sessions() as s:
        assert s.scalar(select(Allocation.allocated_on)) == date(2026, 10, 10)
        history = ledger_history(s)
        for day in (date(2026, 10, 7), date(2026, 10, 10), TODAY):
            assert history.receivables(day) == aging_summary(s, day).total.total, day
    same_aging(db, date(2026, 10, 7), TODAY)


def test_insurance_covers_its_percentage_within_the_cover(ledger):
    with ledger.transaction() as s:
        petit = s.scalar(select(Customer).where(Customer.name == "Garage Petit"))
        s.add(Guarantee(customer=petit, kind="credit_insurance", guarantor="Assureur", amount_cents=160000,
                        percentage=90))
    with ledger.sessions() as s:
        figures = cockpit(s, TODAY)
        risk = customer_risk(s, petit.id, TODAY)
    # 1 550 owed under a cover of 1 600: no excess over the cover; 1 550 × 90 % = 1 395 covered, 155 not
    assert not any(a.kind == "cover" for a in figures.alerts)
    cover = next(f for f in risk.score.factors if f.key == "cover")
    assert cover.detail.startswith("155,00\u00a0€ non couverts sur 1\u202f550,00\u00a0€ dus")


def test_the_declaration_deadline_is_announced_from_its_first_day(ledger):
    due = TODAY - timedelta(days=135)  # declared within 150 days, announced 15 days before: from today
    with ledger.transaction() as s:
        martin = s.scalar(select(Customer).where(Customer.name == "Boulangerie Martin"))
        s.add(Guarantee(customer=martin, kind="credit_insurance", guarantor="Assureur", amount_cents=10**8,
                        percentage=90))
        s.add(invoice_row("F9", martin, due - timedelta(days=30), due, 50000))
    with ledger.sessions() as s:
        texts = [a.text for a in cockpit(s, TODAY).alerts if a.kind == "declaration"]
    assert any(text.startswith("Facture F9 de Boulangerie Martin") for text in texts)


def test_undo_refreshes_a_payment_allocated_since_to_an_imported_invoice(db, tmp_path):
    summary = run(db, tmp_path, LedgerRead(kind="invoices", customers=ROUX, invoices=[invoice("F1", "C1", "500.00")]))
    with db.transaction() as s:
        roux = s.scalar(select(Customer))
        f1 = s.scalar(select(Invoice))
        later = Payment(customer=roux, received_on=date(2026, 10, 1), amount_cents=50000)
        s.add_all([later, Allocation(invoice=f1, payment=later, allocated_on=date(2026, 10, 1), amount_cents=50000)])
    with db.transaction() as s:
        undo_import(s, summary.batch_id)
    with db.sessions() as s:
        assert s.scalar(select(Payment.settled_cents)) == 0  # the conftest check verifies every summary too


def test_an_invoice_and_a_credit_note_due_the_same_day_keep_their_customer_in_the_aging(db):
    with db.transaction() as s:
        s.add(Company(name="Atelier Test SARL"))
        roux = Customer(name="Menuiserie Roux", code="C1")
        s.add_all([invoice_row("F1", roux, date(2026, 9, 1), date(2026, 10, 1), 10000),
                   invoice_row("AV1", roux, date(2026, 9, 1), date(2026, 10, 1), -10000, kind=InvoiceKind.CREDIT_NOTE)])
    same_aging(db, TODAY)
