"""The Clients list and the Relances list of a large ledger are computed in aggregate (the database sums each
customer's exposure; the dunning reads only the customers it may chase or hold): the same figures as the
domain's aging of every open item and as the dunning of every customer that owes something, on the demo
company and on a generated ledger with written-off invoices, partial payments, credit notes allocated and
allocations dated after the day asked."""

from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import select, update

from app.domain.aging import Buckets, aging_balance
from app.domain.dunning import todays_actions
from app.domain.settlement import CREDIT_NOTE, PAYMENT, Share
from app.models import Company, Dispute, Invoice, Payment
from app.services import settlement
from app.services.aging import open_items
from app.services.customers import list_customers
from app.services.demo import create_demo_company
from app.services.dunning import accounts, due_actions
from app.services.risk import all_scores
from tests.conftest import TODAY

BENCH = Path(__file__).resolve().parents[2] / "bench"
DAYS = (TODAY, TODAY - timedelta(days=10), date(2026, 6, 30))
COURTESY_DAY = date(2026, 11, 8)  # a risky customer of the generated ledger has nothing late, an invoice due soon


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    from app.models.db import open_database

    db = open_database(str(tmp_path_factory.mktemp("demo") / "demo.sqlite"))
    with db.transaction() as s:
        create_demo_company(s, today=TODAY)
    yield db
    db.dispose()


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    """bench/cockpit_bench.py's ledger (10 000 invoices, 150 customers, dated up to TODAY), and what it lacks:
    invoices written off, payments partly allocated (some after the days asked), credit notes allocated,
    disputes."""
    from app.models.db import open_database

    path = tmp_path_factory.mktemp("generated") / "ledger.sqlite"
    with pytest.MonkeyPatch.context() as patch:
        patch.syspath_prepend(str(BENCH))  # the script imports its neighbour timing.py
        from cockpit_bench import generate
        generate(path, 10_000, 150)
    db = open_database(str(path))
    with db.transaction() as s:
        open_ids = s.scalars(select(Invoice.id).where(Invoice.settled_on.is_(None), Invoice.kind == "invoice")
                             .order_by(Invoice.id)).all()
        notes = s.execute(select(Invoice.id, Invoice.customer_id, Invoice.total_cents)
                          .where(Invoice.kind == "credit_note").order_by(Invoice.id)).all()
        s.execute(update(Invoice).where(Invoice.id.in_(open_ids[::17])).values(status="written_off"))
        invoices = {i.id: i for i in s.scalars(select(Invoice).where(Invoice.id.in_(open_ids)))}
        shares = []
        for n, invoice_id in enumerate(open_ids[1::5]):
            invoice = invoices[invoice_id]
            payment = Payment(customer_id=invoice.customer_id, received_on=TODAY - timedelta(days=n % 40),
                              amount_cents=invoice.total_cents // 2 + 5000)
            s.add(payment)
            s.flush()
            on = [TODAY - timedelta(days=n % 40), TODAY - timedelta(days=5), TODAY + timedelta(days=3)][n % 3]
            shares.append(Share(invoice_id, PAYMENT, payment.id, invoice.total_cents // 3, max(on, invoice.issue_date)))
        for (note_id, customer_id, cents), invoice_id in zip(notes[::3], open_ids[2::7]):
            invoice = invoices[invoice_id]
            shares.append(Share(invoice_id, CREDIT_NOTE, note_id, min(-cents, invoice.total_cents // 4),
                                max(invoice.issue_date, TODAY - timedelta(days=8))))
        settlement.write(s, shares)
        s.add_all(Dispute(invoice_id=invoice_id, reason="prix contesté", opened_on=TODAY - timedelta(days=20))
                  for invoice_id in open_ids[3::29])
    yield db
    db.dispose()


@pytest.mark.parametrize("at", DAYS)
@pytest.mark.parametrize("ledger_name", ["demo", "generated"])
def test_the_customers_list_is_the_aging_of_every_open_item(request, ledger_name, at):
    """Exposure = all the customer's items still open (unallocated credit notes and payments deducted), overdue
    = those past their due date (the payments by their date): as app.domain.aging says of each item."""
    with request.getfixturevalue(ledger_name).sessions() as s:
        rows = list_customers(s, at)
        expected = aging_balance(open_items(s, at), at).by_customer
    assert len(rows) > 20 and sum(row.overdue != 0 for row in rows) > 10
    for row in rows:
        owed = expected.get(row.id, Buckets())
        assert (row.exposure, row.overdue) == (owed.total, owed.overdue), row.name
        assert row.over_limit == (row.credit_limit is not None and owed.total > row.credit_limit)


@pytest.mark.parametrize("at", DAYS + (COURTESY_DAY,))
@pytest.mark.parametrize("ledger_name", ["demo", "generated"])
def test_the_dunning_of_who_may_be_chased_is_that_of_every_customer_that_owes(request, ledger_name, at):
    """Relances reads only the customers with an invoice late or near its courtesy reminder, and scores only
    them from the aging it read: the same actions, in the same order, and the same holds as the dunning of
    every customer that owes something, scored by the dashboard's computation of every score."""
    with request.getfixturevalue(ledger_name).sessions() as s:
        actions, holds = due_actions(s, at)
        tolerance = Decimal(s.scalar(select(Company.tolerance_cents))).scaleb(-2)
        every = accounts(s, at, all_scores(s, at), all_owing=True)
    assert len(every) > len({a.customer_id for a in actions} | {h.customer_id for h in holds})
    assert actions
    assert (actions, holds) == todays_actions(at, every, tolerance)


def test_a_customer_with_nothing_late_still_gets_its_courtesy_reminder(generated):
    """Kept among the customers that may be chased: one whose invoice falls due within the plan's days."""
    with generated.sessions() as s:
        actions, _holds = due_actions(s, COURTESY_DAY)
    (courtesy,) = [a for a in actions if a.step == "pre_due"]
    assert courtesy.grade in ("D", "E") and all(i.due_date >= COURTESY_DAY for i in courtesy.invoices)


@pytest.mark.parametrize("count", [1, 3, 10])
@pytest.mark.parametrize("at", DAYS)
@pytest.mark.parametrize("ledger_name", ["demo", "generated"])
def test_the_customers_to_call_are_the_first_of_every_customers_dunning(request, ledger_name, at, count):
    """The dashboard's customers to call run the dunning of a few customers at a time, those whose late
    invoices owe most: the same actions as the first of Relances' whole list ranked by what they claim, even
    when the customers that owe most are held (a promise to pay, « ne pas relancer », a reminder sent two
    days ago for invoices since moved to them from another customer: the letter is that customer's)."""
    from app.models import Activity, Customer, DunningLetter
    from app.services.dunning import by_amount_claimed, largest_late_actions, open_invoice_columns
    from app.services.aging import still_due_rows

    db = request.getfixturevalue(ledger_name)
    with db.sessions() as s:
        scores = all_scores(s, at)

        def ranked():
            read = (still_due_rows(s, at, open_invoice_columns()),
                    still_due_rows(s, at, [Payment.customer_id, Payment.received_on], payments=True))
            actions, holds = due_actions(s, at, scores, read)
            return read, sorted((a for a in actions if a.step != "pre_due"), key=by_amount_claimed), holds

        _read, before, _holds = ranked()
        first, second, third = before[:3]
        other = next(a.customer_id for a in before[3:])
        s.add(Activity(customer_id=first.customer_id, kind="promise", text="paiera", happened_at=at,
                       promised_on=at + timedelta(days=5)))
        s.get(Customer, second.customer_id).dunning_hold_until = at + timedelta(days=3)
        moved = [{"invoice_id": i.invoice_id, "number": i.number, "amount_due": 100} for i in third.invoices]
        s.add(DunningLetter(customer_id=other, step=third.step, sent_on=at - timedelta(days=1), lines=moved,
                            amount_due_cents=100 * len(moved)))
        read, after, holds = ranked()
        expected = after[:count]
        assert {first.customer_id, second.customer_id, third.customer_id} <= {h.customer_id for h in holds}
        assert largest_late_actions(s, at, scores, read, count) == expected
        s.rollback()
    assert len(expected) == min(count, len(after)) > 0
