"""``encours proceedings``: records a customer's proceedings in one transaction and shows them with their
deadlines; an unknown customer, a bad date or the service's refusal exit with code 1 and a French message."""

import json

import pytest

from app.__main__ import main
from tests.cli.test_cli import location

RECORD = ["proceedings", "C0002", "--kind", "redressement", "--judgment", "20/10/2026", "--published", "30/10/2026",
          "--court", "Tribunal de commerce de Lyon", "--mandataire", "SELARL Vasseur & Chambon", "--at", "23/11/2026"]


def test_records_then_shows_the_proceedings(ledger, capsys):
    assert main(["--db", location(ledger), *RECORD]) == 0
    assert capsys.readouterr().out == (
        "Boulangerie Martin : redressement judiciaire ouvert(e) par jugement du 20/10/2026, publié au BODACC le "
        "30/10/2026.\n"
        "Redressement judiciaire — jugement d'ouverture du 20/10/2026, publié au BODACC le 30/10/2026.\n"
        "Tribunal de commerce de Lyon.\n"
        "Mandataire : SELARL Vasseur & Chambon.\n"
        "Déclaration de créance : au plus tard le 30/12/2026 (37 jours restants).\n"
        "Revendication des marchandises (réserve de propriété) : au plus tard le 30/01/2027.\n"
        "Relevé de forclusion : au plus tard le 30/04/2027.\n")
    assert main(["--db", location(ledger), "proceedings", "c0002", "--at", "23/11/2026", "--json"]) == 0
    shown = json.loads(capsys.readouterr().out)
    assert shown["recorded"] is None and shown["proceeding"] == {
        "kind": "redressement", "label": "redressement judiciaire", "judgment_on": "2026-10-20",
        "published_on": "2026-10-30", "court": "Tribunal de commerce de Lyon", "reference": "",
        "mandataire_name": "SELARL Vasseur & Chambon", "mandataire_address": "", "mandataire_email": "",
        "abroad": False, "plan_on": None, "converted_on": None, "closed_on": None, "claim_sent_on": None,
        "claim_registered_number": "", "declaration_on": "2026-12-30", "relief_on": "2027-04-30",
        "revendication_on": "2027-01-30",
        "running": [{"what": "déclaration de créance", "on": "2026-12-30", "days_left": 37}]}


def test_a_customer_without_proceedings(ledger, capsys):
    assert main(["--db", location(ledger), "proceedings", "C0001"]) == 0
    assert capsys.readouterr().out == "Garage Petit : aucune procédure collective en cours.\n"


@pytest.mark.parametrize("args, message", [
    (["proceedings", "C9999"], "encours : aucun client n'a le code « C9999 » (la liste des clients, avec leurs codes, "
                               "est dans l'écran Clients).\n"),
    (["proceedings", "C0002", "--kind", "redressement", "--judgment", "20/10/2026", "--published", "15/10/2026",
      "--at", "23/11/2026"],
     "encours : la publication au BODACC (15/10/2026) ne peut précéder le jugement (20/10/2026).\n"),
    (["proceedings", "C0002", "--court", "Tribunal de commerce de Lyon"],
     "encours : pour enregistrer une procédure, --kind et --judgment sont nécessaires.\n"),
])
def test_refusals_exit_1_with_nothing_written(ledger, capsys, args, message):
    assert main(["--db", location(ledger), *args]) == 1
    assert capsys.readouterr().err == message
    assert main(["--db", location(ledger), "proceedings", "C0002"]) == 0
    assert capsys.readouterr().out == "Boulangerie Martin : aucune procédure collective en cours.\n"


def test_a_bad_date_is_said_in_french(ledger, capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["--db", location(ledger), "proceedings", "C0002", "--kind", "sauvegarde", "--judgment", "32/10/2026"])
    assert exit_.value.code == 1
    assert capsys.readouterr().err.endswith("encours proceedings : --judgment : « 32/10/2026 » n'est pas une date "
                                            "(attendu : AAAA-MM-JJ ou JJ/MM/AAAA)\n")
