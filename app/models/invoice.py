"""Invoices and credit notes: what customers owe. A credit note is an invoice of kind ``credit_note``
with negative amounts."""

from __future__ import annotations

from datetime import date

from sqlalchemy import BigInteger, CheckConstraint, ForeignKey, Index, String, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.domain.vocabulary import STATUS_LABELS, InvoiceKind, InvoiceStatus
from app.models.base import Base, IdMixin, Versioned, money_property
from app.models.customer import Customer


class Invoice(IdMixin, Versioned, Base):
    __tablename__ = "invoice"
    __table_args__ = (
        UniqueConstraint("number"),
        CheckConstraint("due_date >= issue_date", name="due_after_issue"),
        CheckConstraint("(kind = 'invoice' AND total_cents >= 0) OR (kind = 'credit_note' AND total_cents <= 0)",
                        name="sign_by_kind"),
        # whoever writes, an invoice is never settled beyond its amount (nor a credit note used beyond its own)
        CheckConstraint("settled_cents >= 0 AND settled_cents <= abs(total_cents)", name="settled_within_total"),
        Index("ix_invoice_customer", "customer_id", "issue_date", "status"),  # a customer's invoices, first one
        # what the cockpit, Relances and the matcher read of the invoices still open, without touching the
        # settled ones (most of them); settled_on too, which its condition names, and the number: the database
        # then reads those rows from the index alone
        Index("ix_invoice_open", "customer_id", "due_date", "issue_date", "status", "kind", "total_cents",
              "settled_cents", "settled_on", "number", sqlite_where=text("settled_on IS NULL"),
              postgresql_where=text("settled_on IS NULL")),
        # the paid ones by date, with what the payment delays read of them (read from the index alone)
        Index("ix_invoice_paid_on", "paid_on", "customer_id", "kind", "total_cents", "due_date",
              sqlite_where=text("paid_on IS NOT NULL"), postgresql_where=text("paid_on IS NOT NULL")),
        Index("ix_invoice_issued", "issue_date", "status", "total_cents"),  # the ledger's daily sums
        Index("ix_invoice_written_off", "id", sqlite_where=text("status = 'written_off'"),
              postgresql_where=text("status = 'written_off'")),
    )

    number: Mapped[str] = mapped_column(String(100))
    kind: Mapped[str] = mapped_column(String(20), default=InvoiceKind.INVOICE.value)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customer.id", ondelete="RESTRICT"))  # ix_invoice_customer
    issue_date: Mapped[date]
    due_date: Mapped[date]
    net_cents: Mapped[int] = mapped_column(BigInteger, default=0)
    vat_cents: Mapped[int] = mapped_column(BigInteger, default=0)
    total_cents: Mapped[int] = mapped_column(BigInteger, default=0)
    status: Mapped[str] = mapped_column(String(20), default=InvoiceStatus.OPEN.value)
    import_batch_id: Mapped[int | None] = mapped_column(ForeignKey("import_batch.id", ondelete="SET NULL"))
    source_line: Mapped[int | None] = mapped_column(default=None)
    row_hash: Mapped[str | None] = mapped_column(String(64), default=None)  # compared by number, never searched
    # What the allocations settle of it (paid, or used of a credit note) and the day it was settled in full:
    # kept by ``services.settlement`` from the allocations, never typed. A summary for the cockpit's queries
    # at 1 000 000 invoices; the amounts still due are always the allocations' (app.domain.aging).
    settled_cents: Mapped[int] = mapped_column(BigInteger, default=0, server_default="0")
    settled_on: Mapped[date | None] = mapped_column(default=None)
    # the day it was paid in full when that day is known: the payment delays read it; an export that only
    # says "paid" leaves it unknown (its settlement is dated the import's day, not the customer's payment)
    paid_on: Mapped[date | None] = mapped_column(default=None)

    customer: Mapped[Customer] = relationship()

    net = money_property("net_cents")
    vat = money_property("vat_cents")
    total = money_property("total_cents")

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[InvoiceStatus(self.status)]
