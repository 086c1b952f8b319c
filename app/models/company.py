"""The user's own firm: letterhead, default terms, the tolerance under which nothing is chased."""

from __future__ import annotations

from sqlalchemy import BigInteger, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, ContactMixin, IdMixin, TermsMixin, money_property

DEFAULT_PENALTY_CLAUSE = (
    "En cas de retard de paiement, des pénalités calculées au taux de la BCE majoré de 10 points sont "
    "exigibles dès le lendemain de l'échéance, ainsi qu'une indemnité forfaitaire pour frais de "
    "recouvrement de 40 € (art. L441-10 et D441-5 du Code de commerce)."
)


class Company(IdMixin, ContactMixin, TermsMixin, Base):
    __tablename__ = "company"

    name: Mapped[str] = mapped_column(String(200))
    siren: Mapped[str] = mapped_column(String(14), default="")
    vat_number: Mapped[str] = mapped_column(String(20), default="")
    iban: Mapped[str] = mapped_column(String(40), default="")
    bic: Mapped[str] = mapped_column(String(11), default="")
    logo_path: Mapped[str] = mapped_column(String(500), default="")
    penalty_clause: Mapped[str] = mapped_column(Text, default=DEFAULT_PENALTY_CLAUSE)
    tolerance_cents: Mapped[int] = mapped_column(BigInteger, default=500)

    tolerance = money_property("tolerance_cents")
