"""Customers (the debtors) and the guarantees that cover what they owe."""

from __future__ import annotations

from datetime import date

from sqlalchemy import BigInteger, CheckConstraint, ForeignKey, Index, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.domain.vocabulary import GUARANTEE_LABELS, SEGMENT_LABELS, GuaranteeKind, Segment
from app.models.base import Base, ContactMixin, IdMixin, TermsMixin, Versioned, money_property


class Customer(IdMixin, Versioned, ContactMixin, TermsMixin, Base):
    __tablename__ = "customer"
    __table_args__ = (Index("ix_customer_name", "name"), Index("ix_customer_siren", "siren"),
                      # one customer per code: two imports of the same new customers at once create it once
                      Index("uq_customer_code", "code", unique=True, sqlite_where=text("code != ''"),
                            postgresql_where=text("code != ''")))

    code: Mapped[str] = mapped_column(String(60), default="")
    name: Mapped[str] = mapped_column(String(200))
    siren: Mapped[str] = mapped_column(String(14), default="")
    vat_number: Mapped[str] = mapped_column(String(20), default="")
    contact_name: Mapped[str] = mapped_column(String(200), default="")
    segment: Mapped[str] = mapped_column(String(20), default=Segment.PRIVATE.value)
    naf_code: Mapped[str] = mapped_column(String(6), default="")
    credit_limit_cents: Mapped[int | None] = mapped_column(BigInteger, default=None)
    external_rating: Mapped[str] = mapped_column(String(20), default="")
    salesperson: Mapped[str] = mapped_column(String(100), default="")
    notes: Mapped[str] = mapped_column(Text, default="")
    created_on: Mapped[date] = mapped_column(default=date.today)
    import_batch_id: Mapped[int | None] = mapped_column(ForeignKey("import_batch.id", ondelete="SET NULL"))
    # dunning: another segment's plan than its own ("" = its segment's), and "ne pas relancer avant" with why
    dunning_plan: Mapped[str] = mapped_column(String(20), default="", server_default="")
    dunning_hold_until: Mapped[date | None] = mapped_column(default=None)
    dunning_hold_reason: Mapped[str] = mapped_column(String(200), default="", server_default="")

    guarantees: Mapped[list[Guarantee]] = relationship(
        back_populates="customer", cascade="all, delete-orphan", order_by="Guarantee.valid_from")

    credit_limit = money_property("credit_limit_cents")

    @property
    def segment_label(self) -> str:
        return SEGMENT_LABELS[Segment(self.segment)]


class Guarantee(IdMixin, Base):
    """A cover on what a customer owes: an amount, or a percentage (insurers cover e.g. 90 %)."""

    __tablename__ = "guarantee"
    __table_args__ = (CheckConstraint("percentage >= 0 AND percentage <= 100", name="percentage_range"),)

    customer_id: Mapped[int] = mapped_column(ForeignKey("customer.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(30))
    guarantor: Mapped[str] = mapped_column(String(200), default="")
    amount_cents: Mapped[int | None] = mapped_column(BigInteger, default=None)
    percentage: Mapped[int | None] = mapped_column(default=None)
    grade: Mapped[str] = mapped_column(String(20), default="")
    valid_from: Mapped[date | None] = mapped_column(default=None)
    valid_to: Mapped[date | None] = mapped_column(default=None)

    customer: Mapped[Customer] = relationship(back_populates="guarantees")

    amount = money_property("amount_cents")

    @property
    def kind_label(self) -> str:
        return GUARANTEE_LABELS[GuaranteeKind(self.kind)]
