import pytest
from PySide6.QtCore import QSettings

from app.ui.bootstrap import Context
from tests.conftest import TODAY


class FixedDayContext(Context):
    """The tests' day is fixed so that aging and overdue flags are the hand-computed ones."""

    def today(self):
        return TODAY


@pytest.fixture
def settings(tmp_path):
    return QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)


@pytest.fixture
def make_window(qtbot, settings):
    """A main window on a test database; at the end, the work its screens started in the background (the
    dashboard's figures) is let finish before that database goes."""
    from PySide6.QtCore import QThreadPool

    from app.ui.main_window import MainWindow

    def make(db, location="test.sqlite"):
        window = MainWindow(settings)
        qtbot.addWidget(window)
        window.show()
        window.attach(FixedDayContext(db=db, location=location))
        return window

    yield make
    QThreadPool.globalInstance().waitForDone(30_000)
    qtbot.wait(1)  # their results delivered while the windows still exist


@pytest.fixture(autouse=True)
def french_application(qapp):
    """The test application is set up as the real one: French Qt texts, Fusion style."""
    from app.ui.app import configure

    configure(qapp)


def loaded(screen):
    """The screen once its worker is done (its list read, its figures computed); fails when it never is."""
    from app.ui.screenshot import wait_for

    assert wait_for(screen), f"{type(screen).__name__} still computing"
    return screen
