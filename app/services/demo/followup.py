"""What happens around the demo company's unpaid invoices: disputes, guarantees, the timeline, dunning letters.

Why apart from ``ledger``: the ledger simulates who buys what and who pays when; this module tells the
credit controller's side of that story, the rows that give the dispute, risk, timeline and dunning screens
something to show. It reads the ``Simulation`` (its customers, invoices, allocations, the bankrupt
customer) and draws from its ``rng``, so these functions must be called in the order
``create_demo_company`` calls them: one more or one fewer draw changes everything generated after it.
Disputes come before the payments (a disputed invoice is not paid); the rest after the statuses are set.
Each function returns plain dicts ready to insert, with ids counted from 1.
"""

from __future__ import annotations

import random
from collections import defaultdict
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from app.domain.dunning import CustomerAccount, OpenInvoice, todays_actions
from app.domain.money import ZERO, from_cents, to_cents
from app.domain.penalties import (INDEMNITY, PENALTY_STEPS, HalfYearRates, MissingRate, RateTable, half_year_start,
                                  next_half_year, penalties)
from app.domain.vocabulary import DunningStep
from app.models import ActivityKind, GuaranteeKind, Segment
from app.services.demo import names
from app.services.demo.ledger import (
    BANKRUPTCY_DAYS, Behaviour, DemoCustomer, DemoInvoice, Simulation, business_day, working_day_before,
)

LETTERS_DAYS = 365  # the owner has chased with Encours for a year
TOLERANCE = Decimal("5.00")  # the company's default: nothing under it is chased


def add_disputes(sim: Simulation) -> list[dict]:
    """A few invoices contested now (unpaid while open) and a few disputes closed in the past: by a
    credit note, or rejected and the invoice then paid."""
    rng, today, rows = sim.rng, sim.today, []

    def add(invoice: DemoInvoice, reason: str, opened: date, closed: date | None, resolution: str) -> None:
        note = {"credit_note": "Avoir émis, litige clos.",
                "rejected": "Bon de livraison signé transmis, réclamation rejetée."}.get(
            resolution, "Vérification en cours avec le chef de chantier.")
        rows.append({"id": len(rows) + 1, "invoice_id": invoice.id, "reason": reason,
                     "assignee": invoice.customer.row["salesperson"], "note": note, "opened_on": opened,
                     "closed_on": closed, "resolution": resolution})

    candidates = [invoice for invoice in sim.invoices if invoice.customer.behaviour in
                  (Behaviour.PROMPT, Behaviour.REGULAR, Behaviour.STATEMENT) and not invoice.settled
                  and today - timedelta(days=80) <= invoice.due <= today - timedelta(days=5)]
    for invoice, reason in zip(sim.pick(candidates, 4), sim.pick(list(names.DISPUTE_REASONS), 4)):
        invoice.disputed = True
        opened = min(today, business_day(invoice.issue + timedelta(days=rng.randint(5, 25))))
        add(invoice, reason, opened, None, "")
    for allocation in [a for a in sim.allocations if a["credit_note_id"]][:3]:
        invoice = sim.invoices[allocation["invoice_id"] - 1]
        opened = max(invoice.issue, allocation["allocated_on"] - timedelta(days=rng.randint(3, 15)))
        reason = rng.choice(names.DISPUTE_REASONS)
        add(invoice, reason, opened, allocation["allocated_on"], "credit_note")
    old = [invoice for invoice in sim.invoices if invoice.customer.behaviour is Behaviour.REGULAR
           and not invoice.settled and invoice.due < today - timedelta(days=200)]
    for invoice in sim.pick(old, 2):
        opened = invoice.issue + timedelta(days=rng.randint(5, 15))
        closed = opened + timedelta(days=rng.randint(10, 30))
        add(invoice, "Livraison incomplète", opened, closed, "rejected")
        invoice.not_paid_before = closed
    return rows


def guarantees(sim: Simulation) -> list[dict]:
    """Credit insurance on twenty customers (two expiring within the month, some covering less than
    the limit, the bankrupt's withdrawn), two bank guarantees, a deposit and a payment delegation."""
    rng, today, rows = sim.rng, sim.today, []

    def add(customer: DemoCustomer, kind: GuaranteeKind, **values) -> None:
        rows.append({"id": len(rows) + 1, "customer_id": customer.id, "kind": kind.value, "guarantor": "",
                     "amount_cents": None, "percentage": None, "grade": "", "valid_from": None,
                     "valid_to": None} | values)

    limited = [c for c in sim.customers if c.row["credit_limit_cents"] and c is not sim.bankrupt]
    insured = [sim.bankrupt, *sim.pick(limited, 19)]
    for index, customer in enumerate(insured):
        insurer, grade = rng.choice(names.INSURERS)
        cover = customer.row["credit_limit_cents"] or 2_000_000
        if index % 5 == 4:
            cover = max(100_000, cover // 200_000 * 100_000)
        valid_to = today + timedelta(days=rng.randint(5, 25) if index in (1, 2) else rng.randint(40, 330))
        if customer is sim.bankrupt:
            valid_to = today - timedelta(days=BANKRUPTCY_DAYS - 30)
        add(customer, GuaranteeKind.CREDIT_INSURANCE, guarantor=insurer, amount_cents=cover, percentage=90,
            grade=grade.format(10 if customer is sim.bankrupt else rng.randint(2, 7)),
            valid_from=valid_to - timedelta(days=365), valid_to=valid_to)
    insured_ids = {customer.id for customer in insured}
    others = [c for c in sim.customers if c.id not in insured_ids and c.segment is not Segment.CONSUMER
              and c.segment is not Segment.PUBLIC]
    for customer in sim.pick(others, 2):
        valid_from = today - timedelta(days=rng.randint(60, 400))
        add(customer, GuaranteeKind.BANK_GUARANTEE, guarantor=rng.choice(names.GUARANTOR_BANKS),
            amount_cents=rng.randint(10, 40) * 100_000, valid_from=valid_from,
            valid_to=valid_from + timedelta(days=730))
    for customer in sim.pick([c for c in others if c.behaviour is Behaviour.LATE], 1):
        add(customer, GuaranteeKind.DEPOSIT, percentage=30, valid_from=today - timedelta(days=rng.randint(30, 200)))
    public = rng.choice([c for c in sim.customers if c.segment is Segment.PUBLIC])
    add(rng.choice(others), GuaranteeKind.PAYMENT_DELEGATION, guarantor=public.name,
        amount_cents=rng.randint(20, 80) * 100_000, valid_from=today - timedelta(days=rng.randint(30, 300)))
    return rows


def activities(sim: Simulation) -> list[dict]:
    """The bankrupt customer's story, promises to pay in the coming days, past calls and a few notes."""
    rng, today, rows = sim.rng, sim.today, []

    def add(customer: DemoCustomer, kind: ActivityKind, day: date, note: str, **promise) -> None:
        rows.append({"id": len(rows) + 1, "customer_id": customer.id, "kind": kind.value,
                     "happened_at": at_time(day, rng), "text": note, "promised_on": None,
                     "promised_cents": None} | promise)

    stop = sim.today - timedelta(days=BANKRUPTCY_DAYS)
    for days, kind, note in (
            (20, ActivityKind.CALL, "Appel au gérant : difficultés de trésorerie, promet un règlement sous "
                                    "quinze jours."),
            (35, ActivityKind.STATUS, "Jugement d'ouverture de redressement judiciaire publié au BODACC ; "
                                      "factures ouvertes classées douteuses."),
            (45, ActivityKind.NOTE, "Créance déclarée au mandataire judiciaire (lettre recommandée)."),
            (50, ActivityKind.NOTE, "Sinistre déclaré à l'assureur-crédit.")):
        add(sim.bankrupt, kind, business_day(stop + timedelta(days=days)), note)
    for customer, invoice in sim.pick(_overdue_now(sim), 4):
        promised_on = today + timedelta(days=rng.randint(3, 20))
        add(customer, ActivityKind.PROMISE, working_day_before(today - timedelta(days=rng.randint(0, 5))),
            f"{customer.row['contact_name']} promet un virement pour la facture {invoice.number} "
            f"d'ici au {promised_on:%d/%m/%Y}.", promised_on=promised_on, promised_cents=invoice.still_due())
    paid_late = [i for i in sim.invoices if i.settled and i.settled[-1][0] > i.due + timedelta(days=30)
                 and i.customer.segment is not Segment.CONSUMER]
    for invoice in sim.pick(paid_late, 10):
        add(invoice.customer, ActivityKind.CALL, business_day(invoice.due + timedelta(days=25)),
            rng.choice(names.CALLS).format(invoice.number))
    for customer, note in zip(sim.pick(sim.customers, len(names.NOTES)), names.NOTES):
        add(customer, ActivityKind.NOTE, working_day_before(today - timedelta(days=rng.randint(10, 300))), note)
    return rows


def _overdue_now(sim: Simulation) -> list[tuple[DemoCustomer, DemoInvoice]]:
    """Each late payer's oldest invoice overdue today (not disputed, nor held by the redressement), with its
    customer."""
    oldest: dict[int, tuple[DemoCustomer, DemoInvoice]] = {}
    for invoice in sim.invoices:
        if invoice.customer.behaviour is Behaviour.LATE and invoice.due < sim.today \
                and not invoice.disputed and invoice.still_due() > 0 and not sim.held(invoice, sim.today):
            oldest.setdefault(invoice.customer.id, (invoice.customer, invoice))
    return list(oldest.values())


def at_time(day: date, rng: random.Random) -> datetime:
    """A working-hours moment of ``day``, for timeline entries."""
    return datetime.combine(day, time(rng.randint(8, 17), rng.choice((0, 10, 15, 30, 45, 50))))


def demo_rates(today: date) -> list[HalfYearRates]:
    """The rate table the demo company uses: the shipped half-years, then each one up to ``today``'s entered
    as the last shipped one (the demo's letters need a rate; a real company enters the published one)."""
    from app.services.rates import shipped_rates

    table = shipped_rates()
    last = table[-1]
    start = next_half_year(last.start)
    while start <= half_year_start(today):
        source = f"démonstration : taux du {last.start:%m/%Y} repris, à remplacer par le taux publié"
        table.append(HalfYearRates(start, last.ecb, last.legal_other, last.legal_private, source))
        start = next_half_year(start)
    return table


def proceedings(sim: Simulation) -> list[dict]:
    """The redressement as the owner recorded it from the mandataire's letter: published in the BODACC, the
    declaration of claim not sent yet, so its deadline shows on the dashboard."""
    customer, proceeding = sim.recovery
    return [{"id": 1, "customer_id": customer.id, "kind": proceeding.kind.value,
             "judgment_on": proceeding.judgment_on, "published_on": proceeding.published_on,
             "court": names.RECOVERY_COURT, "reference": f"{proceeding.judgment_on.year}J{customer.id:05d}",
             **names.MANDATAIRE}]


def letters(sim: Simulation) -> list[dict]:
    """The dunning the owner did over the last year with Encours, as its rules proposed it
    (app.domain.dunning): on Mondays and Thursdays, every action of the day done, letters sent and calls
    made; none on the invoices the redressement holds once judged. The last few days are left undone: they
    are today's to-do list."""
    from app.services.dunning import default_plans

    rng, rows, plans = sim.rng, [], default_plans()
    table = RateTable(demo_rates(sim.today))
    steps_done: dict[int, set[tuple[str, date]]] = defaultdict(set)
    last_letter: dict[int, date] = {}
    by_customer: dict[int, list[DemoInvoice]] = defaultdict(list)
    for invoice in sim.invoices:
        if not invoice.disputed:
            by_customer[invoice.customer.id].append(invoice)
    day = sim.today - timedelta(days=LETTERS_DAYS)
    stop = sim.today - timedelta(days=3)
    while day <= stop:
        if day.weekday() in (0, 3):
            chased = {customer.id: [i for i in by_customer[customer.id] if not sim.held(i, day)]
                      for customer in sim.customers}
            accounts = [_account(customer, chased[customer.id], day, plans, steps_done, last_letter)
                        for customer in sim.customers if chased[customer.id]]
            actions, _holds = todays_actions(day, [a for a in accounts if a.invoices], TOLERANCE)
            for action in actions:
                customer = next(c for c in sim.customers if c.id == action.customer_id)
                invoices = {i.id: i for i in by_customer[customer.id]}
                lines = [(invoices[i.invoice_id], to_cents(i.still_due)) for i in action.invoices]
                interest = _interest(action, invoices, customer, day, table) if action.step in PENALTY_STEPS else 0
                rows.append(_letter(rng, customer, action.step, day, lines, len(rows) + 1, interest))
                for invoice in action.invoices:
                    steps_done[invoice.invoice_id].add((action.step, day))
                last_letter[customer.id] = day
        day += timedelta(days=1)
    return rows


def _account(customer: DemoCustomer, invoices: list[DemoInvoice], day: date, plans, steps_done, last_letter):
    """The customer as the dunning rules saw it on ``day``: its invoices then open, the steps done by then."""
    open_ = tuple(OpenInvoice(i.id, i.number, i.issue, i.due, from_cents(i.still_due(day)),
                              tuple(sorted(steps_done[i.id]))) for i in invoices
                  if i.issue <= day and i.still_due(day) > 0)
    return CustomerAccount(customer.id, customer.name, plans[customer.segment.value], open_,
                           last_letter_on=last_letter.get(customer.id))


def _interest(action, invoices: dict[int, DemoInvoice], customer: DemoCustomer, day: date, table) -> int:
    """The late-payment interest the letter claimed, as the program computes it (cents); none when the rate
    table does not reach back to the invoice (a demo dated before the shipped half-years)."""
    total = ZERO
    for line in action.invoices:
        invoice = invoices[line.invoice_id]
        try:
            owed = penalties(from_cents(invoice.total), invoice.due, day, table,
                             consumer=customer.segment is Segment.CONSUMER,
                             public_body=customer.segment is Segment.PUBLIC,
                             payments=[(on, from_cents(cents)) for on, cents in invoice.settled if on <= day])
        except MissingRate:
            return 0
        total += owed.interest
    return to_cents(total)


def _letter(rng: random.Random, customer: DemoCustomer, step: str, sent: date,
            lines: list[tuple[DemoInvoice, int]], letter_id: int, interest: int) -> dict:
    """The record of a letter (or of the call made, for that step)."""
    indemnities = 0
    if step in PENALTY_STEPS and customer.segment is not Segment.CONSUMER:  # D441-5: per late invoice
        indemnities = to_cents(INDEMNITY) * len(lines)
    mail = ""
    if step == DunningStep.FORMAL_NOTICE:
        digits = f"{rng.randint(0, 10**11 - 1):011d}"
        mail = f"1A {digits[:3]} {digits[3:6]} {digits[6:10]} {digits[10]}"  # a La Poste registered letter
    return {"id": letter_id, "customer_id": customer.id, "step": step, "sent_on": sent,
            "lines": [{"invoice_id": i.id, "number": i.number, "amount_due": due} for i, due in lines],
            "amount_due_cents": sum(due for _, due in lines), "penalties_cents": interest,
            "indemnities_cents": indemnities, "rate_used": "", "registered_mail_number": mail}
