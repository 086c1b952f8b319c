"""``encours company`` shows or sets the user's company (checked, recorded in the history, nothing written
when refused); ``encours history CODE`` prints a customer's events newest first."""

import json
from datetime import datetime

from sqlalchemy import func, select, update

from app.__main__ import main
from app.domain.vocabulary import EventKind
from app.models import Company, Customer, Event, Invoice
from app.services.history import Happened, record
from tests.cli.test_cli import location
from tests.conftest import another_writer

IBAN = "FR76 3000 6000 0112 3456 7890 189"


def company_rows(db):
    with db.sessions() as s:
        return s.execute(select(Company.name, Company.siren, Company.city, Company.iban)).all()


def test_company_is_created_then_changed_each_change_an_event(tmp_path, capsys):
    url = str(tmp_path / "neuve.sqlite")
    assert main(["--db", url, "company", "--name", "Atelier Dupont", "--siren", "732 829 320", "--iban",
                 IBAN.replace(" ", "").lower(), "--city", "Lyon"]) == 0
    out = capsys.readouterr().out
    assert "Raison sociale : Atelier Dupont" in out and "SIREN : 732829320" in out and f"IBAN : {IBAN}" in out
    assert "E-mail : —" in out
    assert main(["--db", url, "company", "--city", "Villeurbanne", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == {
        "name": "Atelier Dupont", "siren": "732829320", "address": "", "postcode": "", "city": "Villeurbanne",
        "email": "", "phone": "", "iban": IBAN}
    from app.models.db import open_database

    db = open_database(url)
    with db.sessions() as s:
        events = s.execute(select(Event.kind, Event.customer_id, Event.text).order_by(Event.id)).all()
    db.dispose()
    (kind, customer, created), changed = events
    assert (kind, customer) == ("settings", None)
    assert created.startswith(f"Votre société : société créée ; raison sociale : — → Atelier Dupont ; SIREN : — → "
                              f"732829320 ; ville : — → Lyon ; IBAN : — → {IBAN} ; conditions de paiement")
    assert changed == ("settings", None, "Votre société : ville : Lyon → Villeurbanne")

def test_company_shown_as_it_is_and_only_the_fields_given_are_recorded_as_changed(ledger, capsys):
    with ledger.transaction() as s:  # as the settings form or an older version may have left them
        s.execute(update(Company).values(address="12 chemin des Artisans\nZA du Bordelan",
                                         iban=IBAN.replace(" ", "")))
    assert main(["--db", location(ledger), "company"]) == 0
    assert capsys.readouterr().out.splitlines()[:3] == [
        "Raison sociale : Atelier Test SARL", "SIREN : 732829320", "Adresse : 12 chemin des Artisans, ZA du Bordelan"]
    assert main(["--db", location(ledger), "company", "--email", "compta@atelier-test.fr"]) == 0
    with ledger.sessions() as s:
        assert s.scalars(select(Event.text)).all() == ["Votre société : e-mail : — → compta@atelier-test.fr"]


def test_a_wrong_siren_or_iban_is_refused_in_french_and_nothing_is_written(ledger, capsys):
    before = company_rows(ledger)
    assert main(["--db", location(ledger), "company", "--city", "Lyon", "--siren", "732 829 321",
                 "--iban", "FR76 3000 6000 0112 3456 7890 188"]) == 1
    err = capsys.readouterr().err
    assert err == ("encours : --siren : Ce SIREN est invalide (clé de contrôle fausse). --iban : Cet IBAN est "
                   "invalide (clé de contrôle fausse) : recopiez-le depuis votre RIB.\n")
    assert company_rows(ledger) == before
    with ledger.sessions() as s:
        assert s.scalar(select(func.count()).select_from(Event)) == 0


def test_a_company_needs_a_name_and_none_is_said_when_there_is_none(db, capsys):
    assert main(["--db", location(db), "company", "--city", "Lyon"]) == 1
    assert "--name : Indiquez la raison sociale de votre société." in capsys.readouterr().err
    assert company_rows(db) == []
    assert main(["--db", location(db), "company"]) == 1
    assert "aucune société" in capsys.readouterr().err


def test_a_company_set_while_another_encours_writes_waits_then_says_so(impatient, capsys):
    with another_writer(impatient):
        assert main(["--db", location(impatient), "company", "--name", "Atelier Dupont"]) == 1
    err = capsys.readouterr().err
    assert err == (f"encours : Une autre fenêtre ou commande Encours est en train d'écrire dans {impatient.name} : "
                   "réessayez dans un instant.\n")
    assert company_rows(impatient) == []


def test_history_prints_a_customers_events_newest_first(ledger, capsys):
    with ledger.transaction() as s:
        petit = s.scalar(select(Customer).where(Customer.code == "C0001"))
        f2 = s.scalar(select(Invoice.id).where(Invoice.number == "F2"))
        record(s, Happened(EventKind.EDIT, "Délai de paiement : 30 jours → 45 jours", petit.id))
        record(s, Happened(EventKind.ALLOCATION, "Virement du 20/11/2026 imputé", petit.id, f2, cents=123456))
        s.execute(update(Event).where(Event.kind == "edit").values(at=datetime(2026, 11, 20, 9, 5), user="marie"))
        s.execute(update(Event).where(Event.kind == "allocation").values(at=datetime(2026, 11, 21, 14, 30),
                                                                          user="karim"))
    assert main(["--db", location(ledger), "history", "c0001"]) == 0
    assert capsys.readouterr().out.splitlines() == [
        "Historique de Garage Petit (C0001)",
        "21/11/2026 14:30  karim  Imputation  F2  1\u202f234,56\u00a0€  Virement du 20/11/2026 imputé",
        "20/11/2026 09:05  marie  Modification  Délai de paiement : 30 jours → 45 jours"]
    assert main(["--db", location(ledger), "history", "C0001", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert (out["code"], out["name"]) == ("C0001", "Garage Petit")
    assert out["events"][0] == {"at": "2026-11-21T14:30:00", "user": "karim", "kind": "allocation",
                                "label": "Imputation", "text": "Virement du 20/11/2026 imputé", "invoice": "F2",
                                "amount": "1234.56"}
    assert main(["--db", location(ledger), "history", "C0002"]) == 0
    assert capsys.readouterr().out.splitlines()[1] == "Aucun événement enregistré pour ce client."


def test_history_of_an_unknown_code_is_a_french_error(ledger, capsys):
    assert main(["--db", location(ledger), "history", "C9999"]) == 1
    assert capsys.readouterr().err.startswith("encours : aucun client n'a le code « C9999 »")
