"""The cockpit's figures in French words, the same on the dashboard, in the weekly PDF and on the command line:
"412 380,00 €", "52,3 j", "23 %", and the change since last week."""

from __future__ import annotations

from decimal import Decimal

from app.domain import kpi
from app.domain.aging import BUCKET_LABELS, BUCKETS, Buckets
from app.domain.forecast import CONFIDENCE_LABELS, CONFIDENCES, DOUBTFUL
from app.domain.money import format_eur
from app.domain.wording import days, percent
from app.services.cockpit import Cockpit


def _change_amount(now: Decimal, before: Decimal) -> str:
    change = now - before
    if not change:
        return "inchangé depuis la semaine dernière"
    return f"{'+' if change > 0 else '−'}{format_eur(abs(change))} en une semaine"


def _change_days(now: Decimal | None, before: Decimal | None) -> str:
    if now is None or before is None:
        return ""
    change = now - before
    if not change:
        return "inchangé depuis la semaine dernière"
    return f"{'+' if change > 0 else '−'}{days(abs(change))} en une semaine"


def headlines(c: Cockpit) -> list[tuple[str, str, str]]:
    """The four cards: (label, value, change since last week)."""
    overdue_share = c.overdue_rate
    last = c.forecast[-1] if c.forecast else None
    if last is not None and last.balance is not None:
        cash = ("Trésorerie à 13 semaines", format_eur(last.balance),
                f"depuis {format_eur(c.cash)} en banque le {c.cash_on:%d/%m/%Y}")
    else:
        cash = ("Encaissements attendus", format_eur(c.expected_13_weeks), "sur les 13 prochaines semaines")
    return [
        ("Encours clients", format_eur(c.now.receivables), _change_amount(c.now.receivables, c.week_before.receivables)),
        ("Dont échu", f"{format_eur(c.now.overdue)} ({percent(overdue_share)})",
         _change_amount(c.now.overdue, c.week_before.overdue)),
        ("DSO", days(c.now.dso), _change_days(c.now.dso, c.week_before.dso) or f"objectif {c.thresholds.dso_target_days} j"),
        cash,
    ]


def indicators(c: Cockpit) -> list[tuple[str, str]]:
    """The other figures of the week, each with its name in plain French."""
    lost = c.balance.total["over_90"]
    needed = kpi.sales_to_recover(lost, c.thresholds.margin_rate) if lost > 0 else None
    bfr = [(f"BFR ({line.label})", f"{format_eur(line.figures.bfr)}, soit {days(line.figures.bfr_days)} de CA HT"
            f" · DSO {days(line.figures.dso)} · DPO {days(line.figures.dpo)} · DIO {days(line.figures.dio)}")
           for line in c.working_capital]
    return bfr + [
        ("DSO (méthode simple, 365 j)", days(c.dso_simple)),
        ("Retard moyen de paiement (6 mois)", days(c.average_delay)),
        ("Part échue de l'encours", percent(c.overdue_rate)),
        ("Part douteuse de l'encours", percent(c.doubtful_rate)),
        ("Efficacité du recouvrement (90 j)", percent(c.cei)),
        ("Part des 5 premiers clients", percent(c.top5_share)),
        ("Ventes à réaliser pour compenser les retards de plus de 90 j",
         "—" if needed is None else f"{format_eur(needed)} (marge {percent(c.thresholds.margin_rate)})"),
    ]


def aging_rows(c: Cockpit, count: int | None = 8) -> list[tuple[str, Buckets]]:
    """The aging of the customers who owe the most, for the stacked-bar chart: who owes what, how late, and
    in all (the figure beside each bar, the customer list's); every customer (``None``) for the export."""
    ranked = sorted(c.balance.by_customer.items(), key=lambda pair: -pair[1].total)[:count]
    return [(c.names.get(customer, ""), buckets) for customer, buckets in ranked]


def charts(c: Cockpit) -> list[tuple[str, object]]:
    """The week's three charts with their titles, as the dashboard shows them and the weekly PDF prints them
    (matplotlib loads here, on first use)."""
    from app.reports.charts import aging_chart, dso_chart, forecast_chart

    return [("Prévision d'encaissements sur 13 semaines", forecast_chart(c.forecast, doubtful_line(c))),
            ("Balance âgée des premiers clients", aging_chart(aging_rows(c))),
            ("DSO sur 24 mois", dso_chart(c.dso_history, Decimal(c.thresholds.dso_target_days)))]


def kpi_lines(c: Cockpit) -> list[str]:
    lines = [f"Indicateurs au {c.at:%d/%m/%Y}" + (f" — {c.company}" if c.company else "")]
    lines += [f"  {label} : {value} ({change})" for label, value, change in headlines(c)]
    lines += [f"  {label} : {value}" for label, value in indicators(c)]
    lines.append("Balance âgée : " + " ; ".join(f"{BUCKET_LABELS[b]} {format_eur(c.balance.total[b])}"
                                                 for b in BUCKETS))
    lines.append(f"Alertes ({len(c.alerts)})" if c.alerts else "Aucune alerte.")
    lines += [f"  ⚠ {alert.text}" for alert in c.alerts]
    return lines


def forecast_lines(c: Cockpit) -> list[str]:
    header = f"{'Semaine du':<12}{'Attendu':>16}" + "".join(f"{CONFIDENCE_LABELS[n]:>16}" for n in CONFIDENCES)
    lines = [f"Encaissements attendus sur 13 semaines au {c.at:%d/%m/%Y}", header]
    for week in c.forecast:
        lines.append(f"{week.week_start:%d/%m/%Y}  {format_eur(week.expected):>16}"
                     + "".join(f"{format_eur(week.by_confidence[n]):>16}" for n in CONFIDENCES)
                     + (f"   solde {format_eur(week.balance)}" if week.balance is not None else ""))
    lines.append(f"Total : {format_eur(c.expected_13_weeks)}")
    if c.in_doubt:
        lines.append(doubtful_line(c))
    return lines


def doubtful_line(c: Cockpit) -> str:
    """The forecast's « Douteux » line, beside the weeks: "" when nothing is in doubt."""
    if not c.in_doubt:
        return ""
    return (f"{CONFIDENCE_LABELS[DOUBTFUL]} (litige, procédure collective, prescrit), attendu dans aucune semaine : "
            f"{format_eur(c.in_doubt)}")
