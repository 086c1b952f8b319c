"""The preview says what the import then writes: for every file of every format of the shared fixtures (and an
invoice spreadsheet that updates, settles and refuses), the preview's counts, totals, first rows, warnings and
refusals equal what the import writes next, and the preview itself writes nothing."""

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.domain.money import format_eur
from app.jobs import Refused
from app.models import Base, Customer
from app.services.bank_accounts import AccountNeeded
from app.services.import_preview import Preview, preview_file, written
from app.services.imports import import_file
from app.services.store import commit, read, rehearse
from tests.conftest import TODAY

FIXTURES = Path(__file__).resolve().parents[2].parent / "shared" / "fixtures"
ACCOUNT = "FR76 3000 6000 0112 3456 7890 189"  # said for a statement that names no account, as the wizard asks


def row_counts(db) -> dict[str, int]:
    with db.sessions() as s:
        return {table.name: s.scalar(select(func.count()).select_from(table)) for table in Base.metadata.sorted_tables}


def samples(preview: Preview) -> dict:
    return {name: (sample.count, sample.total, sample.first) for name, sample in preview.samples().items()}


def preview_then_import(db, path: Path, **options) -> tuple[Preview, Preview]:
    """The preview of ``path`` (nothing written: checked), then the import and what it wrote."""
    before = row_counts(db)
    preview = rehearse(db, preview_file, path, today=TODAY, accept_valid_rows=True, **options)
    assert row_counts(db) == before, path.name
    summary = commit(db, import_file, path, today=TODAY, accept_valid_rows=True, **options)
    return preview, read(db, written, summary)


@pytest.mark.parametrize("folder", ["fec", "facturx", "cfonb120", "camt053", "ofx", "bank_csv_fr"])
def test_the_preview_of_every_fixture_is_what_its_import_writes(db, folder):
    where = FIXTURES / folder
    if not where.is_dir():
        pytest.skip(f"fixtures absentes : {where}")
    compared = 0
    for path in sorted(p for p in where.iterdir() if p.name not in ("SOURCE.txt", "README.md")):
        options = dict(force_company=True, create_company=True)  # files of several firms, into one database
        try:
            try:
                preview, imported = preview_then_import(db, path, **options)
            except AccountNeeded:
                preview, imported = preview_then_import(db, path, account=ACCOUNT, **options)
        except Refused:  # not a file of this format (a CFONB 240, a CSV of the Ekylibre tests): refused whole
            continue
        assert preview.summary.as_json() == imported.summary.as_json(), path.name
        assert samples(preview) == samples(imported), path.name
        assert preview.lines() == imported.lines()
        compared += 1
        again = rehearse(db, preview_file, path, today=TODAY, accept_valid_rows=True,
                         account=options.get("account"), **options)
        assert samples(again) == {}, path.name  # imported already: the preview says nothing would be created
    assert compared


EXPORT = """N° facture;Date;Échéance;Client;Montant TTC;Reste dû
F1;31/10/2026;30/11/2026;Garage Petit;1 100,00 €;1 100,00 €
F-300;01/10/2026;31/10/2026;Garage Petit;12 000,00 €;6 000,00 €
F-301;05/10/2026;04/11/2026;Menuiserie Roux;800,00 €;800,00 €
F-302;06/10/2026;05/09/2026;Menuiserie Roux;300,00 €;300,00 €
AV-9;07/10/2026;07/10/2026;Menuiserie Roux;-80,00 €;-80,00 €
F4;08/09/2026;08/10/2026;Garage Petit;2 000,00 €;2 000,00 €
"""


def test_the_preview_of_an_export_is_what_its_import_writes(ledger, tmp_path):
    """A known invoice updated (F1), a reported settlement (F-300: 6 000 € paid per the file), a new customer,
    a credit note, a due date before the invoice's refused at its line, an invoice number that is another
    customer's refused while applying: the preview shows each, the import writes the same."""
    path = tmp_path / "export.csv"
    path.write_text(EXPORT, encoding="utf-8")
    preview, imported = preview_then_import(ledger, path, as_of=date(2026, 11, 20))
    assert preview.summary.as_json() == imported.summary.as_json()
    assert samples(preview) == samples(imported)
    assert preview.summary.changes == [f"F1 : montant {format_eur(Decimal(1000))} → {format_eur(Decimal(1100))}"]
    assert [(p.line, p.value, p.message) for p in preview.summary.errors] == [
        (5, "05/09/2026", "n'est pas possible : l'échéance précède la date de la facture (06/10/2026)"),
        (7, "F4", "ce numéro est déjà celui d'une facture d'un autre client ; ligne ignorée.")]
    assert preview.lines() == ["Nouveaux clients : 1", f"Factures : 2, {format_eur(Decimal('12800'))}",
                               f"Avoirs : 1, {format_eur(Decimal('-80'))}",
                               f"Règlements déclarés (en attente du relevé) : 1, {format_eur(Decimal('6000'))}"]
    assert [(i.number, i.total) for i in preview.invoices.first] == [("F-300", Decimal("12000.00")),
                                                                      ("F-301", Decimal("800.00"))]
    assert (preview.credit_notes.count, preview.credit_notes.total) == (1, Decimal("-80.00"))
    assert [(p.customer, p.received, p.amount) for p in preview.reported.first] == [
        ("Garage Petit", date(2026, 11, 20), Decimal("6000.00"))]
    assert [c.name for c in preview.customers.first] == ["Menuiserie Roux"]
    with ledger.sessions() as s:
        assert s.scalar(select(func.count()).select_from(Customer)) == 3
