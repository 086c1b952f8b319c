"""Working capital (BFR) and its days: from the accountant's balances of each fiscal year a FEC brought, else
from the stock and supplier figures the owner types in (DOMAIN.md, Indicators; ``kpi.working_capital``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain.kpi import WorkingCapital, working_capital
from app.domain.money import format_eur, from_cents, to_cents
from app.models import FiscalPeriod
from app.services.company import FIGURES_SECTION, editing_company, get_company
from app.services.ledger_history import LedgerHistory

VAT_RATE = Decimal("0.20")  # the ledger's sales are TTC: their HT is taken at the standard rate
YEARS_SHOWN = 3


@dataclass(frozen=True)
class WorkingCapitalLine:
    """The working capital at ``end``: of a fiscal year (``source`` "fec") or of today from typed figures
    ("saisie")."""

    label: str
    end: date
    source: str
    figures: WorkingCapital


@dataclass(frozen=True)
class TypedFigures:
    """What the owner types in when no FEC was imported; None where nothing was typed."""

    stock: Decimal | None = None
    supplier_payables: Decimal | None = None
    yearly_purchases: Decimal | None = None


def working_capital_lines(session: Session, history: LedgerHistory, at: date) -> list[WorkingCapitalLine]:
    """The last fiscal years closed by ``at`` (newest first), or today's figures from what was typed."""
    periods = session.scalars(select(FiscalPeriod).where(FiscalPeriod.end <= at)
                              .order_by(FiscalPeriod.end.desc()).limit(YEARS_SHOWN)).all()
    lines = [WorkingCapitalLine(
        f"exercice clos le {p.end:%d/%m/%Y}", p.end, "fec",
        working_capital(history.receivables(p.end), from_cents(p.sales_cents), from_cents(p.purchases_cents),
                        from_cents(p.stocks_cents), from_cents(p.suppliers_cents),
                        days=(p.end - p.start).days + 1)) for p in periods]
    typed = typed_figures(session)
    if not lines and (typed.stock is not None or typed.supplier_payables is not None):
        sales_ht = history.sales(at - timedelta(days=365), at) / (1 + VAT_RATE)
        lines.append(WorkingCapitalLine(
            "chiffres saisis", at, "saisie",
            working_capital(history.receivables(at), sales_ht, typed.yearly_purchases or Decimal(0),
                            typed.stock or Decimal(0), typed.supplier_payables or Decimal(0), VAT_RATE)))
    return lines


def typed_figures(session: Session) -> TypedFigures:
    company = get_company(session)
    if company is None:
        return TypedFigures()
    return TypedFigures(*(None if cents is None else from_cents(cents) for cents in (
        company.stock_cents, company.supplier_payables_cents, company.yearly_purchases_cents)))


FIGURE_LABELS = {"stock_cents": "valeur du stock", "supplier_payables_cents": "dettes fournisseurs",
                 "yearly_purchases_cents": "achats des 12 derniers mois"}


def save_typed_figures(session: Session, figures: TypedFigures, seen: dict[str, int] | None = None
                       ) -> dict[str, str]:
    """Keep the typed figures on the company; errors by field name, in French (nothing saved when any).
    ``seen``: the versions the settings screen loaded (``company.editing_company``)."""
    errors = {name: "Un montant négatif n'a pas de sens ici." for name in ("stock", "supplier_payables",
                                                                         "yearly_purchases")
              if (getattr(figures, name) or 0) < 0}
    if get_company(session) is None:
        errors["company"] = "Créez d'abord votre société (Paramètres)."
    if errors:
        return errors
    with editing_company(session, seen, FIGURES_SECTION, FIGURE_LABELS, _figures_shown) as company:
        company.stock_cents, company.supplier_payables_cents, company.yearly_purchases_cents = (
            None if value is None else to_cents(value)
            for value in (figures.stock, figures.supplier_payables, figures.yearly_purchases))
    return {}


def _figures_shown(company) -> dict[str, str]:
    return {name: "" if getattr(company, name) is None else format_eur(from_cents(getattr(company, name)))
            for name in FIGURE_LABELS}
