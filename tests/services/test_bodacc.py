"""The BODACC check against a local stand-in for the BODACC's open-data server (``ENCOURS_BODACC_URL``), on
the ledger of tests/conftest.py (23/11/2026): it serves recorded answers per SIREN (or sleeps, or answers what
is not JSON) on 127.0.0.1 and counts the requests. No test reaches the internet."""

from __future__ import annotations

import json
import re
import threading
import time
from datetime import date
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

import pytest
from sqlalchemy import select

from app.__main__ import main
from app.domain.bodacc import Announcement, Change, Proposal, Watched
from app.domain.insolvency import ProceedingKind
from app.models import Customer, CustomerProceeding
from app.services import bodacc as services_bodacc
from app.services.bodacc import (BodaccResult, apply_proposal, bodacc_settings, check, save_weekly,
                                 weekly_check)
from app.services.proceedings import ProceedingInput, record_proceeding
from app.services.store import commit, read
from tests.cli.test_cli import location

RECORDS = "/api/explore/v2.1/catalog/datasets/annonces-commerciales/records"


def record(siren: str, nature: str, judged: str, published: str, number: int = 1234) -> dict:
    """One announcement as the dataset serves it: the judgment a JSON text, the SIREN spaced and not."""
    spaced = f"{siren[:3]} {siren[3:6]} {siren[6:]}"
    return {"id": f"A2026{number:08d}", "publicationavis": "A", "dateparution": published, "numeroannonce": number,
            "typeavis": "annonce", "typeavis_lib": "Avis initial", "familleavis": "collective",
            "familleavis_lib": "Procédures collectives", "numerodepartement": "69",
            "tribunal": "TRIBUNAL DE COMMERCE DE LYON", "commercant": "GARAGE PETIT", "ville": "Lyon",
            "registre": [spaced, siren], "cp": "69003",
            "jugement": json.dumps({"type": "initial", "famille": "Jugement d'ouverture", "nature": nature,
                                    "date": judged, "complementJugement": f"{nature}, désignant mandataire "
                                                                          "judiciaire Maître Dupont."}),
            "url_complete": f"https://www.bodacc.fr/pages/annonces-commerciales-detail/?q.id=id:A2026{number:08d}"}


def answer(*records: dict) -> dict:
    return {"total_count": len(records), "results": list(records)}


class Bodacc:
    """What the server answers per SIREN: a dict (served as JSON), ``bytes`` (served as is), or a number of
    seconds to sleep before answering nothing; an unknown SIREN gets no results."""

    def __init__(self) -> None:
        self.answers: dict[str, object] = {}
        self.requests: list[dict[str, list[str]]] = []


@pytest.fixture
def bodacc(monkeypatch):
    served = Bodacc()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            url = urlparse(self.path)
            query = parse_qs(url.query)
            served.requests.append({**query, "path": [url.path], "agent": [self.headers["User-Agent"]]})
            siren = re.search(r'registre="(\d{9})"', query.get("where", [""])[0])
            given = served.answers.get(siren[1] if siren else "", answer())
            if isinstance(given, (int, float)):
                time.sleep(given)
                given = answer()
            body = given if isinstance(given, bytes) else json.dumps(given).encode()
            try:
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                self.wfile.write(body)
            except OSError:  # the client gave up waiting
                pass

        def log_message(self, *args) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    monkeypatch.setenv("ENCOURS_BODACC_URL", f"http://127.0.0.1:{server.server_address[1]}/")
    yield served
    server.shutdown()
    server.server_close()


REDRESSEMENT = "Jugement d'ouverture d'une procédure de redressement judiciaire"
TODAY = date(2026, 11, 23)
PETIT_ANSWER = answer(record("732829320", REDRESSEMENT, "2026-10-05", "2026-10-16"))


def customers(db):
    """The ledger's two customers, Boulangerie Martin given a SIREN typed with spaces; their ids."""
    with db.transaction() as s:
        martin = s.scalar(select(Customer).where(Customer.code == "C0002"))
        martin.siren = "552 100 554"
        petit = s.scalar(select(Customer.id).where(Customer.code == "C0001"))
        return petit, martin.id


def allowed(db, weekly=True):
    commit(db, save_weekly, weekly)


def recorded(db):
    with db.sessions() as s:
        return [(r.customer_id, r.kind, r.judgment_on, r.published_on, r.converted_on, r.closed_on)
                for r in s.scalars(select(CustomerProceeding))]


def test_a_judgment_for_one_siren_is_proposed_nothing_for_the_other_then_kept_a_week(ledger, bodacc):
    petit, _martin = customers(ledger)
    allowed(ledger)
    bodacc.answers["732829320"] = PETIT_ANSWER
    result = check(ledger, TODAY)
    assert result.proposals == [Proposal(
        Watched(petit, "C0001", "Garage Petit", "732829320"),
        Announcement("732829320", Change.OPENING, ProceedingKind.RECOVERY, date(2026, 10, 5), date(2026, 10, 16),
                     "TRIBUNAL DE COMMERCE DE LYON", REDRESSEMENT, "1234",
                     "https://www.bodacc.fr/pages/annonces-commerciales-detail/?q.id=id:A202600001234"))]
    assert result.proposals[0].text == (
        "Garage Petit (C0001) : ouverture (redressement judiciaire), jugement du 05/10/2026, TRIBUNAL DE COMMERCE DE "
        "LYON, publié au BODACC le 16/10/2026")
    assert (result.checked, result.asked, result.failures, result.weekly) == (2, 2, [], True)
    asked = {request["where"][0] for request in bodacc.requests}
    assert asked == {'familleavis="collective" and (registre="552100554" or registre="552 100 554")',
                     'familleavis="collective" and (registre="732829320" or registre="732 829 320")'}
    assert {request["path"][0] for request in bodacc.requests} == {RECORDS}
    assert all(request["agent"][0].startswith("Encours/") for request in bodacc.requests)
    assert recorded(ledger) == []  # proposed, not recorded
    assert read(ledger, bodacc_settings).last_check == TODAY

    again = check(ledger, date(2026, 11, 29))  # within the week: the answers kept, nothing asked
    assert (len(bodacc.requests), again.proposals, again.asked) == (2, result.proposals, 0)
    assert check(ledger, date(2026, 11, 30)).asked == 2  # a week later: asked again
    assert len(bodacc.requests) == 4


def test_applied_on_confirmation_then_no_longer_proposed(ledger, bodacc):
    petit, _martin = customers(ledger)
    bodacc.answers["732829320"] = PETIT_ANSWER
    (proposal,) = check(ledger, TODAY, on_demand=True).proposals
    assert commit(ledger, apply_proposal, proposal, TODAY) == (
        "Garage Petit : redressement judiciaire ouvert(e) par jugement du 05/10/2026, publié au BODACC le 16/10/2026.")
    assert recorded(ledger) == [(petit, "redressement", date(2026, 10, 5), date(2026, 10, 16), None, None)]
    assert check(ledger, TODAY, on_demand=True).proposals == []


def test_a_conversion_then_a_closure_follow_what_is_recorded(ledger, bodacc):
    petit, _martin = customers(ledger)
    with ledger.transaction() as s:
        record_proceeding(s, petit, ProceedingInput("redressement", date(2026, 10, 5), date(2026, 10, 16)), TODAY)
    bodacc.answers["732829320"] = answer(
        record("732829320", "Jugement prononçant la clôture de la procédure de liquidation judiciaire pour "
                            "insuffisance d'actif", "2026-11-20", "2026-11-22", 3),
        record("732829320", "Jugement prononçant la liquidation judiciaire", "2026-11-02", "2026-11-10", 2),
        record("732829320", REDRESSEMENT, "2026-10-05", "2026-10-16", 1))
    conversion, closure = check(ledger, TODAY, on_demand=True).proposals
    assert (conversion.announcement.change, conversion.announcement.kind, closure.announcement.change) == (
        Change.CONVERSION, ProceedingKind.LIQUIDATION, Change.CLOSURE)
    with ledger.transaction() as s:
        apply_proposal(s, conversion, TODAY)
        apply_proposal(s, closure, TODAY)
    assert recorded(ledger) == [(petit, "liquidation", date(2026, 10, 5), date(2026, 10, 16), date(2026, 11, 2),
                                 date(2026, 11, 20))]
    assert check(ledger, TODAY, on_demand=True).proposals == []


@pytest.mark.parametrize("served, why", [
    (b"<html>Maintenance</html>", "la réponse n'est pas du JSON"),
    ({"records": []}, "la réponse n'a pas la forme attendue (liste « results » manquante)"),
    (answer({**record("732829320", REDRESSEMENT, "", "2026-10-16")}), "date du jugement manquante"),
])
def test_a_malformed_answer_fails_in_french_and_changes_nothing(ledger, bodacc, served, why):
    customers(ledger)
    bodacc.answers["732829320"] = served
    result = check(ledger, TODAY, on_demand=True)
    assert result.failures == [f"SIREN 732829320 (Garage Petit) : réponse du BODACC inutilisable ({why}) ; rien "
                               "n'a été modifié pour ce client."]
    assert (result.proposals, result.checked, result.failed, recorded(ledger)) == ([], 1, False, [])
    check(ledger, TODAY, on_demand=True)  # the failed SIREN is asked again, the other one kept
    assert [request["where"][0][-13:-2] for request in bodacc.requests[1:]] == ["732 829 320"] * 2


def test_a_timeout_stops_the_check_in_french(ledger, bodacc, monkeypatch):
    monkeypatch.setattr(services_bodacc, "TIMEOUT", 0.3)
    with ledger.transaction() as s:
        s.add(Customer(name="Aaa Lente", code="C0003", siren="443061841"))
    customers(ledger)
    bodacc.answers["443061841"] = 2  # seconds before answering: longer than the timeout
    result = check(ledger, TODAY, on_demand=True)
    assert result.failures == ["Vérification BODACC interrompue : le BODACC n'a pas répondu dans les 0.3 secondes. "
                               "Rien n'a été modifié."]
    assert (result.checked, result.failed, len(bodacc.requests), recorded(ledger)) == (0, True, 1, [])
    assert read(ledger, bodacc_settings).last_check is None


def test_unreachable_is_said(ledger, monkeypatch):
    customers(ledger)
    monkeypatch.setenv("ENCOURS_BODACC_URL", "http://127.0.0.1:9/")  # the discard port: nobody listens
    (failure,) = check(ledger, TODAY, on_demand=True).failures
    assert failure.startswith("Vérification BODACC interrompue : le BODACC est injoignable (")
    assert failure.endswith("vérifiez la connexion à Internet. Rien n'a été modifié.")


def test_nothing_is_asked_unless_allowed(ledger, bodacc):
    customers(ledger)
    assert check(ledger, TODAY) == BodaccResult([], 0, 0, [], False)
    assert weekly_check(ledger, TODAY) is None
    assert bodacc.requests == []
    allowed(ledger)
    assert weekly_check(ledger, TODAY).checked == 2
    assert weekly_check(ledger, date(2026, 11, 29)) is None  # less than a week since
    allowed(ledger, False)
    assert weekly_check(ledger, date(2026, 12, 7)) is None
    assert len(bodacc.requests) == 2


def test_the_command_checks_on_demand_and_applies_what_the_owner_names(ledger, bodacc, capsys):
    petit, _martin = customers(ledger)
    bodacc.answers["732829320"] = PETIT_ANSWER
    where = ["--db", location(ledger), "bodacc", "check", "--at", "2026-11-23"]
    assert main(where) == 0
    assert capsys.readouterr().out.splitlines() == [
        "La vérification hebdomadaire est désactivée (Paramètres › BODACC) : vérification faite à votre demande.",
        "2 SIREN vérifié(s), dont 2 demandé(s) au BODACC aujourd'hui (les autres l'ont été dans la semaine).",
        "Jugements publiés au BODACC et non enregistrés (rien n'est enregistré sans votre accord) :",
        "  Garage Petit (C0001) : ouverture (redressement judiciaire), jugement du 05/10/2026, TRIBUNAL DE COMMERCE "
        "DE LYON, publié au BODACC le 16/10/2026",
        f"    « {REDRESSEMENT} » https://www.bodacc.fr/pages/annonces-commerciales-detail/?q.id=id:A202600001234",
        "Pour les enregistrer : encours bodacc check --apply CODE_CLIENT"]
    assert main([*where, "--json"]) == 0
    said = json.loads(capsys.readouterr().out)
    assert (said["proposals"][0]["judgment_on"], said["proposals"][0]["kind"], said["asked"]) == (
        "2026-10-05", "redressement", 0)
    assert main([*where, "--apply", "c0002"]) == 1
    assert "aucun jugement du BODACC n'est à enregistrer pour le client « c0002 »" in capsys.readouterr().err
    assert main([*where, "--apply", "c0001"]) == 0
    assert "Garage Petit : redressement judiciaire ouvert(e)" in capsys.readouterr().out
    assert recorded(ledger) == [(petit, "redressement", date(2026, 10, 5), date(2026, 10, 16), None, None)]


def test_the_command_fails_when_nothing_could_be_checked(ledger, bodacc, capsys):
    bodacc.answers["732829320"] = b"{"
    assert main(["--db", location(ledger), "bodacc", "check", "--at", "2026-11-23"]) == 1
    assert capsys.readouterr().err == ("encours : SIREN 732829320 (Garage Petit) : réponse du BODACC inutilisable "
                                       "(la réponse n'est pas du JSON) ; rien n'a été modifié pour ce client.\n")
