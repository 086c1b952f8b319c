from datetime import date
from decimal import Decimal as D

from sqlalchemy import select

from app.models import Customer, Invoice, InvoiceKind
from app.services.invoices import InvoiceInput, list_invoices, save_invoice, suggested_due_date
from tests.conftest import TODAY


def petit_id(db):
    with db.sessions() as s:
        return s.scalar(select(Customer.id).where(Customer.name == "Garage Petit"))


def test_list_invoices_with_what_remains(ledger):
    with ledger.sessions() as s:
        rows = {r.number: r for r in list_invoices(s, TODAY)}
    assert rows["F2"].still_due == D("300.00") and rows["F2"].days_late == 10 and rows["F2"].overdue
    assert rows["F1"].still_due == D("1000.00") and not rows["F1"].overdue
    assert rows["F0"].still_due == D("0.00") and rows["F0"].days_late == 0
    assert rows["AV1"].is_credit_note and rows["AV1"].still_due == D("-50.00") and not rows["AV1"].overdue
    assert list(rows) == ["F1", "F2", "AV1", "F4", "F3", "F0"]  # newest first


def test_save_invoice_and_refuse_duplicate_number(ledger):
    customer_id = petit_id(ledger)
    data = InvoiceInput("F10", customer_id, date(2026, 11, 2), date(2026, 12, 2), D("100.00"), D("20.00"))
    with ledger.transaction() as s:
        invoice, errors = save_invoice(s, data)
    assert errors == {}
    with ledger.sessions() as s:
        saved = s.scalar(select(Invoice).where(Invoice.number == "F10"))
        assert (saved.net_cents, saved.vat_cents, saved.total_cents) == (10000, 2000, 12000)
    with ledger.transaction() as s:
        invoice, errors = save_invoice(s, data)
    assert invoice is None and "existe déjà" in errors["number"]


def test_invoice_checks(ledger):
    customer_id = petit_id(ledger)
    bad = InvoiceInput(" ", None, date(2026, 11, 2), date(2026, 11, 1), D("-5"), D("0"))
    with ledger.transaction() as s:
        _, errors = save_invoice(s, bad)
    assert set(errors) == {"number", "customer", "due_date", "net"}
    credit = InvoiceInput("AV2", customer_id, date(2026, 11, 2), date(2026, 11, 2), D("-10"), D("-2"),
                          kind=InvoiceKind.CREDIT_NOTE)
    with ledger.transaction() as s:
        invoice, errors = save_invoice(s, credit)
    assert errors == {} and invoice.total_cents == -1200


def test_suggested_due_date_follows_terms(ledger):
    with ledger.sessions() as s:
        assert suggested_due_date(s, petit_id(ledger), date(2026, 1, 15)) == date(2026, 2, 14)  # net 30


def test_an_invoice_with_payments_keeps_its_customer_kind_and_a_total_above_them(ledger):
    """F2 (500,00 €) has 200,00 € paid on it: it may not go to another customer, become a credit note or fall
    below 200,00 €; nothing is written when refused."""
    with ledger.sessions() as s:
        f2 = s.scalar(select(Invoice).where(Invoice.number == "F2"))
        martin = s.scalar(select(Customer.id).where(Customer.name == "Boulangerie Martin"))
    edit = InvoiceInput("F2", martin, f2.issue_date, f2.due_date, D("150.00"), D("0"),
                        kind=InvoiceKind.CREDIT_NOTE)
    with ledger.transaction() as s:
        invoice, errors = save_invoice(s, edit, f2.id)
    assert invoice is None
    assert "client ne peut plus changer" in errors["customer"]
    assert "avoir" in errors["kind"]
    assert "200,00" in errors["net"]
    with ledger.transaction() as s:
        invoice, errors = save_invoice(s, InvoiceInput("F2", f2.customer_id, f2.issue_date, f2.due_date,
                                                       D("150.00"), D("0")), f2.id)
    assert invoice is None and set(errors) == {"net"}
    with ledger.sessions() as s:
        assert s.get(Invoice, f2.id).total_cents == 50000
    with ledger.transaction() as s:
        invoice, errors = save_invoice(s, InvoiceInput("F2", f2.customer_id, f2.issue_date, f2.due_date,
                                                       D("200.00"), D("40.00")), f2.id)
    assert errors == {} and invoice.total_cents == 24000


def test_unknown_customer_or_invoice_is_a_message_not_a_crash(ledger):
    data = InvoiceInput("F77", 9999, date(2026, 11, 2), date(2026, 12, 2), D("1"), D("0"))
    with ledger.transaction() as s:
        _, errors = save_invoice(s, data)
    assert "Choisissez le client" in errors["customer"]
    with ledger.transaction() as s:
        _, errors = save_invoice(s, InvoiceInput("F77", petit_id(ledger), date(2026, 11, 2), date(2026, 12, 2),
                                                 D("1"), D("0")), 424242)
    assert "n'existe plus" in errors["general"]
