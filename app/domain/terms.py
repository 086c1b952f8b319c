"""Payment terms and due dates (Code de commerce, art. L441-10).

Agreed terms between businesses may not exceed 60 days from the invoice date, or 45 days end of month.
A public buyer pays within 30 days (Code de la commande publique R2192-10), a public health establishment
within 50 (R2192-11 1°); a public company's 60 days (R2192-11 2°) are not told apart here: above 30 is warned.
"45 jours fin de mois" has two readings in use, so each has its own kind:
``days_end_of_month`` (invoice date + 45 days, then the end of that month) and ``end_of_month_days``
(end of the invoice's month, then + 45 days).
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

LEGAL_MAX_NET_DAYS = 60
LEGAL_MAX_END_OF_MONTH_DAYS = 45
DEFAULT_DAYS = 30
PUBLIC_MAX_DAYS = 30              # pouvoirs adjudicateurs (CCP R2192-10)
PUBLIC_HEALTH_MAX_DAYS = 50       # établissements publics de santé (CCP R2192-11 1°)
HOSPITAL_NAF = "8610Z"            # « activités hospitalières »: a public body with it is a public hospital
LONGEST_MONTH_END_WAIT = 30       # an end-of-month kind adds at most 30 days (an invoice of the 1st of a 31-day month)


class TermsKind(StrEnum):
    ON_RECEIPT = "on_receipt"
    NET = "net"
    DAYS_END_OF_MONTH = "days_end_of_month"
    END_OF_MONTH_DAYS = "end_of_month_days"


TERMS_LABELS = {
    TermsKind.ON_RECEIPT: "À réception",
    TermsKind.NET: "{days} jours date de facture",
    TermsKind.DAYS_END_OF_MONTH: "{days} jours fin de mois",
    TermsKind.END_OF_MONTH_DAYS: "Fin de mois {days} jours",
}


def end_of_month(day: date) -> date:
    """The last day of ``day``'s month (28, 29, 30 or 31)."""
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


@dataclass(frozen=True)
class PaymentTerms:
    """A kind and a number of days; "à réception" has zero days."""

    kind: TermsKind = TermsKind.NET
    days: int = DEFAULT_DAYS

    def __post_init__(self) -> None:
        object.__setattr__(self, "kind", TermsKind(self.kind))
        if self.days < 0:
            raise ValueError("le nombre de jours ne peut pas être négatif")
        if self.kind is TermsKind.ON_RECEIPT and self.days:
            object.__setattr__(self, "days", 0)

    def due_date(self, invoice_date: date) -> date:
        """The due date of an invoice issued on ``invoice_date`` under these terms."""
        if self.kind is TermsKind.ON_RECEIPT:
            return invoice_date
        if self.kind is TermsKind.NET:
            return invoice_date + timedelta(days=self.days)
        if self.kind is TermsKind.DAYS_END_OF_MONTH:
            return end_of_month(invoice_date + timedelta(days=self.days))
        return end_of_month(invoice_date) + timedelta(days=self.days)

    def legal_warning(self) -> str | None:
        """Why these terms break the B2B caps of art. L441-10, or None when they are within them."""
        if self.kind is TermsKind.NET and self.days > LEGAL_MAX_NET_DAYS:
            return (f"{self.days} jours dépassent le plafond légal de {LEGAL_MAX_NET_DAYS} jours "
                    "date de facture (art. L441-10 du Code de commerce).")
        if self.kind in (TermsKind.DAYS_END_OF_MONTH, TermsKind.END_OF_MONTH_DAYS) \
                and self.days > LEGAL_MAX_END_OF_MONTH_DAYS:
            return (f"{self.days} jours fin de mois dépassent le plafond légal de "
                    f"{LEGAL_MAX_END_OF_MONTH_DAYS} jours fin de mois (art. L441-10 du Code de commerce).")
        return None

    @property
    def longest_days(self) -> int:
        """The longest wait from an invoice's date to its due date under these terms."""
        month_end = self.kind in (TermsKind.DAYS_END_OF_MONTH, TermsKind.END_OF_MONTH_DAYS)
        return self.days + (LONGEST_MONTH_END_WAIT if month_end else 0)

    def public_warning(self, naf_code: str = "") -> str | None:
        """Why these terms exceed what a public buyer may take to pay: 30 days (CCP R2192-10), 50 for a public
        health establishment, known by its NAF code 86.10Z (R2192-11 1°); None when they are within it. An
        end-of-month kind is judged on its longest wait ("30 jours fin de mois" may reach 60 days)."""
        hospital = naf_code.replace(".", "").replace(" ", "").upper() == HOSPITAL_NAF
        cap, who, article = ((PUBLIC_HEALTH_MAX_DAYS, "d'un établissement public de santé", "R2192-11")
                             if hospital else (PUBLIC_MAX_DAYS, "d'un acheteur public", "R2192-10"))
        if self.longest_days <= cap:
            return None
        said = (f"{self.days} jours dépassent" if self.longest_days == self.days
                else f"« {self.label} » peuvent aller jusqu'à {self.longest_days} jours et dépassent")
        return (f"{said} le délai de paiement maximal {who}, {cap} jours (art. {article} du Code de la commande "
                "publique)" + ("" if hospital else " ; 50 jours pour un établissement public de santé "
                               "(code NAF 86.10Z)") + ".")

    @property
    def label(self) -> str:
        """The terms as French invoices word them: "45 jours fin de mois"."""
        return TERMS_LABELS[self.kind].format(days=self.days)


DEFAULT_TERMS = PaymentTerms(TermsKind.NET, DEFAULT_DAYS)
