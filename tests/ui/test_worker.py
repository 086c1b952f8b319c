"""The op helper: work runs off the UI thread, reports progress, and ends in success, failure or cancel."""

import threading

from PySide6.QtWidgets import QWidget

from app.ui.worker import run_op


def test_success_returns_the_result_on_the_ui_thread(qtbot):
    parent = QWidget()
    qtbot.addWidget(parent)
    seen = {}

    def op(job):
        job.start(3, "trois pas")
        for _ in range(3):
            job.advance()
        return threading.current_thread() is threading.main_thread()

    def done(on_ui_thread_in_op):
        seen["op_on_ui_thread"] = on_ui_thread_in_op
        seen["callback_on_ui_thread"] = threading.current_thread() is threading.main_thread()

    runnable = run_op(parent, op, done)
    qtbot.waitUntil(lambda: "callback_on_ui_thread" in seen, timeout=5000)
    assert seen == {"op_on_ui_thread": False, "callback_on_ui_thread": True}
    assert (runnable.job.done, runnable.job.total) == (3, 3)


def test_failure_is_reported_with_its_message(qtbot):
    parent = QWidget()
    qtbot.addWidget(parent)
    messages = []

    def op(job):
        raise ValueError("fichier illisible ligne 3")

    run_op(parent, op, on_success=lambda _: messages.append("succès ?"), on_failure=messages.append)
    qtbot.waitUntil(lambda: bool(messages), timeout=5000)
    assert messages == ["fichier illisible ligne 3"]


def test_cancel_stops_the_work_at_the_next_step(qtbot):
    parent = QWidget()
    qtbot.addWidget(parent)
    started, results = threading.Event(), []

    def op(job):
        job.start(1000)
        started.set()
        for _ in range(1000):
            threading.Event().wait(0.002)
            job.advance()
        return "fini"

    runnable = run_op(parent, op, on_success=results.append)
    started.wait(5)
    runnable.job.cancel()
    with qtbot.waitSignal(runnable.signals.cancelled, timeout=5000):
        pass
    assert results == [] and runnable.job.done < 1000


def test_a_result_arriving_after_its_widget_is_gone_reaches_nobody(qtbot):
    import time

    from PySide6.QtCore import QThreadPool

    parent = QWidget()
    seen = []

    def op(job):
        time.sleep(0.2)
        return "fini"

    run_op(parent, op, seen.append)
    parent.deleteLater()  # the screen is closed while the work runs
    qtbot.wait(50)
    QThreadPool.globalInstance().waitForDone(5000)
    qtbot.wait(100)  # the result is delivered now, to nobody: no error, no callback
    assert seen == []


def test_a_refusal_reaches_the_user_alone_and_a_bug_the_terminal_too(qtbot, capfd):
    """A file refused for a reason the user is told (``Refused``) prints nothing on the terminal; an
    unexpected error is reported the same way and leaves its traceback there, for whoever investigates."""
    from app.importers.records import UnreadableFile

    parent = QWidget()
    qtbot.addWidget(parent)
    messages = []
    for error in (UnreadableFile("vide.csv : le fichier est vide."), KeyError("customer")):
        def op(job, error=error):
            raise error
        run_op(parent, op, on_success=messages.append, on_failure=messages.append)
        qtbot.waitUntil(lambda: len(messages) == (1 if isinstance(error, UnreadableFile) else 2), timeout=5000)
        printed = capfd.readouterr().err
        assert ("Traceback" in printed) == (not isinstance(error, UnreadableFile))
    assert messages == ["vide.csv : le fichier est vide.", "'customer'"]
