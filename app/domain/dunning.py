"""Today's dunning actions (DOMAIN.md, Dunning plan and Dunning progression): whom to chase, at which step,
for which invoices.

A plan gives, per customer segment, the day (from the due date) each step may come: a courtesy reminder
before the due date (for customers scored risky only), two reminders, a phone call, the formal notice, the
litigation file; and how long after the previous step each one waits (``after``). A customer is chased one
step at a time: its next step is the plan's step after the last one on record for its late invoices (the
first reminder when there is none, however late), due once the plan's day has come for its oldest late
invoice and the previous step's interval has elapsed; the litigation file comes only once a formal notice's
deadline (``FORMAL_NOTICE_DEADLINE_DAYS``) has expired, and claims only the invoices that notice claimed.
A letter lists every late invoice of the customer; its net overdue is what they still owe less the customer's
unallocated credit notes and payments (customers deduct them themselves).

Every customer whose net overdue is above the tolerance gets an action or a hold that says why in French: an
open dispute keeps its invoice out of the letters; a promise to pay or a "ne pas relancer avant" date holds
the customer until then; a step done today, or the next one not possible yet (« 2e relance possible le
12/12/2026 »), holds it too. Collective proceedings hold the invoices dated before their judgment (L622-21:
no reminder, formal notice or injonction de payer for them): they are in no action, and a customer with
nothing else to chase is held with the proceedings and the deadline to declare the claim; its invoices dated
after the judgment are chased as anyone's. Large unallocated cash is pointed at: the owner should reconcile
before chasing.
The actions come most useful first: net overdue × risk score, courtesy reminders after the late payers.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from decimal import Decimal
from typing import NamedTuple

from app.domain.insolvency import PROCEEDING_LABELS, Proceeding, deadlines
from app.domain.money import ZERO, format_eur
from app.domain.vocabulary import DUNNING_STEP_LABELS, DunningStep

ORDER = tuple(DunningStep)        # the steps in their order, pre-due first
RISKY = frozenset({"D", "E"})     # the classes that get a courtesy reminder before the due date
NEUTRAL_SCORE = 50                # the priority's weight of a customer not scored yet


FORMAL_NOTICE_DEADLINE_DAYS = 8   # a formal notice's time to pay: the litigation file waits for it to expire
LITIGATION_WAIT = FORMAL_NOTICE_DEADLINE_DAYS + 1  # the debtor may pay until the deadline's day included
AFTER_STEPS = (DunningStep.SECOND_REMINDER, DunningStep.PHONE_CALL, DunningStep.FORMAL_NOTICE,
               DunningStep.LITIGATION)  # the steps that wait some days after the previous one (``Plan.after``)
LARGE_UNALLOCATED = Decimal("0.20")  # unallocated cash above this share of the overdue: reconcile first


class Plan(NamedTuple):
    """A segment's steps: the day (from the due date) each one may come, a step absent is not used; and the
    days each step waits after the previous one done (``after``; the litigation file waits for the formal
    notice's deadline)."""

    name: str
    days: dict[str, int]
    after: dict[str, int] = {}

    def reached(self, days_late: int, risky: bool) -> str | None:
        """The courtesy reminder when its day has come for a risky customer's invoice not yet due."""
        before = self.days.get(DunningStep.PRE_DUE)
        if days_late <= 0 and risky and before is not None and days_late >= before:
            return DunningStep.PRE_DUE.value
        return None

    def next_step(self, previous: str | None) -> str | None:
        """The plan's step after ``previous`` (the first reminder-like step when None); None after the last."""
        rank = ORDER.index(DunningStep(previous)) if previous else 0
        return next((step.value for step in ORDER[rank + 1:] if step in self.days), None)

    def wait(self, step: str) -> int:
        """How many days ``step`` waits after the previous step was done."""
        if step == DunningStep.LITIGATION:
            return max(LITIGATION_WAIT, self.after.get(step, 0))
        return self.after.get(step, 0)


@dataclass(frozen=True)
class OpenInvoice:
    invoice_id: int
    number: str
    issue_date: date
    due_date: date
    still_due: Decimal
    done: tuple[tuple[str, date], ...] = ()  # the steps on record for it (a letter, a call), with their day
    dispute: str = ""                 # the reason of an open dispute, "" when none

    @property
    def steps_done(self) -> frozenset[str]:
        return frozenset(step for step, _on in self.done)


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
    proceeding: Proceeding | None = None  # collective proceedings open: they hold the invoices before them


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
    held_back: tuple[tuple[str, str], ...] = field(default=())  # (invoice number, why) left out
    grade: str = ""                     # the customer's risk class
    history: tuple[tuple[str, date], ...] = ()  # the steps on record for these invoices, oldest first
    warning: str = ""                   # « 225 451,10 € reçus non imputés : rapprochez avant de relancer »


class Hold(NamedTuple):
    """A customer with something to chase that is not chased today, and why (in French), until when; its net
    overdue (for a customer held by its disputes alone, what they cover)."""

    customer_id: int
    name: str
    reason: str
    net_overdue: Decimal = ZERO
    until: date | None = None


def todays_actions(at: date, accounts: list[CustomerAccount], tolerance: Decimal) -> tuple[list[Action], list[Hold]]:
    """The actions due at ``at`` (most useful first), and the customers held back with their reason (those who
    owe most first)."""
    actions, holds = [], []
    for account in accounts:
        found = _held_or_chased(at, account, tolerance) if account.proceeding else _action(at, account, tolerance)
        if isinstance(found, Action):
            actions.append(found)
        elif found is not None:
            holds.append(found._replace(customer_id=account.customer_id, name=account.name))
    actions.sort(key=lambda a: (a.step == DunningStep.PRE_DUE, -a.priority, -a.days_late, a.name))
    holds.sort(key=lambda h: (-h.net_overdue, h.name))
    return actions, holds


def net_overdue(invoices: list[OpenInvoice], credits: Decimal) -> tuple[list[OpenInvoice], Decimal]:
    """The customer's unallocated credit notes and payments settle its oldest late invoices first (it pays
    its oldest debts first): (the invoices still owing something after them, oldest first; what of the
    credits is deducted from the first of those, partly settled). Their still due less that deduction is the
    customer's net overdue."""
    left, owing = credits, []
    for invoice in sorted(invoices, key=lambda i: (i.due_date, i.number)):
        if not owing and left >= invoice.still_due:
            left -= invoice.still_due
        else:
            owing.append(invoice)
    return owing, left if owing else ZERO


def _owed(invoices: list[OpenInvoice], deducted: Decimal) -> Decimal:
    return sum((i.still_due for i in invoices), ZERO) - deducted


def proceedings_reason(proceeding: Proceeding, at: date) -> str:
    """Why the proceedings hold a customer, with what must be done: « redressement judiciaire depuis le
    05/10/2026 : déclaration de créance avant le 16/12/2026 », or « … : créance déclarée le 20/11/2026 »."""
    said = f"{PROCEEDING_LABELS[proceeding.kind]} depuis le {proceeding.judgment_on:%d/%m/%Y}"
    if proceeding.declared_by(at):
        return f"{said} : créance déclarée le {proceeding.claimed_on:%d/%m/%Y}"
    if proceeding.published_on is None:
        return f"{said} : publication au BODACC à venir (les délais de déclaration en partent)"
    shown = deadlines(proceeding, at, declared=False, retention_of_title=False)
    if not shown:
        return f"{said} : créance non déclarée, délai de relevé de forclusion dépassé"
    return f"{said} : {shown[0].what} avant le {shown[0].on:%d/%m/%Y}"


def _held_or_chased(at: date, account: CustomerAccount, tolerance: Decimal) -> Action | Hold | None:
    """A customer in collective proceedings: its invoices dated after the judgment chased as anyone's (their
    action says which invoices the proceedings keep out of it), those the proceedings hold in no action. The
    customer's credits go to the invoices chased first (after the judgment it may pay only those: L622-7),
    what is left of them to the held ones. Nothing else to chase: held with the proceedings' reason, for the
    net overdue of the held invoices (and of the others when they are held too)."""
    proceeding = account.proceeding
    rest = replace(account, invoices=tuple(i for i in account.invoices if not proceeding.holds(i.issue_date)),
                   proceeding=None)
    chased_late = sum((i.still_due for i in rest.invoices if i.still_due > 0 and i.due_date < at), ZERO)
    late = [i for i in account.invoices if proceeding.holds(i.issue_date) and i.still_due > 0 and i.due_date < at]
    owing, deducted = net_overdue(late, max(account.credits - chased_late, ZERO))
    net = _owed(owing, deducted)
    found = _action(at, rest, tolerance)
    if isinstance(found, Action):
        within = f"dans la procédure ({PROCEEDING_LABELS[proceeding.kind]} du {proceeding.judgment_on:%d/%m/%Y})"
        return replace(found, held_back=found.held_back + tuple((i.number, within) for i in owing))
    if net < tolerance or not owing:
        return found
    reason = proceedings_reason(proceeding, at)
    if found is None:
        return Hold(0, "", reason, net)
    return Hold(0, "", f"{reason} ; factures postérieures : {found.reason}", net + found.net_overdue, found.until)


def _action(at: date, account: CustomerAccount, tolerance: Decimal) -> Action | Hold | None:
    """The customer's action today, or why it is held back, or None when nothing is owed beyond the tolerance."""
    late, upcoming, held_back, disputed = [], [], [], []
    for invoice in account.invoices:
        if invoice.still_due <= 0:
            continue
        days_late = (at - invoice.due_date).days
        if invoice.dispute:
            if days_late > 0:
                held_back.append((invoice.number, f"litige en cours ({invoice.dispute})"))
                disputed.append(invoice)
        elif days_late > 0:
            late.append(invoice)
        elif account.plan.reached(days_late, account.grade in RISKY) and DunningStep.PRE_DUE not in invoice.steps_done:
            upcoming.append(invoice)
    owing, deducted = net_overdue(late, account.credits)
    net = _owed(owing, deducted)
    amicable = [i for i in owing if DunningStep.LITIGATION not in i.steps_done]  # a litigation file ends the path
    if net < tolerance or not owing:  # nothing late left to chase (all of it disputed, or paid by credits)
        if held_back and not late:  # held for what its disputes cover, the credits deducted
            return Hold(0, "", "; ".join(f"{number} : {why}" for number, why in held_back),
                        _owed(*net_overdue(disputed, account.credits)))
        if late or not upcoming:
            return None
        return _courtesy(at, account, upcoming, held_back, tolerance)
    if account.hold_until is not None and account.hold_until >= at:
        return Hold(0, "", f"{account.hold_reason or 'ne pas relancer'} jusqu'au {account.hold_until:%d/%m/%Y}",
                    net, account.hold_until)
    if not amicable:
        litigation = max(on for i in owing for step, on in i.done if step == DunningStep.LITIGATION)
        return Hold(0, "", f"au contentieux depuis le {litigation:%d/%m/%Y}", net)
    history = tuple(sorted({done for i in amicable for done in i.done}, key=lambda d: (d[1], ORDER.index(d[0]))))
    previous = max(history, key=lambda d: (ORDER.index(DunningStep(d[0])), d[1])) if history else None
    if account.last_letter_on == at:
        return Hold(0, "", "relancé aujourd'hui", net, at)
    step = account.plan.next_step(previous[0] if previous else None)
    if step is None:
        return Hold(0, "", "toutes les étapes du plan sont faites", net)
    claimed = amicable
    if step == DunningStep.LITIGATION:  # only what the formal notice claimed (an injonction de payer needs it)
        claimed = [i for i in amicable if DunningStep.FORMAL_NOTICE in i.steps_done]
    oldest = min(i.due_date for i in claimed)
    possible = oldest + timedelta(days=account.plan.days[step])
    if previous is not None:
        possible = max(possible, previous[1] + timedelta(days=account.plan.wait(step)))
    if possible > at:
        return Hold(0, "", f"{DUNNING_STEP_LABELS[DunningStep(step)]} possible le {possible:%d/%m/%Y}", net, possible)
    used = deducted if claimed[0] is owing[0] else ZERO  # the credits' rest goes on the oldest still owing
    owed = _owed(claimed, used)
    total_late = sum((i.still_due for i in late), ZERO)
    warning = (f"{format_eur(account.credits)} reçus non imputés : rapprochez avant de relancer"
               if account.credits > LARGE_UNALLOCATED * total_late else "")
    return Action(account.customer_id, account.name, step, tuple(claimed), used, owed,
                  max((at - i.due_date).days for i in claimed),
                  owed * (account.score if account.score is not None else NEUTRAL_SCORE),
                  tuple(held_back), account.grade, history, warning)


def _courtesy(at: date, account: CustomerAccount, upcoming: list[OpenInvoice], held_back: list[tuple[str, str]],
              tolerance: Decimal) -> Action | None:
    """A courtesy reminder before the due date (risky customers, nothing late), once a day at most."""
    if account.hold_until is not None and account.hold_until >= at:
        return None
    if account.last_letter_on == at:
        return None
    owing, used = net_overdue(upcoming, account.credits)
    owed = _owed(owing, used)
    if owed < tolerance:
        return None
    upcoming = owing
    return Action(account.customer_id, account.name, DunningStep.PRE_DUE.value, tuple(upcoming), used, owed,
                  max((at - i.due_date).days for i in upcoming),
                  owed * (account.score if account.score is not None else NEUTRAL_SCORE), tuple(held_back),
                  account.grade)
