"""The customer risk score: 0 = no risk, 100 = highest risk, with the points of every factor shown.

DOMAIN.md, "Risk score (explainable)": a score per customer built from payment history (average days late
weighted by amount, and its trend), the overdue share of the exposure, exposure against credit limit and
against guaranteed cover ("Guarantees"), open disputes, age of the relationship, sector and an optional
external rating. The owner of the business must be able to see *why* a customer is risky, so each factor
keeps its own points and a French sentence with the value that gave them; the score is their sum.

Points table (linear parts are computed with ``Decimal`` and rounded half-up to whole points):

=========  =====  ==================================================================================
factor      max   points
=========  =====  ==================================================================================
delay        30   average days late <= 0: 0; linear to 30 at >= 60 days (days / 2);
                  no payment history: a neutral 8
trend        10   last 3 months minus the 3 before <= 0 days: 0; linear to 10 at >= 30 days worse
                  (days / 3); not enough history: 0
overdue      20   overdue / exposure (0 when nothing is owed), linear 0 % -> 0 to 100 % -> 20
limit        15   no limit set: 0; exposure <= 50 % of the limit: 0; linear to 10 at 100 %;
                  over the limit (or any exposure on a zero limit): 15
cover        10   share of the exposure not covered by a guarantee, (exposure - cover) / exposure,
                  linear 0 % -> 0 to 100 % -> 10; no cover counts as 0 €; nothing owed: 0
disputes     10   0 open disputes: 0, 1: 5, 2: 8, 3 or more: 10
seniority     5   customer for < 6 months (or date unknown): 5, < 12 months: 3, < 24 months: 1, else 0
segment       5   public body: 1 (pays late, but pays), key account: 1, private business: 3,
                  consumer: 5; an unknown segment counts as a private business
rating       10   external rating A/1: 0, B/2: 2, C/3: 5, D/4: 8, E/5: 10; empty or unreadable: 0
=========  =====  ==================================================================================

A customer in collective proceedings (sauvegarde, redressement, liquidation judiciaire) is scored 100, class
E, whatever its other factors: its older invoices are frozen and will be paid, if ever, as the plan or the
liquidation decides. The proceedings come first among its factors, with 100 points, the others listed after
them as usual so that the owner sees what the score would otherwise be made of.

The maxima add up to 115: a customer bad on every count is capped at 100. Every factor is monotonic in
its own input (later payments, a larger overdue share, more disputes... never lower the score). Classes:
A 0–19, B 20–39, C 40–59, D 60–79, E 80–100.
"""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import NamedTuple

from app.domain.guarantees import not_covered
from app.domain.insolvency import PROCEEDING_LABELS, Proceeding
from app.domain.money import format_eur
from app.domain.vocabulary import SEGMENT_LABELS, Segment

GRADES = ("A", "B", "C", "D", "E")
RISKY_GRADES = frozenset({"D", "E"})  # shown in amber wherever a class appears
MAX_POINTS = 100
RISING_POINTS = 10  # a rise this large is a customer getting worse, worth a look (a class is 20 points wide)

NBSP = "\u00a0"  # French typography: no-break space before "%"


class ScoreInput(NamedTuple):
    """What the score is computed from, gathered by the caller for one customer at date ``at``."""

    at: date
    average_delay: Decimal | None   # amount-weighted days late over the last 6 months (None: no history)
    delay_trend: Decimal | None     # days: last 3 months minus the 3 before (positive = getting worse)
    exposure: Decimal               # total still owed (due and not yet due)
    overdue: Decimal                # the part past its due date
    credit_limit: Decimal | None    # None: no limit set
    cover: Decimal | None           # what the guarantees would pay of the exposure (guarantees.covered)
    open_disputes: int
    customer_since: date | None     # first invoice or creation date
    segment: str                    # a vocabulary.Segment value
    external_rating: str = ""       # a letter A–E (A safest) or a digit 1–5 (1 safest); else ignored
    proceeding: Proceeding | None = None  # collective proceedings open at ``at``: the worst score


# the bounds of the factors' lines, made once: every customer is scored on each dashboard
_0, _HALF, _1, _30, _60 = Decimal(0), Decimal("0.5"), Decimal(1), Decimal(30), Decimal(60)


class Factor(NamedTuple):
    """A factor's points, and the facts its French finding (``detail``) is written from: the finding is
    written only when someone reads it, since the dashboard scores every customer and shows none of them."""

    key: str
    label: str
    points: int
    maximum: int
    facts: tuple = ()

    @property
    def detail(self) -> str:
        return _DETAILS[self.key](*self.facts)


class Score(NamedTuple):
    points: int
    grade: str
    factors: tuple[Factor, ...]


def grade_of(points: int) -> str:
    """The class of a score: A 0–19, B 20–39, C 40–59, D 60–79, E 80–100 (bands of 20 points)."""
    if not 0 <= points <= MAX_POINTS:
        raise ValueError(f"score hors de 0..100 : {points}")
    return GRADES[min(points // 20, len(GRADES) - 1)]


def score(data: ScoreInput) -> Score:
    """The risk score of one customer, every factor listed in a fixed order even at 0 points, after its
    collective proceedings when it is in some."""
    factors = (
        *((_proceedings(data.proceeding),) if data.proceeding else ()),
        _delay(data.average_delay),
        _trend(data.delay_trend),
        _overdue(data.exposure, data.overdue),
        _limit(data.exposure, data.credit_limit),
        _cover(data.exposure, data.cover),
        _disputes(data.open_disputes),
        _seniority(data.customer_since, data.at),
        _segment(data.segment),
        _rating(data.external_rating),
    )
    points = min(MAX_POINTS, sum(f.points for f in factors))
    return Score(points, grade_of(points), factors)


def change_text(now: int, before: int | None) -> str:
    """A score's change since an earlier date, in points: "+12", "−5" (the French minus sign), "=" when
    unchanged, "" when there was no score then (a customer too new)."""
    if before is None:
        return ""
    change = now - before
    return "=" if not change else f"+{change}" if change > 0 else f"\u2212{-change}"


def rising(now: int, before: int | None) -> bool:
    """Has the risk grown enough since then to be pointed out?"""
    return before is not None and now - before >= RISING_POINTS


# --- factors: points now, words when read -------------------------------------------------------------------

def _proceedings(proceeding: Proceeding) -> Factor:
    return Factor("proceedings", "Procédure collective", MAX_POINTS, MAX_POINTS,
                  (proceeding.kind, proceeding.judgment_on))


def _proceedings_detail(kind, judgment_on: date) -> str:
    label = PROCEEDING_LABELS[kind]
    return f"{label[:1].upper()}{label[1:]} depuis le {judgment_on:%d/%m/%Y}"


def _delay(average: Decimal | None) -> Factor:
    points = 8 if average is None else _linear(average, _0, _60, 30)
    return Factor("delay", "Retard moyen de paiement", points, 30, (average,))


def _delay_detail(average: Decimal | None) -> str:
    if average is None:
        return "pas encore d'historique de paiement"
    return _signed_days(average, "payé en moyenne {} après l'échéance", "payé en moyenne {} avant l'échéance",
                        "payé en moyenne à l'échéance")


def _signed_days(days: Decimal, later: str, earlier: str, even: str) -> str:
    """The French detail of a number of days that may be either way: ``later`` or ``earlier`` with the
    days (one decimal) in place of ``{}``, or ``even`` when it rounds to zero."""
    shown = days.quantize(Decimal("0.1"), ROUND_HALF_UP)
    if shown > 0:
        return later.format(_days(shown))
    if shown < 0:
        return earlier.format(_days(-shown))
    return even


def _trend(trend: Decimal | None) -> Factor:
    points = 0 if trend is None else _linear(trend, _0, _30, 10)
    return Factor("trend", "Évolution des retards", points, 10, (trend,))


def _trend_detail(trend: Decimal | None) -> str:
    if trend is None:
        return "pas assez d'historique pour comparer"
    return _signed_days(trend, "paie {} plus tard que les 3 mois précédents",
                        "paie {} plus tôt que les 3 mois précédents", "délais de paiement stables")


def _overdue(exposure: Decimal, overdue: Decimal) -> Factor:
    points = 0 if exposure <= 0 else _linear(overdue / exposure, _0, _1, 20)
    return Factor("overdue", "Part de l'encours en retard", points, 20, (exposure, overdue))


def _overdue_detail(exposure: Decimal, overdue: Decimal) -> str:
    if exposure <= 0:
        return "rien n'est dû"
    return f"{format_eur(overdue)} en retard sur {format_eur(exposure)} dus ({_percent(overdue / exposure)})"


def _limit(exposure: Decimal, limit: Decimal | None) -> Factor:
    if limit is None:
        points = 0
    elif exposure > 0 and exposure > limit:
        points = 15
    elif limit <= 0:  # a zero limit with nothing owed
        points = 0
    else:
        points = _linear(exposure / limit, _HALF, _1, 10)
    return Factor("limit", "Limite de crédit", points, 15, (exposure, limit))


def _limit_detail(exposure: Decimal, limit: Decimal | None) -> str:
    if limit is None:
        return "aucune limite de crédit fixée"
    if exposure > 0 and exposure > limit:
        return f"{format_eur(exposure)} dus : au-delà de la limite de {format_eur(limit)}"
    if limit <= 0:
        return f"rien n'est dû (limite de {format_eur(limit)})"
    return f"{format_eur(exposure)} dus, {_percent(exposure / limit)} de la limite de {format_eur(limit)}"


def _cover(exposure: Decimal, cover: Decimal | None) -> Factor:
    uncovered = not_covered(exposure, cover)
    points = 0 if exposure <= 0 else _linear(uncovered / exposure, _0, _1, 10)
    return Factor("cover", "Encours non garanti", points, 10, (exposure, uncovered))


def _cover_detail(exposure: Decimal, uncovered: Decimal) -> str:
    if exposure <= 0:
        return "rien n'est dû"
    if uncovered == exposure:
        return f"aucune garantie : {format_eur(exposure)} non couverts"
    return f"{format_eur(uncovered)} non couverts sur {format_eur(exposure)} dus ({_percent(uncovered / exposure)})"


_DISPUTE_POINTS = (0, 5, 8, 10)


def _disputes(count: int) -> Factor:
    points = _DISPUTE_POINTS[min(max(count, 0), len(_DISPUTE_POINTS) - 1)]
    return Factor("disputes", "Litiges en cours", points, 10, (count,))


def _disputes_detail(count: int) -> str:
    if count <= 0:
        return "aucun litige en cours"
    return "1 litige en cours" if count == 1 else f"{count} litiges en cours"


def _seniority(since: date | None, at: date) -> Factor:
    if since is None:
        return Factor("seniority", "Ancienneté du client", 5, 5, (None,))
    months = (at.year - since.year) * 12 + at.month - since.month - (at.day < since.day)
    points = 5 if months < 6 else 3 if months < 12 else 1 if months < 24 else 0
    return Factor("seniority", "Ancienneté du client", points, 5, (months,))


def _seniority_detail(months: int | None) -> str:
    if months is None:
        return "date de début de la relation inconnue"
    if months < 1:
        return "nouveau client (moins d'un mois)"
    return f"client depuis {months} mois" if months < 24 else f"client depuis {months // 12} ans"


_SEGMENT_POINTS = {
    Segment.PUBLIC: (1, "organisme public : paie souvent tard, mais paie"),
    Segment.KEY_ACCOUNT: (1, "grand compte"),
    Segment.PRIVATE: (3, "entreprise privée"),
    Segment.CONSUMER: (5, "particulier : moins de recours qu'avec une entreprise"),
}


_POINTS_BY_SEGMENT = {segment.value: points for segment, (points, _text) in _SEGMENT_POINTS.items()}


def _segment(segment: str) -> Factor:
    points = _POINTS_BY_SEGMENT.get(segment, 3)
    return Factor("segment", "Type de client", points, 5, (segment,))


def _segment_detail(segment: str) -> str:
    try:
        return _SEGMENT_POINTS[Segment(segment)][1]
    except ValueError:
        return f"type « {segment} » inconnu, compté comme {SEGMENT_LABELS[Segment.PRIVATE].lower()}"


_RATING_POINTS = {"A": 0, "B": 2, "C": 5, "D": 8, "E": 10}


def _rating_letter(text: str) -> str:
    typed = text.strip().upper()
    return GRADES[int(typed) - 1] if typed in ("1", "2", "3", "4", "5") else typed


def _rating(text: str) -> Factor:
    return Factor("rating", "Note externe", _RATING_POINTS.get(_rating_letter(text), 0), 10, (text,))


def _rating_detail(text: str) -> str:
    typed = text.strip().upper()
    if not typed:
        return "aucune note saisie"
    if _rating_letter(text) not in _RATING_POINTS:
        return f"note « {text.strip()} » non reconnue (A à E ou 1 à 5) : ignorée"
    return f"note saisie : {typed}"


_DETAILS = {"proceedings": _proceedings_detail, "delay": _delay_detail, "trend": _trend_detail,
            "overdue": _overdue_detail, "limit": _limit_detail,
            "cover": _cover_detail, "disputes": _disputes_detail, "seniority": _seniority_detail,
            "segment": _segment_detail, "rating": _rating_detail}


# --- helpers -------------------------------------------------------------------------------------------

def _linear(value: Decimal, zero_at: Decimal, full_at: Decimal, maximum: int) -> int:
    """0 points up to ``zero_at``, ``maximum`` from ``full_at`` on, in between a straight line rounded
    half-up: rounding a non-decreasing line keeps it non-decreasing, so the factor stays monotonic."""
    if value <= zero_at:
        return 0
    if value >= full_at:
        return maximum
    exact = (value - zero_at) / (full_at - zero_at) * maximum
    return int(exact.quantize(_1, ROUND_HALF_UP))


def _days(value: Decimal) -> str:
    """"18,5 jours", "12 jours", "1 jour": a French number of days, one decimal at most."""
    text = str(value.quantize(Decimal("0.1"), ROUND_HALF_UP)).removesuffix(".0").replace(".", ",")
    return f"{text} jour" if value < 2 else f"{text} jours"


def _percent(ratio: Decimal) -> str:
    """"25 %": a ratio as a whole percentage, French spacing."""
    return f"{int((ratio * 100).quantize(Decimal(1), ROUND_HALF_UP))}{NBSP}%"
