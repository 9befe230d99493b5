"""The import-linter contracts hold on the real tree and break on each import the layers forbid."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tomllib
from dataclasses import dataclass
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
PACKAGES = ("bot", "adapters", "scheduler", "storage", "reports")
LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"


@dataclass(frozen=True)
class Breach:
    """One forbidden import: the line added to a file of the copy, and the contract it breaks."""

    file: str
    line: str
    contract: str  # the contract's id in pyproject.toml
    shown: str  # the offending import as lint-imports names it
    also: tuple[str, ...] = ()  # contracts the same line rightly breaks as well
    new_file: bool = False  # the line is a whole new module, as other engineers add them

    def __str__(self) -> str:
        return f"{self.file}: {self.line}"


BREACHES = [
    # No adapter imports another adapter.
    Breach(
        "adapters/slack/render.py",
        "import adapters.discord.render",
        "adapters-independent",
        "adapters.slack.render -> adapters.discord.render",
    ),
    Breach(
        "adapters/console/sender.py",
        "from adapters.slack import people",
        "adapters-independent",
        "adapters.console.sender -> adapters.slack.people",
    ),
    # Nothing but the root imports the root: not a use case, not a lazy import, not an adapter.
    Breach(
        "bot/usecases/help.py",
        "import bot.bootstrap",
        "root-on-top",
        "bot.usecases.help -> bot.bootstrap",
    ),
    Breach(
        "bot/outbox.py",
        "def _late() -> None: from bot.cli import main  # noqa",
        "root-on-top",
        "bot.outbox -> bot.cli",
        # Adapters import bot.outbox, so through the root they would reach each other.
        also=("adapters-independent",),
    ),
    Breach(
        "adapters/discord/runtime.py",
        "from bot.bootstrap import serve",
        "root-on-top",
        "adapters.discord.runtime -> bot.bootstrap",
        also=("adapters-independent",),
    ),
    # The core reaches no outer package, a new core module included; the root only by name.
    Breach(
        "bot/usecases/checkins.py",
        "import adapters.slack.render",
        "layers",
        "bot.usecases.checkins -> adapters.slack.render",
    ),
    Breach(
        "bot/newcomer.py",
        "from scheduler import loop",
        "layers",
        "bot.newcomer -> scheduler.loop",
        new_file=True,
    ),
    Breach(
        "bot/bootstrap.py",
        "import adapters.slack.render",
        "layers",
        "bot.bootstrap -> adapters.slack.render",
    ),
    Breach(
        "scheduler/loop.py",
        "import adapters.console.render",
        "layers",
        "scheduler.loop -> adapters.console.render",
    ),
    # Storage imports nothing above it.
    Breach(
        "storage/models/ledger.py", "import bot.ids", "layers", "storage.models.ledger -> bot.ids"
    ),
    # No platform SDK, scheduler or spreadsheet library in the core or storage, the root included.
    *(
        Breach("bot/ledger.py", f"import {sdk}", "core-without-sdks", f"bot.ledger -> {sdk}")
        for sdk in (
            "slack_bolt",
            "slack_sdk",
            "discord",
            "apscheduler",
            "openpyxl",
            "matplotlib",
            "aiohttp",
        )
    ),
    Breach(
        "bot/bootstrap.py",
        "import aiohttp",
        "core-without-sdks",
        "bot.bootstrap -> aiohttp",
    ),
    Breach(
        "storage/engine.py",
        "from slack_sdk.web.async_client import AsyncWebClient",
        "core-without-sdks",
        "storage.engine -> slack_sdk",
    ),
]


@pytest.fixture(scope="module")
def tree(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the packages and pyproject.toml, for lint-imports to analyse and tests to edit."""
    root = tmp_path_factory.mktemp("tree")
    for package in PACKAGES:
        shutil.copytree(
            REPO / package, root / package, ignore=shutil.ignore_patterns("__pycache__")
        )
    shutil.copy2(REPO / "pyproject.toml", root / "pyproject.toml")
    return root


def contract_names(tree: Path) -> dict[str, str]:
    """Each contract's id and the name lint-imports reports it by."""
    config = tomllib.loads((tree / "pyproject.toml").read_text())
    return {c["id"]: c["name"] for c in config["tool"]["importlinter"]["contracts"]}


def lint_imports(tree: Path) -> subprocess.CompletedProcess[str]:
    """Run the venv's lint-imports on the copy (first on the path, and the working directory)."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(tree), env.get("PYTHONPATH")]))
    env["COLUMNS"] = "500"  # one contract per line, however long its name
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache", "--no-logo"],
        cwd=tree,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_the_contracts_hold_on_the_tree_as_it_is(tree: Path) -> None:
    result = lint_imports(tree)
    assert result.returncode == 0, result.stdout + result.stderr
    for name in contract_names(tree).values():
        assert f"{name} KEPT" in result.stdout
    assert "0 broken" in result.stdout


@pytest.mark.parametrize("breach", BREACHES, ids=str)
def test_each_forbidden_import_breaks_its_contract(tree: Path, breach: Breach) -> None:
    path = tree / breach.file
    assert path.exists() != breach.new_file, f"{breach.file}: update this case"
    before = None if breach.new_file else path.read_text()
    path.write_text((before or "") + breach.line + "\n")
    try:
        result = lint_imports(tree)
    finally:
        if before is None:
            path.unlink()
        else:
            path.write_text(before)
    names = contract_names(tree)
    output = result.stdout + result.stderr
    assert result.returncode == 1, output
    assert f"{names[breach.contract]} BROKEN" in result.stdout, output
    assert breach.shown in result.stdout, output
    # One line breaks its rule and no unrelated one, so the report points at the right rule.
    broken = {key for key, name in names.items() if f"{name} BROKEN" in result.stdout}
    assert broken == {breach.contract, *breach.also}, output
