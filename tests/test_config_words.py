"""check-config speaks to the operator: what each key expects with an example line, TOML errors
at their line and column, every problem at once under the file named once (issue 9, Words)."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from bot.config import ConfigError, load_config
from bot.config_problems import toml_problem
from scheduler.calendar import CronCalendar

JARGON = ("Input should", "Field required", "String should", "validation error", "pattern", "dict")


def described(tmp_path: Path, text: str) -> str:
    path = tmp_path / "copbot.toml"
    path.write_text(text)
    with pytest.raises(ConfigError) as caught:
        load_config(path, calendar=CronCalendar())
    return caught.value.describe()


@pytest.mark.parametrize(
    ("text", "line"),
    [
        (
            "[[communities]]\ntimezone = 'UTC'\n",
            'communities[0].name: missing; e.g. name = "Data CoP"',
        ),
        (
            '[[communities]]\nname = ""\n',
            'communities[0].name: cannot be empty; e.g. name = "Data CoP"',
        ),
        (
            "[[communities]]\nname = 'a'\nfacilitators = 'slack:U1'\n",
            "communities[0].facilitators: expected a list in brackets; "
            'e.g. facilitators = ["slack:U123", "discord:4444", "console:alice"]',
        ),
        (
            "[discord]\nshard_count = 'two'\n",
            "discord.shard_count: expected a whole number; e.g. shard_count = 2",
        ),
        (
            "[console]\nenabled = 3\n",
            "console.enabled: expected true or false; e.g. enabled = true",
        ),
        (
            "[storage]\nwrite_wait = 'soon'\n",
            "storage.write_wait: expected a number; e.g. write_wait = 5.0",
        ),
        ("[slack]\nport = 0\n", "slack.port: expected a number from 1 to 65535; e.g. port = 3000"),
        (
            "[console]\nuser = 'a b'\n",
            'console.user: expected a name of letters, digits, ".", "-" or "_" (at most 64); '
            'e.g. user = "alice"',
        ),
        (
            "[slack]\npath = 'events'\n",
            'slack.path: expected a path that starts with "/"; e.g. path = "/slack/events"',
        ),
        ("storage = 3\n", "storage: expected a table: write [storage] with its keys below it"),
        (
            "communities = 3\n",
            "communities: expected one [[communities]] block for each community, "
            "with its keys below it",
        ),
    ],
)
def test_each_key_says_what_it_expects_with_an_example(
    tmp_path: Path, text: str, line: str
) -> None:
    message = described(tmp_path, text)
    assert message.splitlines() == [f"{tmp_path / 'copbot.toml'} has 1 problem:", f"  - {line}"]
    assert not any(word in message for word in JARGON), message


def test_a_timezone_says_what_it_expects(tmp_path: Path) -> None:
    """The words are the timezone check's own (shared with ``/cop tz``): an example, no jargon."""
    lines = described(tmp_path, "[[communities]]\nname = 'a'\ntimezone = 5\n").splitlines()
    assert len(lines) == 2 and lines[1].startswith("  - communities[0].timezone: ")
    assert "Europe/Berlin" in lines[1] and not any(word in lines[1] for word in JARGON)


def test_every_problem_at_once_each_on_its_line_and_the_file_named_once(tmp_path: Path) -> None:
    message = described(
        tmp_path,
        "[slack]\nmode = 'webhook'\nport = 'x'\n[console]\nadmins = 'alice'\n"
        "[[communities]]\nslack_team_id = 'T1'\n",
    )
    lines = message.splitlines()
    assert lines[0] == f"{tmp_path / 'copbot.toml'} has 4 problems:"
    assert [line.split(":")[0] for line in lines[1:]] == [
        "  - console.admins",
        "  - slack.mode",
        "  - slack.port",
        "  - communities[0].name",
    ]
    assert message.count(str(tmp_path)) == 1
    assert not any(word in message for word in JARGON), message


@pytest.mark.parametrize(
    ("text", "where"),
    [
        ("[storage]\nurl = 'x'\nurl = 'y'\n", "line 3, column 10"),
        ('[console]\nuser = "alice\n', "line 2, column 14"),
        ("a = [1,\n", "the end of the file"),
    ],
)
def test_invalid_toml_is_reported_at_its_line_and_column(
    tmp_path: Path, text: str, where: str
) -> None:
    lines = described(tmp_path, text).splitlines()
    assert len(lines) == 2 and lines[1].startswith(f"  - {where}: not valid TOML: "), lines


def test_python_314_toml_errors_are_read_from_their_attributes() -> None:
    """From Python 3.14 the position is in attributes (msg, lineno, colno) as well."""

    class NewStyleError(tomllib.TOMLDecodeError):
        def __init__(self) -> None:
            super().__init__("Invalid value (at line 4, column 7)")
            self.msg, self.lineno, self.colno = "Invalid value", 4, 7

    assert str(toml_problem(NewStyleError())) == "line 4, column 7: not valid TOML: invalid value"
