"""The weekly cockpit: every figure of the dashboard, the ``kpi`` and ``forecast`` commands and the weekly
PDF, computed once here from the database by the domain's rules, so that all three always agree.

The data is read in aggregate (daily sums, open items, settled invoices by customer); the arithmetic is
``app.domain`` (aging, kpi, scoring, forecast, alerts).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy.orm import Session

from app.domain import kpi
from app.domain.aging import AgingBalance, Buckets
from app.domain.alerts import (DECLARATION_WARNING_DAYS, Alert, CustomerFigures, DueInvoice,
                               Thresholds, alerts)
from app.domain.forecast import Week, forecast, in_doubt, recurring_outflows
from app.domain.insolvency import CustomerDeadlines, Proceeding
from app.domain.money import from_cents
from app.domain.scoring import Score, change_text, rising
from app.domain.vocabulary import InvoiceStatus, Segment
from app.jobs import NULL_JOB, Job, collector_paused
from app.models import Payment
from app.services.aging import balance_of_rows, given_back, still_due_rows, total_of_rows
from app.services.cash_forecast import receivables
from app.domain.wording import percent
from app.services.company import THRESHOLDS_SECTION, editing_company, get_company
from app.services.dunning import largest_late_actions, open_invoice_columns
from app.services.ledger_history import LedgerHistory, ledger_history
from app.services.payment_history import delay_sums
from app.services.proceeding_deadlines import deadlines_json, proceeding_deadlines
from app.services.proceedings import proceedings_at
from app.services.risk import covers, customer_rows, open_disputes, scored, scores_at
from app.services.working_capital import WorkingCapitalLine, working_capital_lines
from app.services.statements import cash_position

DSO_MONTHS = 24
CEI_DAYS = 90          # the collection effectiveness index is measured over the last quarter
TO_CALL = 10
SCORE_TREND_DAYS = 28  # the customers to call show how their score moved over four weeks


@dataclass(frozen=True)
class Snapshot:
    """The headline figures at one date: the cockpit keeps today's and a week earlier's, to show the change."""

    receivables: Decimal
    overdue: Decimal
    dso: Decimal | None


@dataclass(frozen=True)
class CallEntry:
    """A customer to call this week: its net overdue, since when, the dunning step due, and how risky it is."""

    customer_id: int
    name: str
    phone: str
    overdue: Decimal            # net of its unallocated credit notes and payments
    days_late: int
    step: str                   # the step Relances proposes (a DunningStep value)
    grade: str
    points: int | None          # the risk score now,
    points_before: int | None   # and ``SCORE_TREND_DAYS`` earlier (None: not yet a customer then)

    @property
    def score_change(self) -> str:
        """"+12", "−5", "=" or "" (see ``scoring.change_text``)."""
        return "" if self.points is None else change_text(self.points, self.points_before)

    @property
    def worsening(self) -> bool:
        return self.points is not None and rising(self.points, self.points_before)


@dataclass(frozen=True)
class Cockpit:
    at: date
    company: str
    thresholds: Thresholds
    balance: AgingBalance
    names: dict[int, str]
    now: Snapshot
    week_before: Snapshot
    dso_simple: Decimal | None
    overdue_rate: Decimal | None
    doubtful_rate: Decimal | None
    cei: Decimal | None
    top5_share: Decimal | None
    average_delay: Decimal | None
    dso_history: list[tuple[date, Decimal | None]]
    scores: dict[int, Score]
    alerts: list[Alert]
    forecast: list[Week]
    in_doubt: Decimal     # the forecast's « Douteux » line: in litigation, proceedings or time-barred, in no week
    cash: Decimal | None  # the bank balance the forecast starts from (None: no statement yet) ...
    cash_on: date | None  # ... and its day
    to_call: list[CallEntry]
    working_capital: list[WorkingCapitalLine]
    deadlines: list[CustomerDeadlines]  # of the collective proceedings, first among the alerts

    @property
    def expected_13_weeks(self) -> Decimal:
        return sum((week.expected for week in self.forecast), Decimal(0))

    def as_kpi_json(self) -> dict:
        """``encours kpi --json``: rates as decimal strings between 0 and 1, days as numbers with one decimal."""
        def rate(value: Decimal | None) -> str | None:
            return None if value is None else str(value)

        def days(value: Decimal | None) -> float | None:
            return None if value is None else float(value)  # float-ok: days, not money

        return {"at": self.at.isoformat(), "dso_countback": days(self.now.dso), "dso_simple": days(self.dso_simple),
                "overdue_rate": rate(self.overdue_rate), "doubtful_rate": rate(self.doubtful_rate),
                "cei": rate(self.cei), "top5_share": rate(self.top5_share),
                "average_delay_days": days(self.average_delay),
                "receivables": str(self.now.receivables), "overdue": str(self.now.overdue),
                "alerts": [{"kind": a.kind, "text": a.text, "customer_id": a.customer_id} for a in self.alerts],
                "proceedings": deadlines_json(self.deadlines),
                "to_call": [{"customer_id": c.customer_id, "customer": c.name, "net_overdue": str(c.overdue),
                             "days_late": c.days_late, "step": c.step} for c in self.to_call],
                "working_capital": [{"end": line.end.isoformat(), "source": line.source,
                                     "dso": days(line.figures.dso), "dpo": days(line.figures.dpo),
                                     "dio": days(line.figures.dio), "bfr": str(line.figures.bfr),
                                     "bfr_days": days(line.figures.bfr_days)} for line in self.working_capital]}

    def as_forecast_json(self) -> dict:
        """``encours forecast --json``: the 13 weeks, and the « Douteux » line expected in none of them."""
        return {"weeks": [{"week_start": week.week_start.isoformat(), "expected": str(week.expected),
                           "by_confidence": {name: str(value) for name, value in week.by_confidence.items()},
                           "outflows": str(week.outflows),
                           "balance": None if week.balance is None else str(week.balance)} for week in self.forecast],
                "doubtful": str(self.in_doubt)}


def thresholds(session: Session) -> Thresholds:
    """The company's targets and alert thresholds (the defaults before a company exists)."""
    company = get_company(session)
    if company is None:
        return Thresholds()
    return Thresholds(dso_target_days=company.dso_target_days,
                      margin_rate=Decimal(company.margin_rate_bp).scaleb(-4),
                      delay_growth_days=company.alert_delay_growth_days,
                      concentration_share=Decimal(company.alert_concentration_pct).scaleb(-2),
                      prescription_days=company.alert_prescription_days,
                      declaration_days=company.insurer_declaration_days,
                      cover_expiry_days=company.alert_cover_expiry_days,
                      insolvency_days=company.insurer_insolvency_days)


THRESHOLD_LABELS = {"dso_target_days": "objectif de DSO", "margin_rate_bp": "taux de marge",
                    "alert_delay_growth_days": "alerte de retard en hausse",
                    "alert_concentration_pct": "alerte de concentration",
                    "alert_prescription_days": "alerte de prescription",
                    "insurer_declaration_days": "délai de déclaration à l'assureur",
                    "alert_cover_expiry_days": "alerte d'expiration de couverture",
                    "insurer_insolvency_days": "délai pour informer l'assureur d'une procédure collective"}


def save_thresholds(session: Session, values: Thresholds, seen: dict[str, int] | None = None) -> dict[str, str]:
    """Keep the thresholds on the company; errors by field name, in French (nothing saved when any).
    ``seen``: the versions the settings screen loaded (``company.editing_company``)."""
    errors = {}
    if not 0 < values.margin_rate <= 1:
        errors["margin_rate"] = "Le taux de marge est un pourcentage entre 0 et 100 %."
    if not 0 < values.concentration_share <= 1:
        errors["concentration_share"] = "La part de l'encours est un pourcentage entre 0 et 100 %."
    for name in ("dso_target_days", "delay_growth_days", "prescription_days", "declaration_days",
                 "cover_expiry_days", "insolvency_days"):
        if getattr(values, name) < 0:
            errors[name] = "Un nombre de jours ne peut pas être négatif."
    if get_company(session) is None:
        errors["company"] = "Créez d'abord votre société (Paramètres)."
    if errors:
        return errors
    with editing_company(session, seen, THRESHOLDS_SECTION, THRESHOLD_LABELS, _thresholds_shown) as company:
        company.dso_target_days = values.dso_target_days
        company.margin_rate_bp = int(values.margin_rate * 10000)
        company.alert_delay_growth_days = values.delay_growth_days
        company.alert_concentration_pct = int(values.concentration_share * 100)
        company.alert_prescription_days = values.prescription_days
        company.insurer_declaration_days = values.declaration_days
        company.alert_cover_expiry_days = values.cover_expiry_days
        company.insurer_insolvency_days = values.insolvency_days
    return {}


def _thresholds_shown(company) -> dict[str, str]:
    return {**{name: f"{getattr(company, name)} j" for name in THRESHOLD_LABELS},
            "margin_rate_bp": percent(Decimal(company.margin_rate_bp).scaleb(-4)),
            "alert_concentration_pct": f"{company.alert_concentration_pct} %"}


@collector_paused()
def cockpit(session: Session, at: date, job: Job = NULL_JOB) -> Cockpit:
    """Everything the Monday-morning screen shows at ``at``, read in aggregate: the database sums what is
    still due (``still_due_rows``), no invoice becomes a Python object one by one. ``job``: checked between
    the parts (a second or so each on a large ledger), so that « Annuler » stops the computation there."""
    company = get_company(session)
    limits = thresholds(session)
    history = ledger_history(session)
    week_before = at - timedelta(days=7)
    proceedings = proceedings_at(session, at)
    (open_invoices, open_payments), due, before_due = _still_due(session, at, week_before, proceedings)
    job.check()
    balance = balance_of_rows(due, at)
    now = _snapshot(history, balance.total, at)
    before = _snapshot(history, total_of_rows(before_due, week_before), week_before)
    sums = delay_sums(session, at)
    delays = {customer: kpi.delays_from_sums(customer_sums) for customer, customer_sums in sums.items()}
    customers = customer_rows(session)
    cover_of = covers(session, at)
    disputes = open_disputes(session, at)
    job.check()
    scores: dict[int, Score] = {}
    figures = []
    for c, data, result in scored(customers, at, balance, delays, cover_of, disputes, proceedings):
        scores[c.id] = result
        cover = cover_of.get(c.id)
        evidence = sums.get(c.id)
        figures.append(CustomerFigures(c.id, c.name, data.exposure, data.credit_limit,
                                       cover.granted if cover else None,
                                       cover.uncovered(data.exposure) if cover else None,
                                       cover.ends if cover else None, data.delay_trend,
                                       min(evidence.recent_count, evidence.earlier_count) if evidence else 0))
    names = {c.id: c.name for c in customers}
    segments = {c.id: c.segment for c in customers}
    exposures = [buckets.total for buckets in balance.by_customer.values()]
    top5 = kpi.top_share(exposures)
    marked_doubtful = InvoiceStatus.DOUBTFUL.value  # read once: an enum member's value is a lookup each time
    doubtful = sum(cents for _c, _d, status, cents in due if status == marked_doubtful)
    job.check()
    cash = cash_position(session, at)
    expected = receivables(session, at, due, delays, scores, segments, proceedings)
    deadlines = proceeding_deadlines(session, at, proceedings)
    job.check()
    return Cockpit(
        at=at, company=company.name if company else "", thresholds=limits, balance=balance, names=names,
        now=now, week_before=before,
        dso_simple=kpi.dso_simple(now.receivables, history.sales(at - timedelta(days=365), at)),
        overdue_rate=kpi.overdue_rate(balance.total.total, balance.total["not_due"]),
        doubtful_rate=kpi.doubtful_rate(from_cents(doubtful), now.receivables),
        cei=_cei(history, balance.total, at), top5_share=top5,
        average_delay=_overall_delay(list(sums.values())),
        dso_history=_dso_history(history, at),
        scores=scores,
        alerts=alerts(at, limits, figures, _due_invoices(at, limits, open_invoices, names, segments,
                                                         cover_of), now.dso,
                      top5, now.receivables, deadlines),
        deadlines=deadlines,
        forecast=forecast(expected, at, cash.balance, recurring_outflows(cash.debits, at)),
        in_doubt=in_doubt(expected, at),
        cash=cash.balance, cash_on=cash.balance_on,
        to_call=_to_call(session, at, scores, customers, (open_invoices, open_payments)),
        working_capital=working_capital_lines(session, history, at),
    )


def _still_due(session: Session, at: date, week_before: date, proceedings: dict[int, Proceeding]
               ) -> tuple[tuple[list[tuple], list[tuple]], list[tuple], list[tuple]]:
    """The open invoices at ``at`` one by one, as the dunning reads them (``open_invoice_columns``: id,
    customer, number, issue date, due date, kind, status, then cents) with the unallocated payments as
    (customer, day, cents) rows, both handed to the dunning's whom to call; and what is still due at ``at``
    and at ``week_before``, as (customer, due date, invoice status, cents) rows (status None for an unallocated payment, placed by its date), from one read of the open items: an
    item a week earlier is one booked by then, plus what the allocations of the week have settled since.
    An invoice the customer's collective proceedings hold (dated before their judgment) is read as marked
    doubtful: the one place that makes it doubtful in the indicators and « Douteux » in the forecast.

    The invoices are read one by one (ix_invoice_open, no GROUP BY, which costs more than the rows it
    saves) so that the deadline alerts find theirs among them rather than in a second read; they are then
    summed by (customer, due date, issue date, status), the sums the doubtful rule is applied to."""
    invoice_group = open_invoice_columns()
    invoices = still_due_rows(session, at, invoice_group)
    summed: dict[tuple, int] = defaultdict(int)
    for _id, customer, _number, booked, day, _kind, status, cents in invoices:
        summed[customer, day, booked, status] += cents
    rows = [(*key, cents) for key, cents in summed.items()]
    before = [(customer, day, status, cents) for _id, customer, _number, booked, day, _kind, status, cents in invoices
              if booked <= week_before]
    before += [(key[1], key[4], key[6], cents) for key, cents in given_back(session, week_before, at, invoice_group)]
    payment_group = [Payment.customer_id, Payment.received_on]
    payments = still_due_rows(session, at, payment_group, payments=True)
    rows += [(customer, day, day, None, cents) for customer, day, cents in payments]  # a payment: booked that day
    before += [(customer, day, None, cents) for customer, day, cents in payments if day <= week_before]
    before += [(key[0], key[1], None, cents)
               for key, cents in given_back(session, week_before, at, payment_group, payments=True)]
    now = [(customer, day, _held_doubtful(proceedings, customer, booked, status, cents), cents)
           for customer, day, booked, status, cents in rows]
    return (invoices, payments), now, before


def _held_doubtful(proceedings: dict[int, Proceeding], customer: int, issued: date, status: str | None,
                   cents: int) -> str | None:
    """The status an open item counts with: doubtful when it is an invoice the proceedings hold."""
    proceeding = proceedings.get(customer)
    if status is not None and cents > 0 and proceeding is not None and proceeding.holds(issued):
        return InvoiceStatus.DOUBTFUL.value
    return status


def _snapshot(history: LedgerHistory, total: Buckets, at: date) -> Snapshot:
    receivables = history.receivables(at)
    return Snapshot(receivables, total.overdue,
                    kpi.dso_countback(receivables, history.sales_by_month(at, DSO_MONTHS), at, DSO_MONTHS))


def _dso_history(history: LedgerHistory, at: date) -> list[tuple[date, Decimal | None]]:
    """DSO (countback) at the end of each of the last 24 months, the current month read at ``at``."""
    points = []
    end = at
    for _ in range(DSO_MONTHS):
        points.append((end, kpi.dso_countback(history.receivables(end), history.sales_by_month(end, DSO_MONTHS),
                                              end, DSO_MONTHS)))
        end = end.replace(day=1) - timedelta(days=1)
    return points[::-1]


def _cei(history: LedgerHistory, total: Buckets, at: date) -> Decimal | None:
    start = at - timedelta(days=CEI_DAYS)
    return kpi.collection_effectiveness(history.receivables(start), history.sales(start, at),
                                        total.total, total["not_due"])


def _due_invoices(at: date, limits: Thresholds, open_invoices: list[tuple], names: dict[int, str],
                  segments: dict[int, str], covers) -> list[DueInvoice]:
    """Open invoices old enough for a deadline to approach: the insurer's declaration (months after the due
    date, for an insured customer) or prescription (2 years on a consumer, 5 between merchants), each
    announced ahead. Found among the ``open_invoices`` already read (``_still_due``), with their numbers."""
    declaration = at - timedelta(days=max(limits.declaration_days - DECLARATION_WARNING_DAYS, 0))
    prescription = at - timedelta(days=max(2 * 365 - limits.prescription_days, 0))
    return [DueInvoice(customer, names.get(customer, ""), number, due, from_cents(cents),
                       segments.get(customer) == Segment.CONSUMER.value,
                       customer in covers and covers[customer].insured)
            for _id, customer, number, _issued, due, _kind, _status, cents in open_invoices
            if cents > 0 and (due <= prescription
                              or (due <= declaration and customer in covers and covers[customer].insured))]


def _overall_delay(sums: list[kpi.DelaySums]) -> Decimal | None:
    """The average payment delay of all customers together (their sums added, then divided)."""
    return kpi.delays_from_sums(kpi.DelaySums(*(sum(column, Decimal(0)) for column in zip(*sums))))[0] \
        if sums else None


def _to_call(session: Session, at: date, scores: dict[int, Score], customers,
             read: tuple[list[tuple], list[tuple]]) -> list[CallEntry]:
    """The customers to call this week: Relances' actions on late invoices (app.services.dunning, the one
    computation of whom to chase: a promise, a dispute covering the debt or a step done today hold a
    customer there), the largest net overdue first (``largest_late_actions``), with how their score moved in
    four weeks."""
    ranked = largest_late_actions(session, at, scores, read, TO_CALL)
    by_id = {c.id: c for c in customers}
    before = scores_at(session, [by_id[a.customer_id] for a in ranked], at - timedelta(days=SCORE_TREND_DAYS))
    return [CallEntry(a.customer_id, a.name, by_id[a.customer_id].phone, a.amount_due, a.days_late, a.step,
                      scores[a.customer_id].grade if a.customer_id in scores else "",
                      scores[a.customer_id].points if a.customer_id in scores else None, before.get(a.customer_id))
            for a in ranked]
