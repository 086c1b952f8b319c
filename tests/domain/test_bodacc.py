"""Reading the BODACC's announcements (the nature of a judgment, its dates however written, a SIREN however
spaced) and what is proposed from them against what the owner recorded."""

from datetime import date

import pytest

from app.domain.bodacc import (Announcement, BodaccUnreadable, Change, Watched, classify, proposals, read_answer,
                               siren_digits)
from app.domain.insolvency import Proceeding, ProceedingKind

LIQ, RJ, SAUV = ProceedingKind.LIQUIDATION, ProceedingKind.RECOVERY, ProceedingKind.SAFEGUARD
CUSTOMER = Watched(7, "C7", "Client", "552100554")


@pytest.mark.parametrize("nature, found", [
    ("Jugement d'ouverture d'une procédure de sauvegarde", (Change.OPENING, SAUV)),
    ("Jugement d'ouverture de redressement judiciaire", (Change.OPENING, RJ)),
    ("Jugement d'ouverture d'une procédure de liquidation judiciaire simplifiée", (Change.OPENING, LIQ)),
    ("Jugement de conversion en liquidation judiciaire de la procédure de redressement judiciaire",
     (Change.CONVERSION, LIQ)),
    ("Jugement de conversion de la procédure de sauvegarde en redressement judiciaire", (Change.CONVERSION, RJ)),
    ("Jugement prononçant la liquidation judiciaire", (Change.CONVERSION, LIQ)),
    ("Jugement de clôture pour insuffisance d'actif", (Change.CLOSURE, None)),
    ("Jugement prononçant la clôture de la procédure de liquidation judiciaire", (Change.CLOSURE, LIQ)),
    ("Jugement arrêtant le plan de redressement", None),
    ("Avis de dépôt de l'état des créances", None),
])
def test_the_nature_of_a_judgment(nature, found):
    assert classify(nature) == found


def test_sirens_however_written():
    assert [siren_digits(text) for text in ("552 100 554", "55210055400013", "552-100", "")] == [
        "552100554", "552100554", "", ""]


def judgment(nature, judged, published="2026-10-16", siren="552 100 554"):
    return {"familleavis": "collective", "registre": [siren], "dateparution": published, "tribunal": "TC Lyon",
            "jugement": {"nature": nature, "date": judged}}


def test_dates_in_several_forms_and_other_sirens_left_out():
    found = read_answer({"results": [
        judgment("Jugement prononçant la liquidation judiciaire", "1er novembre 2026", "2026-11-10T00:00:00"),
        judgment("Jugement d'ouverture de redressement judiciaire", "05/10/2026"),
        judgment("Jugement d'ouverture de redressement judiciaire", "2026-10-05", siren="732829320"),
        {**judgment("", ""), "jugement": None},
    ]}, "552100554")
    assert [(a.change, a.judgment_on, a.published_on) for a in found] == [
        (Change.OPENING, date(2026, 10, 5), date(2026, 10, 16)),
        (Change.CONVERSION, date(2026, 11, 1), date(2026, 11, 10))]


@pytest.mark.parametrize("answer, message", [
    ([], "la réponse n'a pas la forme attendue (liste « results » manquante)"),
    ({"results": ["x"]}, "une annonce n'est pas un objet"),
    ({"results": [{**judgment("x", ""), "jugement": "{nature"}]}, "le jugement d'une annonce n'est pas lisible "
                                                                  "(JSON invalide)"),
    ({"results": [judgment("", "2026-10-05")]}, "la nature d'un jugement manque"),
    ({"results": [judgment("Jugement d'ouverture de sauvegarde", "31/02/2026")]},
     "date du jugement impossible (« 31/02/2026 »)"),
    ({"results": [judgment("Jugement d'ouverture de sauvegarde", "2026-10-05", "bientôt")]},
     "date de parution illisible (« bientôt »)"),
])
def test_an_answer_not_as_expected_is_refused_naming_what(answer, message):
    with pytest.raises(BodaccUnreadable) as refused:
        read_answer(answer, "552100554")
    assert str(refused.value) == message


def announced(change, kind, judged):
    return Announcement("552100554", change, kind, judged, judged, "TC Lyon", "…")


def test_proposals_start_from_what_is_recorded():
    opening = announced(Change.OPENING, RJ, date(2026, 3, 2))
    conversion = announced(Change.CONVERSION, LIQ, date(2026, 6, 1))
    closure = announced(Change.CLOSURE, None, date(2026, 9, 1))
    every = [opening, conversion, closure]
    assert [p.announcement.change for p in proposals(CUSTOMER, every, [])] == [
        Change.OPENING, Change.CONVERSION, Change.CLOSURE]
    assert [p.announcement for p in proposals(CUSTOMER, every, [Proceeding(RJ, date(2026, 3, 2), None)])] == [
        conversion, closure]
    assert proposals(CUSTOMER, every, [Proceeding(LIQ, date(2026, 3, 2), None, closed_on=date(2026, 9, 1))]) == []
    # a conversion whose opening is missing from the answer: proposed as the opening
    (alone,) = proposals(CUSTOMER, [conversion], [])
    assert (alone.announcement.change, alone.announcement.kind) == (Change.OPENING, LIQ)
    # the clôture of proceedings never recorded closes nothing
    assert proposals(CUSTOMER, [closure], []) == []
