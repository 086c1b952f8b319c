"""« Annuler » during a screen's computation stops it at its next step: nothing of it is shown, the screen
keeps what it showed and says the computation was cancelled; Écrans > Actualiser (F5) computes it again.
« Annuler » during a batch of letters records none and leaves no file, and says so.

Each computation is held at its start (``held``) until the progress dialog's « Annuler » has been pressed,
then runs the real service with the cancelled job: the service itself must stop."""

import threading

import pytest
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QProgressDialog, QPushButton

from app.jobs import JobCancelled
from app.services.cockpit import cockpit
from app.services.dunning import due_actions
from tests.conftest import TODAY, chase_history
from tests.ui.test_reconciliation import credits  # noqa: F401  (a fixture: three bank credits waiting)


def held(monkeypatch, target: str, real):
    """``target`` replaced by ``real`` run once ``release`` is set; ``outcome`` says how the real one ended."""
    started, release, outcome = threading.Event(), threading.Event(), []

    def waiting(*args, **kwargs):
        started.set()
        release.wait(10)
        try:
            result = real(*args, **kwargs)
        except JobCancelled:
            outcome.append("stopped")
            raise
        outcome.append("finished")
        return result

    monkeypatch.setattr(target, waiting)
    return started, release, outcome


def cancel_held(screen, qtbot, started, release) -> None:
    """Press « Annuler » on the screen's progress dialog while its computation is held, then let it go."""
    assert started.wait(10)
    [dialog] = [d for d in screen.findChildren(QProgressDialog) if d.receiver.runnable is screen.running]
    [button] = dialog.findChildren(QPushButton)
    assert button.text() == "Annuler"
    button.click()
    release.set()
    qtbot.waitUntil(lambda: screen.running is None, timeout=30_000)


def refresh_action(window):
    """Écrans > Actualiser, and its shortcut."""
    [action] = [a for a in window.menus.screens_menu.actions() if a.text() == "Actualiser"]
    assert action.shortcut() == QKeySequence(QKeySequence.StandardKey.Refresh)
    return action


def test_cancelling_the_dashboard_keeps_the_figures_shown_and_f5_computes_them_again(ledger, make_window, qtbot,
                                                                                   monkeypatch):
    window = make_window(ledger)
    dashboard = window.screens["dashboard"]
    qtbot.waitUntil(lambda: dashboard.figures is not None and dashboard.running is None, timeout=30_000)
    shown = dashboard.figures
    receivables = dashboard.cards[0].value.text()
    started, release, outcome = held(monkeypatch, "app.ui.dashboard.cockpit", cockpit)
    refresh_action(window).trigger()
    cancel_held(dashboard, qtbot, started, release)
    assert outcome == ["stopped"]  # the cockpit itself stopped, at its first step
    assert dashboard.figures is shown and dashboard.cards[0].value.text() == receivables
    assert dashboard.problem.isVisible()
    assert dashboard.problem.text() == ("Calcul des indicateurs annulé : les chiffres affichés sont ceux du calcul "
                                        "précédent. Appuyez sur F5 pour le relancer.")
    monkeypatch.setattr("app.ui.dashboard.cockpit", cockpit)
    refresh_action(window).trigger()
    qtbot.waitUntil(lambda: dashboard.running is None and dashboard.figures is not shown, timeout=30_000)
    assert not dashboard.problem.isVisible() and dashboard.cards[0].value.text() == receivables


def test_a_first_computation_cancelled_says_nothing_is_shown(ledger, make_window, qtbot, monkeypatch):
    started, release, outcome = held(monkeypatch, "app.ui.dashboard.cockpit", cockpit)
    window = make_window(ledger)  # opens on the dashboard: its first computation starts
    dashboard = window.screens["dashboard"]
    cancel_held(dashboard, qtbot, started, release)
    assert outcome == ["stopped"] and dashboard.figures is None
    assert dashboard.problem.text() == ("Calcul des indicateurs annulé : aucun chiffre n'est affiché. Appuyez sur F5 "
                                        "pour le relancer.")
    assert not dashboard.stale


def test_cancelled_during_its_last_part_nothing_is_shown_either(ledger, make_window, qtbot, monkeypatch):
    """The cockpit returned before it saw « Annuler »: its figures are dropped all the same."""
    window = make_window(ledger)
    dashboard = window.screens["dashboard"]
    qtbot.waitUntil(lambda: dashboard.figures is not None and dashboard.running is None, timeout=30_000)
    shown = dashboard.figures
    started, release = threading.Event(), threading.Event()

    def late(session, at, job):
        figures = cockpit(session, at)  # computed in full, without looking at the job
        started.set()
        release.wait(10)
        return figures

    monkeypatch.setattr("app.ui.dashboard.cockpit", late)
    dashboard.refresh()
    cancel_held(dashboard, qtbot, started, release)
    assert dashboard.figures is shown and "annulé" in dashboard.problem.text()


def test_cancelling_relances_keeps_the_list_shown(ledger, make_window, qtbot, monkeypatch):
    chase_history(ledger)
    window = make_window(ledger)
    window.show_screen("reminders")
    screen = window.screens["reminders"]
    qtbot.waitUntil(lambda: screen.running is None and bool(screen.actions), timeout=30_000)
    shown = [(a.customer_id, a.step) for a in screen.table.visible_rows()]
    started, release, outcome = held(monkeypatch, "app.ui.reminders.due_actions", due_actions)
    screen.refresh()
    cancel_held(screen, qtbot, started, release)
    assert outcome == ["stopped"]
    assert [(a.customer_id, a.step) for a in screen.table.visible_rows()] == shown
    assert screen.problem.isVisible() and screen.problem.text() == ("Calcul des relances annulé : la liste est celle du calcul précédent. Appuyez sur "
                                 "F5 pour le relancer.")
    monkeypatch.setattr("app.ui.reminders.due_actions", due_actions)
    refresh_action(window).trigger()
    qtbot.waitUntil(lambda: screen.running is None and not screen.problem.isVisible(), timeout=30_000)
    assert [(a.customer_id, a.step) for a in screen.table.visible_rows()] == shown


def test_cancelling_a_rapprocher_keeps_the_credits_shown(credits, make_window, qtbot, monkeypatch):
    from app.ui import reconciliation

    window = make_window(credits)
    window.show_screen("reconcile")
    screen = window.screens["reconcile"]
    qtbot.waitUntil(lambda: screen.running is None, timeout=30_000)
    shown = [w.credit.payment_id for w in screen.table.visible_rows()]
    assert len(shown) == 3
    started, release, outcome = held(monkeypatch, "app.ui.reconciliation.load", reconciliation.load)
    screen.refresh()
    cancel_held(screen, qtbot, started, release)
    assert outcome == ["finished"]  # read in one go: its result is dropped once it returns
    assert [w.credit.payment_id for w in screen.table.visible_rows()] == shown
    assert screen.problem.isVisible() and screen.problem.text() == ("Rapprochement annulé : la liste est celle du calcul précédent. Appuyez sur F5 "
                                   "pour le relancer.")


@pytest.mark.parametrize("service", [cockpit, due_actions])
def test_a_cancelled_job_stops_the_service(ledger, service):
    from app.jobs import Job

    job = Job()
    job.cancel()
    with ledger.sessions() as session, pytest.raises(JobCancelled):
        service(session, TODAY, job=job)


def test_cancelling_the_letters_says_nothing_was_recorded_and_leaves_no_file(ledger, make_window, qtbot, tmp_path,
                                                                            monkeypatch):
    from PySide6.QtWidgets import QFileDialog, QMessageBox
    from sqlalchemy import select

    from app.models import DunningLetter
    from app.services.rates import save_rates
    from app.services.reminders import letters_apart
    from app.ui.worker import _running as running

    chase_history(ledger)
    with ledger.transaction() as s:
        assert save_rates(s, TODAY.replace(month=7, day=1), "2,15", "3,00", "7,00") == {}
    window = make_window(ledger)
    window.show_screen("reminders")
    screen = window.screens["reminders"]
    qtbot.waitUntil(lambda: screen.running is None and len(screen.actions) == 2, timeout=30_000)
    folder = tmp_path / "lettres"
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *a, **k: str(folder))
    told = []
    monkeypatch.setattr(QMessageBox, "information", lambda *a, **k: told.append(a[2]))
    started, release, outcome = threading.Event(), threading.Event(), []

    def first_letter_then_held(session, at, actions, out, **kwargs):
        job = kwargs["job"]
        advance = job.advance

        def held(n=1, label=None):  # the first letter written: « Annuler » comes before the second
            started.set()
            release.wait(10)
            advance(n, label)

        job.advance = held
        try:
            return letters_apart(session, at, actions, out, **kwargs)
        except JobCancelled:
            outcome.append(sorted(path.name for path in out.iterdir()))  # what it wrote before it stopped
            raise

    monkeypatch.setattr("app.ui.reminders.letters_apart", first_letter_then_held)
    screen.emails()
    assert started.wait(10)
    [dialog] = [d for d in screen.findChildren(QProgressDialog) if d.receiver.runnable in running]
    [button] = dialog.findChildren(QPushButton)
    button.click()
    release.set()
    qtbot.waitUntil(lambda: bool(told), timeout=30_000)
    assert len(outcome) == 1 and outcome[0]  # a letter was on disk when it stopped
    assert told == ["Lettres annulées : aucune n'a été enregistrée comme envoyée, et aucun fichier de lettre ou "
                    "d'e-mail n'a été gardé. Les relances restent à faire."]
    assert list(folder.iterdir()) == []
    with ledger.sessions() as s:
        assert s.scalars(select(DunningLetter).where(DunningLetter.sent_on == TODAY)).all() == []
