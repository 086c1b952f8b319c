"""Two users confirming the same bank credit at once (issue 15: on PostgreSQL one 1 245,78 € payment was
allocated twice): the second is told, nothing is doubled. Runs on SQLite and, with make test-postgresql, on
PostgreSQL."""

import threading
from datetime import date
from decimal import Decimal as D

import pytest
from sqlalchemy import func, select

from app.models import Allocation, Customer, Invoice, Payment
from app.services.reconciliation import allocate
from app.services.settlement import TakenMeanwhile
from app.services.store import commit


@pytest.fixture
def credit(db):
    with db.transaction() as s:
        customer = Customer(name="Garage Petit", code="C1")
        s.add(customer)
        s.flush()
        for number in ("F1", "F2"):
            s.add(Invoice(number=number, customer=customer, issue_date=date(2026, 10, 1), due_date=date(2026, 10, 31),
                          total_cents=124578, net_cents=124578))
        s.add(Payment(received_on=date(2026, 11, 20), amount_cents=124578, reference="VIR GARAGE PETIT"))
    with db.sessions() as s:
        return (s.scalar(select(Payment.id)), {n: i for n, i in s.execute(select(Invoice.number, Invoice.id))})


def test_a_confirmation_of_money_another_user_just_allocated_is_told_and_nothing_is_doubled(db, credit):
    """Both screens showed 1 245,78 € left; the first user confirmed F1, the second then confirms F2."""
    payment_id, invoices = credit
    commit(db, allocate, payment_id, [(invoices["F1"], D("1245.78"))], expected_left=D("1245.78"))
    with pytest.raises(TakenMeanwhile, match="vient d'être imputé par un autre poste"):
        commit(db, allocate, payment_id, [(invoices["F2"], D("1245.78"))], expected_left=D("1245.78"))
    assert_allocated_once(db)


def test_two_simultaneous_confirmations_one_wins_the_other_is_told(db, credit):
    payment_id, invoices = credit
    start, outcome = threading.Barrier(2), {}

    def user(number: str) -> None:
        start.wait()
        try:
            outcome[number] = commit(db, allocate, payment_id, [(invoices[number], D("1245.78"))],
                                     expected_left=D("1245.78"))
        except ValueError as refused:
            outcome[number] = refused

    users = [threading.Thread(target=user, args=(number,)) for number in ("F1", "F2")]
    for thread in users:
        thread.start()
    for thread in users:
        thread.join()
    refused = [value for value in outcome.values() if isinstance(value, Exception)]
    assert len(refused) == 1 and isinstance(refused[0], TakenMeanwhile), outcome
    assert_allocated_once(db)


def assert_allocated_once(db) -> None:
    with db.sessions() as s:
        assert s.scalar(select(Payment.settled_cents)) == 124578
        assert s.scalar(select(func.count()).select_from(Allocation)) == 1
        assert sorted(s.scalars(select(Invoice.status))) == ["open", "paid"]


def test_the_database_itself_refuses_a_payment_allocated_beyond_its_amount(db, credit):
    """Whoever writes (a path that would skip the service's checks): the constraint of migration 0012."""
    from sqlalchemy.exc import IntegrityError

    from app.domain.settlement import PAYMENT, Share
    from app.services import settlement

    payment_id, invoices = credit
    with pytest.raises(IntegrityError), db.transaction() as s:
        settlement.write(s, [Share(invoices["F1"], PAYMENT, payment_id, 124578, date(2026, 11, 20)),
                             Share(invoices["F2"], PAYMENT, payment_id, 100, date(2026, 11, 20))])
    with db.sessions() as s:
        assert s.scalar(select(func.count()).select_from(Allocation)) == 0
