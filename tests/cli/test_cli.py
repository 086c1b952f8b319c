import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from app.__main__ import main


def location(db) -> str:
    """What --db takes for the test database: its full URL (a SQLite file or a server)."""
    return db.engine.url.render_as_string(hide_password=False)


def test_aging_json(ledger, capsys, tmp_path):
    url = location(ledger)
    assert main(["--db", url, "aging", "--at", "2026-11-23", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["at"] == "2026-11-23"
    assert out["total"] == "3430.00"
    assert out["buckets"] == {"not_due": "1000.00", "1_30": "180.00", "31_60": "1950.00", "61_90": "0.00",
                              "over_90": "300.00"}
    assert [c["name"] for c in out["customers"]] == ["Boulangerie Martin", "Garage Petit"]
    assert out["customers"][1] == {"name": "Garage Petit", "siren": "732829320", "total": "1550.00",
                                   "buckets": {"not_due": "1000.00", "1_30": "300.00", "31_60": "-50.00",
                                               "61_90": "0.00", "over_90": "300.00"}}


def test_aging_text_in_french(ledger, capsys):
    assert main(["--db", location(ledger), "aging", "--at", "23/11/2026"]) == 0
    out = capsys.readouterr().out
    assert "Balance âgée au 23/11/2026" in out
    assert "3\u202f430,00\u00a0€" in out


def test_env_variable_names_the_database(ledger, capsys, monkeypatch):
    monkeypatch.setenv("ENCOURS_DB", location(ledger))
    assert main(["aging", "--at", "2026-11-23", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["total"] == "3430.00"


def test_errors_are_french_on_stderr_with_exit_1(tmp_path):
    bad_date = subprocess.run([sys.executable, "-m", "app", "--db", str(tmp_path / "x.sqlite"), "aging", "--at",
                               "demain"], capture_output=True, text=True)
    assert bad_date.returncode != 0 and "n'est pas une date" in bad_date.stderr
    not_a_db = tmp_path / "notes.txt"
    not_a_db.write_text("ceci n'est pas une base de données\n" * 100)
    result = subprocess.run([sys.executable, "-m", "app", "--db", str(not_a_db), "aging"],
                            capture_output=True, text=True)
    assert result.returncode == 1
    assert "impossible d'ouvrir la base de données" in result.stderr
    assert "Traceback" not in result.stderr


def test_reading_a_missing_file_creates_nothing(tmp_path):
    missing = tmp_path / "typo.sqlite"
    result = subprocess.run([sys.executable, "-m", "app", "--db", str(missing), "aging"], capture_output=True,
                            text=True)
    assert result.returncode == 1
    assert "n'existe pas" in result.stderr and "encours --db FICHIER demo" in result.stderr
    assert not missing.exists()


def test_usage_errors_are_french_with_exit_1(capsys):
    import pytest

    with pytest.raises(SystemExit) as stop:
        main(["frobnicate"])
    assert stop.value.code == 1
    err = capsys.readouterr().err
    assert "choix inconnu 'frobnicate'" in err and "usage : encours" in err
    with pytest.raises(SystemExit):
        main(["aging", "--at"])
    assert "une valeur est attendue" in capsys.readouterr().err


FIXTURES = __import__("pathlib").Path(__file__).resolve().parents[2].parent / "shared" / "fixtures"


def test_import_json_then_again_then_dry_run(db, capsys):
    from decimal import Decimal

    import pytest

    from app.domain.money import format_eur

    if not FIXTURES.is_dir():
        pytest.skip(f"fixtures absent: {FIXTURES}")
    fec = str(FIXTURES / "fec" / "ekylibre_sage_coala_2020.txt")
    assert main(["--db", location(db), "import", fec, "--json"]) == 0
    first = json.loads(capsys.readouterr().out)
    assert first["kind"] == "fec" and first["created"]["customers"] == 1 and first["created"]["payments"] == 8
    assert first["errors"] == []
    assert main(["--db", location(db), "import", fec, "--json"]) == 0
    again = json.loads(capsys.readouterr().out)
    assert sum(again["created"].values()) == 0 and again["duplicates"] == 8
    pdf = str(FIXTURES / "facturx" / "zugferd-corpus_FNFE_Facture_FR_MINIMUM.pdf")
    assert main(["--db", location(db), "import", pdf, "--dry-run"]) == 0
    said = capsys.readouterr().out
    assert "serait importé" in said and f"  Factures : 1, {format_eur(Decimal('671.15'))}" in said.splitlines()
    assert main(["--db", location(db), "import", pdf, "--dry-run", "--json"]) == 0
    preview = json.loads(capsys.readouterr().out)["preview"]  # the invoice, and the 201 € its seller says prepaid
    assert preview["invoices"] == {"count": 1, "total": "671.15", "first": [
        {"line": None, "number": "FA-2017-0010", "customer": "Ma jolie boutique", "issued": "2017-11-13",
         "due": "2017-12-13", "total": "671.15", "still_due": "470.15"}]}
    assert (preview["reported"]["count"], preview["reported"]["total"]) == (1, "201.00")
    from sqlalchemy import select

    from app.models import Invoice

    with db.sessions() as s:
        assert s.scalar(select(Invoice).where(Invoice.number == "FA-2017-0010")) is None  # dry run: nothing


def test_import_of_an_unknown_file_exits_1_in_french(db, tmp_path, capsys):
    junk = tmp_path / "photo.png"
    junk.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(100))
    assert main(["--db", location(db), "import", str(junk)]) == 1
    assert "format non reconnu" in capsys.readouterr().err


def test_import_refuses_another_siren_s_fec_unless_told_to_import_it_anyway(db, capsys):
    import pytest
    from sqlalchemy import func, select

    from app.models import Company, Customer

    if not FIXTURES.is_dir():
        pytest.skip(f"fixtures absent: {FIXTURES}")
    with db.transaction() as s:
        s.add(Company(name="Atelier Test SARL", siren="512345679"))
    fec = str(FIXTURES / "fec" / "ekylibre_agrigest_123456789FEC20230331.txt")
    assert main(["--db", location(db), "import", fec]) == 1
    assert capsys.readouterr().err.strip() == (
        "ekylibre_agrigest_123456789FEC20230331.txt : ce FEC est celui de la société de SIREN 123456789 (d'après le "
        "nom du fichier), pas de la vôtre, Atelier Test SARL (SIREN 512345679). Rien n'a été importé ; relancez avec "
        "--importer-quand-meme si ce fichier est bien le vôtre.")
    with db.sessions() as s:
        assert s.scalar(select(func.count()).select_from(Customer)) == 0
    assert main(["--db", location(db), "import", fec, "--json"]) == 1
    assert "SIREN 123456789" in json.loads(capsys.readouterr().out)["error"]
    assert main(["--db", location(db), "import", fec, "--importer-quand-meme", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["created"]["customers"] == 7


def test_import_refuses_a_supplier_s_invoice_and_creates_the_company_from_the_first_one(db, capsys):
    import pytest
    from sqlalchemy import select

    from app.models import Company, Invoice

    if not FIXTURES.is_dir():
        pytest.skip(f"fixtures absent: {FIXTURES}")
    ours = str(FIXTURES / "facturx" / "zugferd-corpus_FNFE_Facture_FR_BASICWL.pdf")
    assert main(["--db", location(db), "import", ours, "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["company_created"] == ("Votre société a été créée d'après le fichier : Au bon moulin, SIREN 999999998, "
                                      "TVA FR11999999998, 1242 chemin de l'olive, 84340, Malaucène.")
    supplier = str(FIXTURES / "facturx" / "akretion_factur-x-basic.xml")
    assert main(["--db", location(db), "import", supplier]) == 1
    assert capsys.readouterr().err.strip() == (
        "akretion_factur-x-basic.xml : cette facture est émise par LE FOURNISSEUR (SIREN 123456782), pas par votre "
        "société Au bon moulin (SIREN 999999998) : une facture fournisseur n'a pas sa place dans Encours, qui suit "
        "les factures que vous émettez. Rien n'a été importé ; relancez avec --importer-quand-meme si ce fichier "
        "est bien le vôtre.")
    with db.sessions() as s:
        assert s.scalar(select(Company.name)) == "Au bon moulin"
        assert s.scalars(select(Invoice.number)).all() == ["FA-2017-0010"]


def test_export_writes_the_screen_table(ledger, tmp_path):
    out = tmp_path / "Clients.csv"
    result = subprocess.run([sys.executable, "-m", "app", "--db", location(ledger), "export", "customers",
                             "--out", str(out)], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout == f"2 lignes exportées dans {out}\n"
    assert out.read_text(encoding="utf-8-sig").splitlines()[0] == (
        "Code;Client;SIREN;Segment;Ville;Encours;Dont échu;Limite de crédit")


def test_the_window_closed_leaves_the_data_file_whole(ledger, tmp_path):
    """Once the window is gone (here a screenshot of the dashboard, read by worker threads), the data file alone
    holds everything committed: no -wal journal stays beside it, which a copy of the file alone would miss."""
    if ledger.engine.dialect.name != "sqlite":
        pytest.skip("a server database has no file of its own")
    path = Path(ledger.engine.url.database)
    ledger.dispose()
    result = subprocess.run([sys.executable, "-m", "app", "--db", str(path), "screenshot", "dashboard", "--out",
                             str(tmp_path / "d.png")], capture_output=True, text=True, timeout=120,
                            env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "d.png").stat().st_size > 0
    assert not Path(f"{path}-wal").exists() and not Path(f"{path}-shm").exists()


def test_export_refuses_an_unknown_view_or_extension_in_french(ledger, capsys, tmp_path):
    assert main(["--db", location(ledger), "export", "clients", "--out", str(tmp_path / "c.xlsx")]) == 1
    assert capsys.readouterr().err == (
        "encours : vue inconnue « clients » ; choisissez parmi : customers, invoices, reminders, held, reconcile, "
        "disputes, imports, kpi, dashboard, calls, aging\n")
    assert main(["--db", location(ledger), "export", "customers", "--out", str(tmp_path / "c.ods")]) == 1
    assert capsys.readouterr().err == "encours : « c.ods » : choisissez un fichier .xlsx (classeur) ou .csv.\n"
    assert not (tmp_path / "c.xlsx").exists() and not (tmp_path / "c.ods").exists()
