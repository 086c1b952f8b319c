"""A customer's history in date order, newest first: the letters sent and calls made, notes and promises,
disputes opened and closed, payments received, and the events of the history (app.services.history: who
allocated, took back, changed what): what the owner reads before picking up the phone."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import NamedTuple

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain.money import format_eur, from_cents
from app.domain.vocabulary import ACTIVITY_LABELS, DUNNING_STEP_LABELS, RESOLUTION_LABELS, DunningStep
from app.models import Activity, Dispute, DunningLetter, Invoice, Payment
from app.services.history import HistoryLine, history
from app.services.lengths import length_errors

REGISTERED = {"registered_mail_number": "n° de recommandé"}  # how a refusal names it


class Entry(NamedTuple):
    day: date
    what: str
    detail: str
    amount: Decimal | None = None
    formal_notice_id: int | None = None  # a formal notice's letter, to note its registered-mail number on
    user: str = ""                       # who did it, for the events of the history


def timeline(session: Session, customer_id: int) -> list[Entry]:
    """Everything that happened with the customer, newest first (same day: the events of the history, which
    carry their time, newest first, then the others in the order of the kinds)."""
    entries = [_event(line) for line in history(session, customer_id)]
    entries += [_letter(letter) for letter in session.scalars(
        select(DunningLetter).where(DunningLetter.customer_id == customer_id))]
    entries += [_activity(activity) for activity in session.scalars(
        select(Activity).where(Activity.customer_id == customer_id))]
    disputes = (select(Dispute, Invoice.number).join(Invoice, Invoice.id == Dispute.invoice_id)
                .where(Invoice.customer_id == customer_id))
    for dispute, number in session.execute(disputes):
        by = f" (suivi par {dispute.assignee})" if dispute.assignee else ""
        entries.append(Entry(dispute.opened_on, "Litige ouvert", f"{number} : {dispute.reason}{by}"))
        if dispute.closed_on is not None:
            outcome = RESOLUTION_LABELS.get(dispute.resolution, dispute.resolution) or "clos"
            entries.append(Entry(dispute.closed_on, "Litige clos", f"{number} : {outcome}"))
    entries += [Entry(p.received_on, "Règlement reçu", p.reference or p.method, from_cents(p.amount_cents))
                for p in session.scalars(select(Payment).where(Payment.customer_id == customer_id))]
    return sorted(entries, key=lambda e: e.day, reverse=True)


def _event(line: HistoryLine) -> Entry:
    return Entry(line.at.date(), line.label, f"{line.invoice} : {line.text}" if line.invoice else line.text,
                 line.amount, user=line.user)


def _letter(letter: DunningLetter) -> Entry:
    numbers = ", ".join(line["number"] for line in letter.lines or [])
    extra = []
    if letter.penalties_cents or letter.indemnities_cents:
        extra.append(f"pénalités {format_eur(from_cents(letter.penalties_cents))}, indemnités "
                     f"{format_eur(from_cents(letter.indemnities_cents))}")
    if letter.registered_mail_number:
        extra.append(f"LRAR n° {letter.registered_mail_number}")
    return Entry(letter.sent_on, DUNNING_STEP_LABELS.get(letter.step, letter.step),
                 " ; ".join(part for part in ("hors Encours" if letter.outside else "", numbers, *extra) if part),
                 from_cents(letter.amount_due_cents),
                 letter.id if letter.step == DunningStep.FORMAL_NOTICE else None)


def _activity(activity: Activity) -> Entry:
    text = activity.text
    if activity.promised_on is not None:
        text = f"pour le {activity.promised_on:%d/%m/%Y}" + (f" — {text}" if text else "")
    return Entry(activity.happened_at.date(), ACTIVITY_LABELS.get(activity.kind, activity.kind), text,
                 from_cents(activity.promised_cents) if activity.promised_cents is not None else None)


def note_registered_mail(session: Session, letter_id: int, number: str) -> dict[str, str]:
    """The registered-mail number of a formal notice sent (the proof of sending DOMAIN.md asks to keep)."""
    cleaned = " ".join(number.split())
    if not cleaned:
        return {"number": "Saisissez le numéro du recommandé (par exemple 1A 123 456 7890 1)."}
    if too_long := length_errors(DunningLetter, {"registered_mail_number": cleaned}, REGISTERED):
        return {"number": too_long["registered_mail_number"]}
    session.get(DunningLetter, letter_id).registered_mail_number = cleaned
    session.flush()
    return {}
