"""What the BODACC says of a customer's collective proceedings, read from its open data (the dataset of
commercial announcements, family « collective »), and what Encours proposes to the owner from it.

The BODACC is a public source the owner did not type: nothing read from it is applied without the owner's
confirmation, so this module only reads answers and proposes. An answer that does not have the expected
shape is refused as a whole (``BodaccUnreadable``, in French): a changed format must never be half-read
into wrong judgments.

Proposals walk a customer's judgments in order from what is recorded: an opening judgment when none is
open, a later judgment changing its kind (a redressement converted into a liquidation), its clôture. A
judgment older than what is recorded, or already recorded, proposes nothing.
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass, replace
from datetime import date
from enum import StrEnum

from app.domain.insolvency import PROCEEDING_LABELS, Proceeding, ProceedingKind

FRENCH_MONTHS = {name: number for number, name in enumerate(
    ("janvier", "fevrier", "mars", "avril", "mai", "juin", "juillet", "aout", "septembre", "octobre", "novembre",
     "decembre"), start=1)}


class BodaccUnreadable(Exception):
    """An answer of the BODACC that is not what Encours expects (its format changed?): the message, in
    French, names what was missing."""


class Change(StrEnum):
    OPENING = "ouverture"
    CONVERSION = "conversion"
    CLOSURE = "clôture"


@dataclass(frozen=True)
class Announcement:
    """One judgment of collective proceedings as published in the BODACC."""

    siren: str
    change: Change
    kind: ProceedingKind | None  # the proceedings' kind after this judgment (None: a clôture that does not say)
    judgment_on: date
    published_on: date
    court: str
    nature: str  # the judgment's nature as published: « Jugement d'ouverture d'une procédure de … »
    number: str = ""  # the announcement's number in its bulletin
    url: str = ""


@dataclass(frozen=True)
class Watched:
    """A customer whose SIREN is checked."""

    customer_id: int
    code: str
    name: str
    siren: str


@dataclass(frozen=True)
class Proposal:
    """A judgment the BODACC published that Encours has not recorded, for the owner to confirm."""

    customer: Watched
    announcement: Announcement

    @property
    def text(self) -> str:
        """What is proposed, in French."""
        a = self.announcement
        what = {Change.OPENING: f"ouverture ({PROCEEDING_LABELS.get(a.kind)})",
                Change.CONVERSION: f"conversion en {PROCEEDING_LABELS.get(a.kind)}",
                Change.CLOSURE: "clôture de la procédure"}[a.change]
        court = f", {a.court}" if a.court else ""
        return (f"{self.customer.name} ({self.customer.code or self.customer.siren}) : {what}, jugement du "
                f"{a.judgment_on:%d/%m/%Y}{court}, publié au BODACC le {a.published_on:%d/%m/%Y}")


def siren_digits(text: str) -> str:
    """The SIREN of a SIREN or SIRET however typed (« 552 100 554 », 552100554, a SIRET): its nine first
    digits, or "" when there are fewer."""
    digits = re.sub(r"\D", "", str(text))
    return digits[:9] if len(digits) >= 9 else ""


def _plain(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()


def classify(nature: str) -> tuple[Change, ProceedingKind | None] | None:
    """What a judgment's nature says: an opening, a conversion or a clôture, and the kind it leaves; None for
    the judgments that change none of what Encours records (a plan, an extension, the list of claims…)."""
    plain = _plain(nature)

    def kind_in(text: str) -> ProceedingKind | None:
        for kind in (ProceedingKind.LIQUIDATION, ProceedingKind.RECOVERY, ProceedingKind.SAFEGUARD):
            if kind.value in text:
                return kind
        return None

    if "cloture" in plain or "mettant fin" in plain:
        return Change.CLOSURE, kind_in(plain)
    if "ouverture" in plain and kind_in(plain):
        return Change.OPENING, kind_in(plain)
    if "conversion" in plain and " en " in plain:
        target = kind_in(plain.rsplit(" en ", 1)[1])
        return (Change.CONVERSION, target) if target else None
    if "prononcant" in plain and "liquidation judiciaire" in plain:
        return Change.CONVERSION, ProceedingKind.LIQUIDATION
    return None


def _date(text, what: str) -> date:
    """An ISO date (2024-03-05, possibly with a time), 05/03/2024 or « 5 mars 2024 » / « 1er mars 2024 »."""
    text = str(text or "").strip()
    if match := re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})(?:[T ].*)?", text):
        year, month, day = (int(part) for part in match.groups())
    elif match := re.fullmatch(r"(\d{1,2})/(\d{1,2})/(\d{4})", text):
        day, month, year = (int(part) for part in match.groups())
    elif (match := re.fullmatch(r"(\d{1,2})(?:er)? ([a-z]+) (\d{4})", _plain(text))) and match[2] in FRENCH_MONTHS:
        day, month, year = int(match[1]), FRENCH_MONTHS[match[2]], int(match[3])
    else:
        raise BodaccUnreadable(f"{what} illisible (« {text} »)" if text else f"{what} manquante")
    try:
        return date(year, month, day)
    except ValueError:
        raise BodaccUnreadable(f"{what} impossible (« {text} »)") from None


def _sirens(registre) -> set[str]:
    values = registre if isinstance(registre, list) else [registre]
    return {siren_digits(value) for value in values if value} - {""}


def _announcement(record, siren: str) -> Announcement | None:
    if not isinstance(record, dict):
        raise BodaccUnreadable("une annonce n'est pas un objet")
    if record.get("familleavis", "collective") != "collective" or siren not in _sirens(record.get("registre")):
        return None  # not a collective proceeding of this SIREN: the query was wider than asked
    raw = record.get("jugement")
    if not raw:
        return None  # an announcement of the proceedings that is no judgment (a notice of the list of claims)
    try:
        judgment = json.loads(raw) if isinstance(raw, str) else raw
    except ValueError:
        raise BodaccUnreadable("le jugement d'une annonce n'est pas lisible (JSON invalide)") from None
    if not isinstance(judgment, dict) or not judgment.get("nature"):
        raise BodaccUnreadable("la nature d'un jugement manque")
    nature = str(judgment["nature"]).strip()
    found = classify(nature)
    if found is None:
        return None
    change, kind = found
    return Announcement(siren, change, kind, _date(judgment.get("date"), "date du jugement"),
                        _date(record.get("dateparution"), "date de parution"), str(record.get("tribunal") or ""),
                        nature, str(record.get("numeroannonce") or ""), str(record.get("url_complete") or ""))


def read_answer(answer, siren: str) -> list[Announcement]:
    """The judgments of ``siren``'s collective proceedings in an answer of the dataset's records endpoint
    (``{"total_count": …, "results": [records]}``), oldest judgment first; ``BodaccUnreadable`` when the
    answer does not have that shape or a judgment lacks its date."""
    results = answer.get("results") if isinstance(answer, dict) else None
    if not isinstance(results, list):
        raise BodaccUnreadable("la réponse n'a pas la forme attendue (liste « results » manquante)")
    found = [a for a in (_announcement(record, siren) for record in results) if a is not None]
    return sorted(found, key=lambda a: (a.judgment_on, a.published_on))


def proposals(customer: Watched, announcements: list[Announcement], recorded: list[Proceeding]) -> list[Proposal]:
    """What to propose for ``customer`` from its judgments (``read_answer``), given its proceedings recorded
    (open or closed): each proposal assumes the ones before it confirmed, in the order to confirm them."""
    known = {p.judgment_on for p in recorded}
    latest = max((p.closed_on or p.judgment_on for p in recorded), default=None)
    state = next((p for p in recorded if p.closed_on is None), None)
    kind, opened = (state.kind, state.judgment_on) if state else (None, None)
    found = []
    for a in announcements:
        if latest is not None and a.judgment_on < latest or (a.change is Change.OPENING and a.judgment_on in known):
            continue  # older than what the owner recorded, or recorded already
        if opened is None:
            if a.change is Change.CLOSURE:
                continue  # the clôture of proceedings not recorded (nor proposed): nothing to close
            # a conversion whose opening judgment the answer lacks is, for Encours, the opening (its nature says
            # which judgment it was)
            found.append(Proposal(customer, replace(a, change=Change.OPENING)))
            kind, opened = a.kind, a.judgment_on
        elif a.change is Change.CLOSURE:
            found.append(Proposal(customer, a))
            kind, opened = None, None
        elif a.kind != kind and a.judgment_on > opened:
            found.append(Proposal(customer, replace(a, change=Change.CONVERSION)))
            kind = a.kind
    return found

