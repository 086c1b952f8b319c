"""The demo company: a joinery SME, about 150 customers and three years of invoices and payments.

Why: a first-time user should see every screen (aging balance, dunning, risk, forecast) filled with
believable figures before importing their own files, and tests and benchmarks need a realistic volume.
The data is deterministic for a seed and a date: the only chance is ``random.Random(seed)`` and ``today``
is passed in, never read from the clock.

This module owns the public entry point and the database: it runs the steps in a fixed order (the order
of the random draws, hence the data, depends on it) and bulk-inserts the rows with ids assigned by the
simulation (the database is empty), which keeps generation fast. ``ledger`` simulates customers,
invoices, credit notes and payments; ``followup`` the disputes, guarantees, timeline, dunning letters
and the redressement around the unpaid invoices; ``names`` the French names and valid identifiers.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, insert, select, text
from sqlalchemy.orm import Session

from app.jobs import NULL_JOB, Job
from app.models import (
    Activity, Allocation, Company, Customer, CustomerProceeding, Dispute, DunningLetter, Guarantee, InterestRate,
    Invoice, Payment,
)
from app.services import settlement
from app.services.demo import bank, followup, names
from app.services.demo.ledger import N_CUSTOMERS, Simulation


@dataclass(frozen=True)
class DemoSummary:
    customers: int
    invoices: int
    credit_notes: int
    payments: int
    bank: bank.BankMatching  # how the matching did on the last thirteen weeks' statement


def create_demo_company(session: Session, *, today: date, seed: int = 1, job: Job = NULL_JOB) -> DemoSummary:
    """Fill an empty database with the demo company and three years of history ending at ``today``.

    The caller owns the transaction: on ``JobCancelled`` (from ``job.advance``) or any error, its rollback
    leaves nothing behind. Raises ``ValueError`` when the database already holds a company or data."""
    _refuse_unless_empty(session)
    sim = Simulation(random.Random(seed), today)
    job.start(N_CUSTOMERS + 3, "Création de la société de démonstration")
    session.execute(insert(Company), [names.company()])
    sim.create_customers()
    session.execute(insert(Customer), [customer.row for customer in sim.customers])
    for customer in sim.customers:
        sim.plan_invoices(customer)
        job.advance()
    sim.number_invoices()
    sim.add_credit_notes()
    disputes = followup.add_disputes(sim)  # before the payments: a disputed invoice waits
    sim.add_payments()
    sim.set_statuses()
    job.advance(label="Enregistrement des factures et des règlements")
    _insert(session, Invoice, [invoice.row() for invoice in sim.invoices + sim.credit_notes])
    payments, allocations, held, truth = bank.hold_back(sim.payments, sim.allocations, today)
    _insert(session, Payment, payments)
    settlement.load(session, allocations)
    settlement.refresh(session, {a["invoice_id"] for a in truth})  # paid by the statement, not yet matched
    job.advance(label="Garanties, litiges et relances")
    _insert(session, Guarantee, followup.guarantees(sim))
    _insert(session, Dispute, disputes)
    _insert(session, Activity, followup.activities(sim))
    _insert(session, DunningLetter, followup.letters(sim))
    _insert(session, CustomerProceeding, followup.proceedings(sim))
    rates = _demo_rates(today)
    if rates:
        session.execute(insert(InterestRate), rates)
    _move_id_sequences(session, (Company, Customer, Invoice, Payment, Allocation, Guarantee, Dispute, Activity,
                                 DunningLetter, CustomerProceeding))
    matching = bank.import_statement(session, names.company()["iban"], held, truth, today, seed)
    job.advance()
    return DemoSummary(customers=len(sim.customers), invoices=len(sim.invoices),
                       credit_notes=len(sim.credit_notes),
                       payments=session.scalar(select(func.count()).select_from(Payment)),  # a day's cheques are one
                       bank=matching)


def _demo_rates(today: date) -> list[dict]:
    """The demo's rates beyond the shipped table, as the user would have entered them (labelled as what they
    are)."""
    from app.services.rates import shipped_rates

    shipped = {rates.start for rates in shipped_rates()}
    return [{"half_year": r.start, "ecb_bp": int(r.ecb * 100), "legal_other_bp": int(r.legal_other * 100),
             "legal_private_bp": int(r.legal_private * 100), "source": r.source}
            for r in followup.demo_rates(today) if r.start not in shipped]


def _refuse_unless_empty(session: Session) -> None:
    """Ids are assigned here, so the demo goes only into an empty database."""
    if session.scalar(select(func.count()).select_from(Company)):
        raise ValueError("La base contient déjà une société : "
                         "la démonstration ne se crée que dans une base vide.")
    for model in (Customer, Invoice, Payment):
        if session.scalar(select(func.count()).select_from(model)):
            raise ValueError("La base contient déjà des clients, des factures ou des règlements : "
                             "la démonstration ne se crée que dans une base vide.")


def _insert(session: Session, model: type, rows: list[dict]) -> None:
    if rows:
        session.execute(insert(model), rows)


def _move_id_sequences(session: Session, models: tuple[type, ...]) -> None:
    """PostgreSQL hands out ids from sequences that explicit ids leave behind: move them past the demo's
    rows so the next row the user creates gets a free id (SQLite needs nothing: it takes max(id) + 1)."""
    if session.get_bind().dialect.name != "postgresql":
        return
    for model in models:
        table = model.__tablename__
        session.execute(text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                             f"(SELECT max(id) FROM {table}))"))
