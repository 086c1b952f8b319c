"""The user's own firm: letterhead, default terms, the tolerance under which nothing is chased, and the
thresholds the weekly cockpit raises its alerts at."""

from __future__ import annotations

from sqlalchemy import BigInteger, String, Text, false
from sqlalchemy.orm import Mapped, mapped_column

from app.domain.penalties import PENALTY_CLAUSE
from app.models.base import Base, ContactMixin, IdMixin, TermsMixin, Versioned, money_property


class Company(IdMixin, Versioned, ContactMixin, TermsMixin, Base):
    __tablename__ = "company"

    name: Mapped[str] = mapped_column(String(200))
    siren: Mapped[str] = mapped_column(String(14), default="")
    vat_number: Mapped[str] = mapped_column(String(20), default="")
    iban: Mapped[str] = mapped_column(String(40), default="")
    bic: Mapped[str] = mapped_column(String(11), default="")
    logo_path: Mapped[str] = mapped_column(String(500), default="")
    penalty_clause: Mapped[str] = mapped_column(Text, default=PENALTY_CLAUSE)
    tolerance_cents: Mapped[int] = mapped_column(BigInteger, default=500)

    # the cockpit's targets and alert thresholds (app.domain.alerts.Thresholds reads them)
    dso_target_days: Mapped[int] = mapped_column(default=45, server_default="45")
    margin_rate_bp: Mapped[int] = mapped_column(default=2000, server_default="2000")  # basis points: 20 %
    alert_delay_growth_days: Mapped[int] = mapped_column(default=10, server_default="10")
    alert_concentration_pct: Mapped[int] = mapped_column(default=50, server_default="50")
    alert_prescription_days: Mapped[int] = mapped_column(default=90, server_default="90")
    insurer_declaration_days: Mapped[int] = mapped_column(default=150, server_default="150")
    # the days the credit insurer gives, from the BODACC publication, to be told of a customer's proceedings
    insurer_insolvency_days: Mapped[int] = mapped_column(default=15, server_default="15")
    retention_of_title: Mapped[bool] = mapped_column(default=False, server_default=false())  # réserve de propriété
    alert_cover_expiry_days: Mapped[int] = mapped_column(default=30, server_default="30")

    # working capital without a FEC: what the owner types in (stock value, what is owed to suppliers and the
    # purchases of the last 12 months, HT); None until typed
    stock_cents: Mapped[int | None] = mapped_column(BigInteger, default=None)
    supplier_payables_cents: Mapped[int | None] = mapped_column(BigInteger, default=None)
    yearly_purchases_cents: Mapped[int | None] = mapped_column(BigInteger, default=None)

    tolerance = money_property("tolerance_cents")
