"""Start-up benchmark: Encours' first paint against a bare PySide6 window, in the same run.

Both are measured as wall time from ``Popen`` to process exit, with ``QT_QPA_PLATFORM=offscreen``:

* baseline: a bare PySide6 script (QApplication + QMainWindow holding a QLabel) that quits on its
  first paint;
* ours, first paint: ``python -m app --db TMP`` with ``ENCOURS_QUIT_AFTER_PAINT=paint`` (the main window,
  frame and navigation, quits at its first paint, before the database is opened behind it);
* ours, data ready: the same with ``ENCOURS_QUIT_AFTER_PAINT=1`` (quits once the database is open and the
  last screen shows its rows). One warm-up run, not counted, creates and migrates the database.

The runs alternate (baseline, ours, baseline, ...) so that machine noise hits both sides alike.
Prints median and min of each side and the ratio ours/baseline. Exits non-zero only when a run crashes
(non-zero exit code or no exit within the time limit), never because of the ratio.

``--importtime`` instead runs ``python -X importtime -m app --db TMP`` once (after an uncounted
warm-up run that creates the database), prints the 15 slowest cumulative imports, and says whether
pandas, matplotlib or reportlab were imported at start-up (they should not be).

Usage (from the project root)::

    .venv/bin/python bench/startup_bench.py            # 7 runs each
    .venv/bin/python bench/startup_bench.py --runs 11
    .venv/bin/python bench/startup_bench.py --importtime
    .venv/bin/python bench/startup_bench.py --baseline-only

Only the standard library here; PySide6 is imported by the child processes only.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TIMEOUT_S = 60.0
HEAVY = ("pandas", "matplotlib", "reportlab")

BARE_WINDOW = r"""
import sys
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QLabel, QMainWindow


class QuitOnFirstPaint(QObject):
    def __init__(self, app):
        super().__init__()
        self.app = app
        self.done = False

    def eventFilter(self, obj, event):
        if not self.done and event.type() == QEvent.Type.Paint:
            self.done = True
            QTimer.singleShot(0, self.app.quit)
        return False


app = QApplication(sys.argv)
window = QMainWindow()
window.setWindowTitle("bare")
window.setCentralWidget(QLabel("Hello"))
window.resize(1024, 700)
quitter = QuitOnFirstPaint(app)
window.installEventFilter(quitter)
window.show()
sys.exit(app.exec())
"""


class RunFailed(Exception):
    pass


def child_env(quit_when: str = "1") -> dict[str, str]:
    env = dict(os.environ)
    env["QT_QPA_PLATFORM"] = "offscreen"
    env["ENCOURS_QUIT_AFTER_PAINT"] = quit_when
    env.pop("PYTHONPROFILEIMPORTTIME", None)
    # the app package is imported from the project root, not from an installed copy
    env["PYTHONPATH"] = str(ROOT) + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    return env


def timed_run(label: str, argv: list[str], env: dict[str, str]) -> tuple[float, str]:
    """Run argv, return (wall seconds from Popen to exit, stderr); raise RunFailed on crash or hang."""
    start = time.perf_counter()
    proc = subprocess.Popen(argv, cwd=ROOT, env=env, stdin=subprocess.DEVNULL,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        out, err = proc.communicate(timeout=TIMEOUT_S)
    except subprocess.TimeoutExpired:
        proc.kill()
        out, err = proc.communicate()
        raise RunFailed(f"{label}: no exit within {TIMEOUT_S:.0f} s (does it quit after the first paint?)\n"
                        f"--- stdout ---\n{out}\n--- stderr ---\n{err}")
    elapsed = time.perf_counter() - start
    if proc.returncode != 0:
        raise RunFailed(f"{label}: exit code {proc.returncode}\n--- stdout ---\n{out}\n--- stderr ---\n{err}")
    return elapsed, err


def baseline_argv() -> list[str]:
    return [sys.executable, "-c", BARE_WINDOW]


def app_argv(db: Path, *extra: str) -> list[str]:
    return [sys.executable, *extra, "-m", "app", "--db", str(db)]


def require_app() -> None:
    if not (ROOT / "app" / "__main__.py").exists():
        raise RunFailed("app/__main__.py does not exist yet: `python -m app` cannot run "
                        "(use --baseline-only to time the bare window alone)")


def fmt_ms(seconds: float) -> str:
    return f"{seconds * 1000:8.0f} ms"


def benchmark(runs: int, baseline_only: bool) -> None:
    env, paint_env = child_env(), child_env("paint")
    base: list[float] = []
    ours: list[float] = []
    ready: list[float] = []
    with tempfile.TemporaryDirectory(prefix="encours-bench-") as tmp:
        db = Path(tmp) / "bench.sqlite"
        # warm-ups, not counted: the OS file cache for both, the database creation for ours
        timed_run("bare PySide6 window (warm-up)", baseline_argv(), env)
        if not baseline_only:
            require_app()
            timed_run("Encours (warm-up, creates the database)", app_argv(db), env)
        for i in range(runs):
            seconds, _ = timed_run(f"bare PySide6 window, run {i + 1}", baseline_argv(), env)
            base.append(seconds)
            if not baseline_only:
                seconds, _ = timed_run(f"Encours first paint, run {i + 1}", app_argv(db), paint_env)
                ours.append(seconds)
                seconds, _ = timed_run(f"Encours data ready, run {i + 1}", app_argv(db), env)
                ready.append(seconds)

    print(f"Start-up, wall time Popen -> exit, QT_QPA_PLATFORM=offscreen, {runs} runs each "
          f"(python {sys.version.split()[0]}, {sys.executable})")
    print(f"{'':24}{'median':>11}{'min':>11}")
    print(f"{'bare PySide6 window':24}{fmt_ms(statistics.median(base))}{fmt_ms(min(base))}")
    if ours:
        print(f"{'Encours first paint':24}{fmt_ms(statistics.median(ours))}{fmt_ms(min(ours))}")
        print(f"{'ratio ours/baseline':24}{statistics.median(ours) / statistics.median(base):10.2f}x"
              f"{min(ours) / min(base):10.2f}x")
        print(f"{'Encours data ready':24}{fmt_ms(statistics.median(ready))}{fmt_ms(min(ready))}")
    else:
        print("Encours first paint     (not run: --baseline-only)")


def parse_importtime(stderr: str) -> list[tuple[int, int, str]]:
    """Lines ``import time: self [us] | cumulative | imported package`` -> (self, cumulative, name)."""
    rows = []
    for line in stderr.splitlines():
        if not line.startswith("import time:"):
            continue
        parts = line[len("import time:"):].split("|")
        if len(parts) != 3:
            continue
        try:
            self_us, cumulative_us = int(parts[0]), int(parts[1])
        except ValueError:  # the header line
            continue
        rows.append((self_us, cumulative_us, parts[2].strip()))
    return rows


def importtime() -> None:
    require_app()
    env = child_env()
    with tempfile.TemporaryDirectory(prefix="encours-bench-") as tmp:
        db = Path(tmp) / "bench.sqlite"
        timed_run("Encours (warm-up, creates the database)", app_argv(db), env)
        seconds, stderr = timed_run("Encours with -X importtime", app_argv(db, "-X", "importtime"), env)
    rows = parse_importtime(stderr)
    if not rows:
        raise RunFailed("no `import time:` lines in the child's stderr")
    print(f"python -X importtime -m app (ENCOURS_QUIT_AFTER_PAINT=1): {seconds * 1000:.0f} ms wall, "
          f"{len(rows)} modules imported")
    print(f"{'cumulative':>12}{'self':>10}  module")
    for self_us, cumulative_us, name in sorted(rows, key=lambda r: r[1], reverse=True)[:15]:
        print(f"{cumulative_us / 1000:9.1f} ms{self_us / 1000:7.1f} ms  {name}")
    imported = {name for _, _, name in rows}
    found = {heavy: sorted(m for m in imported if m == heavy or m.startswith(heavy + "."))
             for heavy in HEAVY}
    hits = [heavy for heavy, mods in found.items() if mods]
    for heavy in HEAVY:
        if found[heavy]:
            total = sum(c for _, c, n in rows if n == heavy)
            print(f"  {heavy}: IMPORTED at start-up ({len(found[heavy])} modules, {total / 1000:.0f} ms cumulative)")
        else:
            print(f"  {heavy}: not imported")
    if hits:
        print(f"NOT OK: heavy libraries imported at start-up: {', '.join(hits)} (they should load lazily)")
    else:
        print("OK: pandas, matplotlib and reportlab were NOT imported at start-up")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=7, help="counted runs of each side (default 7)")
    parser.add_argument("--importtime", action="store_true",
                        help="one `python -X importtime -m app` run: slowest imports, heavy-library check")
    parser.add_argument("--baseline-only", action="store_true",
                        help="time only the bare PySide6 window (before `python -m app` exists)")
    args = parser.parse_args(argv)
    try:
        if args.importtime:
            importtime()
        else:
            benchmark(max(1, args.runs), args.baseline_only)
    except RunFailed as failure:
        print(f"CRASH: {failure}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
