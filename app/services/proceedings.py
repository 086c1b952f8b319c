"""A customer's collective proceedings, as the owner records them (the customer card, ``encours proceedings``)
and as the rest of Encours reads them (app.domain.insolvency): the dunning holds the invoices they hold, the
indicators count them doubtful, the deadlines are shown until met, the claim is declared.

A customer has at most one proceedings open: recording again while one is open updates it (a later judgment
converting a redressement into a liquidation keeps the opening judgment, whose claims stand, and its date of
conversion). Each change is an event of the customer's history."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain.insolvency import PROCEEDING_LABELS, Proceeding, ProceedingKind
from app.domain.vocabulary import EventKind
from app.jobs import Refused
from app.models import Customer, CustomerProceeding
from app.services.edits import record_edit
from app.services.lengths import length_errors

LABELS = {"court": "tribunal", "reference": "référence", "mandataire_name": "mandataire",
          "mandataire_address": "adresse du mandataire", "mandataire_email": "e-mail du mandataire",
          "claim_registered_number": "N° de recommandé"}
NO_PROCEEDING = "aucune procédure collective n'est enregistrée pour ce client."


class ProceedingRefused(Refused):
    """Proceedings that cannot be recorded as given; the message says why, in French."""


@dataclass(frozen=True)
class ProceedingInput:
    """What the owner says of a customer's proceedings (the mandataire's letter, the BODACC)."""

    kind: str
    judgment_on: date
    published_on: date | None = None
    court: str = ""
    reference: str = ""
    mandataire_name: str = ""
    mandataire_address: str = ""
    mandataire_email: str = ""
    abroad: bool = False
    plan_on: date | None = None
    closed_on: date | None = None


def _checked(given: ProceedingInput, today: date) -> ProceedingKind:
    kinds = ", ".join(kind.value for kind in ProceedingKind)
    try:
        kind = ProceedingKind(given.kind)
    except ValueError:
        raise ProceedingRefused(f"nature de procédure inconnue « {given.kind} » (attendu : {kinds}).") from None
    if given.judgment_on > today:
        raise ProceedingRefused(f"le jugement du {given.judgment_on:%d/%m/%Y} est postérieur à aujourd'hui "
                                f"({today:%d/%m/%Y}) : vérifiez sa date.")
    if given.published_on is not None and given.published_on < given.judgment_on:
        raise ProceedingRefused(f"la publication au BODACC ({given.published_on:%d/%m/%Y}) ne peut précéder le "
                                f"jugement ({given.judgment_on:%d/%m/%Y}).")
    for day, what in ((given.plan_on, "l'adoption du plan"), (given.closed_on, "la clôture")):
        if day is not None and day < given.judgment_on:
            raise ProceedingRefused(f"la date de {what} ({day:%d/%m/%Y}) ne peut précéder le jugement d'ouverture "
                                    f"({given.judgment_on:%d/%m/%Y}).")
    texts = {name: getattr(given, name) for name in LABELS if hasattr(given, name)}
    if errors := length_errors(CustomerProceeding, texts, LABELS):
        raise ProceedingRefused(" ".join(errors.values()))
    return kind


def open_proceeding(session: Session, customer_id: int) -> CustomerProceeding | None:
    """The customer's proceedings not closed, if any."""
    return session.scalar(select(CustomerProceeding).where(CustomerProceeding.customer_id == customer_id,
                                                           CustomerProceeding.closed_on.is_(None))
                          .order_by(CustomerProceeding.judgment_on.desc()).limit(1))


def record_proceeding(session: Session, customer_id: int, given: ProceedingInput, today: date) -> str:
    """Record (or update) the customer's proceedings; returns what was done, in French. A kind that changes
    into a liquidation records the conversion's day (today, unless the proceedings say otherwise)."""
    kind = _checked(given, today)
    customer = session.get(Customer, customer_id)
    if customer is None:
        raise ProceedingRefused("ce client n'existe plus.")
    row = open_proceeding(session, customer_id)
    created = row is None
    if created:
        row = CustomerProceeding(customer_id=customer_id)
        session.add(row)
    elif row.kind != kind.value and kind is ProceedingKind.LIQUIDATION:
        row.converted_on = today
    for name in ("judgment_on", "published_on", "court", "reference", "mandataire_name", "mandataire_address",
                 "mandataire_email", "abroad", "plan_on", "closed_on"):
        setattr(row, name, getattr(given, name))
    row.kind = kind.value
    session.flush()
    said = (f"{PROCEEDING_LABELS[kind]} ouvert(e) par jugement du {given.judgment_on:%d/%m/%Y}"
            + (f", publié au BODACC le {given.published_on:%d/%m/%Y}" if given.published_on else ""))
    record_edit(session, EventKind.EDIT, [f"procédure collective : {said}"], customer_id=customer_id)
    return f"{customer.name} : {said}{'' if created else ' (mise à jour)'}."


def record_claim_sent(session: Session, customer_id: int, sent_on: date, registered_number: str = "") -> str:
    """The declaration of claim sent to the mandataire: the deadline no longer shows."""
    row = open_proceeding(session, customer_id)
    if row is None:
        raise ProceedingRefused(NO_PROCEEDING)
    if sent_on < row.judgment_on:
        raise ProceedingRefused(f"la déclaration ({sent_on:%d/%m/%Y}) ne peut précéder le jugement "
                                f"({row.judgment_on:%d/%m/%Y}).")
    if errors := length_errors(CustomerProceeding, {"claim_registered_number": registered_number}, LABELS):
        raise ProceedingRefused(" ".join(errors.values()))
    row.claim_sent_on, row.claim_registered_number = sent_on, registered_number
    registered = f" (recommandé n° {registered_number})" if registered_number else ""
    record_edit(session, EventKind.LETTER, [f"déclaration de créance envoyée le {sent_on:%d/%m/%Y}{registered}"],
                customer_id=customer_id)
    return f"Déclaration de créance enregistrée comme envoyée le {sent_on:%d/%m/%Y}{registered}."


def proceedings_at(session: Session, at: date, customer_ids=None) -> dict[int, Proceeding]:
    """Per customer, the proceedings open at ``at`` (opened on or before it, not closed then)."""
    query = select(CustomerProceeding).where(CustomerProceeding.judgment_on <= at)
    if customer_ids is not None:
        query = query.where(CustomerProceeding.customer_id.in_(list(customer_ids)))
    found = {}
    for row in session.scalars(query.order_by(CustomerProceeding.judgment_on)):
        facts = row.facts()
        if facts.open_on(at):
            found[row.customer_id] = facts
    return found
