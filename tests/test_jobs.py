"""The collector paused during bulk work, even when two workers' sections overlap."""

import gc
import threading

from app.jobs import collector_paused


def test_overlapping_sections_leave_the_collector_as_it_was():
    """A starts, B starts, A ends (B still running: the collector stays off), B ends: on again. The reverse
    order of endings too."""
    assert gc.isenabled()
    for a_ends_first in (True, False):
        steps = {name: threading.Event() for name in ("a_in", "b_in", "a_out", "b_out", "a_done", "b_done")}
        seen = {}

        def a():
            with collector_paused():
                steps["a_in"].set()
                steps["a_out"].wait(5)
            steps["a_done"].set()

        def b():
            steps["a_in"].wait(5)
            with collector_paused():
                steps["b_in"].set()
                steps["b_out"].wait(5)
            steps["b_done"].set()

        threads = [threading.Thread(target=a), threading.Thread(target=b)]
        for thread in threads:
            thread.start()
        steps["b_in"].wait(5)
        first, second = ("a", "b") if a_ends_first else ("b", "a")
        steps[f"{first}_out"].set()
        steps[f"{first}_done"].wait(5)
        seen["between"] = gc.isenabled()
        steps[f"{second}_out"].set()
        for thread in threads:
            thread.join(5)
        assert seen["between"] is False and gc.isenabled()


def test_a_section_started_with_the_collector_off_leaves_it_off():
    gc.disable()
    try:
        with collector_paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()
