"""A reported settlement confirmed in parts, by the import or by the owner in « À rapprocher »: the export
(as of 30/11) counted 6 000 € of FA-2026-0152 paid; the bank shows that money in instalments, or from a payer
it cannot recognise, or late. Whatever the path, the invoice is settled by 6 000 € and the program holds
6 000 € received: never more."""

from datetime import date
from decimal import Decimal as D

import pytest
from sqlalchemy import func, select

from app.domain.money import format_eur, to_cents
from app.importers.records import BankLineRecord, StatementRead, with_bank_hashes
from app.models import Allocation, BankLine, Payment
from app.models.payment import UNDATED as REPORTED
from app.services.import_history import undo_import
from app.services.reconciliation import set_customer
from app.services.reported import confirm_by_owner
from app.services.settlement import TakenMeanwhile
from app.services.to_reconcile import pending
from tests.services.test_reported import AS_OF, export, invoice_state, known, money_received, run, week  # noqa: F401

NAMED = "VIR SEPA MASSON HABITAT REF F2026-0152"


def reported_left(db) -> int:
    """What the reported settlement still awaits from the bank (0: none left)."""
    with db.sessions() as s:
        return s.scalar(select(func.coalesce(func.sum(Payment.amount_cents), 0)).where(Payment.method == REPORTED))


def test_two_instalments_quoting_the_invoice_confirm_the_report_in_two_parts(known, tmp_path):
    run(known, tmp_path, export(), "export.csv", as_of=AS_OF)
    first = run(known, tmp_path, week(date(2026, 11, 10), NAMED, "4000.00"), "releve-1.cfo")
    assert (first.confirmed, first.created["payments"]) == (1, 1)
    assert invoice_state(known) == (600000, "open")
    assert (reported_left(known), money_received(known)) == (200000, 600000)
    second = run(known, tmp_path, week(date(2026, 11, 20), NAMED, "2000.00"), "releve-2.cfo")
    assert (second.confirmed, second.created["payments"]) == (1, 0)
    assert invoice_state(known) == (600000, "open")
    assert (reported_left(known), money_received(known)) == (0, 600000)
    with known.sessions() as s:
        tied = s.execute(select(Payment.received_on, Payment.amount_cents, Payment.settled_cents)
                         .join(BankLine, BankLine.payment_id == Payment.id).order_by(Payment.received_on)).all()
        assert tied == [(date(2026, 11, 10), 400000, 400000), (date(2026, 11, 20), 200000, 200000)]
        assert pending(s) == []


def test_undoing_the_instalments_latest_first_gives_the_report_back_whole(known, tmp_path):
    run(known, tmp_path, export(), "export.csv", as_of=AS_OF)
    batches = [run(known, tmp_path, week(on, NAMED, amount), f"releve-{n}.cfo").batch_id
               for n, (on, amount) in enumerate(((date(2026, 11, 10), "4000.00"), (date(2026, 11, 20), "2000.00")))]
    for batch_id, awaiting in zip(reversed(batches), (200000, 600000)):
        with known.transaction() as s:
            undo_import(s, batch_id)
        assert invoice_state(known) == (600000, "open") and money_received(known) == 600000
        assert reported_left(known) == awaiting
    with known.sessions() as s:
        assert s.scalar(select(func.count()).select_from(Allocation)) == 1


def test_a_credit_of_an_unknown_payer_is_offered_the_report_once_its_customer_is_said(known, tmp_path):
    """Paid by the manager's own account, after the bank delay: the import cannot take it as the evidence;
    À rapprocher offers the report once the owner says whose it is, and confirming it keeps the invoice
    settled once."""
    run(known, tmp_path, export(), "export.csv", as_of=AS_OF)
    late = run(known, tmp_path, week(date(2026, 12, 20), "VIREMENT M. DURAND", "6000.00"), "releve.cfo")
    assert late.confirmed == 0
    with known.sessions() as s:
        (waiting,) = pending(s)
        assert waiting.reported is None
    with known.transaction() as s:
        set_customer(s, waiting.payment_id, s.scalar(select(Payment.customer_id).where(Payment.method == REPORTED)))
    with known.sessions() as s:
        (waiting,) = pending(s)
        assert (waiting.reported.number, waiting.reported.amount) == ("FA-2026-0152", D("6000.00"))
        assert waiting.reported.reference == "Réglé selon export.csv au 30/11/2026"
    with known.transaction() as s:
        said = confirm_by_owner(s, waiting.payment_id, waiting.reported.payment_id, expected_left=waiting.left)
    assert said == "FA-2026-0152 : règlement déclaré confirmé par le virement du 20/12/2026."
    assert invoice_state(known) == (600000, "open") and money_received(known) == 600000
    with known.sessions() as s:
        assert pending(s) == [] and s.scalar(select(Payment.method)) == "virement"


def test_the_owner_confirms_part_of_a_report_and_the_rest_still_awaits_the_bank(known, tmp_path):
    run(known, tmp_path, export(), "export.csv", as_of=AS_OF)
    run(known, tmp_path, week(date(2026, 12, 18), "VIR MASSON HABITAT", "2500.00"), "releve.cfo")  # late
    with known.sessions() as s:
        (waiting,) = pending(s)
        assert waiting.reported is not None  # the customer's only report
    with known.transaction() as s:
        said = confirm_by_owner(s, waiting.payment_id, waiting.reported.payment_id, expected_left=waiting.left)
    assert said == (f"FA-2026-0152 : {format_eur(D('2500'))} du règlement déclaré confirmés par le virement du "
                    f"18/12/2026 ; {format_eur(D('3500'))} restent en attente du relevé.")
    assert invoice_state(known) == (600000, "open") and money_received(known) == 600000
    assert reported_left(known) == 350000


def test_a_confirmation_over_another_user_s_is_refused(known, tmp_path):
    run(known, tmp_path, export(), "export.csv", as_of=AS_OF)
    run(known, tmp_path, week(date(2026, 12, 18), "VIR MASSON HABITAT", "6000.00"), "releve.cfo")
    with known.sessions() as s:
        (waiting,) = pending(s)
    with known.transaction() as s:
        confirm_by_owner(s, waiting.payment_id, waiting.reported.payment_id, expected_left=waiting.left)
    with pytest.raises(TakenMeanwhile), known.transaction() as s:
        confirm_by_owner(s, waiting.payment_id, waiting.reported.payment_id, expected_left=waiting.left)
    assert invoice_state(known) == (600000, "open") and money_received(known) == 600000


def lines(*specs) -> StatementRead:
    """One statement of several credits: (date, label, amount)."""
    found = [BankLineRecord(on, D(amount), label, account="FR7630004000031234567890143", line=n + 2)
             for n, (on, label, amount) in enumerate(specs)]
    return StatementRead(kind="cfonb", rows=len(found), bank_lines=with_bank_hashes(found))


def test_a_statement_of_two_instalments_is_undone_back_to_the_whole_report(known, tmp_path):
    run(known, tmp_path, export(), "export.csv", as_of=AS_OF)
    both = run(known, tmp_path, lines((date(2026, 11, 10), NAMED, "4000.00"), (date(2026, 11, 20), NAMED, "2000.00")),
               "releve.cfo")
    assert both.confirmed == 2 and reported_left(known) == 0
    with known.transaction() as s:
        undo_import(s, both.batch_id)
    assert invoice_state(known) == (600000, "open") and money_received(known) == 600000
    assert reported_left(known) == 600000


@pytest.mark.parametrize("credit", ["6000.00", "2500.00"])
def test_undoing_the_export_after_the_owner_confirmed_it_with_an_older_credit_gives_the_credit_back(
        known, tmp_path, credit):
    """The statement first (a payer the bank cannot name), the export after, the owner ties them: undoing the
    export (the latest import) leaves the bank's money as it came, unallocated, in « À rapprocher »."""
    run(known, tmp_path, week(date(2026, 11, 20), "VIREMENT M. DURAND", credit), "releve.cfo")
    exported = run(known, tmp_path, export(), "export.csv", as_of=AS_OF)
    with known.transaction() as s:
        (waiting,) = pending(s)
        set_customer(s, waiting.payment_id, s.scalar(select(Payment.customer_id).where(Payment.method == REPORTED)))
    with known.sessions() as s:
        (waiting,) = pending(s)
    with known.transaction() as s:
        confirm_by_owner(s, waiting.payment_id, waiting.reported.payment_id, expected_left=waiting.left)
    assert invoice_state(known) == (600000, "open") and money_received(known) == 600000
    with known.transaction() as s:
        undo_import(s, exported.batch_id)
    assert money_received(known) == to_cents(D(credit)) and invoice_state(known) == (0, "open")
    with known.sessions() as s:
        (back,) = pending(s)
        assert (back.amount, back.left, back.label) == (D(credit), D(credit), "VIREMENT M. DURAND")


def test_an_instalment_undone_after_the_rest_was_confirmed_awaits_the_bank_anew(known, tmp_path):
    """6 000 € reported; S0 brings 2 000 € late, S1 4 000 € quoting the invoice (confirmed at import); the
    owner ties S0 to the 2 000 € left. Undoing S1: 2 000 € confirmed by S0, 4 000 € awaiting the bank again,
    and S1 imported again confirms them, never counted twice."""
    run(known, tmp_path, export(), "export.csv", as_of=AS_OF)
    s0 = run(known, tmp_path, week(date(2026, 12, 18), "VIR MASSON HABITAT", "2000.00"), "releve-0.cfo")
    s1 = run(known, tmp_path, week(date(2026, 11, 10), NAMED, "4000.00"), "releve-1.cfo")
    with known.sessions() as s:
        (waiting,) = pending(s)
    with known.transaction() as s:
        confirm_by_owner(s, waiting.payment_id, waiting.reported.payment_id, expected_left=waiting.left)
    with known.transaction() as s:
        undo_import(s, s1.batch_id)
    with known.sessions() as s:
        assert sorted(s.execute(select(Payment.method, Payment.amount_cents, Payment.settled_cents)).all()) == [
            (REPORTED, 400000, 400000), ("virement", 200000, 200000)]
    assert invoice_state(known) == (600000, "open") and money_received(known) == 600000
    again = run(known, tmp_path, week(date(2026, 11, 10), NAMED, "4000.00"), "releve-1-bis.cfo")
    assert again.confirmed == 1 and reported_left(known) == 0
    assert invoice_state(known) == (600000, "open") and money_received(known) == 600000
    for batch_id in (again.batch_id, s0.batch_id):
        with known.transaction() as s:
            undo_import(s, batch_id)
        assert invoice_state(known) == (600000, "open") and money_received(known) == 600000
    assert reported_left(known) == 600000


def test_the_statement_summary_says_what_its_instalments_confirmed_and_what_still_awaits(known, tmp_path):
    run(known, tmp_path, export(), "export.csv", as_of=AS_OF)
    first = run(known, tmp_path, week(date(2026, 11, 10), NAMED, "4000.00"), "releve-1.cfo")
    assert first.statement_text().startswith(
        f"1 ligne(s) de relevé nouvelle(s), dont 1 encaissement(s) : 1 confirmant un règlement déclaré par un export "
        f"(compté une seule fois ; 1 en partie, {format_eur(D('2000'))} restant en attente du relevé), 0 rapproché(s) "
        "automatiquement, 0 à confirmer")
    second = run(known, tmp_path, week(date(2026, 11, 20), NAMED, "2000.00"), "releve-2.cfo")
    assert "dont 1 encaissement(s) : 1 confirmant un règlement déclaré par un export (compté une seule fois), 0 " \
        in second.statement_text()
