"""Run every benchmark, one after the other, each printing its figures and its ratio to a baseline
measured in the same run.

    .venv/bin/python benchmarks/run_all.py [--quick] [--url URL] [NAME ...]

NAME picks some (ingest, fanout, launch, commands, upcoming, ledger, report); --quick runs smaller
versions (a minute or two in all instead of about seven); --url runs them on PostgreSQL instead
of SQLite in temporary files: give a scratch database, its schema is emptied before each benchmark.
"""

from __future__ import annotations

import argparse
import asyncio
import subprocess
import sys
import time
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.engine import make_url

from storage.engine import build_engine

HERE = Path(__file__).resolve().parent
# name: (script, arguments of the full run, arguments of the quick run)
BENCHMARKS: dict[str, tuple[str, list[str], list[str]]] = {
    "ingest": ("ingest.py", [], ["--events", "1000"]),
    "fanout": ("fanout.py", [], ["--quick"]),
    "launch": ("launch.py", [], ["--quick"]),
    "commands": ("commands.py", [], ["--quick"]),
    "upcoming": ("upcoming.py", [], ["--rounds", "3"]),
    "ledger": ("ledger_group_commit.py", [], ["--events", "1000"]),
    "report": ("report.py", [], ["--quick"]),
}


async def empty_schema(url: str) -> None:
    """Drop and recreate the public schema of a scratch PostgreSQL database."""
    engine = build_engine(url)
    async with engine.begin() as conn:
        await conn.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
        await conn.execute(text("CREATE SCHEMA public"))
    await engine.dispose()


def main() -> int:
    """Run the chosen benchmarks; exit 1 if any of them failed."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("names", nargs="*", metavar="NAME", help=", ".join(BENCHMARKS))
    parser.add_argument("--quick", action="store_true", help="smaller runs, for trying")
    parser.add_argument("--url", help="a scratch PostgreSQL database (default: SQLite)")
    args = parser.parse_args()
    unknown = [n for n in args.names if n not in BENCHMARKS]
    if unknown:
        parser.error(f"unknown benchmark {', '.join(unknown)}; pick from {', '.join(BENCHMARKS)}")
    postgres = bool(args.url) and make_url(args.url).get_backend_name() == "postgresql"
    failed: list[str] = []
    for name in args.names or list(BENCHMARKS):
        script, full, quick = BENCHMARKS[name]
        command = [sys.executable, str(HERE / script), *(quick if args.quick else full)]
        if args.url:
            command += ["--url", args.url]
            if postgres:
                asyncio.run(empty_schema(args.url))
        print(f"\n== {name}: {' '.join(command[1:])}", flush=True)
        start = time.perf_counter()
        code = subprocess.call(command)
        print(f"== {name}: {'ok' if code == 0 else f'failed ({code})'} in "
              f"{time.perf_counter() - start:.0f} s", flush=True)  # fmt: skip
        if code != 0:
            failed.append(name)
    if failed:
        print(f"\nFailed: {', '.join(failed)}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
