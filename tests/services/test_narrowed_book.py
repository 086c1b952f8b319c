"""À rapprocher and a bank import match their few credits against the open items those credits may concern only
(``reconciliation.book(session, credits)``: the items of the customers their lines name or are given, and of
the numbers they may quote), not a large ledger's every item: the same proposals as the whole book's, one by
one and as a run, for credits written every way a payer writes (a number with its letters or not, spaced,
slashed, cut, two numbers, an order's number, the name, the code, the SIREN, an IBAN, nothing, the customer
given), on the demo company and with the lines of the real bank statements of ../shared/fixtures."""

import re
from collections import Counter
from decimal import Decimal as D
from pathlib import Path

import pytest
from sqlalchemy import select

from app.__main__ import main
from app.domain.matching import Credit, match_all, propose
from app.models import BankLine, Customer, Invoice, Payment
from app.services import reconciliation
from app.services.reconciliation import book, credits, still_open
from tests.cli.test_cli import location
from tests.conftest import TODAY

FIXTURES = Path(__file__).resolve().parents[2].parent / "shared" / "fixtures"
ACCOUNT = "FR7630003012340001234567854"
STATEMENTS = [path for folder in ("bank_csv_fr", "camt053", "cfonb120", "ofx") if (FIXTURES / folder).is_dir()
              for path in sorted((FIXTURES / folder).iterdir()) if path.name != "SOURCE.txt"]


def spellings(number: str) -> list[str]:
    """How a payer may write an invoice's number: as it is, its digit groups slashed or spaced without their
    leading zeros, all its digits in one run, spaced inside, after an order's word, cut short."""
    groups = re.findall(r"[0-9]+", number)
    digits = "".join(groups)
    return [number, "/".join(g.lstrip("0") or "0" for g in groups), " ".join(groups), digits,
            f"{number[:1]} {' '.join(digits[i:i + 2] for i in range(0, len(digits), 2))}", f"CDE {digits}",
            digits[-4:], f"{number}0"]


def written_every_way(session) -> list[Credit]:
    """Credits from the ledger's open invoices (every fifth), each spelling of its number with or without its
    customer's name, paid exactly, in part, or not its amount; with two numbers; by the customer's code,
    SIREN or an IBAN it paid from; with nothing; and the customer given."""
    rows = session.execute(
        select(Invoice.number, Invoice.total_cents, Invoice.settled_cents, Invoice.customer_id, Customer.name,
               Customer.code, Customer.siren).join(Customer, Customer.id == Invoice.customer_id)
        .where(Invoice.settled_on.is_(None), Invoice.kind == "invoice").order_by(Invoice.id)).all()[::5]
    ibans = dict(session.execute(select(Payment.customer_id, Payment.payer_iban)
                                 .where(Payment.payer_iban != "", Payment.customer_id.is_not(None))).all())
    found, key = [], 0

    def credit(amount, label, iban="", customer_id=None):
        nonlocal key
        key += 1
        found.append(Credit(key, amount, TODAY, label, iban, customer_id))

    for n, (number, total, settled, customer_id, name, code, siren) in enumerate(rows):
        due = still_open(total, settled)
        amounts = [due, (due / 2).quantize(D("0.01")), due + D("13.00")]
        for m, spelling in enumerate(spellings(number)):
            credit(amounts[(n + m) % 3], f"VIR SEPA {name if m % 2 else ''} FACT {spelling}".replace("  ", " "))
        other = rows[(n + 1) % len(rows)][0]
        credit(due, f"REGLEMENT {number} ET {other}")
        credit(due, f"{code} REGLEMENT NOVEMBRE")
        credit(due, f"SIREN {siren} VIREMENT")
        credit(amounts[n % 3], "VIREMENT RECU", ibans.get(customer_id, ""))
        credit(due, f"VIR {name}")
        credit(D("123.45"), "REMISE CHEQUES")
        credit(due, "PAIEMENT", customer_id=customer_id)
    return found


def same_proposals(session, waiting: list[Credit]) -> tuple[Counter, int]:
    """The narrowed book proposes what the whole book does; how sure the proposals were, and how many of the
    whole book's items the narrowed one holds."""
    whole, narrowed = book(session), book(session, waiting)
    alone = [propose(credit, whole) for credit in waiting]
    assert [propose(credit, narrowed) for credit in waiting] == alone
    assert match_all(waiting, narrowed) == match_all(waiting, whole)
    return Counter(proposal.confidence if proposal else None for proposal in alone), len(narrowed.items)


def test_credits_written_every_way_get_the_whole_books_proposals(demo_db, monkeypatch):
    """A week's statement at a time (25 credits), then all of them as one run (narrowed too, this once)."""
    monkeypatch.setattr(reconciliation, "NARROWED_UP_TO", 10_000)
    with demo_db.sessions() as s:
        waiting = written_every_way(s)
        every = len(book(s).items)
        sureness, held = Counter(), []
        for start in range(0, len(waiting), 25):
            week, items = same_proposals(s, waiting[start:start + 25])
            sureness += week
            held.append(items)
        assert same_proposals(s, waiting)[0] == sureness
    assert len(waiting) > 1000
    assert all(sureness[level] > 20 for level in ("certain", "probable", "possible", None)), sureness
    assert max(held) < every / 2  # a week's credits read a fraction of the open items


@pytest.mark.skipif(not STATEMENTS, reason="../shared/fixtures (bank_csv_fr, camt053, cfonb120, ofx) absent")
def test_the_lines_of_real_bank_statements_get_the_whole_books_proposals(demo_db, capsys):
    """Each real statement imported into the demo company in turn (its matching ran on the narrowed book), then
    the credits it left, and all those left so far, matched again as À rapprocher does, both ways."""
    compared = []
    for statement in STATEMENTS:
        command = ["--db", location(demo_db), "import", str(statement)]
        if main(command) != 0 and main([*command, "--account", ACCOUNT]) != 0:  # a file that does not say its account
            continue  # not a statement (a CFONB 240 of transfers): said in French, nothing imported
        with demo_db.sessions() as s:
            ids = s.scalars(select(BankLine.payment_id).where(BankLine.payment_id.is_not(None))).all()
            waiting = credits(s, ids)
            same_proposals(s, waiting)
        compared.append((statement.name, len(waiting)))
    capsys.readouterr()
    assert len(compared) >= len(STATEMENTS) - 1 and compared[-1][1] > 10, compared
