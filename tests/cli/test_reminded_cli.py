"""``encours reminded``: reminders already sent outside Encours recorded from the command line, on the ledger of
tests/conftest.py (23/11/2026) with no step on record yet; a refusal exits with code 1 and writes nothing."""

import json
from datetime import date

import pytest
from sqlalchemy import func, select

from app.__main__ import main
from app.models import DunningLetter, Event
from app.services.rates import save_rates
from tests.cli.test_cli import location


def on_record(db):
    with db.sessions() as s:
        return (s.execute(select(DunningLetter.customer_id, DunningLetter.step, DunningLetter.sent_on,
                                 DunningLetter.outside, DunningLetter.registered_mail_number)).all(),
                s.scalar(select(func.count()).select_from(Event)))


def reminded(db, *args):
    return main(["--db", location(db), "reminded", *args, "--at", "2026-11-23"])


def test_recorded_for_several_customers_then_the_next_step_is_proposed(ledger, capsys):
    assert reminded(ledger, "C0001", "c0002", "--step", "first_reminder", "--on", "14/11/2026") == 0
    assert capsys.readouterr().out.splitlines() == [
        "1re relance envoyée hors Encours le 14/11/2026, pour :",
        "  Boulangerie Martin (C0002) : F4", "  Garage Petit (C0001) : F3, F2"]
    letters, events = on_record(ledger)
    assert sorted((step, str(on), outside) for _c, step, on, outside, _n in letters) == [
        ("first_reminder", "2026-11-14", True), ("first_reminder", "2026-11-14", True)]
    assert events == 2
    with ledger.transaction() as s:
        assert save_rates(s, date(2026, 7, 1), "2,15", "3,00", "7,00") == {}
    assert main(["--db", location(ledger), "remind", "--at", "2026-11-23", "--dry-run", "--json"]) == 0
    proposed = {r["customer"]: (r["step"], r["history"]) for r in json.loads(capsys.readouterr().out)["actions"]}
    assert proposed["Boulangerie Martin"] == ("second_reminder", [{"step": "first_reminder", "on": "2026-11-14"}])


def test_a_formal_notice_with_its_registered_number_and_json(ledger, capsys):
    assert reminded(ledger, "C0002", "--step", "formal_notice", "--on", "2026-11-10", "--registered",
                    "1A 123 456 7890 1", "--json") == 0
    assert json.loads(capsys.readouterr().out) == {
        "step": "formal_notice", "on": "2026-11-10",
        "customers": [{"code": "C0002", "name": "Boulangerie Martin", "invoices": ["F4"], "amount_due": "2000.00",
                       "already": False}]}
    assert [row[-1] for row in on_record(ledger)[0]] == ["1A 123 456 7890 1"]
    assert reminded(ledger, "C0002", "--step", "formal_notice", "--on", "10/11/2026", "--json") == 0  # again
    assert json.loads(capsys.readouterr().out)["customers"][0]["already"] is True
    assert len(on_record(ledger)[0]) == 1


@pytest.mark.parametrize("args, said", [
    (["C0001", "C9999", "--step", "first_reminder", "--on", "14/11/2026"], "aucun client n'a le code « C9999 »"),
    (["C0001", "--step", "first_reminder", "--on", "24/11/2026"], "--on : Le 24/11/2026 est à venir"),
    (["C0001", "--step", "phone_call", "--on", "14/11/2026", "--registered", "1A"],
     "--registered : Un n° de recommandé ne se note que pour une mise en demeure."),
    (["C0002", "C0001", "--step", "first_reminder", "--on", "01/08/2026"],
     "encours : Rien à relancer le 01/08/2026 pour Boulangerie Martin et Garage Petit : aucune facture en retard ce "
     "jour-là n'est encore due (hors litige).\n"),
])
def test_a_refusal_exits_1_in_french_and_writes_nothing(ledger, capsys, args, said):
    before = on_record(ledger)
    assert reminded(ledger, *args) == 1
    captured = capsys.readouterr()
    assert captured.out == "" and said in captured.err and captured.err.startswith("encours : ")
    assert on_record(ledger) == before == ([], 0)


def test_an_unknown_step_is_a_usage_error(ledger, capsys):
    with pytest.raises(SystemExit) as stop:
        reminded(ledger, "C0001", "--step", "litigation", "--on", "14/11/2026")
    assert stop.value.code == 1
    assert "choix inconnu 'litigation'" in capsys.readouterr().err
    assert on_record(ledger) == ([], 0)
