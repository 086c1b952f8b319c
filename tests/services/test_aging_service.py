from datetime import date
from decimal import Decimal as D

from app.services.aging import aging_at
from tests.conftest import TODAY


def test_aging_of_the_ledger(ledger):
    with ledger.sessions() as s:
        report = aging_at(s, TODAY)
    total = report.balance.total
    # not due: F1 1000; 1-30: F2 500 - 200 paid = 300, Martin's unallocated payment -120 (8 days) -> 180;
    # 31-60: AV1 -50 (53 days); 61-90: nothing; over 90: F3 300 (111 days); F4 2000 is 46 days -> 31-60.
    assert total.amounts == {"not_due": D("1000.00"), "1_30": D("180.00"), "31_60": D("1950.00"),
                             "61_90": D("0.00"), "over_90": D("300.00")}
    assert total.total == D("3430.00")
    by_name = {report.names[cid]: owed.total for cid, owed in report.balance.by_customer.items()}
    assert by_name == {"Garage Petit": D("1550.00"), "Boulangerie Martin": D("1880.00")}


def test_aging_at_a_past_date_uses_payment_dates(ledger):
    with ledger.sessions() as s:
        report = aging_at(s, date(2026, 11, 14))
    # F1 (issued 31/10) not due; F2 500 one day late, its 200 payment of 20/11 not yet received;
    # Martin's payment of 15/11 not yet received; F3 102 days; AV1 44 days; F4 37 days.
    assert report.balance.total.amounts == {
        "not_due": D("1000.00"), "1_30": D("500.00"), "31_60": D("1950.00"), "61_90": D("0.00"),
        "over_90": D("300.00")}
    with ledger.sessions() as s:
        assert aging_at(s, date(2026, 7, 1)).balance.total.total == D("100.00")  # F0 due, paid the 2nd


def add_invoice(db, number, total_cents, status="open", kind="invoice", customer="Garage Petit",
                issued=date(2026, 1, 5), due=date(2026, 2, 4)):
    from sqlalchemy import select

    from app.models import Customer, Invoice

    with db.transaction() as s:
        owner = s.scalar(select(Customer).where(Customer.name == customer))
        invoice = Invoice(number=number, customer=owner, issue_date=issued, due_date=due, total_cents=total_cents,
                          kind=kind, status=status)
        s.add(invoice)
        s.flush()
        return invoice.id


def allocate(db, invoice_id, cents, on, payment_from=None, credit_note_id=None):
    from sqlalchemy import select

    from app.models import Allocation, Customer, Payment

    with db.transaction() as s:
        payment_id = None
        if payment_from:
            payer = s.scalar(select(Customer.id).where(Customer.name == payment_from))
            payment = Payment(customer_id=payer, received_on=on, amount_cents=cents)
            s.add(payment)
            s.flush()
            payment_id = payment.id
        s.add(Allocation(invoice_id=invoice_id, payment_id=payment_id, credit_note_id=credit_note_id,
                         allocated_on=on, amount_cents=cents))


def garage_petit_total(db, at):
    with db.sessions() as s:
        report = aging_at(s, at)
    return {report.names[c]: b.total for c, b in report.balance.by_customer.items()}.get("Garage Petit")


def test_status_paid_does_not_hide_what_is_still_due(ledger):
    """An invoice marked paid by hand with only 300 of 1 000 allocated still owes 700."""
    before = garage_petit_total(ledger, TODAY)
    invoice = add_invoice(ledger, "F50", 100000, status="paid")
    allocate(ledger, invoice, 30000, date(2026, 2, 10), payment_from="Garage Petit")
    assert garage_petit_total(ledger, TODAY) == before + D("700.00")


def test_credit_note_allocated_later_still_counts_before(ledger):
    """A -200 credit note issued 05/01, marked paid, allocated to F51 on 10/02: at 20/01 both are open."""
    invoice = add_invoice(ledger, "F51", 100000, issued=date(2026, 1, 2), due=date(2026, 3, 1))
    credit = add_invoice(ledger, "AV51", -20000, status="paid", kind="credit_note", issued=date(2026, 1, 5),
                         due=date(2026, 1, 5))
    allocate(ledger, invoice, 20000, date(2026, 2, 10), credit_note_id=credit)
    assert garage_petit_total(ledger, date(2026, 1, 20)) == D("800.00")   # 1 000 - 200, nothing else then
    assert garage_petit_total(ledger, date(2026, 2, 15)) == D("800.00")   # netted: F51 800 left, AV51 done


def test_payment_of_another_customer_settles_only_its_own_side(ledger):
    """Boulangerie Martin pays 1 000 of Garage Petit's F1: Petit's balance drops, Martin's is unchanged."""
    from sqlalchemy import select

    from app.models import Invoice

    with ledger.sessions() as s:
        f1 = s.scalar(select(Invoice.id).where(Invoice.number == "F1"))
        report = aging_at(s, TODAY)
    martin_before = {report.names[c]: b.total for c, b in report.balance.by_customer.items()}["Boulangerie Martin"]
    allocate(ledger, f1, 100000, date(2026, 11, 21), payment_from="Boulangerie Martin")
    with ledger.sessions() as s:
        report = aging_at(s, TODAY)
    totals = {report.names[c]: b.total for c, b in report.balance.by_customer.items()}
    assert totals["Garage Petit"] == D("550.00")          # 1 550 - 1 000
    assert totals["Boulangerie Martin"] == martin_before  # its payment is fully used, nothing negative left
    from app.models import Customer
    from app.services.customers import customer_exposure

    with ledger.sessions() as s:  # the customer card reads one customer's items: the same figures
        martin = s.scalar(select(Customer.id).where(Customer.name == "Boulangerie Martin"))
        petit = s.scalar(select(Customer.id).where(Customer.name == "Garage Petit"))
        assert customer_exposure(s, martin, TODAY).total == martin_before
        assert customer_exposure(s, petit, TODAY).total == D("550.00")
