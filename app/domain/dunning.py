"""Today's dunning actions (DOMAIN.md, Dunning plan): whom to chase, at which step, for which invoices.

A plan gives, per customer segment, the day (from the due date) each step falls due: a courtesy reminder
before the due date (for customers scored risky only), two reminders, a phone call, the formal notice, the
litigation file. Each invoice reaches the last step whose day has come; a step sent for it (a letter or a
call recorded) is done. A customer gets one action a day when a step is still to do for one of its
invoices, listing all its overdue invoices (a letter is a statement of everything late), its unallocated
credits deducted (customers deduct them themselves). The step is the highest any of those invoices
reached: a new late invoice of a customer under formal notice joins a new formal notice, not a friendly
first reminder. Earlier steps never done for those invoices are named (``skipped``): a step is never
skipped silently, the owner decides.

Nothing is chased while it is suspended, and the reason is said: an open dispute keeps its invoice out of
the letters; a promise to pay holds the customer until its date; so does a "ne pas relancer avant" date.
Amounts under the tolerance (a few euros left over) are not chased either. The actions come most useful
first: amount due × risk score, the courtesy reminders (nothing late yet) after the late payers.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import NamedTuple

from app.domain.money import ZERO, format_eur
from app.domain.vocabulary import DunningStep

ORDER = tuple(DunningStep)        # the steps in their order, pre-due first
RISKY = frozenset({"D", "E"})     # the classes that get a courtesy reminder before the due date
NEUTRAL_SCORE = 50                # the priority's weight of a customer not scored yet


class Plan(NamedTuple):
    """A segment's steps: the day (from the due date) each one falls due; a step absent is not used."""

    name: str
    days: dict[str, int]

    def reached(self, days_late: int, risky: bool) -> str | None:
        """The last step due for an invoice ``days_late`` days past its due date (negative: not yet due)."""
        if days_late <= 0:
            before = self.days.get(DunningStep.PRE_DUE)
            return DunningStep.PRE_DUE.value if risky and before is not None and days_late >= before else None
        found = None
        for step in ORDER[1:]:
            if step in self.days and self.days[step] <= days_late:
                found = step.value
        return found


@dataclass(frozen=True)
class OpenInvoice:
    invoice_id: int
    number: str
    issue_date: date
    due_date: date
    still_due: Decimal
    steps_done: frozenset[str] = frozenset()
    dispute: str = ""                 # the reason of an open dispute, "" when none


@dataclass(frozen=True)
class CustomerAccount:
    """What the day's dunning needs to know of one customer."""

    customer_id: int
    name: str
    plan: Plan
    invoices: tuple[OpenInvoice, ...]
    credits: Decimal = ZERO           # unallocated credit notes and payments, as a positive amount
    score: int | None = None
    grade: str = ""
    hold_until: date | None = None    # "ne pas relancer avant", or a promise to pay's date
    hold_reason: str = ""
    last_letter_on: date | None = None  # the last day a step was done for the customer


@dataclass(frozen=True)
class Action:
    """A step to take today for one customer."""

    customer_id: int
    name: str
    step: str
    invoices: tuple[OpenInvoice, ...]   # what the letter claims: every overdue invoice not in dispute
    credits: Decimal
    amount_due: Decimal                 # their still due less the credits
    days_late: int                      # of the oldest
    priority: Decimal
    skipped: tuple[str, ...] = ()       # earlier steps never done for these invoices
    held_back: tuple[tuple[str, str], ...] = field(default=())  # (invoice number, why) left out
    grade: str = ""                     # the customer's risk class


class Hold(NamedTuple):
    """A customer with something to chase that is not chased today, and why (in French)."""

    customer_id: int
    name: str
    reason: str


def todays_actions(at: date, accounts: list[CustomerAccount], tolerance: Decimal) -> tuple[list[Action], list[Hold]]:
    """The actions due at ``at`` (most useful first), and the customers held back with their reason."""
    actions, holds = [], []
    for account in accounts:
        found = _action(at, account, tolerance)
        if isinstance(found, Action):
            actions.append(found)
        elif found:
            holds.append(Hold(account.customer_id, account.name, found))
    actions.sort(key=lambda a: (a.step == DunningStep.PRE_DUE, -a.priority, -a.days_late, a.name))
    return actions, holds


def _action(at: date, account: CustomerAccount, tolerance: Decimal) -> Action | str | None:
    """The customer's action today, or why it is held back (a French reason), or None when nothing is due."""
    risky = account.grade in RISKY
    overdue, upcoming, held_back, reached, pending = [], [], [], {}, set()
    for invoice in account.invoices:
        if invoice.still_due <= 0:
            continue
        days_late = (at - invoice.due_date).days
        step = account.plan.reached(days_late, risky)
        due_now = step is not None and not _done(step, invoice.steps_done)
        if invoice.dispute or invoice.still_due < tolerance:
            if due_now:
                held_back.append((invoice.number, f"litige en cours ({invoice.dispute})" if invoice.dispute
                                  else f"reste dû sous la tolérance de {format_eur(tolerance)}"))
            continue
        if days_late > 0:
            overdue.append(invoice)
        elif step is not None:
            upcoming.append(invoice)
        if step is not None:
            reached[invoice.invoice_id] = step
        if due_now:
            pending.add(invoice.invoice_id)
    if not pending:
        return "; ".join(f"{number} : {why}" for number, why in held_back) or None
    if account.hold_until is not None and account.hold_until >= at:
        return f"{account.hold_reason or 'ne pas relancer'} jusqu'au {account.hold_until:%d/%m/%Y}"
    if account.last_letter_on == at:
        return None  # chased today already: one action a customer a day
    late_pending = [i for i in overdue if i.invoice_id in pending]
    if not late_pending and overdue:
        return None  # a courtesy reminder to a customer whose late invoices are being chased would contradict them
    step = max((_target(i, reached, overdue) for i in late_pending), key=ORDER.index) \
        if late_pending else DunningStep.PRE_DUE.value
    # a courtesy reminder names what falls due soon; a letter about late invoices lists them all, and only them;
    # a litigation file claims only what went through a formal notice (an injonction de payer needs one)
    claimed = upcoming if step == DunningStep.PRE_DUE else overdue
    if step == DunningStep.LITIGATION:
        claimed = [i for i in claimed if _noticed(i, reached)]
    owed = sum((i.still_due for i in claimed), ZERO)
    credits = min(account.credits, owed)
    if owed - credits < tolerance:
        return f"montant dû ({format_eur(owed - credits)}, avoirs déduits) sous la tolérance de {format_eur(tolerance)}"
    at_step = [i for i in claimed if reached.get(i.invoice_id) == step]
    skipped = tuple(s.value for s in ORDER[1:ORDER.index(step)]
                    if s in account.plan.days and any(s not in i.steps_done for i in at_step))
    return Action(account.customer_id, account.name, step, tuple(claimed), credits, owed - credits,
                  max((at - i.due_date).days for i in claimed),
                  (owed - credits) * (account.score if account.score is not None else NEUTRAL_SCORE), skipped,
                  tuple(held_back), account.grade)


def _target(invoice: OpenInvoice, reached: dict[int, str], overdue: list[OpenInvoice]) -> str:
    """The step a late invoice is chased at: the highest any late invoice of its customer reached (a new one
    joins the customer's formal notice rather than getting a friendly first reminder), but a litigation file
    only once the invoice itself had its formal notice (or reached the litigation day)."""
    highest = max((reached[i.invoice_id] for i in overdue if i.invoice_id in reached), key=ORDER.index)
    if highest == DunningStep.LITIGATION and not _noticed(invoice, reached):
        return DunningStep.FORMAL_NOTICE.value
    return highest


def _noticed(invoice: OpenInvoice, reached: dict[int, str]) -> bool:
    return (DunningStep.FORMAL_NOTICE in invoice.steps_done or DunningStep.LITIGATION in invoice.steps_done
            or reached.get(invoice.invoice_id) == DunningStep.LITIGATION)


def _done(step: str, steps_done: frozenset[str]) -> bool:
    """Is ``step`` done for an invoice: that step or a later one (a letter at a higher step covers it)."""
    rank = ORDER.index(DunningStep(step))
    return any(ORDER.index(DunningStep(done)) >= rank for done in steps_done)
