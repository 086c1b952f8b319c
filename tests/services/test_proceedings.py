"""Recording a customer's proceedings: checked, one open at a time (a conversion keeps the opening judgment),
read back by date, the declaration of claim recorded, each change in the history."""

from datetime import date

import pytest
from sqlalchemy import select

from app.domain.insolvency import ProceedingKind
from app.models import Customer, Event
from app.services.proceedings import (ProceedingInput, ProceedingRefused, proceedings_at, record_claim_sent,
                                      record_proceeding)

TODAY = date(2026, 11, 23)


def martin(s):
    return s.scalar(select(Customer.id).where(Customer.name == "Boulangerie Martin"))


def test_recorded_updated_converted_and_read_back_by_date(ledger):
    with ledger.transaction() as s:
        said = record_proceeding(s, martin(s), ProceedingInput("redressement", date(2026, 10, 5), date(2026, 10, 16),
                                                               court="Tribunal de commerce de Lyon"), TODAY)
    assert said == ("Boulangerie Martin : redressement judiciaire ouvert(e) par jugement du 05/10/2026, publié au "
                    "BODACC le 16/10/2026.")
    with ledger.transaction() as s:
        record_proceeding(s, martin(s), ProceedingInput("liquidation", date(2026, 10, 5), date(2026, 10, 16)), TODAY)
    with ledger.sessions() as s:
        assert proceedings_at(s, date(2026, 10, 4)) == {}
        (found,) = proceedings_at(s, TODAY).values()
        assert (found.kind, found.judgment_on, found.declaration_deadline) == (
            ProceedingKind.LIQUIDATION, date(2026, 10, 5), date(2026, 12, 16))
        assert [e.text for e in s.scalars(select(Event).order_by(Event.id))][-1].startswith(
            "Procédure collective : liquidation judiciaire")
    with ledger.transaction() as s:
        assert record_claim_sent(s, martin(s), date(2026, 11, 20), "1A 234 567 8901 2") == (
            "Déclaration de créance enregistrée comme envoyée le 20/11/2026 (recommandé n° 1A 234 567 8901 2).")


@pytest.mark.parametrize("given, message", [
    (ProceedingInput("faillite", date(2026, 10, 5)),
     "nature de procédure inconnue « faillite » (attendu : sauvegarde, redressement, liquidation)."),
    (ProceedingInput("sauvegarde", date(2026, 12, 5)),
     "le jugement du 05/12/2026 est postérieur à aujourd'hui (23/11/2026) : vérifiez sa date."),
    (ProceedingInput("sauvegarde", date(2026, 10, 5), date(2026, 10, 1)),
     "la publication au BODACC (01/10/2026) ne peut précéder le jugement (05/10/2026)."),
    (ProceedingInput("sauvegarde", date(2026, 10, 5), court="T" * 201), "Tribunal : 201 caractères, 200 au plus."),
])
def test_what_cannot_be_is_refused_in_french(ledger, given, message):
    with ledger.transaction() as s, pytest.raises(ProceedingRefused) as refused:
        record_proceeding(s, martin(s), given, TODAY)
    assert str(refused.value) == message
