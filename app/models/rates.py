"""The interest rates of a half-year the user entered (or corrected): they complete the table shipped in
resources/rates (app.services.rates), which the penalties are computed from."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Text
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, IdMixin


class InterestRate(IdMixin, Base):
    """Rates in hundredths of a percent a year (2,15 % is 215): exact, and as the decrees print them."""

    __tablename__ = "interest_rate"

    half_year: Mapped[date] = mapped_column(unique=True)  # 1 January or 1 July
    ecb_bp: Mapped[int]
    legal_other_bp: Mapped[int]
    legal_private_bp: Mapped[int]
    source: Mapped[str] = mapped_column(Text, default="")
