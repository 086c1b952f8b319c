"""Which account a statement is of: one key whatever the file writes (IBAN, RIB, bank and branch codes beside
the number), two accounts of one number at two banks kept apart, the keys of the number alone that files of
earlier versions hold, and the account the user says of a statement that names none (remembered per
layout; refused on the command line without it)."""

import json
from dataclasses import replace
from datetime import date
from decimal import Decimal as D

import pytest
from sqlalchemy import func, select

from app.__main__ import main
from app.importers import cfonb
from app.models import BankBalance, BankLine, ImportBatch, Payment, Preference
from app.services.bank_accounts import (AccountNeeded, account_key, account_label, known_accounts, rib_key,
                                        typed_account_error)
from app.services.imports import import_file
from app.services.statements import cash_position
from tests.cli.test_cli import location
from tests.conftest import TODAY
from tests.importers.test_cfonb import record, write
from tests.services.test_statements import firm, run  # noqa: F401 (the fixture)

IBAN = "FR7630003012340001234567854"  # 30003 01234 00012345678 54: the account of the CFONB records written here
KEY = "300030123400012345678"
OTHER_BANK = ("17515", "90000")  # a Caisse d'Épargne branch where an account bears the same number


@pytest.mark.parametrize("account, bank", [
    ("FR76 3000 3012 3400 0123 4567 854", ""), ("fr7630003012340001234567854", ""),  # IBAN, as typed or read
    ("MC5830003012340001234567854", ""),                                             # a Monaco IBAN
    ("30003 01234 00012345678 54", ""), ("30003012340001234567854", ""),              # RIB (CSV preamble)
    ("00012345678", "30003 01234"),                                                   # CFONB, OFX BANKID BRANCHID
    ("0001234567854", "30003 01234"),                                                 # OFX ACCTID with its key
])
def test_an_iban_a_rib_and_bank_branch_number_are_one_account(account, bank):
    assert account_key(account, bank) == KEY


@pytest.mark.parametrize("account, bank, key", [
    ("00012345678", "", "00012345678"), ("0001234567854", "", "00012345678"),  # a number alone, as older keys
    ("NL77 ABNA 0574 9087 65", "", "NL77ABNA0574908765"),                       # another IBAN is itself
    ("12300 000012345678", "160000100 00", "1600001000012300000012345678"),    # an American routing number
    ("", "30003 01234", ""), ("", "", ""),                                      # no account named
])
def test_other_accounts_keep_what_identifies_them(account, bank, key):
    assert account_key(account, bank) == key


def test_the_rib_key_and_how_an_account_is_shown():
    """RIB key = 97 − (89 × bank + 15 × branch + 3 × number) mod 97, a letter of the number read as a digit:
    30006 00001 12345678901 → 89 (the IBAN FR76 3000 6000 0112 3456 7890 189 banks print as an example);
    LCL's 30002 00447 0000888899H, H read as 8: 97 − 29 343 877 mod 97 = 97 − 19 = 78."""
    assert (rib_key("300060000112345678901"), rib_key("30002004470000888899H")) == ("89", "78")
    assert account_label(KEY) == "30003 01234 00012345678 54"
    assert account_label("NL77ABNA0574908765") == "NL77 ABNA 0574 9087 65"
    assert account_label("00012345678") == "00012345678"


def test_what_the_user_types_is_checked_in_french():
    assert typed_account_error("FR76 3000 3012 3400 0123 4567 854") is None
    assert typed_account_error("30003 01234 00012345678 54") is None
    assert typed_account_error("30003 01234 00012345678 55") == ("La clé de ce RIB devrait être 54, pas 55 : "
                                                                   "recopiez-le depuis le RIB de la banque.")
    assert "clé de contrôle fausse" in typed_account_error("FR76 3000 3012 3400 0123 4567 855")
    assert "n'est ni un IBAN" in typed_account_error("compte courant")
    assert "Indiquez l'IBAN ou le RIB" in typed_account_error("  ")
    assert typed_account_error("1600001000012300000012345678", known={"1600001000012300000012345678"}) is None


# the database ----------------------------------------------------------------------------------------------------

def at_bank(records: list[str], bank: str, branch: str) -> list[str]:
    """CFONB records of the same account number at another bank and branch."""
    return [r[:2] + bank + r[7:11] + branch + r[16:] for r in records]


def week(account: str = "00012345678", closing: str = "0000000102000{", *movements: str) -> list[str]:
    """A CFONB statement of one account: opening balance 10 000,00 € on 31/10/2026, the movements, closing."""
    return [record("01", account=account, on="311026", amount="0000000100000{"), *movements,
            record("07", account=account, on="061126", amount=closing)]


def credit(day: str, label: str, amount: str, account: str = "00012345678") -> str:
    return record("04", account=account, on=day, value_on=day, label=label, amount=amount)


def imported(db, path, **options):
    with db.transaction() as s:
        return import_file(s, path, today=TODAY, **options)


def test_one_number_at_two_banks_is_two_accounts(firm, tmp_path):
    """The same 200,00 € credit, same day, same label, on account 00012345678 at two banks: two lines, two
    payments, two balances, both in the cash."""
    records = week("00012345678", "0000000102000{", credit("021126", "VIR CLIENT UN", "0000000002000{"))
    first = imported(firm, write(tmp_path / "a.cfo", records))
    second = imported(firm, write(tmp_path / "b.cfo", at_bank(records, *OTHER_BANK)))
    assert (first.statement_lines, second.statement_lines, second.duplicates) == (1, 1, 0) and not second.warnings
    with firm.sessions() as s:
        assert sorted(s.scalars(select(BankLine.account))) == ["175159000000012345678", KEY]
        assert s.scalar(select(func.count()).select_from(Payment).where(Payment.amount_cents == 20000)) == 2
        assert cash_position(s, TODAY).balance == D("20400.00")


def test_keys_of_the_number_alone_become_the_accounts_first_named_in_full(firm, tmp_path):
    """A database of an earlier version holds the account number alone (its CFONB statement read without its
    bank and branch): the next statement, naming the account in full, renames those lines and balances; the
    line both statements hold is recognised by its hash, the new one recorded; the cash is one account's. A
    balance of a day the full key already states gives way to it."""
    earlier = cfonb.read(write(tmp_path / "earlier.cfo", week(
        "00012345678", "0000000101500{", credit("021126", "VIR CLIENT UN", "0000000001500{"))))
    run(firm, tmp_path, replace(earlier, statement_balances=[b._replace(bank="") for b in earlier.statement_balances],
                                bank_lines=[line._replace(bank="") for line in earlier.bank_lines]))
    with firm.transaction() as s:
        assert set(s.scalars(select(BankLine.account))) == set(s.scalars(select(BankBalance.account))) == {
            "00012345678"}
        s.add_all([BankBalance(account="00012345678", stated_on=date(2026, 10, 20), amount_cents=1),
                   BankBalance(account=KEY, stated_on=date(2026, 10, 20), amount_cents=2)])
    later = imported(firm, write(tmp_path / "later.cfo", week(
        "00012345678", "0000000102000{", credit("021126", "VIR CLIENT UN", "0000000001500{"),
        credit("051126", "VIR CLIENT DEUX", "0000000000500{"))))
    assert (later.statement_lines, later.duplicates, later.warnings) == (1, 1, [])
    with firm.sessions() as s:
        assert set(s.scalars(select(BankLine.account))) == set(s.scalars(select(BankBalance.account))) == {KEY}
        assert sorted(s.execute(select(BankBalance.stated_on, BankBalance.amount_cents)).all()) == [
            (date(2026, 10, 20), 2), (date(2026, 10, 31), 1000000), (date(2026, 11, 6), 1020000)]
        assert cash_position(s, TODAY).balance == D("10200.00")


def test_a_number_alone_at_two_known_banks_stays_itself(firm, tmp_path):
    """A balance kept under 00012345678 when both banks have an account of that number: nothing tells which
    it is, so it is renamed to neither, and a statement naming only that number stays under it."""
    with firm.transaction() as s:  # the number alone, as an older version kept it
        s.add(BankBalance(account="00012345678", stated_on=date(2026, 10, 30), amount_cents=99))
    imported(firm, write(tmp_path / "both.cfo", week() + at_bank(week(), *OTHER_BANK)))
    with firm.sessions() as s:
        assert set(s.scalars(select(BankBalance.account))) == {"00012345678", KEY, "175159000000012345678"}
    csv = tmp_path / "export.csv"
    csv.write_text("Compte de Dépôt n° 00012345678\nDate;Libellé;Montant\n04/11/2026;VIR DURAND;100,00\n",
                   encoding="utf-8")
    imported(firm, csv)
    with firm.sessions() as s:
        assert s.scalar(select(BankLine.account).where(BankLine.label == "VIR DURAND")) == "00012345678"


@pytest.mark.parametrize("path", ["pennylane_example.txt", "silarhi_complex-test.txt",
                                  "ekylibre_ofx_multiple_bank_accounts.ofx", "ofxparse_multiple_accounts.ofx"])
def test_files_of_several_accounts_keep_them_apart(db, path):
    """Each account of a multi-account file keeps its own lines and its own balance: the last one the file
    states for it."""
    from tests.services.test_statements import FIXTURES

    found = [p for p in FIXTURES.glob(f"*/{path}")]
    if not found:
        pytest.skip("../shared/fixtures absent (CI has it beside the checkout)")
    from app.importers import detect

    read = detect(found[0]).read(found[0])
    imported(db, found[0])
    last = {}
    for balance in sorted(read.statement_balances, key=lambda b: (b.on, b.closing)):
        last[account_key(balance.account, balance.bank)] = balance.amount
    lines = {}
    for line in read.bank_lines:
        lines[account_key(line.account, line.bank)] = lines.get(account_key(line.account, line.bank), 0) + 1
    assert len(last) == 2
    with db.sessions() as s:
        assert {account.key: account.balance for account in known_accounts(s)} == last
        assert dict(s.execute(select(BankLine.account, func.count()).group_by(BankLine.account)).all()) == lines


# a statement that names no account ---------------------------------------------------------------------------

CREDIT_MUTUEL = "Date;Date de valeur;Débit;Crédit;Libellé;Solde\n{rows}"
ROWS = ("02/11/2026;02/11/2026;;1 200,00;VIR SEPA GARAGE PETIT F2026-0142;11 200,00\n",
        "09/11/2026;09/11/2026;-80,00;;PRLV SEPA EDF;11 120,00\n")


def export(tmp_path, name: str, *rows: str, header: str = CREDIT_MUTUEL):
    path = tmp_path / name
    path.write_text(header.format(rows="".join(rows)), encoding="utf-8")
    return path


def counts(db) -> list[int]:
    with db.sessions() as s:
        return [s.scalar(select(func.count()).select_from(model))
                for model in (BankLine, BankBalance, Payment, ImportBatch, Preference)]


def test_the_command_line_refuses_a_statement_naming_no_account_and_lists_the_known_ones(firm, tmp_path, capsys):
    imported(firm, write(tmp_path / "a.cfo", week()))
    before = counts(firm)
    path = export(tmp_path, "export.csv", ROWS[0])
    assert main(["--db", location(firm), "import", str(path)]) == 1
    said = capsys.readouterr().err
    assert said == ("export.csv : ce relevé ne dit pas de quel compte bancaire il est : relancez avec --account "
                    "IBAN_OU_RIB (retenu ensuite pour les relevés présentés de même). Comptes connus : 30003 01234 "
                    "00012345678 54 (solde 10\u202f200,00\u00a0€ au 06/11/2026).\n")
    assert main(["--db", location(firm), "import", "--json", str(path)]) == 1
    assert "--account" in json.loads(capsys.readouterr().out)["error"]
    assert main(["--db", location(firm), "import", "--account", "30003 01234 00012345678 99", str(path)]) == 1
    assert capsys.readouterr().err == ("encours : --account : La clé de ce RIB devrait être 54, pas 99 : "
                                       "recopiez-le depuis le RIB de la banque.\n")
    assert main(["--db", location(firm), "import", "--dry-run", "--account", IBAN, str(path)]) == 0
    assert counts(firm) == before  # nothing written, nothing remembered


def test_the_account_given_once_is_remembered_for_the_layout(firm, tmp_path, capsys):
    first = export(tmp_path, "novembre-1.csv", ROWS[0])
    assert main(["--db", location(firm), "import", "--account", IBAN, str(first)]) == 0
    capsys.readouterr()
    later = export(tmp_path, "novembre-2.csv", *ROWS)  # the same layout, a week later, overlapping
    assert main(["--db", location(firm), "import", str(later)]) == 0
    assert "ne nomme pas son compte" in capsys.readouterr().out
    with firm.sessions() as s:
        assert sorted(s.execute(select(BankLine.account, BankLine.amount_cents)).all()) == [(KEY, -8000),
                                                                                           (KEY, 120000)]
    other = export(tmp_path, "ce.csv", "04/11/2026;VIR DURAND;;100,00\n",
                   header="Date operation;Libelle operation;Debit;Credit\n{rows}")
    with firm.transaction() as s, pytest.raises(AccountNeeded):
        import_file(s, other, today=TODAY)  # another layout: asked again
