"""The deadlines of the customers' collective proceedings at a date (DOMAIN.md, "Insolvency proceedings"),
shown until met on the dashboard's alerts, Relances' top line, the weekly report and ``encours kpi --json``:
the declaration of claim until it is recorded (then, missed, the relief from forclusion), the revendication
when the company sells under retention of title, and for a customer with credit insurance the day the insurer
must be told of the proceedings (the BODACC publication + the company's ``insurer_insolvency_days``)."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain.alerts import Thresholds
from app.domain.insolvency import CustomerDeadlines, Deadline, Proceeding, deadlines
from app.models import Customer
from app.services.company import get_company
from app.services.proceedings import proceedings_at
from app.services.risk import insured_customers

def proceeding_deadlines(session: Session, at: date,
                         proceedings: dict[int, Proceeding] | None = None) -> list[CustomerDeadlines]:
    """Per customer with proceedings open at ``at`` (``proceedings`` when the caller read them already), the
    deadlines to show, soonest first; a customer with none to show (declared, no publication yet) is left out."""
    proceedings = proceedings_at(session, at) if proceedings is None else proceedings
    if not proceedings:
        return []
    company = get_company(session)
    retention = bool(company and company.retention_of_title)
    insurer_days = company.insurer_insolvency_days if company else Thresholds().insolvency_days
    insured = set(session.scalars(insured_customers(at)))
    names = dict(session.execute(select(Customer.id, Customer.name).where(Customer.id.in_(list(proceedings)))).all())
    found = []
    for customer_id, proceeding in proceedings.items():
        shown = deadlines(proceeding, at, declared=proceeding.declared_by(at), retention_of_title=retention)
        if not shown:
            continue
        insurer = None
        if customer_id in insured:
            told_by = proceeding.published_on + timedelta(days=insurer_days)
            insurer = Deadline("assureur-crédit", told_by, (told_by - at).days)
        found.append(CustomerDeadlines(customer_id, names[customer_id], proceeding.kind, tuple(shown), insurer))
    return sorted(found, key=lambda found: (found.deadlines[0].on, found.customer))


def deadlines_json(found: list[CustomerDeadlines]) -> list[dict]:
    """``encours kpi --json``'s "proceedings": each customer's deadlines with their days left."""
    def one(deadline: Deadline) -> dict:
        return {"what": deadline.what, "on": deadline.on.isoformat(), "days_left": deadline.days_left}

    return [{"customer_id": shown.customer_id, "customer": shown.customer, "kind": shown.kind.value,
             "deadlines": [one(deadline) for deadline in shown.deadlines],
             "insurer": one(shown.insurer) if shown.insurer else None} for shown in found]
