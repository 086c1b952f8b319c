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

from app.domain.insolvency import PROCEEDING_LABELS, Deadline, Proceeding, ProceedingKind, deadlines
from app.domain.vocabulary import EventKind
from app.jobs import Refused
from app.models import Customer, CustomerProceeding
from app.services.company import get_company
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


@dataclass(frozen=True)
class ProceedingView:
    """A customer's open proceedings as the card and ``encours proceedings`` show them: what was recorded (to
    edit it), the declaration if sent, the three deadlines' days and, of them, those still to meet at the date
    asked with their days left (app.domain.insolvency decides which)."""

    recorded: ProceedingInput
    label: str  # « redressement judiciaire »
    converted_on: date | None
    claim_sent_on: date | None
    claim_registered_number: str
    declaration_on: date | None  # None while the BODACC publication is not known: nothing runs yet
    relief_on: date | None
    revendication_on: date | None
    running: tuple[Deadline, ...]

    def days_left(self, what: str) -> int | None:
        """Days left to the deadline ``what`` (« déclaration de créance »...), when it is still to meet."""
        return next((d.days_left for d in self.running if d.what.startswith(what)), None)

    def lines(self) -> list[str]:
        """What was recorded, in French: the judgment and its publication, the court, the mandataire."""
        given = self.recorded
        published = (f"publié au BODACC le {given.published_on:%d/%m/%Y}" if given.published_on
                     else "pas encore publié au BODACC : les délais ne courent pas encore")
        lines = [f"{self.label.capitalize()} — jugement d'ouverture du {given.judgment_on:%d/%m/%Y}, {published}."]
        steps = [f"plan adopté le {given.plan_on:%d/%m/%Y}" if given.plan_on else "",
                 f"converti en liquidation judiciaire le {self.converted_on:%d/%m/%Y}" if self.converted_on else "",
                 f"clôture le {given.closed_on:%d/%m/%Y}" if given.closed_on else ""]
        if any(steps):
            lines.append(_sentence(", ".join(step for step in steps if step)))
        court = ", ".join(part for part in (given.court, given.reference and f"n° {given.reference}") if part)
        if court:
            lines.append(f"{court}.")
        who = "Liquidateur" if given.kind == ProceedingKind.LIQUIDATION else "Mandataire"
        contact = [given.mandataire_name, *given.mandataire_address.splitlines(), given.mandataire_email]
        lines.append(f"{who} : " + (", ".join(part.strip() for part in contact if part.strip()) or "non renseigné")
                     + ".")
        if given.abroad:
            lines.append("Créancier à l'étranger ou outre-mer : quatre mois pour déclarer.")
        return lines

    def deadline_lines(self) -> list[str]:
        """The declaration (or when it was sent) and the deadlines' days, with the days left of those running."""
        if self.claim_sent_on:
            registered = f" (recommandé n° {self.claim_registered_number})" if self.claim_registered_number else ""
            declaration = f"Déclaration envoyée le {self.claim_sent_on:%d/%m/%Y}{registered}."
        elif self.declaration_on is None:
            return ["Les délais (déclaration de créance : deux mois) courront de la publication au BODACC."]
        elif self.days_left("déclaration") is None:
            declaration = f"Déclaration de créance : délai expiré le {self.declaration_on:%d/%m/%Y}."
        else:
            declaration = _deadline("Déclaration de créance", self.declaration_on, self.days_left("déclaration"))
        return [declaration,
                _deadline("Revendication des marchandises (réserve de propriété)", self.revendication_on,
                          self.days_left("revendication")),
                _deadline("Relevé de forclusion", self.relief_on, self.days_left("relevé"))]

    def as_json(self) -> dict:
        """The view for ``--json``: ISO dates, the running deadlines with their days left."""
        given = self.recorded
        return {"kind": given.kind, "label": self.label, "judgment_on": _iso(given.judgment_on),
                "published_on": _iso(given.published_on), "court": given.court, "reference": given.reference,
                "mandataire_name": given.mandataire_name, "mandataire_address": given.mandataire_address,
                "mandataire_email": given.mandataire_email, "abroad": given.abroad, "plan_on": _iso(given.plan_on),
                "converted_on": _iso(self.converted_on), "closed_on": _iso(given.closed_on),
                "claim_sent_on": _iso(self.claim_sent_on), "claim_registered_number": self.claim_registered_number,
                "declaration_on": _iso(self.declaration_on), "relief_on": _iso(self.relief_on),
                "revendication_on": _iso(self.revendication_on),
                "running": [{"what": d.what, "on": d.on.isoformat(), "days_left": d.days_left}
                            for d in self.running]}


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


def _sentence(text: str) -> str:
    return f"{text[0].upper()}{text[1:]}."


def _deadline(what: str, on: date, days_left: int | None) -> str:
    """« Relevé de forclusion : au plus tard le 09/05/2027 (158 jours restants). »"""
    left = {None: "", 0: " (dernier jour)", 1: " (1 jour restant)"}.get(days_left, f" ({days_left} jours restants)")
    return f"{what} : au plus tard le {on:%d/%m/%Y}{left}."


def proceeding_view(session: Session, customer_id: int, at: date) -> ProceedingView | None:
    """The customer's open proceedings seen at ``at``, or None. The revendication runs only for a company
    whose terms hold a retention of title (its settings say so)."""
    row = open_proceeding(session, customer_id)
    if row is None:
        return None
    facts = row.facts()
    company = get_company(session)
    running = deadlines(facts, at, declared=row.claim_sent_on is not None,
                        retention_of_title=bool(company and company.retention_of_title))
    recorded = ProceedingInput(row.kind, row.judgment_on, row.published_on, row.court, row.reference,
                               row.mandataire_name, row.mandataire_address, row.mandataire_email, row.abroad,
                               row.plan_on, row.closed_on)
    return ProceedingView(recorded, PROCEEDING_LABELS[facts.kind], row.converted_on, row.claim_sent_on,
                          row.claim_registered_number, facts.declaration_deadline, facts.relief_deadline,
                          facts.revendication_deadline, tuple(running))
