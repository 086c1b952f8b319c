"""The demo company: deterministic for a seed and a date, realistic, refused in a database already in use,
and cancellable with nothing left behind."""

from __future__ import annotations

import re
from collections import defaultdict
from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import func, select
from stdnum import iban

from app.domain.aging import BUCKETS, OpenItem, Settlement, aging_balance
from app.domain.money import from_cents, to_cents
from app.jobs import Job, JobCancelled
from app.models import (
    Activity, Allocation, Company, Customer, Dispute, DunningLetter, Guarantee, Invoice, Payment, Segment,
)
from app.models.db import open_database
from app.domain.vocabulary import DUNNING_STEP_LABELS, DunningStep
from app.services.aging import aging_summary
from app.services.cockpit import cockpit
from app.services.demo import DemoSummary, create_demo_company
from app.services.dunning import due_actions
from app.services.reminders import remind
from app.services.identifiers import siren_error
from tests.conftest import copied

TODAY = date(2026, 11, 23)


def build(path, *, seed: int = 1, today: date = TODAY):
    db = open_database(str(path))
    with db.transaction() as session:
        summary = create_demo_company(session, today=today, seed=seed)
    return db, summary


@pytest.fixture(scope="module")
def demo(tmp_path_factory, demo_template):
    """The run's demo (seed 1, on TODAY), one copy for this module's tests, which only read it."""
    template, summary = demo_template
    db = copied(template, tmp_path_factory.mktemp("demo") / "demo.sqlite")
    yield db, summary
    db.dispose()


@pytest.fixture
def session(demo):
    db, _ = demo
    with db.sessions() as session:
        yield session


def snapshot(db) -> tuple[list, ...]:
    with db.sessions() as session:
        customers = session.execute(select(
            Customer.code, Customer.name, Customer.siren, Customer.segment, Customer.terms_kind, Customer.terms_days,
            Customer.credit_limit_cents, Customer.created_on).order_by(Customer.id)).all()
        invoices = session.execute(select(
            Invoice.number, Customer.name, Invoice.issue_date, Invoice.due_date, Invoice.total_cents, Invoice.status,
        ).join(Customer, Invoice.customer_id == Customer.id).order_by(Invoice.number)).all()
        payments = session.execute(select(
            Payment.customer_id, Payment.received_on, Payment.amount_cents, Payment.method, Payment.reference,
        ).order_by(Payment.id)).all()
        allocations = session.execute(select(
            Allocation.invoice_id, Allocation.payment_id, Allocation.credit_note_id, Allocation.allocated_on,
            Allocation.amount_cents).order_by(Allocation.id)).all()
        letters = session.execute(select(
            DunningLetter.customer_id, DunningLetter.step, DunningLetter.sent_on, DunningLetter.amount_due_cents,
            DunningLetter.penalties_cents).order_by(DunningLetter.id)).all()
    return customers, invoices, payments, allocations, letters


def open_items(session) -> list[OpenItem]:
    """Every invoice, credit note and payment with its allocations, as the aging balance reads them."""
    on_invoice, on_note, on_payment = defaultdict(list), defaultdict(list), defaultdict(list)
    for allocation in session.scalars(select(Allocation)):
        amount = from_cents(allocation.amount_cents)
        on_invoice[allocation.invoice_id].append(Settlement(allocation.allocated_on, amount))
        if allocation.credit_note_id:
            on_note[allocation.credit_note_id].append(Settlement(allocation.allocated_on, -amount))
        else:
            on_payment[allocation.payment_id].append(Settlement(allocation.allocated_on, -amount))
    items = [OpenItem(invoice.customer_id, invoice.issue_date, invoice.due_date, from_cents(invoice.total_cents),
                      tuple((on_invoice if invoice.kind == "invoice" else on_note)[invoice.id]), invoice.number)
             for invoice in session.scalars(select(Invoice))]
    items += [OpenItem(payment.customer_id, payment.received_on, payment.received_on,
                       -from_cents(payment.amount_cents), tuple(on_payment[payment.id]))
              for payment in session.scalars(select(Payment))
              if payment.customer_id is not None]  # money from a payer not recognised yet is on no account
    return items


# Determinism ------------------------------------------------------------------------------------------------

def test_same_seed_and_day_give_the_same_rows(demo, tmp_path):
    db, summary = demo
    again, again_summary = build(tmp_path / "again.sqlite")
    assert again_summary == summary
    assert snapshot(again) == snapshot(db)
    again.dispose()


def test_another_seed_gives_other_rows(demo, tmp_path):
    db, _ = demo
    other, _ = build(tmp_path / "other.sqlite", seed=2)
    mine, theirs = snapshot(db), snapshot(other)
    assert mine[0] != theirs[0]  # customers
    assert mine[1] != theirs[1]  # invoices
    other.dispose()


# Realism ----------------------------------------------------------------------------------------------------

def test_summary_counts_what_was_created(demo, session):
    _, summary = demo
    assert isinstance(summary, DemoSummary)
    assert summary.customers == session.scalar(select(func.count()).select_from(Customer)) == 150
    assert summary.invoices == session.scalar(select(func.count()).where(Invoice.kind == "invoice"))
    assert summary.credit_notes == session.scalar(select(func.count()).where(Invoice.kind == "credit_note"))
    assert summary.payments == session.scalar(select(func.count()).select_from(Payment))
    assert 6_000 <= summary.invoices <= 12_000
    assert summary.credit_notes > 10
    assert summary.payments > 4_000


def test_the_company_has_valid_identifiers(session):
    company = session.scalars(select(Company)).one()
    assert company.name == "Atelier Dubois SARL"
    assert siren_error(company.siren) is None and len(company.siren) == 9
    assert company.vat_number.endswith(company.siren)
    assert company.iban.startswith("FR76") and iban.is_valid(company.iban)
    assert (company.terms.days, company.tolerance_cents) == (30, 500)


def test_customers_span_the_four_segments_with_valid_sirens(session):
    customers = session.scalars(select(Customer)).all()
    by_segment = defaultdict(list)
    for customer in customers:
        by_segment[Segment(customer.segment)].append(customer)
    assert set(by_segment) == set(Segment)
    assert len(by_segment[Segment.PRIVATE]) > len(customers) / 2
    assert [customer.code for customer in customers] == [f"C{n:04d}" for n in range(1, 151)]
    assert len({customer.name for customer in customers}) == len(customers)
    for customer in customers:
        assert siren_error(customer.siren) is None, (customer.name, customer.siren)
        assert bool(customer.siren) == (customer.segment != Segment.CONSUMER)
        assert re.fullmatch(r"0\d( \d\d){4}", customer.phone)
        assert "@" in customer.email and customer.contact_name
    for customer in by_segment[Segment.CONSUMER]:
        assert customer.terms.kind == "on_receipt" and customer.credit_limit_cents is None
    assert {customer.salesperson for customer in customers} <= {"Julien", "Sophie", "Karim", "Nathalie"}
    assert {(c.terms_kind, c.terms_days) for c in customers} >= {
        ("net", 30), ("net", 60), ("days_end_of_month", 45), ("end_of_month_days", 45), ("on_receipt", 0)}


def test_customers_exist_before_their_first_invoice(session):
    first = dict(session.execute(
        select(Invoice.customer_id, func.min(Invoice.issue_date)).group_by(Invoice.customer_id)).all())
    for customer in session.scalars(select(Customer)):
        assert customer.created_on < first[customer.id]


def test_invoices_are_consistent(session):
    invoices = session.scalars(select(Invoice)).all()
    numbers = [invoice.number for invoice in invoices]
    assert len(set(numbers)) == len(numbers)
    rates = (Decimal("0.20"), Decimal("0.10"), Decimal("0.055"))
    for invoice in invoices:
        assert invoice.total_cents == invoice.net_cents + invoice.vat_cents, invoice.number
        assert invoice.issue_date <= invoice.due_date <= date(2027, 3, 1)
        assert invoice.issue_date <= TODAY and invoice.issue_date.weekday() < 5
        net = from_cents(abs(invoice.net_cents))
        assert abs(invoice.vat_cents) in {to_cents(net * rate) for rate in rates}, invoice.number
        if invoice.kind == "invoice":
            assert re.fullmatch(rf"F{invoice.issue_date.year}-\d{{5}}", invoice.number)
            assert invoice.customer.terms.due_date(invoice.issue_date) == invoice.due_date
            assert invoice.total_cents > 0
        else:
            assert re.fullmatch(rf"AV{invoice.issue_date.year}-\d{{4}}", invoice.number)
            assert invoice.total_cents < 0
    years = {invoice.issue_date.year for invoice in invoices}
    assert years == {2023, 2024, 2025, 2026}


def test_allocations_never_exceed_what_they_settle(session):
    invoices = {invoice.id: invoice for invoice in session.scalars(select(Invoice))}
    payments = {payment.id: payment for payment in session.scalars(select(Payment))}
    on_invoice, from_payment, from_note = defaultdict(int), defaultdict(int), defaultdict(int)
    for allocation in session.scalars(select(Allocation)):
        assert allocation.allocated_on <= TODAY
        on_invoice[allocation.invoice_id] += allocation.amount_cents
        assert invoices[allocation.invoice_id].kind == "invoice"
        if allocation.payment_id:
            from_payment[allocation.payment_id] += allocation.amount_cents
            assert allocation.allocated_on == payments[allocation.payment_id].received_on
        else:
            from_note[allocation.credit_note_id] += allocation.amount_cents
            assert invoices[allocation.credit_note_id].kind == "credit_note"
    for invoice in invoices.values():
        if invoice.kind == "invoice":
            assert on_invoice[invoice.id] <= invoice.total_cents, invoice.number
            assert (on_invoice[invoice.id] == invoice.total_cents) == (invoice.status == "paid"), invoice.number
        else:
            assert from_note[invoice.id] <= -invoice.total_cents
    for payment in payments.values():
        assert from_payment[payment.id] <= payment.amount_cents
        assert payment.received_on <= TODAY
    assert any(from_payment[payment_id] == 0 for payment_id in payments), "some payments are on account"
    notes = [invoice for invoice in invoices.values() if invoice.kind == "credit_note"]
    assert any(from_note[note.id] for note in notes) and any(not from_note[note.id] for note in notes)


def test_statuses_disputes_and_bankruptcy(session):
    statuses = dict(session.execute(select(Invoice.status, func.count()).group_by(Invoice.status)).all())
    assert statuses["doubtful"] >= 3 and statuses["open"] > 100 and statuses["paid"] > 4_000
    open_disputes = session.scalars(select(Dispute).where(Dispute.closed_on.is_(None))).all()
    assert open_disputes and all(dispute.invoice.status == "disputed" for dispute in open_disputes)
    assert session.scalar(select(func.count()).where(Dispute.closed_on.is_not(None))) >= 1
    disputed = session.scalars(select(Invoice).where(Invoice.status == "disputed")).all()
    assert {invoice.id for invoice in disputed} == {dispute.invoice_id for dispute in open_disputes}
    doubtful = session.scalars(select(Invoice).where(Invoice.status == "doubtful")).all()
    assert len({invoice.customer_id for invoice in doubtful}) == 1
    assert sum((TODAY - invoice.due_date).days > 90 for invoice in doubtful) >= 3


def test_aging_has_a_not_due_bucket_and_every_overdue_bucket(session):
    balance = aging_balance(open_items(session), TODAY)
    assert all(balance.total[bucket] > 0 for bucket in BUCKETS), balance.total.amounts
    assert balance.total["not_due"] > balance.total.total * 4 / 10


@pytest.mark.parametrize("at", [date(2024, 2, 29), date(2025, 6, 30), date(2026, 3, 31), TODAY])
def test_the_aging_service_agrees_with_every_item_read_plainly(session, at):
    """The service loads only the items still open at ``at`` (an SQL filter on amounts); reading every
    item and allocation of the demo without any filter must give the same balance, customer by customer."""
    from app.services.aging import aging_at

    reference = aging_balance(open_items(session), at)
    service = aging_at(session, at).balance
    assert service.total.amounts == reference.total.amounts
    assert {c: b.amounts for c, b in service.by_customer.items()} == \
        {c: b.amounts for c, b in reference.by_customer.items() if b.total or any(b.amounts.values())}


def test_follow_up_rows(session):
    kinds = dict(session.execute(select(Guarantee.kind, func.count()).group_by(Guarantee.kind)).all())
    assert kinds["credit_insurance"] >= 15 and kinds["bank_guarantee"] >= 2 and kinds["deposit"] >= 1
    insurers = set(session.scalars(select(Guarantee.guarantor).where(Guarantee.kind == "credit_insurance")))
    assert insurers <= {"Allianz Trade", "Coface", "Atradius"}
    promises = session.scalars(select(Activity).where(Activity.kind == "promise")).all()
    assert promises and all(promise.promised_on > TODAY and promise.promised_cents > 0 for promise in promises)
    assert all(activity.happened_at.date() <= TODAY for activity in session.scalars(select(Activity)))
    letters = session.scalars(select(DunningLetter)).all()
    assert letters and all(letter.sent_on <= TODAY for letter in letters)
    for letter in letters:
        assert letter.amount_due_cents == sum(line["amount_due"] for line in letter.lines) > 0
    # the history follows the dunning rules: a customer chased once a day at most, every step of the plans
    days = [(letter.customer_id, letter.sent_on) for letter in letters]
    assert len(days) == len(set(days))
    assert {letter.step for letter in letters} >= {"first_reminder", "second_reminder", "phone_call",
                                                    "formal_notice", "litigation"}


# Refusal and cancellation ----------------------------------------------------------------------------------

def test_refuses_a_database_that_already_has_a_company(tmp_path):
    db = open_database(str(tmp_path / "used.sqlite"))
    with db.transaction() as session:
        session.add(Company(name="Menuiserie Martin"))
    with pytest.raises(ValueError, match="déjà une société"):
        with db.transaction() as session:
            create_demo_company(session, today=TODAY)
    with db.sessions() as session:
        assert session.scalar(select(func.count()).select_from(Customer)) == 0
    db.dispose()


def test_refuses_a_second_demo(demo):
    db, _ = demo
    with pytest.raises(ValueError, match="déjà une société"):
        with db.transaction() as session:
            create_demo_company(session, today=TODAY)


def test_a_job_cancelled_beforehand_leaves_nothing(tmp_path):
    db = open_database(str(tmp_path / "cancelled.sqlite"))
    job = Job()
    job.cancel()
    with pytest.raises(JobCancelled):
        with db.transaction() as session:
            create_demo_company(session, today=TODAY, job=job)
    with db.sessions() as session:
        assert session.scalar(select(func.count()).select_from(Customer)) == 0
        assert session.scalar(select(func.count()).select_from(Company)) == 0
    db.dispose()


def test_a_job_cancelled_midway_leaves_nothing_and_progress_was_reported(tmp_path):
    db = open_database(str(tmp_path / "midway.sqlite"))
    reports = []

    def on_progress(done: int, total: int, label: str) -> None:
        reports.append((done, total, label))
        if done == 100:
            job.cancel()

    job = Job(on_progress)
    with pytest.raises(JobCancelled):
        with db.transaction() as session:
            create_demo_company(session, today=TODAY, job=job)
    assert reports[0] == (0, reports[0][1], "Création de la société de démonstration")
    assert reports[-1][0] == 100 < reports[0][1]
    with db.sessions() as session:
        assert session.scalar(select(func.count()).select_from(Customer)) == 0
    db.dispose()


def test_progress_reaches_its_total(tmp_path):
    reports = []
    db = open_database(str(tmp_path / "progress.sqlite"))
    with db.transaction() as session:
        create_demo_company(session, today=date(2024, 2, 29), seed=7, job=Job(lambda *report: reports.append(report)))
    done, total, _ = reports[-1]
    assert done == total > 100
    db.dispose()


def test_the_last_weeks_receipts_come_through_a_statement_matched_without_a_wrong_allocation(demo, session):
    """The payments of the last 13 weeks arrive as bank lines, worded as banks do (the cheques of a day paid in
    together, a few invoice numbers mistyped): most are applied by the matcher, the others wait for the owner,
    none is applied to invoices it did not pay; only the pooled cheques are nobody's yet."""
    from app.models import BankBalance, BankLine

    _, summary = demo
    bank = summary.bank
    assert bank.credits == session.scalar(select(func.count()).select_from(BankLine).where(BankLine.amount_cents > 0))
    assert bank.auto + bank.proposed + bank.unmatched == bank.credits > 300
    assert bank.wrong_auto == 0 and bank.wrong_proposed < 0.1 * bank.proposed
    assert bank.auto >= 0.75 * bank.credits
    nobodys = select(BankLine.label).join(Payment, BankLine.payment_id == Payment.id).where(
        Payment.customer_id.is_(None))
    labels = session.scalars(nobodys).all()
    assert 0 < len(labels) <= bank.unmatched + bank.proposed
    assert sum(label.startswith("REMISE") and "CHEQUES" in label for label in labels) >= len(labels) // 2
    assert session.scalar(select(func.count()).select_from(BankLine).where(BankLine.amount_cents < 0)) > 30
    assert session.scalar(select(func.max(BankBalance.stated_on))) == TODAY


def test_every_customer_owing_beyond_the_tolerance_is_chased_or_held_for_a_real_reason(session):
    """No customer above the tolerance is held for « 0,00 € » of net overdue: it gets an action, or a hold
    that says why (a dispute, a promise, the next step's date, the litigation file) with its net overdue."""
    actions, holds = due_actions(session, TODAY)
    tolerance = from_cents(session.scalar(select(Company.tolerance_cents)))
    assert all(h.net_overdue >= tolerance or h.reason.count("litige en cours") for h in holds)
    assert not any("tolérance" in h.reason or "0,00 €" in h.reason for h in holds)
    assert {h.reason.split(" possible le ")[0] for h in holds if " possible le " in h.reason} <= set(
        DUNNING_STEP_LABELS.values())
    chased = {a.customer_id for a in actions} | {h.customer_id for h in holds}
    overdue = aging_summary(session, TODAY).by_customer
    assert [customer for customer, buckets in overdue.items() if buckets.overdue > tolerance
            and customer not in chased] == []


def test_the_dashboards_customers_to_call_are_relances_largest_late_payers(session):
    actions, _holds = due_actions(session, TODAY)
    late = sorted((a for a in actions if a.step != DunningStep.PRE_DUE), key=lambda a: (-a.amount_due, a.name))
    to_call = cockpit(session, TODAY).to_call
    assert len(to_call) == 10
    assert [(e.customer_id, e.overdue, e.days_late, e.step) for e in to_call] == [
        (a.customer_id, a.amount_due, a.days_late, a.step) for a in late[:10]]


def test_the_emails_of_the_demo_leave_every_litigation_file_out(session, tmp_path):
    reminders, _holds = remind(session, TODAY, tmp_path, emails=True)
    litigation = [r for r in reminders if r.action.step == DunningStep.LITIGATION]
    assert litigation and all(r.file.exists() and r.no_email for r in litigation)
    emails = sorted(path.name for path in tmp_path.glob("*.eml"))
    assert emails and not [name for name in emails if "contentieux" in name]
    assert len(emails) == len([r for r in reminders if r.file]) - len(litigation)
    session.rollback()


def test_one_customer_in_redressement_with_its_declaration_deadline_running(session):
    """Judged five weeks before the demo's day, published ten days later, no declaration yet: the deadline runs;
    its invoices issued before the judgment are still unpaid, and none is paid or chased after it."""
    from app.models import CustomerProceeding
    from app.services.proceedings import proceeding_view

    rows = session.scalars(select(CustomerProceeding)).all()
    assert [(row.kind, row.claim_sent_on) for row in rows] == [("redressement", None)]
    row = rows[0]
    assert row.published_on is not None and row.mandataire_name and "Lyon" in row.mandataire_address
    assert 33 <= (TODAY - row.judgment_on).days <= 37 and 10 <= (row.published_on - row.judgment_on).days <= 12
    view = proceeding_view(session, row.customer_id, TODAY)
    assert [d.what for d in view.running] == ["déclaration de créance"] and view.running[0].days_left > 0
    invoices = session.scalars(select(Invoice).where(Invoice.customer_id == row.customer_id)).all()
    before = [i for i in invoices if i.issue_date < row.judgment_on and i.due_date < row.judgment_on
              and i.status != "paid"]
    assert len(before) >= 2 and any(i.issue_date >= row.judgment_on for i in invoices)
    assert not session.scalar(select(func.count()).select_from(Allocation).join(Invoice, Allocation.invoice_id ==
                              Invoice.id).where(Invoice.customer_id == row.customer_id,
                                                Invoice.issue_date < row.judgment_on,
                                                Allocation.allocated_on >= row.judgment_on,
                                                Allocation.payment_id.is_not(None)))
    assert not session.scalar(select(func.count()).select_from(DunningLetter).where(
        DunningLetter.customer_id == row.customer_id, DunningLetter.sent_on >= row.judgment_on))
