"""The aging summed by the database agrees with the domain's aging of every open item, at any date."""

from datetime import date, timedelta

import pytest

from app.domain.aging import aging_balance
from app.services.aging import aging_summary, open_items, still_due_rows
from app.domain.money import from_cents
from tests.conftest import TODAY, copied


@pytest.fixture(scope="module")
def demo(tmp_path_factory, demo_template):
    db = copied(demo_template[0], tmp_path_factory.mktemp("demo") / "demo.sqlite")
    yield db
    db.dispose()


def same(summary, balance):
    assert summary.total.amounts == balance.total.amounts
    assert {k: v.amounts for k, v in summary.by_customer.items()} == {
        k: v.amounts for k, v in balance.by_customer.items()}


@pytest.mark.parametrize("at", [TODAY, TODAY - timedelta(days=7), date(2026, 6, 30), date(2025, 12, 31),
                                date(2024, 3, 1), TODAY + timedelta(days=40)])
def test_sql_aging_equals_the_domain_aging_of_the_demo(demo, at):
    with demo.sessions() as s:
        same(aging_summary(s, at), aging_balance(open_items(s, at), at))


@pytest.mark.parametrize("at", [TODAY, date(2026, 6, 30), date(2025, 12, 31)])
def test_sql_aging_of_a_few_customers_is_theirs_in_the_whole_aging(demo, at):
    """A customer's card and the trend of the customers to call ask for a few customers, by another path
    (their own items first): the same amounts as theirs in the aging of everyone."""
    with demo.sessions() as s:
        everyone = aging_summary(s, at)
        few = sorted(everyone.by_customer)[::9]
        some = aging_summary(s, at, few)
    assert len(few) > 5 and {k: v.amounts for k, v in some.by_customer.items()} == {
        k: everyone.by_customer[k].amounts for k in few}


def test_still_due_in_total_equals_the_receivables(demo):
    from app.services.ledger_history import ledger_history

    with demo.sessions() as s:
        history = ledger_history(s)
        for at in (TODAY, date(2025, 5, 17)):
            owed = sum(row[0] for row in still_due_rows(s, at, []) + still_due_rows(s, at, [], payments=True))
            assert owed > 0 and from_cents(owed) == history.receivables(at)


def test_sql_aging_of_the_hand_made_ledger(ledger):
    with ledger.sessions() as s:
        for at in (TODAY, date(2026, 11, 14), date(2026, 7, 1), date(2026, 7, 2)):
            same(aging_summary(s, at), aging_balance(open_items(s, at), at))


@pytest.mark.parametrize("at", [TODAY, date(2026, 3, 31), date(2025, 8, 31)])
def test_delays_summed_by_the_database_are_the_domains(demo, at):
    from app.domain import kpi
    from app.services.payment_history import delay_sums, paid_invoices

    with demo.sessions() as s:
        paid = paid_invoices(s, kpi.delay_windows(at)[0], at)
        sums = delay_sums(s, at)
    assert set(sums) == set(paid) and len(sums) > 50
    for customer, invoices in paid.items():
        assert kpi.delays_from_sums(sums[customer]) == (kpi.average_delay(invoices, at),
                                                        kpi.delay_trend(invoices, at)), customer


@pytest.mark.parametrize("at", [TODAY, TODAY - timedelta(days=7), date(2025, 12, 31)])
def test_still_due_invoice_by_invoice_is_each_open_items(demo, at):
    """Grouped by the invoice itself (the deadline alerts), each row is one invoice, read without GROUP BY:
    what is still due on each, at any date, is its open item's."""
    from app.domain.aging import still_due
    from app.models import Invoice

    with demo.sessions() as s:
        rows = still_due_rows(s, at, [Invoice.id, Invoice.customer_id])
        items = {item.key[1]: still_due(item, at) for item in open_items(s, at) if item.key[0] == "invoice"}
    by_invoice = {invoice: from_cents(cents) for invoice, _customer, cents in rows if cents}
    assert len(by_invoice) > 50
    assert by_invoice == {invoice: amount for invoice, amount in items.items() if amount}
