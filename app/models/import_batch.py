"""Imported files: what each one was and did, so that it can be recognised and undone; the column mappings
saved for spreadsheets; the accountant's balances kept per fiscal period for working-capital figures."""

from __future__ import annotations

from datetime import datetime

from datetime import date

from sqlalchemy import JSON, BigInteger, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, IdMixin, now


class ImportBatch(IdMixin, Base):
    __tablename__ = "import_batch"

    file_name: Mapped[str] = mapped_column(String(500))
    file_hash: Mapped[str] = mapped_column(String(64), index=True)
    kind: Mapped[str] = mapped_column(String(30))
    imported_at: Mapped[datetime] = mapped_column(default=now)
    created_count: Mapped[int] = mapped_column(default=0)
    updated_count: Mapped[int] = mapped_column(default=0)
    skipped_count: Mapped[int] = mapped_column(default=0)
    rejected_count: Mapped[int] = mapped_column(default=0)
    # what undoing must restore: [{"invoice_id": 12, "before": {"total_cents": ..., "due_date": "2026-01-31",
    # "status": "open"}}] for each invoice the import changed (created rows carry import_batch_id instead)
    undo: Mapped[list] = mapped_column(JSON, default=list)


class ImportMapping(IdMixin, Base):
    """A spreadsheet's columns as the user confirmed them, found again by the signature of its headers."""

    __tablename__ = "import_mapping"
    __table_args__ = (UniqueConstraint("name"),)

    name: Mapped[str] = mapped_column(String(100))
    signature: Mapped[str] = mapped_column(String(64), index=True)
    columns: Mapped[dict] = mapped_column(JSON, default=dict)  # field -> header
    created_at: Mapped[datetime] = mapped_column(default=now)


class FiscalPeriod(IdMixin, Base):
    """The balances of one fiscal period read from a FEC (DOMAIN.md: DPO, DIO, BFR)."""

    __tablename__ = "fiscal_period"
    __table_args__ = (UniqueConstraint("start", "end"),)

    start: Mapped[date]
    end: Mapped[date]
    sales_cents: Mapped[int] = mapped_column(BigInteger, default=0)
    purchases_cents: Mapped[int] = mapped_column(BigInteger, default=0)
    stocks_cents: Mapped[int] = mapped_column(BigInteger, default=0)
    suppliers_cents: Mapped[int] = mapped_column(BigInteger, default=0)
    import_batch_id: Mapped[int | None] = mapped_column(ForeignKey("import_batch.id", ondelete="SET NULL"))

