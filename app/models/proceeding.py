"""A customer's collective proceedings (sauvegarde, redressement, liquidation judiciaire): the judgment, its
BODACC publication (the deadlines run from it), the court and the mandataire to whom the claim is declared,
and the declaration once sent (DOMAIN.md, "Insolvency proceedings"; app.domain.insolvency)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import ForeignKey, String, Text, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.domain.insolvency import Proceeding, ProceedingKind
from app.models.base import Base, IdMixin, Versioned
from app.models.customer import Customer


class CustomerProceeding(IdMixin, Versioned, Base):
    """One opening judgment and what followed it; ``kind`` is the proceedings' kind now (a redressement
    converted into a liquidation keeps its opening judgment: the claims declared stand)."""

    __tablename__ = "proceeding"

    customer_id: Mapped[int] = mapped_column(ForeignKey("customer.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    judgment_on: Mapped[date]
    published_on: Mapped[date | None] = mapped_column(default=None)
    court: Mapped[str] = mapped_column(String(200), default="")
    reference: Mapped[str] = mapped_column(String(100), default="")
    mandataire_name: Mapped[str] = mapped_column(String(200), default="")
    mandataire_address: Mapped[str] = mapped_column(Text, default="")
    mandataire_email: Mapped[str] = mapped_column(String(200), default="")
    abroad: Mapped[bool] = mapped_column(default=False, server_default=false())
    plan_on: Mapped[date | None] = mapped_column(default=None)  # a plan adopted (sauvegarde, redressement)
    converted_on: Mapped[date | None] = mapped_column(default=None)  # converted into a liquidation
    closed_on: Mapped[date | None] = mapped_column(default=None)  # clôture
    claim_sent_on: Mapped[date | None] = mapped_column(default=None)  # the declaration of claim, sent
    claim_registered_number: Mapped[str] = mapped_column(String(40), default="")

    customer: Mapped[Customer] = relationship()

    def facts(self) -> Proceeding:
        """The proceedings as the domain rules read them."""
        return Proceeding(ProceedingKind(self.kind), self.judgment_on, self.published_on, self.abroad,
                          self.closed_on, self.claim_sent_on)
