"""The progress-and-cancel protocol that long work takes.

A service loops over its work and calls ``job.advance()``; the caller (a Qt worker, the command line or a
test) decides what progress means and whether to cancel. ``NULL_JOB`` does nothing, so the same service
runs synchronously in tests and on the command line.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager


class Refused(Exception):
    """Work refused for a reason its French message tells the user in full (a file that cannot be read, a
    rate missing from the table): expected, nothing for a developer to look into."""


class JobCancelled(Exception):
    """Raised inside the work when the user asked to stop; the transaction is then rolled back."""


class Job:
    """Counts progress towards ``total`` and carries a cancel flag set from another thread."""

    def __init__(self, on_progress: Callable[[int, int, str], None] | None = None) -> None:
        self._on_progress = on_progress
        self._cancelled = threading.Event()
        self.total = 0
        self.done = 0
        self.label = ""

    def start(self, total: int, label: str = "") -> None:
        self.total, self.done, self.label = total, 0, label or self.label
        self._report()

    def advance(self, n: int = 1, label: str | None = None) -> None:
        self.check()
        self.done += n
        if label is not None:
            self.label = label
        self._report()

    def cancel(self) -> None:
        self._cancelled.set()

    def check(self) -> None:
        """Raise ``JobCancelled`` if the user asked to stop; long work calls it between two steps."""
        if self._cancelled.is_set():
            raise JobCancelled()

    def _report(self) -> None:
        if self._on_progress is not None:
            self._on_progress(self.done, self.total, self.label)


NULL_JOB = Job()


_paused = threading.Lock()
_pausing = {"depth": 0, "was_enabled": False}  # sections paused now, in any thread, and the state before the first


@contextmanager
def collector_paused() -> Iterator[None]:
    """Python's cyclic collector off during bulk work (reading or importing a file, computing the cockpit):
    the rows, cells, records and figures made by the hundred thousand would have it walk them all again and
    again (a third of the time or more), and they hold no cycles. Sections may overlap across workers (the
    dashboard and the reminders after an import): the first to start turns the collector off, the last to
    end puts it back as it was, whatever happens."""
    with _paused:
        if _pausing["depth"] == 0:
            _pausing["was_enabled"] = gc.isenabled()
            gc.disable()
        _pausing["depth"] += 1
    try:
        yield
    finally:
        with _paused:
            _pausing["depth"] -= 1
            if _pausing["depth"] == 0 and _pausing["was_enabled"]:
                gc.enable()
