"""Reminders already sent outside Encours (DOMAIN.md, Dunning progression): a customer with no history starts at
the first reminder, however late; the owner who had already written, called or sent a formal notice before using
Encours (or without it) records that step and its date, for one customer from its card or for several at once on
first use of Relances, and the progression continues from there.

Each step recorded is a dunning letter's record marked ``outside`` (no letter of it was printed), whose lines
are the customer's invoices that were late on that day (not in dispute then) and are still due: the steps the
dunning rules read for those invoices (app.services.dunning ``_steps_done``), the history the next letters quote
with their dates (« malgré notre 1re relance du 12/11/2026 »). It is recorded in the history of events too. The
same step recorded twice for the same day is recorded once."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import NamedTuple

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain.money import ZERO, from_cents, to_cents
from app.domain.vocabulary import DUNNING_STEP_LABELS, DunningStep, EventKind, InvoiceKind, InvoiceStatus
from app.models import Customer, Dispute, DunningLetter, Invoice
from app.services.aging import still_due_rows
from app.services.customers import CUSTOMER
from app.services.dunning import plan_of, plans
from app.services.edits import claim, record_edit
from app.services.lengths import length_errors
from app.services.timeline import REGISTERED

# the steps a debtor receives (or hears) and the next ones follow: not the courtesy reminder before the due date,
# which chases nothing late, nor the litigation file, which is never sent to the debtor
OUTSIDE_STEPS = (DunningStep.FIRST_REMINDER, DunningStep.SECOND_REMINDER, DunningStep.PHONE_CALL,
                 DunningStep.FORMAL_NOTICE)
DONE = {DunningStep.PHONE_CALL: "passé"}  # « Appel téléphonique passé », « 1re relance envoyée »


class LateThen(NamedTuple):
    """An invoice late on the day a step was taken outside Encours, and still due: what that step chased."""

    invoice_id: int
    number: str
    due_date: date
    due_then: Decimal   # what remained of it on that day


class Outside(NamedTuple):
    """One customer's step recorded, or found already on record (``already``: nothing written)."""

    customer_id: int
    name: str
    code: str
    invoices: tuple[str, ...]
    amount: Decimal     # what those invoices still owed on the step's day
    already: bool = False


@dataclass(frozen=True)
class Recorded:
    """What ``record_outside`` did: the customers' steps recorded, or the errors in French (by field: "step",
    "sent_on", "registered", "customers"), nothing written when any."""

    step: str
    sent_on: date
    errors: dict[str, str] = field(default_factory=dict)
    customers: tuple[Outside, ...] = ()
    refused: tuple[int, ...] = ()     # the customers the errors name: the others could be recorded without them

    def lines(self) -> list[str]:
        """In French: the step, then one line a customer with the invoices it chased, « Garage Petit (C0001) :
        F2, F3 »; one already on record says that nothing was added."""
        return [f"{done_outside(self.step, self.sent_on)}, pour :"] + [
            f"  {c.name}{f' ({c.code})' if c.code else ''} : {', '.join(c.invoices)}"
            + (" — déjà dans l'historique, rien d'ajouté" if c.already else "") for c in self.customers]

    def as_json(self) -> dict:
        return {"step": self.step, "on": self.sent_on.isoformat(),
                "customers": [{"code": c.code, "name": c.name, "invoices": list(c.invoices),
                               "amount_due": str(c.amount), "already": c.already} for c in self.customers]}


def done_outside(step: str, sent_on: date) -> str:
    """« 1re relance envoyée hors Encours le 12/11/2026 », « Appel téléphonique passé hors Encours le … »."""
    label = DUNNING_STEP_LABELS[DunningStep(step)]
    return f"{label} {DONE.get(DunningStep(step), 'envoyée')} hors Encours le {sent_on:%d/%m/%Y}"


def _names(customers: list[Customer]) -> str:
    """« Garage Petit, Boulangerie Martin et Menuiserie Roy »."""
    names = sorted(c.name for c in customers)
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} et {names[-1]}"


def first_use(session: Session) -> bool:
    """No step on record yet, for any customer: Relances offers to record those taken outside Encours."""
    return session.scalar(select(DunningLetter.id).limit(1)) is None


def late_then(session: Session, customer_ids: list[int], sent_on: date, at: date) -> dict[int, list[LateThen]]:
    """By customer, its invoices late on ``sent_on`` (due before it, not in dispute then) that are still due at
    ``at``, oldest first: what a step taken on ``sent_on`` chased and the dunning still chases."""
    if not customer_ids:
        return {}
    rows = still_due_rows(session, sent_on, [Invoice.id, Invoice.customer_id, Invoice.number, Invoice.due_date,
                                             Invoice.status],
                          [Invoice.customer_id.in_(customer_ids), Invoice.kind == InvoiceKind.INVOICE.value,
                           Invoice.due_date < sent_on])
    owing = {row[0]: row for row in rows if row[-1] > 0 and row[4] != InvoiceStatus.DISPUTED.value}
    if not owing:
        return {}
    disputed = set(session.scalars(select(Dispute.invoice_id).where(
        Dispute.invoice_id.in_(list(owing)), Dispute.opened_on <= sent_on,
        (Dispute.closed_on.is_(None)) | (Dispute.closed_on > sent_on))))
    still = {invoice_id for invoice_id, cents in still_due_rows(session, at, [Invoice.id],
                                                                [Invoice.id.in_(list(owing))]) if cents > 0}
    found: dict[int, list[LateThen]] = defaultdict(list)
    for invoice_id, customer_id, number, due, _status, cents in owing.values():
        if invoice_id in still and invoice_id not in disputed:
            found[customer_id].append(LateThen(invoice_id, number, due, from_cents(cents)))
    return {customer_id: sorted(invoices, key=lambda i: (i.due_date, i.number))
            for customer_id, invoices in found.items()}


def record_outside(session: Session, customer_ids: list[int], step: str, sent_on: date, at: date,
                   registered: str = "") -> Recorded:
    """Record, in the caller's transaction, that ``step`` was taken on ``sent_on`` outside Encours for each of
    these customers, so that their dunning continues from there (DOMAIN.md, Dunning progression): one record of
    it each, marked as done outside Encours, claiming their invoices late that day and still due at ``at``, and
    an event of the history saying so (« 1re relance envoyée hors Encours le 12/11/2026 : F2, F3 »). A formal
    notice may carry its registered-mail number (the litigation file quotes it).

    Refused, with French errors and nothing written: a step other than the reminders, the call and the formal
    notice, or one the customer's plan leaves out; a day after ``at``; a registered-mail number on another step;
    a customer who had nothing late that day still due now (named). A step already on record for the customer
    that day is not recorded again (a registered-mail number given then is noted on it if it had none)."""
    errors = {}
    if step not in set(OUTSIDE_STEPS):
        errors["step"] = ("Choisissez la 1re relance, la 2e relance, l'appel téléphonique ou la mise en demeure : "
                          "les étapes qu'un client reçoit et que les suivantes font suivre.")
    if sent_on > at:
        errors["sent_on"] = (f"Le {sent_on:%d/%m/%Y} est à venir : notez une relance déjà envoyée, au plus tard "
                             f"le {at:%d/%m/%Y}.")
    number = " ".join(registered.split())
    if number and step != DunningStep.FORMAL_NOTICE:
        errors["registered"] = "Un n° de recommandé ne se note que pour une mise en demeure."
    elif too_long := length_errors(DunningLetter, {"registered_mail_number": number}, REGISTERED):
        errors["registered"] = too_long["registered_mail_number"]
    ids = list(dict.fromkeys(customer_ids))
    if not ids:
        errors["customers"] = "Choisissez au moins un client."
    if errors:
        return Recorded(step, sent_on, errors)
    for customer_id in sorted(ids):  # held until the end: another workstation recording the same waits
        claim(session, Customer, customer_id, None, CUSTOMER)
    customers = {c.id: c for c in session.scalars(select(Customer).where(Customer.id.in_(ids)))}
    late = late_then(session, ids, sent_on, at)
    on_record = {letter.customer_id: letter for letter in session.scalars(select(DunningLetter).where(
        DunningLetter.customer_id.in_(ids), DunningLetter.step == step, DunningLetter.sent_on == sent_on))}
    by_segment, label = plans(session), DUNNING_STEP_LABELS[DunningStep(step)]
    gone, unplanned, idle = [], [], []
    for customer_id in ids:
        customer = customers.get(customer_id)
        if customer is None:
            gone.append(customer_id)
            continue
        plan = plan_of(by_segment, customer.dunning_plan, customer.segment)
        if step not in plan.days:
            unplanned.append(customer)
        elif customer_id not in late and customer_id not in on_record:
            idle.append(customer)
    problems = ([f"Client{'s' if len(gone) > 1 else ''} supprimé{'s' if len(gone) > 1 else ''} entre-temps."]
                if gone else [])
    if unplanned:
        problems.append(f"Le plan de relance de {_names(unplanned)} ne prévoit pas d'étape « {label} »."
                        if len(unplanned) == 1 else
                        f"Les plans de relance de {_names(unplanned)} ne prévoient pas d'étape « {label} ».")
    if idle:
        problems.append(f"Rien à relancer le {sent_on:%d/%m/%Y} pour {_names(idle)} : aucune facture en retard ce "
                        "jour-là n'est encore due (hors litige).")
    if problems:
        refused = (*gone, *(c.id for c in unplanned), *(c.id for c in idle))
        return Recorded(step, sent_on, {"customers": "\n".join(problems)}, refused=refused)
    done = []
    for customer in sorted((customers[i] for i in ids), key=lambda c: (c.name, c.id)):
        if customer.id in on_record:
            letter = on_record[customer.id]
            if number and step == DunningStep.FORMAL_NOTICE and not letter.registered_mail_number:
                letter.registered_mail_number = number
            done.append(Outside(customer.id, customer.name, customer.code,
                                tuple(line["number"] for line in letter.lines or []),
                                from_cents(letter.amount_due_cents), already=True))
            continue
        invoices = late[customer.id]
        amount = sum((i.due_then for i in invoices), ZERO)
        cents = to_cents(amount)
        session.add(DunningLetter(
            customer_id=customer.id, step=step, sent_on=sent_on, outside=True, registered_mail_number=number,
            lines=[{"invoice_id": i.invoice_id, "number": i.number, "amount_due": to_cents(i.due_then)}
                   for i in invoices], amount_due_cents=cents))
        mail = f" (recommandé n° {number})" if number else ""
        record_edit(session, EventKind.LETTER,
                    [f"{done_outside(step, sent_on)}{mail} : {', '.join(i.number for i in invoices)}"],
                    customer_id=customer.id, cents=cents)
        done.append(Outside(customer.id, customer.name, customer.code, tuple(i.number for i in invoices), amount))
    session.flush()
    return Recorded(step, sent_on, customers=tuple(done))
