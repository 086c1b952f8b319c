"""One bank line, whatever the format: the same week of one account downloaded as a CSV export (the account in
its preamble's RIB), an OFX file (BANKID, BRANCHID, ACCTID), a camt.053 (IBAN) and a CFONB 120 (bank, branch
and number codes), each worded its own way, imported in any order: the first one records the week, the
others nothing, and the aging, the payments and the cash stay as the first left them."""

import json
from datetime import date, timedelta
from decimal import Decimal as D
from itertools import permutations

import pytest
from sqlalchemy import select

from app.__main__ import main
from app.models import Allocation, BankLine, Payment
from app.services.statements import cash_position
from tests.cli.test_cli import location
from tests.conftest import TODAY
from tests.importers import test_camt as camt, test_cfonb as cfonb, test_ofx as ofx
from tests.services.test_statements import firm  # noqa: F401 (the fixture)

BANK, BRANCH, NUMBER, RIB_KEY = "30003", "01234", "00012345678", "54"
IBAN = "FR7630003012340001234567854"
OPENING = D("10000.00")  # at the end of 01/11/2026
WEEK = [  # day, amount, the other party, what it wrote
    (date(2026, 11, 2), D("1200.00"), "GARAGE PETIT", "FACTURE F2026-0142"),
    (date(2026, 11, 3), D("450.00"), "GARAGE PETIT", "REGLEMENT NOVEMBRE"),
    (date(2026, 11, 4), D("99.00"), "INCONNU SA", "COMMANDE 17"),
    (date(2026, 11, 4), D("99.00"), "DUPONT", "COMMANDE 18"),  # twice 99,00 € that day: both kept, once
    (date(2026, 11, 5), D("-1500.00"), "SCI DES TILLEULS", "LOYER NOVEMBRE"),
]
LAST_DAY = date(2026, 11, 6)
CLOSING = OPENING + sum(amount for _day, amount, _party, _text in WEEK)


def french(amount: D) -> str:
    return f"{amount:,.2f}".replace(",", " ").replace(".", ",")


def as_csv(tmp_path):
    """A Crédit Agricole-like export: the account's RIB and the balance in the preamble, debit and credit."""
    rows = [f"{day:%d/%m/%Y};{'VIR SEPA' if amount > 0 else 'PRLV SEPA'} {party} {text};"
            f"{french(-amount) if amount < 0 else ''};{french(amount) if amount > 0 else ''};"
            for day, amount, party, text in WEEK]
    path = tmp_path / "releve.csv"
    path.write_text("\n".join([f"Téléchargement du {LAST_DAY + timedelta(days=1):%d/%m/%Y};",
                               f"RIB : {BANK} {BRANCH} {NUMBER} {RIB_KEY}",
                               f"Solde au {LAST_DAY:%d/%m/%Y} : {french(CLOSING)} €",
                               "Date;Libellé;Débit euros;Crédit euros;", *rows, ""]), encoding="cp1252")
    return path


def as_ofx(tmp_path):
    transactions = [ofx.trn(f"{amount}", f"{day:%Y%m%d}", f"T{n}", party, text)
                    for n, (day, amount, party, text) in enumerate(WEEK)]
    ledger = f"<LEDGERBAL>\n<BALAMT>{CLOSING}\n<DTASOF>{LAST_DAY:%Y%m%d}\n</LEDGERBAL>"
    return ofx.write(tmp_path / "releve.ofx", ofx.sgml(*transactions, ledger=ledger))


def as_camt(tmp_path):
    entries = [camt.entry(f"{abs(amount)}", "CRDT" if amount > 0 else "DBIT", f"<Dt>{day}</Dt>", f"<Dt>{day}</Dt>",
                          details=camt.detail(name=party, text=text, end_to_end=f"E2E-{n}"))
               for n, (day, amount, party, text) in enumerate(WEEK)]
    balances = (camt.balance("OPBD", f"{OPENING}", on=f"<Dt>{WEEK[0][0]}</Dt>")
                + camt.balance("CLBD", f"{CLOSING}", on=f"<Dt>{LAST_DAY}</Dt>"))
    return camt.write(tmp_path / "releve.xml", camt.statement(*entries, balances=balances,
                                                              account=f"<Id><IBAN>{IBAN}</IBAN></Id>"))


def cfonb_amount(amount: D) -> str:
    """13 digits and a last one carrying the sign: { A-I for +0..9, } J-R for -0..9."""
    digits = f"{abs(amount) * 100:014.0f}"
    last = int(digits[-1])
    sign = ("{" + "ABCDEFGHI")[last] if amount >= 0 else ("}" + "JKLMNOPQR")[last]
    return digits[:-1] + sign


def as_cfonb(tmp_path):
    records = [cfonb.record("01", account=NUMBER, on=f"{WEEK[0][0] - timedelta(days=1):%d%m%y}",
                            amount=cfonb_amount(OPENING))]
    for day, amount, party, text in WEEK:
        records += [cfonb.record("04", account=NUMBER, on=f"{day:%d%m%y}", value_on=f"{day:%d%m%y}",
                                 label=f"{'VIR' if amount > 0 else 'PRLV'} {party}", amount=cfonb_amount(amount)),
                    cfonb.record("05", account=NUMBER, text=text)]
    records.append(cfonb.record("07", account=NUMBER, on=f"{LAST_DAY:%d%m%y}", amount=cfonb_amount(CLOSING)))
    return cfonb.write(tmp_path / "releve.cfo", records)


FORMATS = {"csv": as_csv, "ofx": as_ofx, "camt": as_camt, "cfonb": as_cfonb}


def test_the_week_reads_the_same_in_every_format(tmp_path):
    """What the test rests on: each file reads as the same movements of the same account."""
    from app.importers import detect
    from app.services.bank_accounts import account_key

    for kind, write in FORMATS.items():
        path = write(tmp_path)
        read = detect(path).read(path)
        assert not read.problems, kind
        assert [(line.booked_on, line.amount) for line in read.bank_lines] == [(d, a) for d, a, _p, _t in WEEK], kind
        assert {account_key(r.account, r.bank) for r in [*read.bank_lines, *read.statement_balances]} == {
            f"{BANK}{BRANCH}{NUMBER}"}, kind


def outcome(db, capsys) -> tuple:
    """The aging as ``encours aging --json`` prints it, the payments and their allocations, the bank lines and
    the cash."""
    assert main(["--db", location(db), "aging", "--at", f"{TODAY}", "--json"]) == 0
    aging = json.loads(capsys.readouterr().out)
    with db.sessions() as s:
        payments = sorted(s.execute(select(Payment.received_on, Payment.amount_cents, Payment.customer_id,
                                           Payment.settled_cents)).all())
        allocations = sorted(s.execute(select(Allocation.invoice_id, Allocation.payment_id,
                                              Allocation.amount_cents)).all())
        lines = sorted(s.execute(select(BankLine.account, BankLine.booked_on, BankLine.amount_cents)).all())
        return aging, payments, allocations, lines, cash_position(s, TODAY).balance


@pytest.mark.parametrize("order", [(*order, "cfonb") for order in permutations(("csv", "ofx", "camt"))]
                         + [("cfonb", "camt", "ofx", "csv")], ids="-".join)
def test_the_same_week_in_every_format_is_recorded_once(firm, tmp_path, capsys, order):
    first, *others = [FORMATS[kind](tmp_path) for kind in order]
    assert main(["--db", location(firm), "import", "--json", str(first)]) == 0
    report = json.loads(capsys.readouterr().out)
    assert (report["statement_lines"], report["created"]["payments"]) == (5, 4)
    before = outcome(firm, capsys)
    assert before[3] == sorted((f"{BANK}{BRANCH}{NUMBER}", day, int(amount * 100)) for day, amount, _p, _t in WEEK)
    assert before[4] == CLOSING
    for path in others:
        assert main(["--db", location(firm), "import", "--json", str(path)]) == 0
        report = json.loads(capsys.readouterr().out)
        assert (report["statement_lines"], report["created"]["payments"], report["duplicates"]) == (0, 0, 5)
        assert outcome(firm, capsys) == before, path.name
