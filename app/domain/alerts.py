"""What crossed a threshold this week: the alert list of the cockpit (DOMAIN.md, Indicators, Guarantees).

Each alert says in plain French what happened and to whom, so the owner can act on it without opening a
report: a customer over its credit limit or its insured cover, a cover about to expire, a customer paying
later and later, DSO above its target, receivables concentrated on a few customers, an invoice about to
become time-barred or past the insurer's declaration deadline. The thresholds are the user's. A customer's
collective proceedings come first, with the deadlines that must never pass in silence: the declaration of
claim counted down, and the credit insurer's own deadline beside it.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from functools import lru_cache
from decimal import Decimal
from typing import NamedTuple

from app.domain.insolvency import PROCEEDING_LABELS, CustomerDeadlines, Deadline
from app.domain.money import format_eur
from app.domain.wording import days, percent


class Thresholds(NamedTuple):
    """The user's targets; the defaults are those a small French business would start with."""

    dso_target_days: int = 45
    margin_rate: Decimal = Decimal("0.20")
    delay_growth_days: int = 10         # a customer whose average delay grew by more than this
    concentration_share: Decimal = Decimal("0.50")  # top 5 customers' share of receivables
    prescription_days: int = 90         # warn this long before a claim becomes time-barred
    declaration_days: int = 150         # the insurer's deadline to declare an unpaid invoice, after its due date
    cover_expiry_days: int = 30         # warn this long before a cover expires
    insolvency_days: int = 15           # the insurer's delay to be told of a customer's proceedings, after publication


DECLARATION_WARNING_DAYS = 15  # how early the insurer's deadline is announced
# A customer "paying later" is announced only when both quarters compared rest on this many paid invoices:
# with one or two, a single late payment would raise the alert.
MIN_PAID_FOR_TREND = 3
PRESCRIPTION_YEARS = {False: 5, True: 2}  # Code de commerce L110-4 between merchants; consumer code L218-2


class Alert(NamedTuple):
    """One line of the alert list; ``customer_id`` opens the customer when clicked (None: the whole ledger).
    ``weight`` orders the list: the amount at stake, so the biggest problem comes first."""

    kind: str
    text: str
    customer_id: int | None = None
    weight: Decimal = Decimal(0)


class CustomerFigures(NamedTuple):
    """A customer as the alerts see it."""

    id: int
    name: str
    exposure: Decimal
    credit_limit: Decimal | None = None
    cover: Decimal | None = None      # insured or guaranteed amount in force
    uncovered: Decimal | None = None  # what the covers would not pay of the exposure (guarantees.uncovered)
    cover_ends: date | None = None    # the earliest expiry of a cover in force
    delay_trend: Decimal | None = None
    trend_invoices: int = MIN_PAID_FOR_TREND  # paid invoices in the thinner of the two quarters compared


class DueInvoice(NamedTuple):
    """An invoice still due, for the deadlines that run from its due date."""

    customer_id: int
    customer: str
    number: str
    due: date
    still_due: Decimal
    consumer: bool = False
    insured: bool = False


@lru_cache(maxsize=8192)  # asked of every open invoice by the alerts and the forecast: a few thousand days
def prescription_date(due: date, consumer: bool) -> date:
    """The day a claim becomes time-barred: 5 years after it fell due between merchants (L110-4), 2 years
    on a consumer (L218-2). A formal notice does not interrupt it, so the warning matters."""
    years = PRESCRIPTION_YEARS[consumer]
    try:
        return due.replace(year=due.year + years)
    except ValueError:  # 29 February
        return due.replace(year=due.year + years, day=28)


def customer_alerts(customer: CustomerFigures, at: date, limits: Thresholds) -> list[Alert]:
    found = []
    name, exposure = customer.name, customer.exposure
    if customer.credit_limit and exposure > customer.credit_limit:
        over = exposure - customer.credit_limit
        found.append(Alert("limit", f"{name} dépasse sa limite de crédit de {format_eur(over)} "
                                    f"(encours {format_eur(exposure)}).", customer.id, over))
    if customer.cover is not None and customer.uncovered is not None and exposure > customer.cover:
        found.append(Alert("cover", f"{name} : l'encours de {format_eur(exposure)} dépasse la couverture de "
                                    f"{format_eur(customer.cover)} ; {format_eur(customer.uncovered)} non couverts.",
                           customer.id, customer.uncovered))
    if customer.cover_ends is not None and at <= customer.cover_ends <= at + timedelta(days=limits.cover_expiry_days):
        found.append(Alert("cover_expiry", f"{name} : la couverture expire le {customer.cover_ends:%d/%m/%Y} ; "
                                           "demandez son renouvellement.", customer.id, exposure))
    if (customer.delay_trend is not None and customer.delay_trend > limits.delay_growth_days
            and customer.trend_invoices >= MIN_PAID_FOR_TREND):
        found.append(Alert("delay", f"{name} paie {days(customer.delay_trend)} plus tard qu'au trimestre "
                                    "précédent.", customer.id, exposure))
    return found


def invoice_alerts(invoice: DueInvoice, at: date, limits: Thresholds) -> list[Alert]:
    found = []
    barred = prescription_date(invoice.due, invoice.consumer)
    if barred - timedelta(days=limits.prescription_days) <= at:
        verb = "est prescrite depuis le" if barred <= at else "sera prescrite le"
        found.append(Alert("prescription", f"Facture {invoice.number} de {invoice.customer} "
                                           f"({format_eur(invoice.still_due)}) {verb} {barred:%d/%m/%Y}.",
                           invoice.customer_id, invoice.still_due))
    if invoice.insured and invoice.due < at:
        deadline = invoice.due + timedelta(days=limits.declaration_days)
        if deadline - timedelta(days=DECLARATION_WARNING_DAYS) <= at:
            verb = "devait être déclarée à l'assureur avant le" if deadline < at else "est à déclarer à l'assureur avant le"
            found.append(Alert("declaration", f"Facture {invoice.number} de {invoice.customer} "
                                              f"({format_eur(invoice.still_due)}) {verb} {deadline:%d/%m/%Y}.",
                               invoice.customer_id, invoice.still_due))
    return found


def _countdown(deadline: Deadline) -> str:
    """« avant le 16/12/2026 (J-23) », « avant le 16/12/2026 (aujourd'hui) », « avant le 31/10/2026 (dépassé) »."""
    left = ("dépassé" if deadline.days_left < 0 else "aujourd'hui" if deadline.days_left == 0
            else f"J-{deadline.days_left}")
    return f"avant le {deadline.on:%d/%m/%Y} ({left})"


def deadlines_text(shown: CustomerDeadlines) -> str:
    """« Boulangerie Martin — redressement judiciaire : déclaration de créance avant le 16/12/2026 (J-23) ;
    assureur-crédit avant le 31/10/2026 (dépassé) »."""
    parts = [f"{deadline.what} {_countdown(deadline)}" for deadline in shown.deadlines]
    if shown.insurer is not None:
        parts.append(f"assureur-crédit {_countdown(shown.insurer)}")
    return f"{shown.customer} — {PROCEEDING_LABELS[shown.kind]} : {' ; '.join(parts)}"


def ledger_alerts(dso: Decimal | None, top5_share: Decimal | None, receivables: Decimal,
                  limits: Thresholds) -> list[Alert]:
    found = []
    if dso is not None and dso > limits.dso_target_days:
        found.append(Alert("dso", f"DSO de {days(dso)}, au-dessus de l'objectif de {limits.dso_target_days} j.",
                           None, receivables))
    if top5_share is not None and top5_share > limits.concentration_share:
        found.append(Alert("concentration", f"Les 5 premiers clients détiennent {percent(top5_share)} de l'encours "
                                            f"(seuil {percent(limits.concentration_share)}).", None, receivables))
    return found


def alerts(at: date, limits: Thresholds, customers: Iterable[CustomerFigures], invoices: Iterable[DueInvoice],
           dso: Decimal | None, top5_share: Decimal | None, receivables: Decimal,
           proceedings: Iterable[CustomerDeadlines] = ()) -> list[Alert]:
    """Every alert at ``at``: the deadlines of collective proceedings first, in their order (soonest first:
    a forclusion loses the whole claim), then the largest amount at stake first."""
    found = ledger_alerts(dso, top5_share, receivables, limits)
    for customer in customers:
        found += customer_alerts(customer, at, limits)
    for invoice in invoices:
        found += invoice_alerts(invoice, at, limits)
    first = [Alert("proceedings", deadlines_text(shown), shown.customer_id)
             for shown in proceedings]
    return first + sorted(found, key=lambda alert: -alert.weight)
