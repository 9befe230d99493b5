"""The steps of the report benchmark (``benchmarks/report.py``), each run in a process of its
own so that the two measured sides have peaks of their own: seeding the store, copbot's report,
reading its workbook's cells back, and the baseline of the same SQL run directly plus the same
cells written with a bare write-only openpyxl workbook.

    .venv/bin/python benchmarks/report_sides.py seed FOLDER URL MEMBERS ROWS
    .venv/bin/python benchmarks/report_sides.py copbot|baseline FOLDER REPEAT
    .venv/bin/python benchmarks/report_sides.py cells FOLDER

The seed step writes ``store.json`` in FOLDER (the store's URL, the community, the week, the
instant). The copbot side also leaves there the SQL it ran (``statements.pickle``)
and its workbook (``workbook.xlsx``); the baseline side reads the statements and ``cells.pickle``
(each sheet's values as copbot's workbook has them). Each side prints one JSON line: its timed
runs (wall and CPU seconds, the SQL part and the files part) and its peak RSS; every step
prints its result as JSON on its last line.
"""

from __future__ import annotations

import asyncio
import io
import json
import pickle
import resource
import sqlite3
import sys
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

Sample = dict[str, float]
Statement = tuple[str, Any]


class Stopwatch:
    """Wall and CPU time (this process's, every thread's) since the last lap."""

    def __init__(self) -> None:
        self.wall, self.cpu = time.perf_counter(), time.process_time()

    def lap(self) -> tuple[float, float]:
        wall, cpu = time.perf_counter(), time.process_time()
        spent = (wall - self.wall, cpu - self.cpu)
        self.wall, self.cpu = wall, cpu
        return spent


def sample(sql: tuple[float, float], files: tuple[float, float]) -> Sample:
    return {
        "wall": sql[0] + files[0],
        "cpu": sql[1] + files[1],
        "sql_wall": sql[0],
        "sql_cpu": sql[1],
        "files_wall": files[0],
        "files_cpu": files[1],
    }


async def copbot(folder: Path, repeat: int) -> list[Sample]:
    """Copbot's report, as bot/usecases/report_build.py makes it: ``report_data`` in a read
    session, then ``WorkbookMaker().make`` (workbook, chart, summary) in a thread."""
    from sqlalchemy import event
    from sqlalchemy.engine import Engine

    from reports.maker import WorkbookMaker
    from storage.engine import Store, build_engine
    from storage.report_data import report_data
    from storage.report_week import ReportWeek

    job = json.loads((folder / "store.json").read_text())
    store = Store(build_engine(job["url"]))
    week, now = ReportWeek.parse(job["week"]), datetime.fromisoformat(job["now"])
    maker = WorkbookMaker()
    statements: list[Statement] = []

    def capture(_c: Any, _cursor: Any, sql: str, params: Any, _x: Any, many: bool) -> None:
        statements.append((sql, params))

    samples = []
    for run in range(repeat + 1):  # the first run warms up (and captures the SQL): not timed
        if run == 0:
            event.listen(Engine, "before_cursor_execute", capture)
        lags: list[float] = []
        probing = asyncio.create_task(loop_lag(lags))  # what a heartbeat or an ack would feel
        watch = Stopwatch()
        async with store.read() as session:
            data = await report_data(
                session=session, community_id=job["community_id"], week=week, now=now
            )
        sql = watch.lap()
        made = await asyncio.to_thread(maker.make, data)
        files = watch.lap()
        probing.cancel()
        if run == 0:
            event.remove(Engine, "before_cursor_execute", capture)
            (folder / "workbook.xlsx").write_bytes(made.workbook.content)
            (folder / "statements.pickle").write_bytes(pickle.dumps(statements))
        else:
            lags.sort()
            lag = {"lag_p99_ms": lags[int(len(lags) * 0.99)] * 1000, "lag_max_ms": lags[-1] * 1000}
            samples.append(sample(sql, files) | lag)
    await store.close()
    return samples


async def loop_lag(lags: list[float]) -> None:
    """How late a 10 ms timer fires, again and again, while the report is made."""
    while True:
        start = time.perf_counter()
        await asyncio.sleep(0.01)
        lags.append(time.perf_counter() - start - 0.01)


async def prepare(folder: Path, url: str, members: int, rows: int) -> dict[str, Any]:
    """Seed the benchmark's community into an empty store; what the sides need to find it."""
    from sqlalchemy.engine import make_url

    from benchmarks.report_data import AT, empty_schema, seed
    from storage.engine import Store, build_engine
    from storage.migrate import upgrade

    if make_url(url).get_backend_name() == "postgresql":
        await empty_schema(url)
    store = Store(build_engine(url))
    await upgrade(store.engine)
    start = time.perf_counter()
    history = await seed(store, members=members, rows=rows)
    await store.close()
    job = {
        "url": url,
        "community_id": history.community_id,
        "week": history.last_full_week.name,
        "now": AT.isoformat(),
    }
    (folder / "store.json").write_text(json.dumps(job))
    print(
        f"store: {history.members:,} members, {history.ledger_rows:,} ledger rows, "
        f"{history.checkins} check-ins, {history.events} events, "
        f"seeded in {time.perf_counter() - start:.1f} s; "
        f"the report of {job['week']}"
    )
    return job | {"ledger_rows": history.ledger_rows}


def count_cells(folder: Path) -> dict[str, int]:
    """Each sheet's values as copbot's workbook holds them (trailing empty cells dropped),
    saved for the baseline; prints how many cells each sheet has."""
    from openpyxl import load_workbook

    book = load_workbook(folder / "workbook.xlsx", read_only=True)
    cells: dict[str, list[tuple[Any, ...]]] = {}
    for sheet in book.worksheets:
        rows = []
        for row in sheet.iter_rows(values_only=True):
            values = list(row)
            while values and values[-1] is None:
                values.pop()
            rows.append(tuple(values))
        cells[sheet.title] = rows
    book.close()
    (folder / "cells.pickle").write_bytes(pickle.dumps(cells))
    counts = {title: sum(v is not None for r in rows for v in r) for title, rows in cells.items()}
    listed = ", ".join(f"{title} {n:,}" for title, n in counts.items())
    print(f"cells: {sum(counts.values()):,} in {len(cells)} sheets ({listed})")
    print(f"SQL: {len(statements_in(folder))} statements, captured from copbot's run")
    return counts


def statements_in(folder: Path) -> list[Statement]:
    """The SQL copbot's warm-up run sent: each statement's text and its parameters."""
    return list(pickle.loads((folder / "statements.pickle").read_bytes()))


def peaks() -> dict[str, float]:
    """This process's peak RSS in MB: getrusage's (which also counts the process it was started
    from, kept across fork and exec) and the kernel's high-water mark of its own memory."""
    status = Path("/proc/self/status").read_text()
    hwm = next(int(x.split()[1]) for x in status.splitlines() if x.startswith("VmHWM:"))
    return {
        "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,  # KiB on Linux
        "hwm_mb": hwm / 1024,
    }


def write_cells(cells: dict[str, list[tuple[Any, ...]]]) -> bytes:
    """The same values on the same sheets, plain (no styles, widths or freezing), write-only."""
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    for title, rows in cells.items():
        sheet = wb.create_sheet(title)
        for row in rows:
            sheet.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def sqlite_runner(path: str) -> tuple[Callable[[list[Statement]], int], Callable[[], None]]:
    """Run statements through sqlite3 in one deferred read transaction, as copbot's reads are."""
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA query_only=ON")

    def run(statements: list[Statement]) -> int:
        conn.execute("BEGIN")
        rows = sum(len(conn.execute(sql, params).fetchall()) for sql, params in statements)
        conn.execute("COMMIT")
        return rows

    return run, conn.close


async def baseline(folder: Path, repeat: int) -> list[Sample]:
    """The same SQL text and parameters through the raw driver, then the same cells."""
    from sqlalchemy.engine import make_url

    job = json.loads((folder / "store.json").read_text())
    statements = statements_in(folder)
    cells = pickle.loads((folder / "cells.pickle").read_bytes())
    url = make_url(job["url"])
    samples = []
    if url.get_backend_name() == "sqlite":
        run, close = sqlite_runner(url.database or "")
        for number in range(repeat + 1):
            watch = Stopwatch()
            run(statements)
            sql = watch.lap()
            write_cells(cells)
            if number:
                samples.append(sample(sql, watch.lap()))
        close()
        return samples
    import asyncpg

    conn = await asyncpg.connect(url.set(drivername="postgresql").render_as_string(False))
    for number in range(repeat + 1):
        watch = Stopwatch()
        async with conn.transaction(readonly=True):  # copbot's reads are READ ONLY too
            for text, params in statements:
                await conn.fetch(text, *params)
        sql = watch.lap()
        write_cells(cells)
        if number:
            samples.append(sample(sql, watch.lap()))
    await conn.close()
    return samples


def main() -> None:
    step, folder = sys.argv[1], Path(sys.argv[2])
    if step == "seed":
        found = asyncio.run(prepare(folder, sys.argv[3], int(sys.argv[4]), int(sys.argv[5])))
    elif step == "cells":
        found = count_cells(folder)
    else:
        measure = copbot if step == "copbot" else baseline
        found = {"samples": asyncio.run(measure(folder, int(sys.argv[3])))} | peaks()
    print(json.dumps(found))


if __name__ == "__main__":
    main()
