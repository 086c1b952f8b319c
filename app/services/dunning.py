"""Today's dunning from the database: each customer's open items, letters already sent, disputes, promises and
"ne pas relancer avant" dates gathered for the domain's rules (app.domain.dunning); what the owner does about
them (a step recorded as done, a call, a postponement, a dispute), and the collective proceedings that hold a
customer's older invoices. The letters are app.services.reminders'."""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Collection
from itertools import chain
from datetime import date, datetime, timedelta
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.config import RESOURCES
from app.domain.dunning import (AFTER_STEPS, FORMAL_NOTICE_DEADLINE_DAYS, LITIGATION_WAIT, Action, CustomerAccount,
                                Hold, OpenInvoice, Plan, todays_actions)
from app.domain.money import ZERO, format_eur, from_cents, to_cents
from app.domain.changes import changed
from app.domain.scoring import Score
from app.domain.vocabulary import (DUNNING_STEP_LABELS, SEGMENT_LABELS, ActivityKind, DunningStep, EventKind,
                                   InvoiceKind, InvoiceStatus, Segment)
from app.jobs import NULL_JOB, Job, collector_paused
from app.models import Activity, Customer, Dispute, DunningLetter, Invoice, Payment
from app.models.db import CHUNK
from app.services.aging import balance_of_rows, still_due_rows
from app.services.company import CompanyInput, get_company
from app.services.customers import CUSTOMER
from app.services.edits import claim, record_edit, record_settings, settings_subject
from app.services.lengths import length_errors
from app.services.preferences import keep_preferences, preference
from app.services.proceedings import proceedings_at
from app.services.risk import all_scores

PLANS = RESOURCES / "dunning" / "plans.json"
PLANS_KEY = "dunning_plans"
AFTER = "after"  # in a stored plan, beside each step's day: the days each step waits after the previous one
PLANS_SECTION = "Plans de relance"
PLANS_SUBJECT = settings_subject("Les plans de relance ont été modifiés", PLANS_SECTION)


def default_plans() -> dict[str, Plan]:
    """The plan of each segment shipped in resources/dunning/plans.json."""
    data = json.loads(PLANS.read_text(encoding="utf-8"))
    return {name: _plan(name, plan) for name, plan in data.items() if not name.startswith("_")}


def _plan(name: str, stored: dict, shipped: Plan | None = None) -> Plan:
    """A plan as plans.json writes it ({step: day, ..., "after": {step: days}}); what it leaves out is
    ``shipped``'s: the days when it names no step, the intervals when it has no "after" (a plan saved
    before the intervals could be changed)."""
    days = {step: day for step, day in stored.items() if step != AFTER}
    if shipped is None:
        return Plan(name, days, stored.get(AFTER, {}))
    return shipped._replace(days=days or shipped.days, after=stored.get(AFTER, shipped.after))


def plans(session: Session) -> dict[str, Plan]:
    """Each segment's plan: the user's days and intervals (Paramètres › Plans de relance) over the shipped
    ones."""
    mine = preference(session, PLANS_KEY, {})
    return {name: _plan(name, mine[name], plan) if mine.get(name) else plan
            for name, plan in default_plans().items()}


def waits(plan: Plan) -> dict[str, int]:
    """The days each step of ``AFTER_STEPS`` waits after the previous one (the litigation file at least the
    formal notice's deadline)."""
    return {step.value: plan.wait(step) for step in AFTER_STEPS}


def save_plans(session: Session, days: dict[str, dict[str, int]], seen: dict[str, int] | None = None,
               after: dict[str, dict[str, int]] | None = None) -> dict[str, str]:
    """Keep the plans of the segments: ``days`` (step -> day from the due date, a step left out is not used)
    and ``after`` (step of ``AFTER_STEPS`` -> days it waits after the previous step was done); a segment
    left out of either keeps what it has. Errors by segment, in French, nothing saved when any. The shipped
    plans come back when they are given again. ``seen``: the versions the settings screen loaded (a save over
    another user's newer one is refused); what changed is recorded in the history."""
    after = after or {}
    errors = {}
    for segment in [*days, *(s for s in after if s not in days)]:
        if segment not in set(Segment):
            errors[segment] = "Segment inconnu."
        elif error := (_days_error(days[segment]) if segment in days else "") or _after_error(after.get(segment, {})):
            errors[segment] = error
    if errors:
        return errors
    shipped, before = default_plans(), plans(session)
    mine = {}
    for segment, plan in before.items():
        new = plan._replace(days={str(step): day for step, day in days.get(segment, plan.days).items()},
                            after={**waits(plan), **{str(step): n for step, n in after.get(segment, {}).items()}})
        kept = {**(new.days if new.days != shipped[segment].days else {}),
                **({AFTER: waits(new)} if waits(new) != waits(shipped[segment]) else {})}
        if kept:
            mine[segment] = kept
    if keep_preferences(session, {PLANS_KEY: mine or None}, PLANS_SUBJECT, seen):
        record_settings(session, PLANS_SECTION, _plan_changes(before, plans(session)))
    return {}


def _days_error(steps: dict[str, int]) -> str:
    """Why a segment's days cannot be kept, "" when they can."""
    used = [(step, steps[step]) for step in DunningStep if step in steps]
    if DunningStep.PRE_DUE in steps and not -30 <= steps[DunningStep.PRE_DUE] <= 0:
        return "Le rappel avant échéance se fait entre 30 jours avant et le jour de l'échéance."
    if any(not 1 <= day <= 365 for step, day in used if step != DunningStep.PRE_DUE):
        return "Les relances se font entre 1 et 365 jours après l'échéance."
    if any(later <= earlier for (_s, earlier), (_t, later) in zip(used, used[1:])):
        return "Chaque étape vient après la précédente : les jours doivent augmenter."
    if not any(step != DunningStep.PRE_DUE for step, _day in used):
        return "Gardez au moins une relance après l'échéance."
    return ""


def _after_error(steps: dict[str, int]) -> str:
    """Why a segment's intervals cannot be kept, "" when they can: 0 to 365 days, and the litigation file
    comes at the soonest the day after the formal notice's deadline (LITIGATION_WAIT)."""
    unknown = [step for step in steps if step not in AFTER_STEPS]
    if unknown:
        return f"Pas de délai après l'étape précédente pour : {', '.join(map(str, unknown))}."
    if any(type(n) is not int or not 0 <= n <= 365 for n in steps.values()):
        return "Le délai après l'étape précédente va de 0 à 365 jours."
    if steps.get(DunningStep.LITIGATION, LITIGATION_WAIT) < LITIGATION_WAIT:
        return (f"Le dossier contentieux vient au plus tôt le lendemain de la fin du délai de la mise en demeure "
                f"({FORMAL_NOTICE_DEADLINE_DAYS} jours) : {LITIGATION_WAIT} jours après elle.")
    return ""


def _plan_changes(before: dict[str, Plan], after: dict[str, Plan]) -> list[str]:
    """« Entreprise privée, 1re relance : J+7 → J+10 » for each step whose day changed, « Entreprise privée,
    2e relance : 8 j après → 10 j après » for each whose interval changed."""
    labels = {(segment, step.value, kind): f"{label}, {DUNNING_STEP_LABELS[step].lower()}"
              for segment, label in SEGMENT_LABELS.items() for step in DunningStep
              for kind in ("day", "after") if kind == "day" or step in AFTER_STEPS}

    def shown(by_segment: dict[str, Plan]) -> dict[tuple[str, str, str], str]:
        def value(segment: str, step: str, kind: str) -> str:
            plan = by_segment.get(segment)
            if plan is None or (kind == "day" and step not in plan.days):
                return ""
            return f"J{plan.days[step]:+d}" if kind == "day" else f"{plan.wait(step)} j après"
        return {key: value(*key) for key in labels}

    return changed(labels, shown(before), shown(after))


def plan_of(by_segment: dict[str, Plan], chosen: str | None, segment: str | None) -> Plan:
    """A customer's plan: the one chosen on its card, else its segment's, else a private business's."""
    return by_segment.get(chosen or "") or by_segment.get(segment or "") or by_segment[Segment.PRIVATE.value]


def open_invoice_columns() -> list:
    """The columns of the open invoices the dunning reads, one row per invoice: the dashboard reads these very
    rows (``still_due_rows``) for its own figures and hands them over, so that a large ledger is read once."""
    return [Invoice.id, Invoice.customer_id, Invoice.number, Invoice.issue_date, Invoice.due_date, Invoice.kind,
            Invoice.status]


def accounts(session: Session, at: date, scores: dict[int, Score] | None = None, *, all_owing: bool = False,
             read: tuple[list[tuple], list[tuple]] | None = None, among: Collection[int] | None = None,
             steps_done: dict[int, set[tuple[str, date]]] | None = None, job: Job = NULL_JOB
             ) -> list[CustomerAccount]:
    """What the dunning of ``at`` needs of each customer it may chase or hold today: one with an invoice late,
    or within the earliest courtesy reminder of the plans (``todays_actions`` has nothing for the others: on a
    large ledger, most of those that owe only what is not due yet). With ``all_owing``: every customer that
    owes something, the same actions and holds (a test compares both). ``scores``: the customers' scores when
    the caller has them already, as the dashboard does; else computed here for the customers kept only.
    ``read``: the open invoices (``open_invoice_columns``) and unallocated payments (customer, day) at ``at``
    when the caller has read them already. ``among``: only those customers (``largest_late_actions``), with
    the ``steps_done`` it read once. ``job``: checked between the reads and the scores (« Annuler »)."""
    invoices: dict[int, list[OpenInvoice]] = defaultdict(list)
    credits: dict[int, Decimal] = defaultdict(lambda: ZERO)
    by_segment = plans(session)
    rows, paid = read or (still_due_rows(session, at, open_invoice_columns()),
                          still_due_rows(session, at, [Payment.customer_id, Payment.received_on], payments=True))
    credit_note, disputed = InvoiceKind.CREDIT_NOTE.value, InvoiceStatus.DISPUTED.value  # read once, not per row
    last_due = date.max if all_owing else _last_due_chased(at, by_segment)
    kept = {customer_id for _id, customer_id, _number, _issued, due, kind, _status, cents in rows
            if cents > 0 and due <= last_due and kind != credit_note}
    if among is not None:
        kept &= set(among)
    job.check()
    if scores is None:  # the exposure the scores weigh is every customer's: the aging of the rows just read
        aged = ((customer_id, due, cents) for _id, customer_id, _number, _issued, due, _kind, _status, cents in rows)
        scores = all_scores(session, at, balance_of_rows(chain(aged, paid), at), kept)
    ranks = {customer_id: (score.points, score.grade) for customer_id, score in scores.items() if customer_id in kept}
    del scores  # their explanations weigh tens of MB on a large ledger: only the points and the class are kept
    job.check()
    if steps_done is None:
        steps_done = _steps_done(session, at)
    ours = [] if among is None else [DunningLetter.customer_id.in_(sorted(kept))]  # among a few: their letters
    disputes = dict(session.execute(select(Dispute.invoice_id, Dispute.reason).where(
        Dispute.opened_on <= at, (Dispute.closed_on.is_(None)) | (Dispute.closed_on > at))).all())
    for invoice_id, customer_id, number, issued, due, kind, status, cents in rows:
        if customer_id not in kept:
            continue
        if kind == credit_note:
            credits[customer_id] -= from_cents(cents)
        elif cents > 0:  # an invoice marked "en litige" on its card is in dispute too, even without its record
            dispute = disputes.get(invoice_id) or ("facture marquée en litige" if status == disputed else "")
            invoices[customer_id].append(OpenInvoice(invoice_id, number, issued, due, from_cents(cents),
                                                     tuple(sorted(steps_done.get(invoice_id, ()))), dispute))
    for customer_id, _received, cents in paid:
        if customer_id in kept:
            credits[customer_id] -= from_cents(cents)
    promises = dict(session.execute(select(Activity.customer_id, func.max(Activity.promised_on)).where(
        Activity.kind == ActivityKind.PROMISE.value, Activity.promised_on >= at).group_by(Activity.customer_id)).all())
    last_letters = dict(session.execute(select(DunningLetter.customer_id, func.max(DunningLetter.sent_on))
                                        .where(DunningLetter.sent_on <= at, *ours)
                                        .group_by(DunningLetter.customer_id)).all())
    proceedings = proceedings_at(session, at)  # few: all of them, rather than a list of every customer's id
    found = []
    for c in session.execute(select(Customer.id, Customer.name, Customer.segment, Customer.dunning_plan,
                                    Customer.dunning_hold_until, Customer.dunning_hold_reason)
                             .where(*([] if among is None else [Customer.id.in_(sorted(kept))]))):
        if c.id not in invoices:
            continue
        hold, reason = c.dunning_hold_until, c.dunning_hold_reason or "ne pas relancer"
        promised = promises.get(c.id)
        if promised is not None and (hold is None or promised > hold):
            hold, reason = promised, "promesse de paiement"
        points, grade = ranks.get(c.id, (None, ""))
        found.append(CustomerAccount(
            c.id, c.name,
            plan_of(by_segment, c.dunning_plan, c.segment),
            tuple(sorted(invoices[c.id], key=lambda i: (i.due_date, i.number))), max(credits[c.id], ZERO),
            points, grade, hold, reason, last_letters.get(c.id), proceedings.get(c.id)))
    return found


def _last_due_chased(at: date, by_segment: dict[str, Plan]) -> date:
    """The last due date of an invoice ``todays_actions`` may chase or hold a customer for at ``at``: a late
    one, or one within the earliest courtesy reminder of the plans (``Plan.reached``)."""
    soonest = min((plan.days[DunningStep.PRE_DUE] for plan in by_segment.values()
                   if DunningStep.PRE_DUE in plan.days), default=1)
    return at - timedelta(days=min(soonest, 1))


def _steps_done(session: Session, at: date) -> dict[int, set[tuple[str, date]]]:
    """By invoice, the steps a letter (or a call recorded as one) was sent for by ``at``, with their day:
    every letter's (one may name an invoice since moved to another customer)."""
    done: dict[int, set[tuple[str, date]]] = defaultdict(set)
    for step, sent_on, lines in session.execute(select(DunningLetter.step, DunningLetter.sent_on, DunningLetter.lines)
                                                .where(DunningLetter.sent_on <= at)):
        for line in lines or []:
            done[line["invoice_id"]].add((step, sent_on))
    return done


@collector_paused()
def due_actions(session: Session, at: date, scores: dict[int, Score] | None = None,
                read: tuple[list[tuple], list[tuple]] | None = None, job: Job = NULL_JOB
                ) -> tuple[list[Action], list[Hold]]:
    """Today's actions, most useful first, and the customers held back with why: the one computation of whom
    to chase, for Relances, the dashboard's customers to call and the weekly report (``read`` and ``job``:
    ``accounts``')."""
    return todays_actions(at, accounts(session, at, scores, read=read, job=job), _tolerance(session))


def _tolerance(session: Session) -> Decimal:
    """What is not chased below: the company's tolerance (the settings form's default before a company)."""
    company = get_company(session)
    return company.tolerance if company else CompanyInput.tolerance


def by_amount_claimed(action: Action) -> tuple:
    """The dashboard's order of the customers to call: who is chased for the most first (then by name)."""
    return -action.amount_due, action.name, action.customer_id


def largest_late_actions(session: Session, at: date, scores: dict[int, Score], read: tuple[list[tuple], list[tuple]],
                         count: int) -> list[Action]:
    """The ``count`` actions on late invoices (no courtesy reminder) that claim the most, largest first (then
    by name): the dashboard's customers to call, the same as the first of ``due_actions`` so ranked, found
    without the dunning of every customer. What an action claims is some of its customer's late invoices
    less its credits, never more than what those invoices still owe: the customers are taken in the order of
    that sum, a few at a time, until the next one could not claim more than the last action kept."""
    tolerance = _tolerance(session)
    credit_note = InvoiceKind.CREDIT_NOTE.value
    late: dict[int, int] = defaultdict(int)
    for _id, customer_id, _number, _issued, due, kind, _status, cents in read[0]:
        if cents > 0 and due < at and kind != credit_note:
            late[customer_id] += cents
    ranked = sorted(late, key=late.__getitem__, reverse=True)
    steps_done = _steps_done(session, at)
    found: list[Action] = []
    start, size = 0, 4 * count
    while start < len(ranked):
        batch = ranked[start:start + size]
        actions, _holds = todays_actions(at, accounts(session, at, scores, read=read, among=batch,
                                                      steps_done=steps_done), tolerance)
        found = sorted(found + [a for a in actions if a.step != DunningStep.PRE_DUE], key=by_amount_claimed)[:count]
        start, size = start + size, min(2 * size, CHUNK)  # each batch one IN (...) list
        if len(found) == count and start < len(ranked) and to_cents(found[-1].amount_due) > late[ranked[start]]:
            break
    return found


def record_sent(session: Session, action: Action, at: date, interest: Decimal = ZERO, indemnities: Decimal = ZERO,
                rate_used: str = "") -> None:
    """A step done for ``action`` (a letter sent, or the call made), in the customer's history: its step,
    invoices, amounts and the rate used, and an event of the history saying so. A step done is not proposed
    again for those invoices."""
    numbers = ", ".join(i.number for i in action.invoices)
    record_edit(session, EventKind.LETTER,
                [f"{DUNNING_STEP_LABELS[DunningStep(action.step)]} : {numbers} ({format_eur(action.amount_due)} dus)"],
                customer_id=action.customer_id, cents=to_cents(action.amount_due))
    session.add(DunningLetter(
        customer_id=action.customer_id, step=action.step, sent_on=at,
        lines=[{"invoice_id": i.invoice_id, "number": i.number, "amount_due": to_cents(i.still_due)}
               for i in action.invoices],
        amount_due_cents=to_cents(action.amount_due), penalties_cents=to_cents(interest),
        indemnities_cents=to_cents(indemnities), rate_used=rate_used))
    session.flush()


# what the owner does besides letters --------------------------------------------------------------------------

def record_call(session: Session, action: Action, at: date, note: str, promised_on: date | None = None,
                promised: Decimal | None = None) -> dict[str, str]:
    """A call made about ``action``: the note on the customer's timeline, the promise to pay if one was
    made (it holds the dunning until its date), and, when the call was the step due, that step done."""
    errors = {}
    if not note.strip() and promised_on is None:
        errors["note"] = "Notez ce qui a été dit (ou la date promise)."
    if promised_on is not None and promised_on < at:
        errors["promised_on"] = "La date promise est déjà passée."
    if promised is not None and promised <= 0:
        errors["promised"] = "Le montant promis doit être positif."
    elif promised is not None and promised > action.amount_due:
        errors["promised"] = f"C'est plus que ce qui est dû ({format_eur(action.amount_due)})."
    if errors:
        return errors
    when = datetime.combine(at, datetime.now().time())  # the program's day (the tests fix it), at this hour
    session.add(Activity(customer_id=action.customer_id, kind=ActivityKind.CALL.value, text=note.strip(),
                         happened_at=when))
    if promised_on is not None:
        session.add(Activity(customer_id=action.customer_id, kind=ActivityKind.PROMISE.value, text=note.strip(),
                             happened_at=when, promised_on=promised_on,
                             promised_cents=to_cents(promised) if promised else None))
    if action.step == DunningStep.PHONE_CALL:
        record_sent(session, action, at)
    session.flush()
    return {}


def postpone(session: Session, customer_id: int, at: date, until: date, reason: str) -> dict[str, str]:
    """"Reporter": no dunning of the customer before ``until``, with why, recorded in its history."""
    errors = {}
    if until <= at:
        errors["until"] = "Choisissez une date à venir."
    elif until > at + timedelta(days=366):
        errors["until"] = "Au plus un an : au-delà, la créance risque la prescription sans qu'on la relance."
    if not reason.strip():
        errors["reason"] = "Dites pourquoi (il s'affichera dans les relances en attente)."
    errors.update(length_errors(Customer, {"dunning_hold_reason": reason.strip()}, {"dunning_hold_reason": "raison"}))
    if errors:
        return errors
    claim(session, Customer, customer_id, None, CUSTOMER)
    customer = session.get(Customer, customer_id)
    customer.dunning_hold_until, customer.dunning_hold_reason = until, reason.strip()
    session.flush()
    record_edit(session, EventKind.POSTPONEMENT,
                [f"relances reportées au {until:%d/%m/%Y} : {customer.dunning_hold_reason}"], customer_id=customer_id)
    return {}
