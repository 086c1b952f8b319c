"""The history of who did what: every change of money, status or terms is recorded as an ``Event`` with its
time and its author (the operating-system user, or the PostgreSQL role), read back by the customer card's
Historique and ``encours history``. Recording is part of the change's own transaction: a change rolled back
leaves no event, a change committed always has one."""

from __future__ import annotations

import getpass
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain.money import format_eur, from_cents, json_amount
from app.domain.vocabulary import EVENT_LABELS, EventKind
from app.models import Customer, Event, Invoice
from app.models.base import now
from app.models.db import insert_values


def current_user(session: Session) -> str:
    """Who is writing: the PostgreSQL role on a server (each user of an office logs in as one), else the
    operating-system user."""
    if session.get_bind().dialect.name == "postgresql":
        return session.connection().exec_driver_sql("SELECT current_user").scalar() or ""
    try:
        return getpass.getuser()
    except Exception:  # an account without a name (a service): the event is still recorded
        return ""


@dataclass(frozen=True)
class Happened:
    """One event to record: what, on whom, for how much, in words."""

    kind: EventKind
    text: str
    customer_id: int | None = None
    invoice_id: int | None = None
    payment_id: int | None = None
    cents: int | None = None


def record(session: Session, *events: Happened) -> None:
    """Record these events in the caller's transaction, in one insert (an import records thousands)."""
    if not events:
        return
    at, user = now(), current_user(session)
    insert_values(session.connection(), Event.__table__,
                  ["at", "user", "kind", "customer_id", "invoice_id", "payment_id", "amount_cents", "text"],
                  ((at, user, e.kind.value, e.customer_id, e.invoice_id, e.payment_id, e.cents, e.text)
                   for e in events), count=len(events))


@dataclass(frozen=True)
class HistoryLine:
    """One event as the owner reads it."""

    at: datetime
    user: str
    kind: EventKind
    label: str
    text: str
    invoice: str            # the invoice's number, when the event is about one
    amount: Decimal | None

    def as_json(self) -> dict:
        return {"at": self.at.isoformat(timespec="seconds"), "user": self.user, "kind": self.kind.value,
                "label": self.label, "text": self.text, "invoice": self.invoice,
                "amount": None if self.amount is None else json_amount(self.amount)}


def history(session: Session, customer_id: int) -> list[HistoryLine]:
    """A customer's events, newest first."""
    rows = session.execute(select(Event, Invoice.number).outerjoin(Invoice, Invoice.id == Event.invoice_id)
                           .where(Event.customer_id == customer_id).order_by(Event.at.desc(), Event.id.desc()))
    return [HistoryLine(e.at, e.user, EventKind(e.kind), EVENT_LABELS[EventKind(e.kind)], e.text, number or "",
                        None if e.amount_cents is None else from_cents(e.amount_cents)) for e, number in rows]


def customer_by_code(session: Session, code: str) -> Customer | None:
    """The customer of this code (as the owner types it: case ignored)."""
    return session.scalar(select(Customer).where(Customer.code == code)) or next(iter(session.scalars(
        select(Customer).where(Customer.code.ilike(code)).limit(1))), None)


@dataclass(frozen=True)
class CustomerHistory:
    """``encours history CODE``: a customer and its events, newest first."""

    code: str
    name: str
    lines: list[HistoryLine]

    def as_json(self) -> dict:
        return {"code": self.code, "name": self.name, "events": [line.as_json() for line in self.lines]}

    def text_lines(self) -> list[str]:
        """One event a line, in French: when, who, what, on which invoice, how much, in words."""
        head = f"Historique de {self.name} ({self.code})"
        if not self.lines:
            return [head, "Aucun événement enregistré pour ce client."]
        return [head] + [
            "  ".join(part for part in (f"{line.at:%d/%m/%Y %H:%M}", line.user or "?", line.label, line.invoice,
                                        "" if line.amount is None else format_eur(line.amount), line.text) if part)
            for line in self.lines]


def customer_history(session: Session, code: str) -> CustomerHistory | None:
    """The history of the customer of this code, or None when no customer has it."""
    customer = customer_by_code(session, code)
    if customer is None:
        return None
    return CustomerHistory(customer.code, customer.name, history(session, customer.id))
