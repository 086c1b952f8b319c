"""``encours import`` of a file with an error writes nothing at all unless ``--valid-rows``: whether the error
is found reading the file (a stated remaining amount below zero or above the total) or applying it (an
invoice number that is another customer's)."""

import json

from sqlalchemy import func, select

from app.__main__ import main
from app.models import Base, Customer, Invoice
from tests.cli.test_cli import location

HEADER = "N° facture;Date;Échéance;Client;Montant TTC"


def table_counts(db) -> dict[str, int]:
    with db.engine.connect() as conn:
        return {table.name: conn.execute(select(func.count()).select_from(table)).scalar()
                for table in Base.metadata.sorted_tables}


def write(tmp_path, *rows, header=HEADER):
    path = tmp_path / "factures.csv"
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    return str(path)


def test_an_invoice_number_of_another_customer_refuses_the_whole_file(ledger, tmp_path, capsys):
    """F4 is Boulangerie Martin's: the file's second row gives it to Garage Petit. Found only while applying,
    after the new customer and N-1 were written: all of it is rolled back."""
    csv = write(tmp_path, "N-1;01/10/2026;31/10/2026;Nouveau Client SARL;100,00",
                "F4;05/10/2026;04/11/2026;Garage Petit;500,00")
    before = table_counts(ledger)
    assert main(["--db", location(ledger), "import", csv]) == 1
    err = capsys.readouterr().err
    assert "factures.csv : refusé, 1 erreur(s) ; rien n'a été importé" in err
    assert "ligne 3, colonne N° facture : « F4 » ce numéro est déjà celui d'une facture d'un autre client" in err
    assert table_counts(ledger) == before
    assert main(["--db", location(ledger), "import", csv, "--json"]) == 1
    report = json.loads(capsys.readouterr().out)
    assert report["refused"] and report["created"]["invoices"] == 0 and report["errors"][0]["line"] == 3
    assert table_counts(ledger) == before

    assert main(["--db", location(ledger), "import", csv, "--valid-rows"]) == 0
    with ledger.sessions() as s:
        owners = dict(s.execute(select(Invoice.number, Customer.name).join(Customer)
                                .where(Invoice.number.in_(["N-1", "F4"]))).all())
    assert owners == {"N-1": "Nouveau Client SARL", "F4": "Boulangerie Martin"}


def test_a_remaining_amount_below_zero_or_above_the_total_is_refused_at_its_line(ledger, tmp_path, capsys):
    csv = write(tmp_path, "F-9;01/10/2026;31/10/2026;Garage Petit;100,00;-50,00",
                "F-10;01/10/2026;31/10/2026;Garage Petit;100,00;150,00",
                "F-11;01/10/2026;31/10/2026;Garage Petit;100,00;40,00", header=HEADER + ";Reste dû")
    before = table_counts(ledger)
    assert main(["--db", location(ledger), "import", csv]) == 1
    err = capsys.readouterr().err
    assert ("ligne 2, colonne Reste dû : « -50,00 » n'est pas possible : le reste dû ne peut être ni négatif ni "
            "supérieur au montant de la facture (100,00\u00a0€)") in err
    assert "ligne 3, colonne Reste dû : « 150,00 »" in err and "rien n'a été importé" in err
    assert table_counts(ledger) == before

    assert main(["--db", location(ledger), "import", csv, "--valid-rows"]) == 0
    with ledger.sessions() as s:
        imported = s.execute(select(Invoice.number, Invoice.settled_cents, Invoice.status)
                             .where(Invoice.number.like("F-%"))).all()
    assert imported == [("F-11", 6000, "open")]  # 60 € settled per the export; F-9 and F-10 left out
