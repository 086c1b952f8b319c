"""Each customer's risk: what feeds its score (exposure, delays, cover, disputes, seniority), for every customer
at once on the dashboard and for one on its card, so both show the same score. A customer in collective
proceedings is scored the worst (app.domain.scoring)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from datetime import date, timedelta
from typing import NamedTuple
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.domain import kpi
from app.domain.aging import AgingBalance, Buckets
from app.domain.guarantees import covered, uncovered
from app.domain.insolvency import Proceeding
from app.domain.money import from_cents
from app.domain.scoring import Score, ScoreInput, score
from app.domain.vocabulary import GuaranteeKind
from app.jobs import collector_paused
from app.models import Customer, Dispute, Guarantee, Invoice
from app.models.db import plain_rows
from app.services.aging import aging_summary
from app.services.payment_history import delay_sums, paid_invoices
from app.services.proceedings import proceedings_at

COVERING = (GuaranteeKind.CREDIT_INSURANCE.value, GuaranteeKind.BANK_GUARANTEE.value)
HISTORY_MONTHS = 12  # the card's charts: payment delay and score, month by month
TREND_MONTHS = 3     # the card says how the score moved over the last quarter


def customer_rows(session: Session, customer_id: int | None = None) -> list:
    """The customers (or one) with what the score reads of them, their first invoice's date included."""
    first_invoice = (select(func.min(Invoice.issue_date)).where(Invoice.customer_id == Customer.id)
                     .scalar_subquery())  # one seek in ix_invoice_customer per customer
    query = select(Customer.id, Customer.name, Customer.phone, Customer.segment, Customer.credit_limit_cents,
                   Customer.external_rating, Customer.created_on, first_invoice.label("first_invoice"))
    if customer_id is not None:
        query = query.where(Customer.id == customer_id)
    return plain_rows(session, query).all()


class Cover(NamedTuple):
    """A customer's guarantees in force: the amounts granted (what its exposure is compared with), each
    guarantee's (amount, share paid), the earliest expiry, and whether credit insurance is among them."""

    granted: Decimal
    parts: tuple[tuple[Decimal, Decimal], ...]
    ends: date | None
    insured: bool

    def covered(self, exposure: Decimal) -> Decimal:
        return covered(exposure, self.parts)

    def uncovered(self, exposure: Decimal) -> Decimal:
        return uncovered(exposure, self.parts)


def covers(session: Session, at: date, customer_id: int | None = None) -> dict[int, Cover]:
    """By customer, the guarantees in force at ``at`` (credit insurance and bank guarantees)."""
    found: dict[int, Cover] = {}
    query = select(Guarantee).where(*_in_force(at))
    if customer_id is not None:
        query = query.where(Guarantee.customer_id == customer_id)
    for g in session.scalars(query):
        amount = from_cents(g.amount_cents)
        share = Decimal(g.percentage if g.percentage is not None else 100).scaleb(-2)
        before = found.get(g.customer_id, Cover(Decimal("0.00"), (), None, False))
        found[g.customer_id] = Cover(before.granted + amount, (*before.parts, (amount, share)),
                                     min(filter(None, (before.ends, g.valid_to)), default=None),
                                     before.insured or g.kind == GuaranteeKind.CREDIT_INSURANCE.value)
    return found


def insured_customers(at: date):
    """The ids of the customers with credit insurance in force at ``at`` (``Cover.insured``), as a subquery."""
    return select(Guarantee.customer_id).where(Guarantee.kind == GuaranteeKind.CREDIT_INSURANCE.value,
                                               *_in_force(at))


def _in_force(at: date) -> list:
    return [Guarantee.kind.in_(COVERING), Guarantee.amount_cents.is_not(None),
            (Guarantee.valid_from.is_(None)) | (Guarantee.valid_from <= at),
            (Guarantee.valid_to.is_(None)) | (Guarantee.valid_to >= at)]


def open_disputes(session: Session, at: date, customer_id: int | None = None) -> dict[int, int]:
    """By customer, the disputes open at ``at``: counted here from the disputes, each finding its invoice by
    its id; a GROUP BY customer would have the database walk every invoice in customer order for the few
    disputed ones (0.1 s at 1 000 000 invoices)."""
    query = (select(Invoice.customer_id).select_from(Dispute).join(Invoice, Dispute.invoice_id == Invoice.id)
             .where(Dispute.opened_on <= at, (Dispute.closed_on.is_(None)) | (Dispute.closed_on > at)))
    if customer_id is not None:
        query = query.where(Invoice.customer_id == customer_id)
    return dict(Counter(plain_rows(session, query).scalars()))


def score_input(customer, at: date, buckets: Buckets, delays: tuple[Decimal | None, Decimal | None],
                cover: Cover | None, disputes: int, proceeding: Proceeding | None = None) -> ScoreInput:
    """What the score of ``customer`` (a ``customer_rows`` row) is computed from; the score's cover is the
    part of the exposure the guarantees would pay."""
    return ScoreInput(
        at=at, average_delay=delays[0], delay_trend=delays[1], exposure=buckets.total, overdue=buckets.overdue,
        credit_limit=from_cents(customer.credit_limit_cents) if customer.credit_limit_cents else None,
        cover=cover.covered(buckets.total) if cover else None, open_disputes=disputes,
        customer_since=min(filter(None, (customer.first_invoice, customer.created_on)), default=None),
        segment=customer.segment, external_rating=customer.external_rating, proceeding=proceeding)


# The dashboard computed again after an import or an allocation finds every customer it did not touch with the
# same input and reuses its score (``score`` is pure); the scores of a few dashboards of the largest ledgers.
_score_of = lru_cache(maxsize=100_000)(score)


def scored(customers, at: date, balance: AgingBalance, delays: dict[int, tuple], cover_of: dict[int, Cover],
           disputes: dict[int, int], proceedings: dict[int, Proceeding]) -> Iterator[tuple[object, ScoreInput, Score]]:
    """(customer row, what its score is computed from, its score) for each customer that owes something or
    has a payment history, from figures read for all of them at once (``proceedings``: those open at ``at``)."""
    for c in customers:
        buckets = balance.by_customer.get(c.id, Buckets())
        if c.id not in delays and not buckets.total:
            continue
        data = score_input(c, at, buckets, delays.get(c.id, (None, None)), cover_of.get(c.id), disputes.get(c.id, 0),
                           proceedings.get(c.id))
        yield c, data, _score_of(data)


@collector_paused()
def all_scores(session: Session, at: date, balance: AgingBalance | None = None,
               customer_ids: set[int] | None = None) -> dict[int, Score]:
    """Every customer's score at ``at`` (the dunning's priorities), read in aggregate like the dashboard's;
    only those of ``customer_ids`` when given (the customers the dunning may chase). ``balance``: the aging at
    ``at`` when the caller has summed it already."""
    delays = {customer: kpi.delays_from_sums(sums) for customer, sums in delay_sums(session, at).items()}
    customers = customer_rows(session)
    if customer_ids is not None:
        customers = [c for c in customers if c.id in customer_ids]
    if balance is None:
        balance = aging_summary(session, at)
    return {c.id: result for c, _data, result in scored(customers, at, balance, delays,
                                                        covers(session, at), open_disputes(session, at),
                                                        proceedings_at(session, at))}


def customer_score(session: Session, customer, at: date) -> Score | None:
    """The score of ``customer`` (a ``customer_rows`` row) as it stood at ``at`` (the aging, payments,
    guarantees and disputes of that day), or None when it was not yet a customer then."""
    return _assessment(session, customer, at)[0]


def score_history(session: Session, customer, at: date,
                  months: int = HISTORY_MONTHS) -> list[tuple[date, int | None]]:
    """The score at the end of each of the last ``months`` months, ``at`` for the current one, as (first day
    of the month, points or None) oldest first: the same months as ``kpi.monthly_delays``."""
    points = []
    for year, month in reversed(kpi.months_back(at, months)):
        first, last = kpi.month_bounds(year, month)
        found = customer_score(session, customer, min(last, at))
        points.append((first, None if found is None else found.points))
    return points


def scores_at(session: Session, customers: list, at: date) -> dict[int, int]:
    """The points of a few customers (``customer_rows`` rows) at ``at``, for those that were customers then:
    the dashboard compares this week's scores of the customers to call with their scores four weeks ago."""
    balance = aging_summary(session, at, [c.id for c in customers])  # their agings in one read
    found = {c.id: _assessment(session, c, at, balance.by_customer.get(c.id, Buckets()))[0] for c in customers}
    return {customer_id: result.points for customer_id, result in found.items() if result is not None}


def _assessment(session: Session, customer, at: date, buckets: Buckets | None = None
                ) -> tuple[Score | None, Buckets, tuple, Cover | None]:
    """One customer's score at ``at`` with what it was computed from: its aging (read here unless given),
    its payment delays (average and trend) and its guarantees in force. The score is None before the
    customer's first invoice."""
    customer_id = customer.id
    if buckets is None:
        buckets = aging_summary(session, at, [customer_id]).by_customer.get(customer_id, Buckets())
    sums = delay_sums(session, at, customer_id).get(customer_id)
    delays = kpi.delays_from_sums(sums) if sums else (None, None)
    cover = covers(session, at, customer_id).get(customer_id)
    data = score_input(customer, at, buckets, delays, cover, open_disputes(session, at, customer_id)
                       .get(customer_id, 0), proceedings_at(session, at, [customer_id]).get(customer_id))
    known = data.customer_since is not None and data.customer_since <= at
    return (score(data) if known else None), buckets, delays, cover


@dataclass(frozen=True)
class CustomerRisk:
    """The card's Risque tab: the score with each factor and its history, exposure beside limit and cover,
    payment delays."""

    score: Score
    exposure: Decimal
    overdue: Decimal
    credit_limit: Decimal | None
    cover: Decimal | None
    cover_ends: date | None
    uncovered: Decimal | None  # what the covers would not pay of the exposure (None: no cover)
    average_delay: Decimal | None
    delay_trend: Decimal | None
    monthly_delays: list[tuple[date, Decimal | None]]
    score_history: list[tuple[date, int | None]]

    @property
    def over_limit(self) -> bool:
        return self.credit_limit is not None and self.exposure > self.credit_limit

    @property
    def score_months_ago(self) -> tuple[date, int | None]:
        """The score ``TREND_MONTHS`` month ends ago (that month's last day, points or None), to say how it
        moved."""
        first, points = self.score_history[-1 - TREND_MONTHS]
        return kpi.month_bounds(first.year, first.month)[1], points


def customer_risk(session: Session, customer_id: int, at: date) -> CustomerRisk | None:
    """One customer's risk at ``at``, computed as the dashboard computes every customer's."""
    rows = customer_rows(session, customer_id)
    if not rows:
        return None
    customer = rows[0]
    result, buckets, delays, cover = _assessment(session, customer, at)
    if result is None:  # created after ``at``
        return None
    year_ago = kpi.months_back(at, HISTORY_MONTHS)[-1]
    paid = paid_invoices(session, date(*year_ago, 1) - timedelta(days=1), at, customer_id).get(customer_id, [])
    return CustomerRisk(result, buckets.total, buckets.overdue,
                        from_cents(customer.credit_limit_cents) if customer.credit_limit_cents else None,
                        cover.granted if cover else None, cover.ends if cover else None,
                        cover.uncovered(buckets.total) if cover else None, delays[0], delays[1],
                        kpi.monthly_delays(paid, at, HISTORY_MONTHS), score_history(session, customer, at))
