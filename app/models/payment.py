"""Money received and its lettering: an ``Allocation`` matches part of a payment, or of a credit note,
to part of an invoice, on a date (the payment's date unless the user says otherwise)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import BigInteger, CheckConstraint, ForeignKey, Index, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.base import Base, IdMixin, Versioned, money_property
from app.models.customer import Customer
from app.models.invoice import Invoice


UNDATED = "inconnu"  # the method of a payment an export says was made, without saying when (nor how)


class Payment(IdMixin, Versioned, Base):
    __tablename__ = "payment"
    __table_args__ = (
        CheckConstraint("amount_cents > 0", name="positive"),
        # whoever writes, a payment is never allocated beyond its amount
        CheckConstraint("settled_cents >= 0 AND settled_cents <= amount_cents", name="settled_within_amount"),
        Index("ix_payment_open", "customer_id", "received_on", "amount_cents", "settled_cents",
              sqlite_where=text("settled_on IS NULL"), postgresql_where=text("settled_on IS NULL")),
        Index("ix_payment_settled_on", "settled_on", sqlite_where=text("settled_on IS NOT NULL"),
              postgresql_where=text("settled_on IS NOT NULL")),
        Index("ix_payment_received", "received_on", "customer_id", "amount_cents"),  # the ledger's daily sums
        # the IBANs each customer has paid from (the matcher's), read from the payments that carry one
        Index("ix_payment_payer_iban", "customer_id", "payer_iban", sqlite_where=text("payer_iban != ''"),
              postgresql_where=text("payer_iban != ''")),
    )

    customer_id: Mapped[int | None] = mapped_column(ForeignKey("customer.id", ondelete="RESTRICT"), index=True)
    received_on: Mapped[date]  # ix_payment_received
    amount_cents: Mapped[int] = mapped_column(BigInteger)
    method: Mapped[str] = mapped_column(String(30), default="virement")
    reference: Mapped[str] = mapped_column(Text, default="")
    payer_iban: Mapped[str] = mapped_column(String(40), default="")
    import_batch_id: Mapped[int | None] = mapped_column(ForeignKey("import_batch.id", ondelete="SET NULL"))
    source_line: Mapped[int | None] = mapped_column(default=None)
    row_hash: Mapped[str | None] = mapped_column(String(64), default=None, index=True)
    # what is allocated of it and the day it was allocated in full (see Invoice.settled_cents)
    settled_cents: Mapped[int] = mapped_column(BigInteger, default=0, server_default="0")
    settled_on: Mapped[date | None] = mapped_column(default=None)

    customer: Mapped[Customer | None] = relationship()
    allocations: Mapped[list[Allocation]] = relationship(back_populates="payment", cascade="all, delete-orphan")

    amount = money_property("amount_cents")


class Allocation(IdMixin, Base):
    """Lettrage: ``amount`` of a payment or a credit note settles ``amount`` of an invoice."""

    __tablename__ = "allocation"
    __table_args__ = (
        CheckConstraint("amount_cents > 0", name="positive"),
        CheckConstraint("(payment_id IS NULL) != (credit_note_id IS NULL)", name="one_source"),
        # only the allocations of credit notes (a few per cent): the index of a column mostly NULL would look
        # useless to a planner that has statistics (ANALYZE), and it would walk every later allocation instead
        Index("ix_allocation_credit_note_id", "credit_note_id", sqlite_where=text("credit_note_id IS NOT NULL"),
              postgresql_where=text("credit_note_id IS NOT NULL")),
    )

    invoice_id: Mapped[int] = mapped_column(ForeignKey("invoice.id", ondelete="CASCADE"), index=True)
    payment_id: Mapped[int | None] = mapped_column(ForeignKey("payment.id", ondelete="CASCADE"), index=True)
    credit_note_id: Mapped[int | None] = mapped_column(ForeignKey("invoice.id", ondelete="CASCADE"))
    allocated_on: Mapped[date] = mapped_column(index=True)  # the aging at a past date reads up to a day
    amount_cents: Mapped[int] = mapped_column(BigInteger)
    import_batch_id: Mapped[int | None] = mapped_column(ForeignKey("import_batch.id", ondelete="CASCADE"),
                                                        index=True)

    invoice: Mapped[Invoice] = relationship(foreign_keys=[invoice_id])
    credit_note: Mapped[Invoice | None] = relationship(foreign_keys=[credit_note_id])
    payment: Mapped[Payment | None] = relationship(back_populates="allocations")

    amount = money_property("amount_cents")
