"""What an edit changed, in the words the history keeps: « Délai de paiement : 30 jours → 45 jours ; limite de
crédit : 10 000,00 € → 15 000,00 € ». Values come already shown as the screens show them (amounts, dates,
labels), so that the history reads as the user typed; the owner sees who changed what (DOMAIN.md: every edit of
a customer's terms, limit or guarantees is recorded)."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping

EMPTY = "—"        # a value left blank
LONGEST = 60       # a longer value (notes, a clause) is cut: the history says it changed, not the whole text


def shown(value: str) -> str:
    """A value as the history quotes it: blank as « — », a long text cut with « … »."""
    value = re.sub(r"[ \t\r\n]+", " ", value).strip(" ")  # on one line; an amount's no-break spaces kept
    if not value:
        return EMPTY
    return value if len(value) <= LONGEST else value[:LONGEST - 1].rstrip() + "…"


def changed(labels: Mapping[str, str], before: Mapping[str, str], after: Mapping[str, str]) -> list[str]:
    """« label : before → after » for each field of ``labels`` (in their order) whose value differs."""
    return [f"{label} : {shown(before[name])} → {shown(after[name])}"
            for name, label in labels.items() if before[name] != after[name]]


def added_removed(noun: str, before: Iterable[str], after: Iterable[str]) -> list[str]:
    """« <noun> ajoutée : … » and « <noun> retirée : … » for the items (described in words) of a list that
    changed, each counted as often as it appears; ``noun`` is feminine (« garantie »)."""
    old, new = Counter(before), Counter(after)
    return ([f"{noun} retirée : {item}" for item in (old - new).elements()]
            + [f"{noun} ajoutée : {item}" for item in (new - old).elements()])


def sentence(parts: Iterable[str]) -> str:
    """The parts joined by « ; », the first letter capitalised: one event's text ("" when nothing changed)."""
    text = " ; ".join(parts)
    return text[:1].upper() + text[1:]
