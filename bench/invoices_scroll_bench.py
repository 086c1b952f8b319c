"""The Factures screen on a large ledger: opened, then scrolled to the very end in a few jumps, with the
process's peak memory; baseline: the same window's welcome page (the cost of the application alone).

Usage: ``python bench/invoices_scroll_bench.py COPY_OF_LEDGER.sqlite`` (a copy: opening may migrate it).
Prints the time to show the screen, the time to scroll to the end, the peak resident memory, and the
screen's time beside the welcome page's with their ratio."""

from __future__ import annotations

import os
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    from app.services.store import open_database
    from app.ui.bootstrap import Context
    from app.ui.main_window import MainWindow

    app = QApplication([])
    db = open_database(sys.argv[1])
    settings = Path(tempfile.mkdtemp()) / "settings.ini"  # fresh: no screen remembered from a previous run
    window = MainWindow(QSettings(str(settings), QSettings.Format.IniFormat))
    window.resize(1280, 800)
    window.show()
    started = time.perf_counter()
    window.attach(Context(db=db, location=sys.argv[1]))
    app.processEvents()
    welcome = time.perf_counter() - started
    before = peak_mb()
    started = time.perf_counter()
    window.show_screen("invoices")
    app.processEvents()
    shown = time.perf_counter() - started
    screen = window.screens["invoices"]
    table = screen.table
    timings = []
    for choice in ("open", "all"):
        screen.status.setCurrentIndex(screen.status.findData(choice))
        app.processEvents()
        started = time.perf_counter()
        bar = table.verticalScrollBar()
        for step in range(1, 6):  # jumps down, then the very end
            bar.setValue(bar.maximum() * step // 5)
            app.processEvents()
        table.scrollToBottom()
        app.processEvents()
        timings.append((choice, table.model().rowCount(), time.perf_counter() - started))
    print(f"welcome page (baseline): {welcome:.2f} s; Factures shown: {shown:.2f} s; "
          f"ratio {shown / welcome:.1f}")
    for choice, rows, seconds in timings:
        print(f"scrolled to the end of {rows} rows ({choice}): {seconds:.2f} s")
    print(f"peak memory: {before:.0f} MB before Factures, {peak_mb():.0f} MB after scrolling to the end")


if __name__ == "__main__":
    main()
