"""PySide6 6.12.0 loses a reference to None each time Qt hands an empty value to Python (an item's empty
data, a combo's empty item data, a missing setting); on Python 3.11, whose None is not immortal, the
program then aborts with "deallocating None". pyproject.toml excludes that release; this test fails if
an installed Qt binding has the defect again."""

import sys

from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QStandardItemModel
from PySide6.QtWidgets import QComboBox


def test_empty_values_from_qt_keep_none_alive(tmp_path, qapp):
    model = QStandardItemModel(1, 1)
    combo = QComboBox()
    combo.addItem("Tous", None)
    settings = QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat)
    before = sys.getrefcount(None)
    for _ in range(200):
        model.index(0, 0).data(Qt.ItemDataRole.ForegroundRole)
        combo.currentData()
        settings.value("absent")
    assert before - sys.getrefcount(None) < 50  # 600 lost with the defect
