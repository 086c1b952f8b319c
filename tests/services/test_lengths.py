"""A text longer than its column is refused by the services, at its line and column or naming its field, on
SQLite as on PostgreSQL (which would refuse it itself); a database error while working is said as that, never
as a failure to open the file."""

from sqlalchemy import func, select
from sqlalchemy.exc import DataError

from app.__main__ import main
from app.models import Base, BankLine, Customer, Invoice
from app.services.customers import CustomerInput, save_customer
from app.services.imports import import_file
from app.services.store import DatabaseRefused, commit
from tests.cli.test_cli import location
from tests.conftest import TODAY

LONG_NAME = "Société " + "x" * 242  # 250 characters


def table_counts(db) -> dict[str, int]:
    with db.engine.connect() as conn:
        return {table.name: conn.execute(select(func.count()).select_from(table)).scalar()
                for table in Base.metadata.sorted_tables}


def invoices_csv(tmp_path):
    path = tmp_path / "factures.csv"
    path.write_text("\n".join(["N° facture;Date;Échéance;Client;Montant TTC",
                               "F-1;01/10/2026;31/10/2026;Garage Petit;100,00",
                               f"F-2;02/10/2026;01/11/2026;{LONG_NAME};200,00",
                               f"F-3;03/10/2026;02/11/2026;{LONG_NAME};300,00", ""]), encoding="utf-8")
    return path


def test_a_customer_name_too_long_is_refused_at_its_line_and_column(db, tmp_path, capsys):
    csv = invoices_csv(tmp_path)
    before = table_counts(db)
    assert main(["--db", location(db), "import", str(csv)]) == 1
    err = capsys.readouterr().err
    assert f"ligne 3, colonne Client : « {LONG_NAME} » trop long : 250 caractères, 200 au plus" in err
    assert f"ligne 4, colonne Client : « {LONG_NAME} » trop long : 250 caractères, 200 au plus" in err
    assert "rien n'a été importé" in err or "refusé" in err
    assert table_counts(db) == before

    assert main(["--db", location(db), "import", str(csv), "--valid-rows"]) == 0
    with db.sessions() as s:
        assert s.scalars(select(Invoice.number)).all() == ["F-1"]
        assert s.scalars(select(Customer.name)).all() == ["Garage Petit"]


def test_a_bank_line_counterparty_too_long_is_refused_at_its_line(db, tmp_path):
    path = tmp_path / "releve.csv"
    party = "y" * 300
    path.write_text("\n".join(["Date;Libellé;Tiers;Montant", "04/11/2026;VIR DURAND;Durand;100,00",
                               f"05/11/2026;VIR LONG;{party};50,00", ""]), encoding="utf-8")
    summary = commit(db, import_file, path, today=TODAY, account="FR7630004000031234567890143")
    assert [str(p) for p in summary.errors] == [
        f"ligne 3, colonne Tiers : « {party} » trop long : 300 caractères, 200 au plus"]
    assert table_counts(db)["bank_line"] == 0

    commit(db, import_file, path, today=TODAY, account="FR7630004000031234567890143", accept_valid_rows=True)
    with db.sessions() as s:
        assert s.scalars(select(BankLine.counterparty)).all() == ["Durand"]


def test_the_customer_form_refuses_a_name_too_long(db):
    customer, validation = commit(db, save_customer, CustomerInput(name="z" * 243), at=TODAY)
    assert customer is None
    assert validation.errors == {"name": "Raison sociale : 243 caractères, 200 au plus."}
    assert table_counts(db)["customer"] == 0


def test_company_name_of_300_characters_on_the_command_line(db, capsys):
    assert main(["--db", location(db), "company", "--name", "n" * 300]) == 1
    assert capsys.readouterr().err.strip() == "encours : --name : Raison sociale : 300 caractères, 200 au plus."
    assert table_counts(db)["company"] == 0


def test_a_database_error_while_working_is_said_as_a_refusal_not_as_the_path(db, capsys, monkeypatch):
    def refused(session, *args):
        raise DataError("INSERT", {}, Exception("value too long for type character varying(200)"))

    try:
        commit(db, refused)
    except DatabaseRefused as exc:
        said = str(exc)
    assert said == (f"La base de données {db.name} a refusé l'enregistrement : value too long for type character "
                    "varying(200) ; rien n'a été enregistré.")
    monkeypatch.setattr("app.services.company.set_company_identity", refused)
    assert main(["--db", location(db), "company", "--name", "Ma société"]) == 1
    err = capsys.readouterr().err
    assert "a refusé l'enregistrement" in err and "Vérifiez" not in err and "impossible d'ouvrir" not in err
