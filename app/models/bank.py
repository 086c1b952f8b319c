"""The bank statements imported: every line (credits and debits) and the balances the bank stated.

A credit is also a ``Payment`` (``payment_id``): the money received, allocated to invoices by the matching or
by the owner, or left as unallocated cash, of a known customer or of nobody yet. A debit is kept as an
outflow of the cash forecast and never matched to an invoice. A balance is the account's balance at the end
of its day (an opening balance of a day is stored as the closing balance of the day before), so that the
latest one starts the forecast whatever the file's format.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import BigInteger, CheckConstraint, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.base import Base, IdMixin, money_property
from app.models.payment import Payment


class BankLine(IdMixin, Base):
    __tablename__ = "bank_line"
    __table_args__ = (CheckConstraint("amount_cents != 0", name="not_zero"),)

    account: Mapped[str] = mapped_column(String(40), default="")
    booked_on: Mapped[date] = mapped_column(index=True)
    value_on: Mapped[date | None] = mapped_column(default=None)
    amount_cents: Mapped[int] = mapped_column(BigInteger)  # > 0 received, < 0 paid out
    label: Mapped[str] = mapped_column(Text, default="")
    counterparty: Mapped[str] = mapped_column(String(200), default="")
    iban: Mapped[str] = mapped_column(String(40), default="")
    reference: Mapped[str] = mapped_column(String(200), default="")
    payment_id: Mapped[int | None] = mapped_column(ForeignKey("payment.id", ondelete="SET NULL"), index=True)
    import_batch_id: Mapped[int | None] = mapped_column(ForeignKey("import_batch.id", ondelete="SET NULL"),
                                                        index=True)
    source_line: Mapped[int | None] = mapped_column(default=None)
    row_hash: Mapped[str] = mapped_column(String(64), index=True)

    payment: Mapped[Payment | None] = relationship()

    amount = money_property("amount_cents")


class BankBalance(IdMixin, Base):
    __tablename__ = "bank_balance"
    __table_args__ = (UniqueConstraint("account", "stated_on"),)

    account: Mapped[str] = mapped_column(String(40), default="")
    stated_on: Mapped[date]  # the balance at the end of this day
    amount_cents: Mapped[int] = mapped_column(BigInteger)
    import_batch_id: Mapped[int | None] = mapped_column(ForeignKey("import_batch.id", ondelete="SET NULL"))

    amount = money_property("amount_cents")
