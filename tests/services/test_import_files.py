"""Real files end to end: read, imported, read back as an aging balance that equals the accountant's."""

from datetime import date
from decimal import Decimal as D
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.models import Company, Customer, Invoice
from app.services.aging import aging_at
from app.services.imports import import_file

FIXTURES = Path(__file__).resolve().parents[2].parent / "shared" / "fixtures"
pytestmark = pytest.mark.skipif(not FIXTURES.is_dir(), reason=f"fixtures absent: {FIXTURES}")
FEC_FILES = sorted(p for p in (FIXTURES / "fec").glob("*") if p.name != "SOURCE.txt") if FIXTURES.is_dir() else []


def customer_balance_and_last_date(path: Path) -> tuple[D, date]:
    """Σ debit − credit of the 411 accounts and the last entry date, read plainly from the file."""
    raw = path.read_bytes().removeprefix(b"\xef\xbb\xbf")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        text = raw.decode("latin-1")
    lines = [line for line in text.splitlines() if line.strip()]
    separator = "\t" if "\t" in lines[0] else "|"
    header = [h.strip().casefold() for h in lines[0].split(separator)]
    balance, last = D(0), date.min
    for line in lines[1:]:
        row = dict(zip(header, (field.strip() for field in line.split(separator))))
        day = row["ecrituredate"]
        last = max(last, date(int(day[:4]), int(day[4:6]), int(day[6:8])))
        if row["comptenum"].startswith("411"):
            if "montant" in row and "sens" in row:
                amount = D(row["montant"].replace(",", "."))
                balance += amount if row["sens"].upper().startswith("D") else -amount
            else:
                balance += D(row["debit"].replace(",", ".") or 0) - D(row["credit"].replace(",", ".") or 0)
    return balance, last


@pytest.mark.parametrize("path", FEC_FILES, ids=lambda p: p.name)
def test_a_fec_gives_the_accountants_customer_balance(db, path):
    with db.transaction() as s:
        s.add(Company(name="Cabinet test"))
    expected, last = customer_balance_and_last_date(path)
    with db.transaction() as s:
        summary = import_file(s, path, today=last, kind="fec")
    assert summary.errors == []
    with db.sessions() as s:
        assert aging_at(s, last).balance.total.total == expected
    with db.transaction() as s:  # the same file again: recognised, nothing created
        again = import_file(s, path, today=last, kind="fec")
    assert sum(again.created.values()) == 0 and again.changes == []


def test_factur_x_pdf_creates_its_customer_by_siren(db):
    with db.transaction() as s:
        s.add(Company(name="Au bon moulin", siren="999999998"))  # the seller: these are its invoices
        summary = import_file(s, FIXTURES / "facturx" / "zugferd-corpus_FNFE_Facture_FR_BASICWL.pdf",
                              today=date(2017, 11, 30))
    assert summary.kind == "facturx" and summary.created["customers"] == 1 and summary.created["invoices"] == 1
    with db.sessions() as s:
        invoice = s.scalar(select(Invoice).where(Invoice.number == "FA-2017-0010"))
        assert (invoice.total_cents, invoice.due_date) == (67115, date(2017, 12, 13))
        assert s.scalar(select(Customer.siren)) == "787878784"
        # the file says 201,00 € are already paid: 470,15 € remain
        assert aging_at(s, date(2017, 11, 30)).balance.total.total == D("470.15")
    with db.transaction() as s:  # the credit note of the same buyer lands on the same customer
        import_file(s, FIXTURES / "facturx" / "zugferd-corpus_FNFE_Avoir_FR_type381_BASIC.pdf", today=date(2017, 11, 30))
    with db.sessions() as s:
        assert s.scalar(select(func.count()).select_from(Customer)) == 1
        assert s.scalar(select(Invoice.total_cents).where(Invoice.number == "AV-2017-0005")) == -23347
