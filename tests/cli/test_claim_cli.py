"""``encours claim`` and ``encours tva-recuperable`` on the ledger of tests/services/test_claims.py (Menuiserie
Bois in redressement judiciaire, judgment 05/10/2026): the figures in JSON, the declaration recorded as sent,
the VAT list written, and the refusals in French with exit code 1."""

import json
from datetime import date

import pytest
from openpyxl import load_workbook

from app.__main__ import main
from app.services.proceedings import open_proceeding
from tests.cli.test_cli import location
from tests.services.test_claims import customer_id, in_redressement


@pytest.fixture
def insolvent(db):
    return in_redressement(db)


def claim(db, *args):
    return main(["--db", location(db), "claim", *args, "--at", "23/11/2026"])


def test_the_figures_in_json_then_recorded_as_sent(insolvent, tmp_path, capsys):
    pdf = tmp_path / "creance.pdf"
    assert claim(insolvent, "C0100", "--out", str(pdf), "--json") == 0
    said = json.loads(capsys.readouterr().out)
    assert pdf.exists()
    assert [(i["number"], i["still_due"], i["interest"], i["indemnity"], i["to_fall_due"])
            for i in said["invoices"]] == [("FB1", "1000.00", "24.37", "40.00", False),
                                           ("FB2", "600.00", "0.00", "0.00", True)]
    assert {key: said[key] for key in ("due", "interest", "indemnities", "to_fall_due", "total")} == {
        "due": "1000.00", "interest": "24.37", "indemnities": "40.00", "to_fall_due": "600.00", "total": "1664.37"}
    assert said["deadlines"] == {"declaration": "2026-12-16", "revendication": "2027-01-16"}
    assert said["guarantees"] == [{"kind": "bank_guarantee", "label": "Caution bancaire / garantie de tiers",
                                   "detail": "Banque Rhône, à hauteur de 500,00\u00a0€"}]
    assert (said["sent_on"], said["recorded"]) == (None, "")
    with insolvent.sessions() as s:
        assert open_proceeding(s, customer_id(s)).claim_sent_on is None  # without --sent, only the PDF

    assert claim(insolvent, "c0100", "--out", str(pdf), "--sent", "24/11/2026", "--registered", "1A 234") == 0
    assert capsys.readouterr().out.splitlines() == [
        f"Déclaration de créance de Menuiserie Bois écrite dans {pdf} : 1\u202f664,37\u00a0€ déclarés.",
        "Déclaration de créance enregistrée comme envoyée le 24/11/2026 (recommandé n° 1A 234)."]
    with insolvent.sessions() as s:
        row = open_proceeding(s, customer_id(s))
        assert (row.claim_sent_on, row.claim_registered_number) == (date(2026, 11, 24), "1A 234")
        assert row.facts().declaration_deadline == date(2026, 12, 16)  # met: sent before it


def test_the_vat_list_is_written_for_a_liquidation(insolvent, tmp_path, capsys):
    with insolvent.transaction() as s:
        open_proceeding(s, customer_id(s)).kind = "liquidation"
    out = tmp_path / "tva.xlsx"
    assert main(["--db", location(insolvent), "tva-recuperable", "--out", str(out), "--at", "23/11/2026"]) == 0
    assert capsys.readouterr().out == (f"TVA récupérable écrite dans {out} : 2 factures impayées, "
                                       "250,00\u00a0€ de TVA (CGI art. 272).\n")
    sheet = load_workbook(out).active
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert rows[0][:4] == ["Client", "Code client", "Facture", "Date"]
    assert [row[2] for row in rows[1:3]] == ["FB1", "FB2"]
    assert [float(row[7]) for row in rows[1:]] == [166.67, 83.33, 250.0]  # and the totals row


@pytest.mark.parametrize("args, said", [
    (["claim", "C9999", "--out", "x.pdf"], "encours : aucun client n'a le code « C9999 »"),
    (["claim", "C0100", "--out", "x.pdf", "--registered", "1A"],
     "encours : --registered : le n° de recommandé se note avec la date d'envoi (--sent JJ/MM/AAAA)."),
    (["claim", "C0100", "--out", "x.pdf", "--sent", "01/10/2026"],
     "encours : la déclaration (01/10/2026) ne peut précéder le jugement (05/10/2026)."),
    (["tva-recuperable", "--out", "tva.pdf"], "encours : « tva.pdf » : choisissez un fichier .xlsx (classeur) ou .csv."),
])
def test_refusals_in_french(insolvent, tmp_path, capsys, monkeypatch, args, said):
    monkeypatch.chdir(tmp_path)
    assert main(["--db", location(insolvent), *args]) == 1
    assert capsys.readouterr().err.startswith(said)
    assert not (tmp_path / "x.pdf").exists() and not (tmp_path / "tva.pdf").exists()  # refused before writing
    with insolvent.sessions() as s:
        assert open_proceeding(s, customer_id(s)).claim_sent_on is None


def test_a_customer_without_proceedings(insolvent, capsys):
    with insolvent.transaction() as s:
        s.delete(open_proceeding(s, customer_id(s)))
    assert claim(insolvent, "C0100", "--out", "x.pdf") == 1
    assert capsys.readouterr().err == "encours : aucune procédure collective n'est enregistrée pour ce client.\n"
