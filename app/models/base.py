"""The declarative base shared by every model.

Constraints are named by convention: Alembic's batch mode on SQLite rebuilds tables and needs the names.
Amounts are integer cents columns (``*_cents``) exposed as ``Decimal`` properties.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import MetaData, String, Text
from sqlalchemy.orm import DeclarativeBase, Mapped, composite, declared_attr, mapped_column

from app.domain.money import from_cents, to_cents
from app.domain.terms import DEFAULT_DAYS, PaymentTerms, TermsKind

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class IdMixin:
    id: Mapped[int] = mapped_column(primary_key=True)


class Versioned:
    """A row that people edit: each save raises ``version``, and a save made from an older version is refused
    (SQLAlchemy's ``StaleDataError``), so that two users saving the same row never silently overwrite each
    other (one is told, and reloads)."""

    version: Mapped[int] = mapped_column(default=1, server_default="1")

    @declared_attr.directive
    def __mapper_args__(cls) -> dict:
        return {"version_id_col": cls.version}


class ContactMixin:
    """Where a firm is and how to reach it: the company itself and its customers."""

    address: Mapped[str] = mapped_column(Text, default="")
    postcode: Mapped[str] = mapped_column(String(20), default="")
    city: Mapped[str] = mapped_column(String(100), default="")
    email: Mapped[str] = mapped_column(String(200), default="")
    phone: Mapped[str] = mapped_column(String(30), default="")


class TermsMixin:
    """Payment terms stored as two columns and read as one ``PaymentTerms`` value."""

    terms_kind: Mapped[str] = mapped_column(String(20), default=TermsKind.NET.value)
    terms_days: Mapped[int] = mapped_column(default=DEFAULT_DAYS)

    @declared_attr
    def terms(cls) -> Mapped[PaymentTerms]:
        return composite(PaymentTerms, "terms_kind", "terms_days")


def money_property(column: str) -> property:
    """A Decimal view of an integer-cents column (None stays None): ``amount = money_property("amount_cents")``."""

    def get(self) -> Decimal | None:
        cents = getattr(self, column)
        return None if cents is None else from_cents(cents)

    def set(self, value: Decimal | None) -> None:
        setattr(self, column, None if value is None else to_cents(value))

    return property(get, set, doc=f"{column} in euros (Decimal)")


def now() -> datetime:
    return datetime.now().replace(microsecond=0)
