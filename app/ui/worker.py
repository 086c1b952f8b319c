"""Run long work off the UI thread: ``run_op(parent, op, on_success, on_failure, label)``.

``op(db, job)`` runs in a thread-pool thread with its own sessions; progress comes back through signals,
throttled to about 20 updates a second, into a modal progress dialog whose Cancel button cancels the job
cooperatively. Only plain data crosses threads: ``on_success`` receives what ``op`` returned.
"""

from __future__ import annotations

import time
import traceback
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, Signal
from PySide6.QtWidgets import QMessageBox, QProgressDialog, QWidget

from app.jobs import Job, JobCancelled, Refused

PROGRESS_INTERVAL = 0.05
_running: set[_Runnable] = set()  # keeps each runnable alive until it has reported


class _Signals(QObject):
    progress = Signal(int, int, str)
    succeeded = Signal(object)
    failed = Signal(str)
    cancelled = Signal()


class _Runnable(QRunnable):
    def __init__(self, op: Callable[[Job], Any]) -> None:
        super().__init__()
        self.signals = _Signals()
        self._last = 0.0
        self.job = Job(self._progress)
        self._op = op

    def _progress(self, done: int, total: int, label: str) -> None:
        now = time.monotonic()
        if now - self._last >= PROGRESS_INTERVAL or done >= total:
            self._last = now
            self.signals.progress.emit(done, total, label)

    def run(self) -> None:
        try:
            result = self._op(self.job)
        except JobCancelled:
            self._report(self.signals.cancelled)
        except Exception as exc:  # reported to the user, never lost; on the terminal too when unexpected
            if not isinstance(exc, Refused):
                traceback.print_exc()
            self._report(self.signals.failed, str(exc) or exc.__class__.__name__)
        else:
            self._report(self.signals.succeeded, result)

    @staticmethod
    def _report(signal, *args) -> None:
        """Emit, unless the application quit while the work ran (its signals are then gone, and so is
        whoever would have listened)."""
        try:
            signal.emit(*args)
        except RuntimeError:
            pass


class _Receiver(QObject):
    """Takes a job's signals for as long as the widget that started it lives. It is a child of the progress
    dialog, itself a child of that widget: when the widget goes (a screen closed, a test over), Qt drops
    the connections with it, and a late result reaches nobody instead of a deleted dialog."""

    def __init__(self, runnable: _Runnable, dialog: QProgressDialog, parent: QWidget,
                 on_success: Callable[[Any], None], on_failure: Callable[[str], None] | None,
                 on_cancel: Callable[[], None] | None) -> None:
        super().__init__(dialog)
        self.runnable, self.dialog, self.parent_widget = runnable, dialog, parent
        self.on_success, self.on_failure, self.on_cancel = on_success, on_failure, on_cancel
        signals = runnable.signals
        signals.progress.connect(self.progress)
        signals.succeeded.connect(self.succeeded)
        signals.failed.connect(self.failed)
        signals.cancelled.connect(self.cancelled)

    def progress(self, done: int, total: int, text: str) -> None:
        self.dialog.setMaximum(max(total, 0))
        self.dialog.setValue(min(done, total))
        if text:
            self.dialog.setLabelText(text)

    def finish(self) -> None:
        _running.discard(self.runnable)
        self.dialog.reset()
        self.dialog.deleteLater()

    def succeeded(self, result: Any) -> None:
        self.finish()
        self.on_success(result)

    def failed(self, message: str) -> None:
        self.finish()
        if self.on_failure is not None:
            self.on_failure(message)
        else:
            QMessageBox.critical(self.parent_widget, "Encours", f"L'opération a échoué :\n{message}")

    def cancelled(self) -> None:
        self.finish()
        if self.on_cancel is not None:
            self.on_cancel()


def run_op(parent: QWidget, op: Callable[[Job], Any], on_success: Callable[[Any], None],
           on_failure: Callable[[str], None] | None = None, label: str = "Traitement en cours…",
           on_cancel: Callable[[], None] | None = None) -> _Runnable:
    """Start ``op(job)`` in the thread pool behind a progress dialog; returns the runnable (tests wait on
    ``runnable.signals``). ``on_cancel``: called once the work stopped at the user's « Annuler »."""
    runnable = _Runnable(op)
    dialog = QProgressDialog(label, "Annuler", 0, 0, parent)
    dialog.setWindowTitle("Encours")
    dialog.setWindowModality(Qt.WindowModality.WindowModal)
    dialog.setMinimumDuration(300)
    dialog.setAutoClose(False)
    dialog.setAutoReset(False)
    dialog.canceled.connect(runnable.job.cancel)
    dialog.receiver = _Receiver(runnable, dialog, parent, on_success, on_failure, on_cancel)
    dialog.destroyed.connect(lambda: _running.discard(runnable))  # its widget gone before the result
    runnable.setAutoDelete(False)
    _running.add(runnable)
    QThreadPool.globalInstance().start(runnable)
    return runnable


class _Quiet(QObject):
    """Takes a quiet job's result for as long as the widget that started it lives (a child of it)."""

    def __init__(self, runnable: _Runnable, parent: QWidget, on_success: Callable[[Any], None],
                 on_failure: Callable[[str], None] | None = None) -> None:
        super().__init__(parent)
        self.runnable, self.on_success, self.on_failure = runnable, on_success, on_failure
        runnable.signals.succeeded.connect(self.succeeded)
        runnable.signals.failed.connect(self.failed)

    def succeeded(self, result: Any) -> None:
        self.done()
        self.on_success(result)

    def failed(self, message: str) -> None:
        self.done()
        if self.on_failure is not None:
            self.on_failure(message)

    def done(self) -> None:
        _running.discard(self.runnable)
        self.deleteLater()


def run_quietly(parent: QWidget, op: Callable[[], Any], on_success: Callable[[Any], None],
                on_failure: Callable[[str], None] | None = None) -> _Runnable:
    """Work the user need not wait for (the day's backup when the window opens, a list read again while the
    screen keeps its rows): no progress dialog, the window stays usable; its result reaches ``on_success``
    (its failure, in French, ``on_failure``) while ``parent`` lives."""
    runnable = _Runnable(lambda _job: op())
    runnable.setAutoDelete(False)
    runnable.receiver = _Quiet(runnable, parent, on_success, on_failure)  # kept while the job runs
    _running.add(runnable)
    QThreadPool.globalInstance().start(runnable)
    return runnable
