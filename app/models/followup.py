"""What happens around an unpaid invoice: disputes, the customer's timeline (calls, notes, promises to
pay) and the dunning letters sent."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import BigInteger, JSON, ForeignKey, String, Text, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.base import Base, IdMixin, money_property, now
from app.models.customer import Customer
from app.models.invoice import Invoice


class Dispute(IdMixin, Base):
    """A contested invoice; while open (no ``closed_on``) it suspends dunning of that invoice."""

    __tablename__ = "dispute"

    invoice_id: Mapped[int] = mapped_column(ForeignKey("invoice.id", ondelete="CASCADE"), index=True)
    reason: Mapped[str] = mapped_column(Text)
    assignee: Mapped[str] = mapped_column(String(100), default="")
    note: Mapped[str] = mapped_column(Text, default="")
    opened_on: Mapped[date]
    closed_on: Mapped[date | None] = mapped_column(default=None)
    resolution: Mapped[str] = mapped_column(String(30), default="")

    invoice: Mapped[Invoice] = relationship()


class Activity(IdMixin, Base):
    """A dated entry on a customer's timeline; a promise to pay carries its date and amount."""

    __tablename__ = "activity"

    customer_id: Mapped[int] = mapped_column(ForeignKey("customer.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    happened_at: Mapped[datetime] = mapped_column(default=now)
    text: Mapped[str] = mapped_column(Text, default="")
    promised_on: Mapped[date | None] = mapped_column(default=None)
    promised_cents: Mapped[int | None] = mapped_column(BigInteger, default=None)

    customer: Mapped[Customer] = relationship()

    promised_amount = money_property("promised_cents")


class DunningLetter(IdMixin, Base):
    """A reminder or formal notice sent: what it claimed, with the rate used, so history stays exact even
    after rates or invoices change. ``lines`` holds [{"invoice_id", "number", "amount_due"}] in cents.
    ``outside``: a step the owner took outside Encours and recorded afterwards (its date and step are his,
    its lines the invoices that were late then, app.services.outside_reminders); no letter of it was printed."""

    __tablename__ = "dunning_letter"

    customer_id: Mapped[int] = mapped_column(ForeignKey("customer.id", ondelete="CASCADE"), index=True)
    step: Mapped[str] = mapped_column(String(30))
    sent_on: Mapped[date]
    lines: Mapped[list] = mapped_column(JSON, default=list)
    amount_due_cents: Mapped[int] = mapped_column(BigInteger, default=0)
    penalties_cents: Mapped[int] = mapped_column(BigInteger, default=0)
    indemnities_cents: Mapped[int] = mapped_column(BigInteger, default=0)
    rate_used: Mapped[str] = mapped_column(String(12), default="")
    registered_mail_number: Mapped[str] = mapped_column(String(40), default="")
    outside: Mapped[bool] = mapped_column(default=False, server_default=false())

    customer: Mapped[Customer] = relationship()

    amount_due = money_property("amount_due_cents")
