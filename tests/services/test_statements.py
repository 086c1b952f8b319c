"""A bank statement imported: its lines, balances and credits recorded, the certain matches applied, the
others left to the owner, everything undone with the import; and the owner's decisions (allocate, take back)."""

import json
from datetime import date, timedelta
from decimal import Decimal as D
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.importers.records import BankLineRecord, StatementRead, StatementBalance, with_bank_hashes
from app.models import Allocation, BankBalance, BankLine, Company, Customer, Invoice, Payment
from app.services.cockpit import cockpit
from app.__main__ import main
from app.domain.money import from_cents
from app.services.import_history import undo_import, undo_question
from app.services.imports import import_file, import_records
from app.services.reconciliation import allocate, unallocate
from app.services.to_reconcile import pending
from app.services import statements
from app.services.statements import cash_position
from tests.cli.test_cli import location
from tests.importers.test_cfonb import record, write
from tests.conftest import TODAY

IBAN_PETIT = "FR7630006000011234567890189"


@pytest.fixture
def firm(db):
    """Garage Petit (code C0001, pays from IBAN_PETIT): F2026-0142 1 200 €, F2026-0150 800 €, F2026-0160 450 €;
    Boulangerie Martin: F2026-0201 300 €."""
    with db.transaction() as s:
        s.add(Company(name="Atelier Test SARL", siren="732829320"))
        petit = Customer(name="Garage Petit", code="C0001", siren="552100554")
        martin = Customer(name="Boulangerie Martin", code="C0002")
        s.add_all([petit, martin])
        s.flush()
        for number, customer, cents, issued in (("F2026-0142", petit, 120000, date(2026, 9, 1)),
                                                 ("F2026-0150", petit, 80000, date(2026, 9, 15)),
                                                 ("F2026-0160", petit, 45000, date(2026, 10, 1)),
                                                 ("F2026-0201", martin, 30000, date(2026, 10, 5))):
            s.add(Invoice(number=number, customer=customer, issue_date=issued, due_date=issued, total_cents=cents,
                          net_cents=cents))
        old = Payment(customer=petit, received_on=date(2026, 6, 1), amount_cents=1000, payer_iban=IBAN_PETIT)
        s.add(old)
    return db


def statement(*lines, balances=()) -> StatementRead:
    records = [BankLineRecord(on, D(amount), label, iban=iban, account="FR76ACCOUNT", line=i)
               for i, (on, amount, label, iban) in enumerate(lines, 2)]
    return StatementRead(kind="cfonb", rows=len(records), bank_lines=with_bank_hashes(records),
                      statement_balances=list(balances))


def run(db, tmp_path, result):
    source = tmp_path / "releve.txt"
    source.write_text("relevé")
    with db.transaction() as s:
        return import_records(s, source, result, today=TODAY)


NOVEMBER = statement(
    (date(2026, 11, 2), "1200.00", "VIR SEPA GARAGE PETIT FACT F2026-0142", ""),      # quoted, exact: applied
    (date(2026, 11, 3), "450.00", "VIR SEPA REGLEMENT", IBAN_PETIT),                   # IBAN, amount of 0160
    (date(2026, 11, 4), "99.00", "VIR INCONNU SA", ""),                                # nobody
    (date(2026, 11, 5), "-1500.00", "PRLV LOYER SCI", ""),                            # a debit
    balances=[StatementBalance("FR76ACCOUNT", date(2026, 11, 1), D("10000.00"), closing=False),
              StatementBalance("FR76ACCOUNT", date(2026, 11, 20), D("10149.00"))])


def test_a_statement_records_its_lines_and_applies_only_the_certain_match(firm, tmp_path):
    summary = run(firm, tmp_path, NOVEMBER)
    assert summary.as_json()["matched_auto"] == 1
    assert (summary.as_json()["proposed"], summary.as_json()["unmatched"]) == (1, 1)
    assert summary.statement_lines == 4 and summary.created["payments"] == 3
    with firm.sessions() as s:
        assert s.scalar(select(Invoice.status).where(Invoice.number == "F2026-0142")) == "paid"
        assert s.scalar(select(Invoice.status).where(Invoice.number == "F2026-0160")) == "open"  # only proposed
        allocations = s.execute(select(Allocation.amount_cents, Allocation.allocated_on)).all()
        assert allocations == [(120000, date(2026, 11, 2))]
        owners = dict(s.execute(select(Payment.amount_cents, Customer.name).outerjoin(Customer)
                                .where(Payment.received_on >= date(2026, 11, 1))).all())
        # the IBAN's credit is Garage Petit's unallocated cash (deducted in the aging), the unknown one nobody's
        assert owners == {120000: "Garage Petit", 45000: "Garage Petit", 9900: None}
        assert s.scalar(select(func.count()).select_from(BankLine).where(BankLine.payment_id.is_(None))) == 1
        balances = s.execute(select(BankBalance.stated_on, BankBalance.amount_cents).order_by(BankBalance.stated_on))
        assert balances.all() == [(date(2026, 10, 31), 1000000), (date(2026, 11, 20), 1014900)]


def test_the_same_statement_again_adds_nothing_and_undo_takes_it_all_back(firm, tmp_path):
    first = run(firm, tmp_path, NOVEMBER)
    again = run(firm, tmp_path, NOVEMBER)
    assert again.statement_lines == 0 and again.duplicates == 4 and again.created["payments"] == 0
    with firm.transaction() as s:
        undo_import(s, again.batch_id)
        undo_import(s, first.batch_id)
    with firm.sessions() as s:
        assert [s.scalar(select(func.count()).select_from(m)) for m in (BankLine, BankBalance, Allocation)] == [0, 0, 0]
        assert s.scalar(select(func.count()).select_from(Payment)) == 1  # the old one only
        assert s.scalar(select(Invoice.status).where(Invoice.number == "F2026-0142")) == "open"


def test_pending_credits_are_proposed_and_the_owner_allocates_and_takes_back(firm, tmp_path):
    run(firm, tmp_path, NOVEMBER)
    with firm.sessions() as s:
        waiting = {p.amount: p for p in pending(s)}
    assert set(waiting) == {D("450.00"), D("99.00")}
    proposal = waiting[D("450.00")].proposal
    assert proposal.confidence != "certain" and proposal.customer_id is not None
    with firm.sessions() as s:
        f0160 = s.scalar(select(Invoice.id).where(Invoice.number == "F2026-0160"))
        f0150 = s.scalar(select(Invoice.id).where(Invoice.number == "F2026-0150"))
        f0201 = s.scalar(select(Invoice.id).where(Invoice.number == "F2026-0201"))
    assert [a.invoice_id for a in proposal.allocations] == [f0160]
    payment_id = waiting[D("450.00")].payment_id
    with firm.transaction() as s, pytest.raises(ValueError, match="ne doit plus que 450,00"):
        allocate(s, payment_id, [(f0160, D("460.00"))])
    with firm.transaction() as s, pytest.raises(ValueError, match="un seul client"):
        allocate(s, payment_id, [(f0160, D("100.00")), (f0201, D("100.00"))])
    with firm.transaction() as s:  # split: 300 on F2026-0150, 150 on F2026-0160
        assert allocate(s, payment_id, [(f0150, D("300.00")), (f0160, D("150.00"))]) == \
            "450,00\u00a0€ imputés sur F2026-0150, F2026-0160."
    with firm.sessions() as s:
        assert [p.amount for p in pending(s)] == [D("99.00")]
        assert s.get(Invoice, f0150).settled_cents == 30000 and s.get(Invoice, f0150).status == "open"
    with firm.transaction() as s:
        assert unallocate(s, payment_id) == "Imputations annulées : 450,00\u00a0€ à nouveau à rapprocher."
    with firm.sessions() as s:
        assert {p.amount for p in pending(s)} == {D("450.00"), D("99.00")}
        assert s.get(Invoice, f0150).settled_cents == 0


def test_an_allocation_that_pays_an_invoice_in_full_makes_it_paid_and_feeds_its_payment_date(firm, tmp_path):
    run(firm, tmp_path, NOVEMBER)
    with firm.sessions() as s:
        payment_id = next(p.payment_id for p in pending(s) if p.amount == D("450.00"))
        f0160 = s.scalar(select(Invoice.id).where(Invoice.number == "F2026-0160"))
    with firm.transaction() as s:
        allocate(s, payment_id, [(f0160, D("450.00"))])
    with firm.sessions() as s:
        invoice = s.get(Invoice, f0160)
        assert (invoice.status, invoice.paid_on) == ("paid", date(2026, 11, 3))


def test_the_forecast_starts_from_the_latest_balance_with_the_monthly_debits(firm, tmp_path):
    """Rent debited on the 5th of September and October: projected on 05/12 (week of 30/11), from the balance
    of 20/11 (10 149 €)."""
    run(firm, tmp_path, statement((date(2026, 9, 5), "-1500.00", "PRLV LOYER SCI 09", ""),
                                  (date(2026, 10, 5), "-1500.00", "PRLV LOYER SCI 10", ""),
                                  balances=[StatementBalance("FR76ACCOUNT", date(2026, 11, 20), D("10149.00"))]))
    with firm.sessions() as s:
        position = cash_position(s, TODAY)
        figures = cockpit(s, TODAY)
    assert (position.balance, position.balance_on) == (D("10149.00"), date(2026, 11, 20))
    assert figures.cash_on == date(2026, 11, 20)
    assert figures.forecast[1].week_start == date(2026, 11, 30) and figures.forecast[1].outflows == D("1500.00")
    assert figures.forecast[0].balance == D("10149.00") + figures.forecast[0].expected


def test_the_owner_can_validate_two_invoices_minus_a_credit_note(firm, tmp_path):
    """1 150 € = F2026-0142 (1 200) + F2026-0150 (800) - credit note AV-0170 (850): the credit note settles 850
    of F2026-0142, the payment its other 350 and F2026-0150's 800; both invoices paid, the credit note used."""
    with firm.transaction() as s:
        petit = s.scalar(select(Customer).where(Customer.code == "C0001"))
        s.add(Invoice(number="AV-0170", customer=petit, issue_date=date(2026, 10, 20), due_date=date(2026, 10, 20),
                      total_cents=-85000, net_cents=-85000, kind="credit_note"))
    run(firm, tmp_path, statement((date(2026, 11, 6), "1150.00", "VIR GARAGE PETIT", "")))
    with firm.sessions() as s:
        ids = dict(s.execute(select(Invoice.number, Invoice.id)).all())
        payment_id = pending(s)[0].payment_id
    with firm.transaction() as s, pytest.raises(ValueError, match="ne rend plus que 850,00"):
        allocate(s, payment_id, [(ids["F2026-0142"], D("1200.00")), (ids["AV-0170"], D("-900.00"))])
    with firm.transaction() as s:
        allocate(s, payment_id, [(ids["F2026-0142"], D("1200.00")), (ids["F2026-0150"], D("800.00")),
                                 (ids["AV-0170"], D("-850.00"))])
    with firm.sessions() as s:
        rows = sorted(s.execute(select(Allocation.invoice_id, Allocation.credit_note_id, Allocation.payment_id,
                                       Allocation.amount_cents)).all(), key=lambda r: (r[0], r[3]))
        assert rows == [(ids["F2026-0142"], None, payment_id, 35000),
                        (ids["F2026-0142"], ids["AV-0170"], None, 85000),
                        (ids["F2026-0150"], None, payment_id, 80000)]
        assert {s.get(Invoice, ids[n]).status for n in ("F2026-0142", "F2026-0150")} == {"paid"}
        assert s.get(Invoice, ids["AV-0170"]).settled_cents == 85000 and pending(s) == []


FIXTURES = Path(__file__).resolve().parents[2].parent / "shared" / "fixtures"
BANK_FILES = sorted(p for folder in ("cfonb120", "camt053", "ofx", "bank_csv_fr") if (FIXTURES / folder).is_dir()
                    for p in (FIXTURES / folder).iterdir()
                    if p.name != "SOURCE.txt" and not p.name.startswith("not-a-statement"))


@pytest.mark.skipif(not BANK_FILES, reason="../shared/fixtures absent (CI has it beside the checkout)")
@pytest.mark.parametrize("path", BANK_FILES, ids=lambda p: p.name)
def test_every_bank_file_of_the_fixtures_is_recorded_once(db, path):
    """Through the import service, as ``encours import`` does: every line the reader reads is recorded, every
    credit is a payment of the same amount, the stated balances are kept; the same file again adds nothing."""
    from app.importers import detect

    read = detect(path).read(path)
    account = IBAN_PETIT if any(not line.account for line in read.bank_lines) else None  # a file naming none
    with db.transaction() as s:
        first = import_file(s, path, today=TODAY, account=account)
    assert first.errors == [] and first.statement_lines == len(read.bank_lines)
    credits = sorted(line.amount for line in read.bank_lines if line.amount > 0)
    with db.sessions() as s:
        assert sorted(from_cents(c) for c in s.scalars(select(Payment.amount_cents))) == credits
        assert s.scalar(select(func.count()).select_from(BankLine)) == len(read.bank_lines)
        assert s.scalar(select(func.count()).select_from(BankBalance)) == len(
            {(b.account, b.on if b.closing else b.on - timedelta(days=1)) for b in read.statement_balances})
    with db.transaction() as s:
        again = import_file(s, path, today=TODAY)  # its account remembered for its layout
    assert (again.statement_lines, again.duplicates, again.created["payments"]) == (0, len(read.bank_lines), 0)


def test_the_command_line_says_what_the_matching_did(firm, tmp_path, capsys):
    """``encours import --as cfonb --json`` on a CFONB statement of two credits: one quoting F2026-0142 for its
    exact amount (applied), one from nobody (left)."""
    statement_file = write(tmp_path / "releve.cfo", [
        record("01", on="011126", amount="0000000100000{"),
        record("04", on="021126", label="VIR GARAGE PETIT F2026-0142", amount="0000000012000{"),
        record("04", on="031126", label="VIR INCONNU SA", amount="0000000000990{"),
        record("07", on="301126", amount="0000000112990{")])
    assert main(["--db", location(firm), "import", "--as", "cfonb", "--json", str(statement_file)]) == 0
    report = json.loads(capsys.readouterr().out)
    assert (report["matched_auto"], report["proposed"], report["unmatched"]) == (1, 0, 1)
    assert report["created"]["payments"] == 2 and report["statement_lines"] == 2


def test_a_credit_already_recorded_by_the_accountant_is_tied_to_that_payment_not_doubled(firm, tmp_path):
    """Garage Petit's 1 200 € of 02/11 is already in the database (the accountant's export, received on 31/10):
    the bank's credit of 02/11 is that payment; no second payment, nothing deducted twice from Garage Petit."""
    with firm.transaction() as s:
        petit = s.scalar(select(Customer).where(Customer.code == "C0001"))
        s.add(Payment(customer=petit, received_on=date(2026, 10, 31), amount_cents=120000, reference="FEC BQ 512"))
    summary = run(firm, tmp_path, statement((date(2026, 11, 2), "1200.00", "VIR SEPA GARAGE PETIT", "")))
    assert (summary.recorded_before, summary.created["payments"], summary.statement_lines) == (1, 0, 1)
    assert "1 encaissement(s) déjà enregistré(s)" in summary.statement_text()
    with firm.sessions() as s:
        assert s.scalar(select(func.count()).select_from(Payment).where(Payment.amount_cents == 120000)) == 1
        line = s.scalar(select(BankLine))
        assert s.get(Payment, line.payment_id).reference == "FEC BQ 512"


def test_a_zero_line_is_left_out_with_a_warning(firm, tmp_path):
    """A 0,00 € line (a fee waived) moves no money: the statement imports, the line is named in a warning."""
    summary = run(firm, tmp_path, statement((date(2026, 11, 2), "0.00", "FRAIS OFFERTS", ""),
                                            (date(2026, 11, 3), "-12.00", "COTISATION CARTE", "")))
    assert summary.statement_lines == 1 and [w.line for w in summary.warnings] == [2]
    assert "montant nul" in summary.warnings[0].message


def test_an_invoice_named_twice_is_checked_on_its_total(firm, tmp_path):
    run(firm, tmp_path, NOVEMBER)
    with firm.sessions() as s:
        payment_id = next(p.payment_id for p in pending(s) if p.amount == D("450.00"))
        f0160 = s.scalar(select(Invoice.id).where(Invoice.number == "F2026-0160"))
    with firm.transaction() as s, pytest.raises(ValueError, match="ne doit plus que 450,00"):
        allocate(s, payment_id, [(f0160, D("300.00")), (f0160, D("300.00"))])


def test_one_account_in_two_formats_states_one_balance_and_an_old_account_none(firm, tmp_path):
    """The same account stated by its IBAN (camt) and by its number alone (a CSV export): one account, its
    latest balance; an account last stated a year ago is left out of today's cash."""
    iban = "FR7630006000011234567890189"
    run(firm, tmp_path, statement(balances=[StatementBalance(iban, date(2026, 11, 10), D("5000.00"))]))
    run(firm, tmp_path, statement(balances=[StatementBalance("12345678901", date(2026, 11, 20), D("5200.00")),
                                            StatementBalance("99999999999", date(2025, 11, 30), D("700.00"))]))
    with firm.sessions() as s:
        position = cash_position(s, TODAY)
        assert set(s.scalars(select(BankBalance.account))) == {"300060000112345678901", "99999999999"}
    assert (position.balance, position.balance_on) == (D("5200.00"), date(2026, 11, 20))


def test_a_statement_cut_short_says_so(firm, tmp_path):
    """An account opened (01) and never closed (07), or a file where nothing was read: imported, with a
    remark saying the file may be incomplete."""
    cut = run(firm, tmp_path, statement((date(2026, 11, 2), "-10.00", "FRAIS", ""), balances=[
        StatementBalance("FR76ACCOUNT", date(2026, 11, 2), D("100.00"), closing=False)]))
    assert [w.value for w in cut.warnings] == ["FR76ACCOUNT"] and "pas de solde final" in cut.warnings[0].message
    empty = run(firm, tmp_path, StatementRead(kind="ofx"))
    assert empty.matching is not None and "aucune opération ni aucun solde lus" in empty.warnings[0].message


def test_the_banks_reference_is_read_for_invoice_numbers(firm, tmp_path):
    """A Caisse d'Épargne line keeps the payer's reference apart from the label: F2026-0142 quoted there, for
    its exact amount, is applied as if it were in the label."""
    line = BankLineRecord(date(2026, 11, 2), D("1200.00"), "VIR SEPA RECU", reference="F2026-0142",
                          account="FR76ACCOUNT", line=2)
    summary = run(firm, tmp_path, StatementRead(kind="bank", rows=1, bank_lines=with_bank_hashes([line])))
    assert summary.matching.auto == 1
    with firm.sessions() as s:
        assert s.scalar(select(Invoice.status).where(Invoice.number == "F2026-0142")) == "paid"


def lines(kind, account, *rows) -> StatementRead:
    records = [BankLineRecord(on, D(amount), label, account=account, line=i)
               for i, (on, amount, label) in enumerate(rows, 2)]
    return StatementRead(kind=kind, rows=len(records), bank_lines=with_bank_hashes(records))


def test_the_same_week_in_another_format_adds_only_what_is_new(firm, tmp_path):
    """The week downloaded as a CSV (account number alone), then as OFX (IBAN, other labels): the movements
    already recorded are recognised by account, day and amount and left out with a warning. Where the OFX
    holds more lines of a day and amount than recorded (two 99,00 €, one known), which one is new cannot be
    told: both are recorded, each with a "doublon possible" warning. The same number at another bank is
    another account: its lines are not compared."""
    run(firm, tmp_path, lines("bank", "12345678901", (date(2026, 11, 2), "1200.00", "VIR GARAGE PETIT F2026-0142"),
                              (date(2026, 11, 4), "99.00", "VIR INCONNU"), (date(2026, 11, 5), "-1500.00", "LOYER")))
    again = run(firm, tmp_path, lines(
        "ofx", "FR76 3000 6000 0112 3456 7890 189", (date(2026, 11, 2), "1200.00", "VIREMENT SEPA RECU DE GARAGE PETIT"),
        (date(2026, 11, 4), "99.00", "VIREMENT SEPA RECU INCONNU"), (date(2026, 11, 4), "99.00", "VIR DEUX"),
        (date(2026, 11, 5), "-1500.00", "PRELEVEMENT LOYER")))
    assert again.statement_lines == 2 and again.duplicates == 2
    assert [w.line for w in again.warnings if w.message.endswith("autre fichier : ignorée")] == [2, 5]
    assert [w.line for w in again.warnings if w.message.startswith("doublon possible")] == [3, 4]
    elsewhere = run(firm, tmp_path, lines("camt", "FR7617515900001234567890135",
                                          (date(2026, 11, 4), "99.00", "VIR AUTRE BANQUE")))
    assert elsewhere.statement_lines == 1 and not elsewhere.warnings
    with firm.sessions() as s:
        assert s.scalar(select(func.count()).select_from(BankLine)) == 6
        assert s.scalar(select(func.count()).select_from(Payment).where(Payment.amount_cents == 120000)) == 1


def test_of_two_movements_of_a_day_and_amount_the_new_one_is_never_the_one_dropped(firm, tmp_path):
    """Martin's 300 € is in the morning's CSV; the week's OFX holds Garage Petit's 300 € of the same afternoon
    first, then Martin's again: nothing is dropped (each a possible duplicate), so Petit's invoice is paid."""
    with firm.transaction() as s:
        petit = s.scalar(select(Customer).where(Customer.code == "C0001"))
        s.add(Invoice(number="F2026-0170", customer=petit, issue_date=date(2026, 10, 10),
                      due_date=date(2026, 10, 10), total_cents=30000, net_cents=30000))
    day = date(2026, 11, 4)
    run(firm, tmp_path, lines("bank", "12345678901", (day, "300.00", "VIR BOULANGERIE MARTIN F2026-0201")))
    week = run(firm, tmp_path, lines("ofx", IBAN_PETIT,  # the same account
                                     (day, "300.00", "VIREMENT SEPA GARAGE PETIT F2026-0170"),
                                     (day, "300.00", "VIREMENT SEPA BOULANGERIE MARTIN F2026-0201")))
    assert week.statement_lines == 2 and [w.line for w in week.warnings] == [2, 3]
    with firm.sessions() as s:
        assert s.scalar(select(Invoice.status).where(Invoice.number == "F2026-0170")) == "paid"


def test_a_line_recognised_by_its_hash_makes_the_others_of_its_day_and_amount_new(firm, tmp_path, monkeypatch):
    """A week once recorded twice (CSV, then OFX, before duplicates were recognised across formats): the next
    OFX overlaps that day with the same line again (recognised by its hash) and a new 99 € of Dupont, which
    is recorded, not swallowed by the twin."""
    day = date(2026, 11, 4)
    run(firm, tmp_path, lines("bank", "12345678901", (day, "99.00", "VIR INCONNU")))
    with monkeypatch.context() as before_the_upgrade:  # the twin, as the program recorded it then
        before_the_upgrade.setattr(statements, "_not_stated_elsewhere", lambda session, lines, fresh, summary: fresh)
        run(firm, tmp_path, lines("ofx", "12345678901", (day, "99.00", "VIREMENT SEPA RECU INCONNU")))
    week = run(firm, tmp_path, lines("ofx", "12345678901", (day, "99.00", "VIREMENT SEPA RECU INCONNU"),
                                     (day, "99.00", "VIREMENT SEPA RECU DUPONT")))
    assert week.statement_lines == 1 and week.duplicates == 1
    with firm.sessions() as s:
        assert "VIREMENT SEPA RECU DUPONT" in set(s.scalars(select(BankLine.label)))


def test_undoing_a_statement_counts_the_allocations_made_since_on_its_payments(firm, tmp_path):
    """The import applied F2026-0142 itself; the owner then split the 450 € over two invoices: undoing the
    import would take those two back too, and the question counts them (not the import's own). The same
    statement imported again records nothing and does not stand in the way; a later one that recorded only a
    debit does, and the answer is then why the import cannot be undone, before any question."""
    first = run(firm, tmp_path, NOVEMBER)
    with firm.sessions() as s:
        possible, question = undo_question(s, first.batch_id)
        assert possible and "Annuler l'import du relevé releve.txt" in question and "depuis" not in question
        payment_id = next(p.payment_id for p in pending(s) if p.amount == D("450.00"))
        f0150, f0160 = (s.scalar(select(Invoice.id).where(Invoice.number == n)) for n in ("F2026-0150", "F2026-0160"))
    with firm.transaction() as s:
        allocate(s, payment_id, [(f0150, D("300.00")), (f0160, D("150.00"))])
    with firm.sessions() as s:
        possible, question = undo_question(s, first.batch_id)
        assert possible and "2 imputation(s) faite(s) depuis" in question
        assert s.scalar(select(func.count()).select_from(Allocation)) == 3
    again = run(firm, tmp_path, NOVEMBER)
    assert again.batch_id != first.batch_id and not any(again.created.values())
    with firm.sessions() as s:
        assert undo_question(s, first.batch_id)[0]
    debit_only = run(firm, tmp_path, statement((date(2026, 11, 25), "-80.00", "PRLV EDF", "")))
    assert not any(debit_only.created.values())  # its bank line is all it left
    with firm.sessions() as s:
        assert undo_question(s, first.batch_id) == (False, "1 import(s) plus récent(s) peuvent dépendre de celui-ci : "
                                                           "annulez-les d'abord, du plus récent au plus ancien.")
