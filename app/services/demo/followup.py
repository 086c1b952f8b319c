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
from datetime import date, datetime, time, timedelta

from app.domain.vocabulary import DunningStep
from app.models import ActivityKind, GuaranteeKind, Segment
from app.services.demo import names
from app.services.demo.ledger import (
    BANKRUPTCY_DAYS, Behaviour, DemoCustomer, DemoInvoice, Simulation, business_day, working_day_before,
)

RECOVERY_INDEMNITY_CENTS = 4_000  # art. D441-5, per late invoice, business debtors only
LETTERS_DAYS = 365  # the owner has chased with Encours for a year
FIRM_STEPS = frozenset({DunningStep.SECOND_REMINDER, DunningStep.FORMAL_NOTICE, DunningStep.LITIGATION})


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
    """Each late payer's oldest invoice overdue today (not disputed), with its customer."""
    oldest: dict[int, tuple[DemoCustomer, DemoInvoice]] = {}
    for invoice in sim.invoices:
        if invoice.customer.behaviour is Behaviour.LATE and invoice.due < sim.today \
                and not invoice.disputed and invoice.still_due() > 0:
            oldest.setdefault(invoice.customer.id, (invoice.customer, invoice))
    return list(oldest.values())


def at_time(day: date, rng: random.Random) -> datetime:
    """A working-hours moment of ``day``, for timeline entries."""
    return datetime.combine(day, time(rng.randint(8, 17), rng.choice((0, 10, 15, 30, 45, 50))))


def letters(sim: Simulation) -> list[dict]:
    """The dunning the owner did over the last year, as Encours proposed it: each step of the customer's
    plan done on the day an invoice reached it while still unpaid (a call recorded as its step), one record
    per customer, step and day listing its invoices late then. The steps reached in the last few days
    (0 to 4, by customer) are left undone: they are today's to-do list."""
    from app.services.dunning import default_plans

    rng, rows, plans = sim.rng, [], default_plans()
    since = sim.today - timedelta(days=LETTERS_DAYS)
    for customer in sim.customers:
        plan = plans[customer.segment.value]
        invoices = [i for i in sim.invoices if i.customer.id == customer.id and not i.disputed]
        done_until = sim.today - timedelta(days=rng.randint(0, 4))
        days: dict[tuple[str, date], None] = {}
        for step in DunningStep:
            if step is DunningStep.PRE_DUE or step not in plan.days:
                continue
            for invoice in invoices:
                sent = business_day(invoice.due + timedelta(days=plan.days[step]))
                if since <= sent <= done_until and invoice.still_due(sent - timedelta(days=1)) > 0:
                    days[step.value, sent] = None
        for step, sent in sorted(days, key=lambda key: (key[1], list(DunningStep).index(DunningStep(key[0])))):
            lines = [(i, i.still_due(sent)) for i in invoices if i.due < sent and i.still_due(sent) > 0]
            letter = _letter(rng, customer, step, sent, lines, len(rows) + 1)
            if letter is not None:
                rows.append(letter)
    return rows


def _letter(rng: random.Random, customer: DemoCustomer, step: str, sent: date,
            lines: list[tuple[DemoInvoice, int]], letter_id: int) -> dict | None:
    """The record of a letter; None when nothing was due then. Late-payment interest is left out: it is
    computed by the dunning rules from the rate table, not by the demo."""
    if not lines:
        return None
    indemnities = 0
    if step in FIRM_STEPS and customer.segment is not Segment.CONSUMER:
        indemnities = RECOVERY_INDEMNITY_CENTS * len(lines)
    mail = ""
    if step == DunningStep.FORMAL_NOTICE:
        digits = f"{rng.randint(0, 10**11 - 1):011d}"
        mail = f"1A {digits[:3]} {digits[3:6]} {digits[6:10]} {digits[10]}"  # a La Poste registered letter
    return {"id": letter_id, "customer_id": customer.id, "step": step, "sent_on": sent,
            "lines": [{"invoice_id": i.id, "number": i.number, "amount_due": due} for i, due in lines],
            "amount_due_cents": sum(due for _, due in lines), "penalties_cents": 0,
            "indemnities_cents": indemnities, "rate_used": "", "registered_mail_number": mail}
