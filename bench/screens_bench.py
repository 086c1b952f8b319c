"""Screens on a large ledger: every screen of the window against the welcome screen, as whole processes.

Generates (or reuses, with ``--keep FILE``) the cockpit benchmark's ledger: 1 000 000 invoices of 20 000
customers over three years. Then times ``encours --db COPY screenshot VIEW --out X.png`` for every view, as
whole processes (start-up, opening the data, computing the screen, first paint, the picture):

* baseline: ``screenshot welcome``, the welcome screen: start-up and first paint, no screen's data;
* ours: ``screenshot VIEW`` for every other view (the dashboard, Relances, Clients, a customer's card,
  Factures, an invoice's card, À rapprocher, Imports, Litiges, Paramètres).

The runs go round the views (welcome, dashboard, …, welcome, dashboard, …) so that machine noise hits all
alike, after one uncounted run that warms the file into the system's cache. Each view's best wall time is
printed beside its ratio to the welcome screen's best, and its peak memory (the child's maximum resident
set size, from ``wait4``). Targets: every screen ≤ 1.5× the welcome screen, peak memory ≤ 600 MB.
Exits non-zero only when a run fails (a screenshot that exits non-zero), never because of a target.

Usage (from the project root)::

    .venv/bin/python bench/screens_bench.py [INVOICES] [--keep FILE] [--runs 3] [--views invoices,reminders]
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(1, str(Path(__file__).resolve().parent))

from cockpit_bench import ledger, ledger_arguments  # noqa: E402  (bench/, the script's folder)

from app.ui.screenshot import VIEWS  # noqa: E402

BASELINE = "welcome"
RATIO_TARGET = 1.5
MEMORY_TARGET_MB = 600


def screenshot(data: Path, view: str, out: Path) -> tuple[float, float]:
    """Wall seconds and peak megabytes of one ``screenshot VIEW`` process; raises when it fails."""
    environment = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    with tempfile.TemporaryFile() as errors:
        start = time.perf_counter()
        child = subprocess.Popen([sys.executable, "-m", "app", "--db", str(data), "screenshot", view,
                                  "--out", str(out)], cwd=ROOT, env=environment, stdout=subprocess.DEVNULL,
                                 stderr=errors)
        _pid, status, usage = os.wait4(child.pid, 0)  # this child's own peak memory, not the largest child's
        seconds = time.perf_counter() - start
        if status != 0:
            errors.seek(0)
            raise SystemExit(f"screenshot {view} failed ({status}): {errors.read().decode()[-2000:]}")
    return seconds, usage.ru_maxrss / 1024  # kilobytes on Linux


def main() -> int:
    parser = ledger_arguments()
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--views", help="only these views, comma-separated (the welcome screen always)")
    args = parser.parse_args()
    views = [BASELINE] + [v for v in (args.views.split(",") if args.views else VIEWS) if v != BASELINE]
    with tempfile.TemporaryDirectory(prefix="encours-screens-bench-") as tmp:
        folder = Path(tmp)
        source = ledger(args, folder)
        copy = folder / "copy.sqlite"  # the screens only read, but the kept ledger is never at risk
        shutil.copyfile(source, copy)
        screenshot(copy, "dashboard", folder / "warm.png")  # the file into the system's cache, uncounted
        times: dict[str, list[float]] = {view: [] for view in views}
        peaks: dict[str, float] = dict.fromkeys(views, 0.0)
        for _round in range(args.runs):
            for view in views:
                seconds, megabytes = screenshot(copy, view, folder / f"{view}.png")
                times[view].append(seconds)
                peaks[view] = max(peaks[view], megabytes)
        base = min(times[BASELINE])
        print(f"ledger: {source} ({args.invoices if not args.keep else 'kept'} invoices), best of {args.runs}")
        print(f"{'screen':<12}{'time':>9}{'ratio':>8}{'peak':>10}  target ≤ {RATIO_TARGET}× welcome, "
              f"≤ {MEMORY_TARGET_MB} MB")
        missed = []
        for view in views:
            best = min(times[view])
            ratio = best / base
            met = ratio <= RATIO_TARGET and peaks[view] <= MEMORY_TARGET_MB
            if not met:
                missed.append(view)
            print(f"{view:<12}{best:>8.2f}s{ratio:>7.2f}×{peaks[view]:>7.0f} MB  {'met' if met else 'MISSED'}")
        print("targets met on every screen" if not missed else f"targets missed: {', '.join(missed)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
