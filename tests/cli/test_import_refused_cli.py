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


def test_values_that_would_be_altered_refuse_the_file_then_valid_rows_import_the_others(ledger, tmp_path, capsys):
    """Issue 17: three decimals, a US date, a due date before the invoice's, a zero invoice, a year 9999 and a
    20-digit amount are each refused at their line (exit 1, nothing written); --valid-rows imports the rest."""
    csv = write(tmp_path, "X-1;01/10/2026;31/10/2026;Garage Petit;12,345",
                "X-2;10/15/2026;31/10/2026;Garage Petit;10,00",
                "X-3;01/10/2026;30/09/2026;Garage Petit;10,00",
                "X-4;01/10/2026;31/10/2026;Garage Petit;0,00",
                "X-5;01/10/9999;;Garage Petit;10,00",
                "X-6;01/10/2026;31/10/2026;Garage Petit;12345678901234567890",
                "X-7;01/10/2026;31/10/2026;Garage Petit;12,34")
    before = table_counts(ledger)
    assert main(["--db", location(ledger), "import", csv]) == 1
    err = capsys.readouterr().err
    assert "factures.csv : refusé, 6 erreur(s) ; rien n'a été importé" in err
    for said in ("ligne 2, colonne Montant TTC : « 12,345 » n'est pas accepté : un montant a au plus deux décimales",
                 "ligne 3, colonne Date : « 10/15/2026 » n'est pas une date : le mois (15) va de 1 à 12",
                 "ligne 4, colonne Échéance : « 30/09/2026 » n'est pas possible : l'échéance précède la date de la "
                 "facture (01/10/2026)",
                 "ligne 5, colonne Montant TTC : « 0,00 » n'est pas accepté : une facture de 0,00 € n'a rien à "
                 "recouvrer",
                 "ligne 6, colonne Date : « 01/10/9999 » n'est pas une date plausible : l'année va de 1990 à 2100",
                 "ligne 7, colonne Montant TTC : « 12345678901234567890 » n'est pas un montant plausible"):
        assert said in err
    assert table_counts(ledger) == before

    assert main(["--db", location(ledger), "import", csv, "--valid-rows"]) == 0
    with ledger.sessions() as s:
        imported = s.execute(select(Invoice.number, Invoice.total_cents).where(Invoice.number.like("X-%"))).all()
    assert imported == [("X-7", 1234)]


def test_an_unbalanced_fec_is_imported_with_its_entries_named_in_the_report(db, tmp_path, capsys):
    path = tmp_path / "123456789FEC20261231.txt"
    header = ("JournalCode\tJournalLib\tEcritureNum\tEcritureDate\tCompteNum\tCompteLib\tCompAuxNum\tCompAuxLib\t"
              "PieceRef\tPieceDate\tEcritureLib\tDebit\tCredit\tEcritureLet\tDateLet\tValidDate\tMontantdevise\t"
              "Idevise")
    lines = ["VT|Ventes|1|20260105|411000|Clients|C1|Alpha|F1|20260105|Facture F1|120,00|0,00|",
             "VT|Ventes|1|20260105|706000|Prestations|||F1|20260105|Facture F1|0,00|100,00|",
             "OD|Divers|7|20260110|411000|Clients|C1|Alpha|X7|20260110|Extourne|50,00|50,00|"]
    path.write_text("\n".join([header] + ["\t".join(line.split("|")) + "\t\t\t\t" for line in lines]) + "\n",
                    encoding="utf-8")
    assert main(["--db", location(db), "import", str(path), "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["created"]["invoices"] == 1 and not report["errors"]
    said = [(w["line"], w["value"], w["message"]) for w in report["warnings"]]
    assert said == [
        (2, "écriture 1 du 05/01/2026", "déséquilibrée : débits 120,00\u00a0€, crédits 100,00\u00a0€ (écart "
         "20,00\u00a0€) ; attendu des débits égaux aux crédits, lue telle quelle"),
        (None, "", "le fichier n'est pas équilibré : total des débits 170,00\u00a0€, total des crédits "
         "150,00\u00a0€ (écart 20,00\u00a0€) ; attendu des totaux égaux"),
        (4, "411000 C1", "ligne client au débit et au crédit du même montant (50,00\u00a0€) : elle ne fait ni "
         "facture ni règlement, rien n'en est importé")]
    assert main(["--db", location(db), "import", str(path)]) == 0
    out = capsys.readouterr().out
    assert "ligne 2 : « écriture 1 du 05/01/2026 » déséquilibrée" in out


def test_a_known_number_written_in_another_case_or_with_spaces_is_the_same_invoice(ledger, tmp_path, capsys):
    """F1 is Garage Petit's (1 000,00 €): « f 1 » in a later export is F1 again, found and updated, never a
    second invoice; its number keeps the spelling it was first imported with."""
    csv = write(tmp_path, "f 1;01/10/2026;30/11/2026;Garage Petit;1 100,00")
    with ledger.sessions() as s:
        before = s.scalar(select(func.count()).select_from(Invoice))
    assert main(["--db", location(ledger), "import", csv, "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["created"]["invoices"] == 0
    with ledger.sessions() as s:
        assert s.scalar(select(func.count()).select_from(Invoice)) == before
        assert s.execute(select(Invoice.number, Invoice.total_cents).where(Invoice.number == "F1")).one() == (
            "F1", 110000)
