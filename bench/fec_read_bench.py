"""FEC reading speed: ``app.importers.fec.read`` of a 200 000-line FEC beside a raw baseline, in the same run.

The file is the tests' large FEC (``tests/importers/test_fec.py``'s ``big_fec``: a year of sales, bank
receipts and purchases, a third of the invoices lettered). Times, best of 3, in this process:

* ours: ``fec.read`` (every line checked, the customers' invoices, payments and balances built);
* baseline: the same file split by the standard library's ``csv.reader`` (tab-separated), each row's debit
  and credit turned into integer cents: the floor of reading every line once.

Prints both times and the ratio (the test of that file checks what is read, never how fast: no test measures
time). Usage: ``python bench/fec_read_bench.py [LINES]`` (200 000 by default).
"""

from __future__ import annotations

import csv
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from timing import RUNS, best  # noqa: E402  (bench/, the script's folder)

from app.importers import fec  # noqa: E402
from tests.importers.test_fec import big_fec  # noqa: E402  (one generator of the large FEC, the tests')


def baseline(path: Path) -> int:
    """Every line split and its two amounts read as cents: what any reader of the file has to do."""
    total = 0
    with path.open(encoding="utf-8", newline="") as handle:
        rows = csv.reader(handle, delimiter="\t")
        header = next(rows)
        debit, credit = header.index("Debit"), header.index("Credit")
        for row in rows:
            total += int(row[debit].replace(",", "")) - int(row[credit].replace(",", ""))
    return total


def main() -> None:
    lines = int(sys.argv[1]) if len(sys.argv) > 1 else 200_000
    with tempfile.TemporaryDirectory() as folder:
        path = big_fec(Path(folder) / "123456789FEC20241231.txt", lines)
        ours, result = best(lambda: fec.read(path))
        raw, _ = best(lambda: baseline(path))
    assert result.rows == lines and result.problems == [], "the benchmark's file must read whole"
    print(f"FEC of {lines} lines ({len(result.invoices)} invoices); best of {RUNS}, in this process")
    print(f"{'fec.read':>12}{'csv baseline':>14}{'ratio':>8}")
    print(f"{ours:>11.2f}s{raw:>13.2f}s{ours / raw:>8.1f}")


if __name__ == "__main__":
    main()
