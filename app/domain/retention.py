"""Which backups to keep: the 30 newest, plus the newest of each month over the last twelve months, so that a
mistake noticed weeks later can still be undone from a copy taken before it, without the folder growing
without end."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

NEWEST_KEPT = 30
MONTHS_KEPT = 12


def kept(taken: Iterable[datetime], now: datetime) -> set[datetime]:
    """The moments to keep among those ``taken``: the ``NEWEST_KEPT`` newest, and the newest of each calendar
    month from ``now``'s back to the eleventh before it (twelve months in all)."""
    newest_first = sorted(set(taken), reverse=True)
    keep = set(newest_first[:NEWEST_KEPT])
    months_seen: set[tuple[int, int]] = set()
    for moment in newest_first:
        month = (moment.year, moment.month)
        if month not in months_seen and 0 <= _months_between(moment, now) < MONTHS_KEPT:
            keep.add(moment)
        months_seen.add(month)
    return keep


def _months_between(earlier: datetime, later: datetime) -> int:
    return (later.year - earlier.year) * 12 + later.month - earlier.month
