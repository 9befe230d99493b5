"""The ``copbot`` command: parses the command line and hands over to the composition root."""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import sys
from pathlib import Path

from bot import __version__
from bot.bootstrap import StartupError, serve
from bot.clock import SystemClock
from bot.config import Config, ConfigError, load_config
from bot.offline import db_upgrade, schedule_list, write_report
from reports.demo import DemoError, run_demo
from reports.maker import WorkbookMaker
from scheduler.calendar import CronCalendar

LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")
CONFIG_HELP = (
    "config file (default: $COPBOT_CONFIG, else ./copbot.toml if present, "
    "else the embedded defaults: console adapter and SQLite)"
)


def config_path(given: Path | None) -> Path | None:
    """Which config file to read: the one given, $COPBOT_CONFIG, ./copbot.toml, or none."""
    if given is not None:
        return given
    if os.environ.get("COPBOT_CONFIG"):
        return Path(os.environ["COPBOT_CONFIG"])
    local = Path("copbot.toml")
    return local if local.exists() else None


def read_config(given: Path | None) -> Config:
    """Load and validate the config, or raise ConfigError with every problem."""
    return load_config(config_path(given), calendar=CronCalendar())


DAYS_AHEAD = (1, 60)


def days_ahead(text: str) -> int:
    """``--days``: a whole number of days from 1 to 60, refused (not clamped) otherwise."""
    low, high = DAYS_AHEAD
    if not text.strip().isdigit() or not low <= int(text) <= high:
        raise argparse.ArgumentTypeError(
            f"expected a whole number of days from {low} to {high}, not {text}"
        )
    return int(text)


def plural(count: int, word: str, words: str | None = None) -> str:
    """``1 community``, ``2 communities``."""
    return f"{count} {word if count == 1 else words or word + 's'}"


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="copbot", description="A facilitator bot for communities of practice."
    )
    parser.add_argument("--version", action="version", version=f"copbot {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    run = commands.add_parser("run", help="run every enabled adapter until Ctrl-C or end of input")
    run.add_argument("--config", type=Path, help=CONFIG_HELP)
    check = commands.add_parser("check-config", help="validate a config file; report every problem")
    check.add_argument("--config", type=Path, help=CONFIG_HELP)
    check.add_argument("path", nargs="?", type=Path, help="the same as --config")
    db = commands.add_parser("db", help="database maintenance")
    db_commands = db.add_subparsers(dest="db_command", required=True, metavar="COMMAND")
    db_up = db_commands.add_parser("upgrade", help="apply the database migrations")
    db_up.add_argument("--config", type=Path, help=CONFIG_HELP)
    schedule = commands.add_parser("schedule", help="what copbot will send")
    schedule_commands = schedule.add_subparsers(
        dest="schedule_command", required=True, metavar="COMMAND"
    )
    listing = schedule_commands.add_parser("list", help="every firing of the next 7 days")
    listing.add_argument("--config", type=Path, help=CONFIG_HELP)
    listing.add_argument(
        "--days", type=days_ahead, default=7, help="how many days ahead, 1 to 60 (default 7)"
    )
    report = commands.add_parser("report", help="write a week's report workbook from the store")
    report.add_argument("--config", type=Path, help=CONFIG_HELP)
    report.add_argument("--community", required=True, help="the community's name")
    report.add_argument("--week", help="an ISO week such as 2026-W48 (default: last week)")
    report.add_argument(
        "--out",
        type=Path,
        help="a file or folder to write to (default: cop-<community>-<week>.xlsx)",
    )
    demo = commands.add_parser(
        "demo", help="make a demo community with 12 weeks of history and write its report"
    )
    demo.add_argument(
        "--out", type=Path, default=Path("copbot-demo"), help="the folder (default: copbot-demo)"
    )
    return parser


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``copbot`` command."""
    parser = _parser()
    args = parser.parse_args(argv)
    if args.command == "check-config":
        if args.path and args.config and args.path != args.config:
            parser.error("check-config: give the config file once, as --config PATH or as PATH")
        args.config = args.config or args.path
    level = os.environ.get("COPBOT_LOG_LEVEL", "WARNING").upper()
    if level not in LOG_LEVELS:
        print(
            f"COPBOT_LOG_LEVEL={level.lower()} is not a level; use one of {', '.join(LOG_LEVELS)}.",
            file=sys.stderr,
        )
        return 2
    logging.basicConfig(
        level=level, stream=sys.stderr, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    if level != "DEBUG":
        # APScheduler says "Added job" for every job of every rebuild; copbot's own scheduler
        # lines say what changed.
        logging.getLogger("apscheduler").setLevel(max(logging.WARNING, logging.getLevelName(level)))
    try:
        if args.command == "check-config":
            path = config_path(args.config)
            config = read_config(args.config)
            where = path or "the embedded defaults"
            print(
                f"✓ {where} is valid: "
                f"{plural(len(config.communities), 'community', 'communities')}, "
                f"storage {config.storage.url.split('@')[-1]}."
            )
            return 0
        if args.command == "demo":
            made = asyncio.run(run_demo(args.out, SystemClock().now()))
            print(
                f"✓ made the demo community: {made.members} members, "
                f"{made.ledger_rows:,} acts over 12 weeks, in {made.database}"
            )
            print(f"✓ wrote {made.workbook} and its chart {made.chart}")
            for line in made.summary:
                print(f"  {line}")
            print(f"Explore it: copbot run --config {made.config}")
            return 0
        config = read_config(args.config)
        if args.command == "schedule":
            for line in asyncio.run(schedule_list(config, CronCalendar(), args.days)):
                print(line)
            return 0
        if args.command == "report":
            now = SystemClock().now()
            report = write_report(config, args.community, args.week, args.out, now, WorkbookMaker())
            written = asyncio.run(report)
            print(f"✓ wrote {written.workbook} and its chart {written.chart}")
            for line in written.summary:
                print(f"  {line}")
            return 0
        if args.command == "db":
            revision = asyncio.run(db_upgrade(config))
            print(f"✓ database is at revision {revision}.")
            return 0
        asyncio.run(serve(config, interactive=sys.stdin.isatty()))
        return 0
    except ConfigError as error:
        print(error.describe(), file=sys.stderr)
        return 2
    except (StartupError, DemoError) as error:
        print(error, file=sys.stderr)
        return 2
    except KeyboardInterrupt:  # before the event loop took over the signal
        return 130
