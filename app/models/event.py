"""What happened, when and by whom: every allocation and its undo, every status change, every edit of a
customer's terms, limit or guarantees, postponement, dispute and letter is an ``Event``. The customer card's
Historique and ``encours history`` read them; nothing ever updates one."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, IdMixin, money_property, now


class Event(IdMixin, Base):
    __tablename__ = "event"
    __table_args__ = (Index("ix_event_customer", "customer_id", "at"),)

    at: Mapped[datetime] = mapped_column(default=now)
    user: Mapped[str] = mapped_column(String(100), default="")  # the system user, or the PostgreSQL role
    kind: Mapped[str] = mapped_column(String(30))                # app.domain.vocabulary.EventKind
    customer_id: Mapped[int | None] = mapped_column(ForeignKey("customer.id", ondelete="CASCADE"))
    invoice_id: Mapped[int | None] = mapped_column(ForeignKey("invoice.id", ondelete="SET NULL"), index=True)
    payment_id: Mapped[int | None] = mapped_column(ForeignKey("payment.id", ondelete="SET NULL"), index=True)
    amount_cents: Mapped[int | None] = mapped_column(BigInteger, default=None)
    text: Mapped[str] = mapped_column(Text, default="")          # what happened, in French

    amount = money_property("amount_cents")
