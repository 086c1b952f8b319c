"""What the benchmarks share: the best of a few runs, so that a hiccup of a loaded machine is not measured."""

from __future__ import annotations

import time

RUNS = 3


def best(action, runs: int = RUNS) -> tuple[float, object]:
    """The shortest wall time of ``runs`` calls of ``action``, and what its last call returned."""
    times, result = [], None
    for _ in range(runs):
        start = time.perf_counter()
        result = action()
        times.append(time.perf_counter() - start)
    return min(times), result
