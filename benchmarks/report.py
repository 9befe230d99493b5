"""One week's report at size (5,000 members, about 1,000,000 ledger rows over 12 weeks), timed
against a baseline measured in the same run.

    .venv/bin/python benchmarks/report.py [--quick] [--members N] [--rows N] [--repeat N]
        [--url URL]

Seeds the store once (``benchmarks/report_data.py``: SQLite in a temporary file by default,
``--url`` a scratch PostgreSQL database, whose schema is emptied), then measures each side in a
process of its own (``benchmarks/report_sides.py``), so that each peak RSS is its own:

- copbot: the last full week's report as copbot makes it, ``report_data`` in a read session and
  then ``WorkbookMaker().make`` (the workbook, the chart, the summary);
- the baseline: the same SQL, the exact statements and parameters copbot's run sent (captured
  with SQLAlchemy's ``before_cursor_execute``), run through the raw driver (sqlite3; asyncpg) in
  one read-only transaction with every row fetched, then the same values on the same sheets (read
  back from copbot's workbook) written as plain cells with a bare write-only openpyxl workbook.

Each side warms up once, untimed, then runs ``--repeat`` times; the medians are compared. Target:
copbot at most 2x the baseline's wall time and under 500 MB peak RSS; exit 1 if either is missed.
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import subprocess
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

# Only the standard library here: each side's peak RSS (ru_maxrss) counts the process it was
# started from too (Linux keeps the high-water mark across fork and exec), so this process
# stays small and the heavy steps (seeding, reading the workbook back) run in their own. (Under
# run_all.py the floor is run_all's own peak, about 50 MB, below either side's.)
ROOT = Path(__file__).resolve().parent.parent
RATIO = 2.0
PEAK_MB = 500.0
SIDES = ROOT / "benchmarks" / "report_sides.py"


def step(*arguments: str) -> dict[str, Any]:
    """Run one step in a process of its own (it prints a line for people, then its JSON)."""
    out = (
        subprocess.run(
            [sys.executable, str(SIDES), *arguments], check=True, stdout=subprocess.PIPE, text=True
        )
        .stdout.strip()
        .splitlines()
    )
    for said in out[:-1]:
        print(said)
    return dict(json.loads(out[-1]))


def own_peak_mb() -> float:
    """This process's peak RSS: a floor under the sides' figures (see the imports)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def median(result: dict[str, Any], key: str) -> float:
    return statistics.median(s[key] for s in result["samples"])


def line(label: str, result: dict[str, Any]) -> str:
    return (
        f"{label:9} {median(result, 'wall'):6.2f} s wall, {median(result, 'cpu'):6.2f} s CPU "
        f"(SQL {median(result, 'sql_wall'):5.2f} s wall / {median(result, 'sql_cpu'):5.2f} CPU, "
        f"files {median(result, 'files_wall'):5.2f} s / {median(result, 'files_cpu'):5.2f}), "
        f"peak RSS {result['peak_mb']:4.0f} MB (own high-water mark {result['hwm_mb']:.0f})"
    )


def report(ours: dict[str, Any], base: dict[str, Any], backend: str, repeat: int) -> bool:
    """Print both sides and the ratios; whether the targets are met."""
    ratio = median(ours, "wall") / median(base, "wall")
    cpu_ratio = median(ours, "cpu") / median(base, "cpu")
    sql_ratio = median(ours, "sql_wall") / median(base, "sql_wall")
    files_ratio = median(ours, "files_wall") / median(base, "files_wall")
    print(f"report, {backend}, median of {repeat} after a warm-up:")
    print("  " + line("copbot", ours))
    print(
        f"  copbot's event loop meanwhile: a 10 ms timer late by p99 "
        f"{median(ours, 'lag_p99_ms'):.1f} ms, at most {median(ours, 'lag_max_ms'):.0f} ms"
    )
    print("  " + line("baseline", base))
    print(
        f"  ratio {ratio:.2f}x wall (target <= {RATIO:.0f}x), {cpu_ratio:.2f}x CPU; "
        f"SQL {sql_ratio:.2f}x, files {files_ratio:.2f}x; peak {ours['peak_mb']:.0f} MB "
        f"(target < {PEAK_MB:.0f}); this process {own_peak_mb():.0f} MB"
    )
    met = ratio <= RATIO and ours["peak_mb"] < PEAK_MB
    print("  targets " + ("met" if met else "MISSED"))
    return met


def main() -> int:
    """Seed, measure both sides, print; exit 1 if a target is missed."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--members", type=int, default=5_000)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3, help="timed runs of each side")
    parser.add_argument("--url", help="a scratch PostgreSQL database (default: SQLite)")
    parser.add_argument("--quick", action="store_true", help="500 members, 100,000 rows")
    args = parser.parse_args()
    if args.quick:
        args.members, args.rows = 500, 100_000
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        url = args.url or f"sqlite+aiosqlite:///{folder / 'report.db'}"
        step("seed", str(folder), url, str(args.members), str(args.rows))
        ours = step("copbot", str(folder), str(args.repeat))
        step("cells", str(folder))
        base = step("baseline", str(folder), str(args.repeat))
        backend = "postgresql" if url.startswith("postgresql") else "sqlite"
        met = report(ours, base, backend, args.repeat)
    print(f"measured {datetime.now(UTC):%Y-%m-%d %H:%M} UTC")
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
