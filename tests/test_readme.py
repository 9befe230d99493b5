"""The README tells the truth: its command reference and Quick start match the code and CI."""

from __future__ import annotations

import re
from pathlib import Path

from bot.commands.catalog import build_catalog
from bot.commands.reference import markdown_reference
from reports.definitions import markdown_definitions

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text()


def test_the_command_reference_is_generated_from_the_spec() -> None:
    block = re.search(r"<!-- commands:start.*?-->\n(.*?)<!-- commands:end -->", README, re.DOTALL)
    assert block is not None
    assert block.group(1) == markdown_reference(build_catalog()), (
        "README's command reference is stale: paste `python -m bot.commands.reference` into it"
    )


def test_the_metric_definitions_are_generated_from_the_queries() -> None:
    block = re.search(
        r"<!-- definitions:start.*?-->\n(.*?)<!-- definitions:end -->", README, re.DOTALL
    )
    assert block is not None
    assert block.group(1) == markdown_definitions(), (
        "README's metric definitions are stale: paste `python -m reports.definitions` into it"
    )


def test_the_quick_start_is_two_commands_and_ci_runs_the_test_one_verbatim() -> None:
    section = README.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    commands = re.search(r"```sh\n(.*?)```", section, re.DOTALL)
    assert commands is not None
    lines = [line.split("#")[0].strip() for line in commands.group(1).strip().splitlines()]
    assert lines == ["python3 scripts/dev.py run", "python3 scripts/dev.py test"]
    assert "python3 scripts/dev.py test" in (ROOT / ".ci" / "run").read_text()
