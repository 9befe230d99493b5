"""The ``copbot`` command line: secrets named at once, ``--days`` refused out of range,
``check-config --config`` (issue 9, items 10 and 11), in words a person reads."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.cli import main

BOTH = "[slack]\nenabled = true\n[discord]\nenabled = true\n[console]\nenabled = false\n"
SECRETS = ("SLACK_BOT_TOKEN", "SLACK_APP_TOKEN", "SLACK_SIGNING_SECRET", "DISCORD_TOKEN")


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    try:
        code = main(list(argv))
    except SystemExit as exit:  # argparse refuses before main returns
        code = int(exit.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def no_secrets(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in SECRETS:
        monkeypatch.delenv(name, raising=False)


@pytest.mark.usefixtures("no_secrets")
def test_run_names_every_missing_secret_of_slack_and_discord_at_once(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = tmp_path / "copbot.toml"
    config.write_text(f'[storage]\nurl = "sqlite+aiosqlite:///{tmp_path / "x.db"}"\n{BOTH}')
    code, out, err = run(capsys, "run", "--config", str(config))
    assert code == 2 and out == ""
    assert err.splitlines() == [
        "copbot cannot start: these environment variables are not set:",
        "  - SLACK_BOT_TOKEN (the bot token (xoxb-...)), for [slack] in socket mode",
        "  - SLACK_APP_TOKEN (the app-level token (xapp-...) for Socket Mode), for [slack] in "
        "socket mode",
        "  - DISCORD_TOKEN (the bot token), for [discord]",
    ]
    assert not (tmp_path / "x.db").exists()  # refused before the database is touched


@pytest.mark.usefixtures("no_secrets")
def test_only_the_missing_secrets_are_named(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-1")
    config = tmp_path / "copbot.toml"
    config.write_text(BOTH.replace("enabled = true\n[d", 'enabled = true\nmode = "http"\n[d', 1))
    code, _, err = run(capsys, "run", "--config", str(config))
    assert code == 2
    assert "SLACK_BOT_TOKEN" not in err and "SLACK_APP_TOKEN" not in err
    assert "SLACK_SIGNING_SECRET (the signing secret, to verify requests), for [slack]" in err
    assert "DISCORD_TOKEN (the bot token), for [discord]" in err


@pytest.mark.parametrize("days", ["0", "61", "-3", "soon", "2.5"])
def test_schedule_list_refuses_days_out_of_range(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, days: str
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("COPBOT_CONFIG", raising=False)
    code, out, err = run(capsys, "schedule", "list", "--days", days)
    assert code == 2 and out == ""
    assert f"--days: expected a whole number of days from 1 to 60, not {days}" in err
    assert not (tmp_path / "copbot.db").exists()


def test_schedule_list_takes_60_days(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("COPBOT_CONFIG", raising=False)
    code, out, err = run(capsys, "schedule", "list", "--days", "60")
    assert (code, err) == (0, "")
    assert out.splitlines() == []  # a new database holds no community yet


def test_check_config_takes_config_like_every_subcommand(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    good = tmp_path / "good.toml"
    good.write_text('[[communities]]\nname = "a"\n[[communities]]\nname = "b"\n')
    code, out, _ = run(capsys, "check-config", "--config", str(good))
    assert code == 0
    assert out == f"✓ {good} is valid: 2 communities, storage sqlite+aiosqlite:///copbot.db.\n"
    good.write_text('[[communities]]\nname = "a"\n')
    code, out, _ = run(capsys, "check-config", str(good))  # the positional form stays
    assert code == 0 and "is valid: 1 community, storage" in out
    bad = tmp_path / "bad.toml"
    bad.write_text("[slack]\nport = 0\n")
    code, _, err = run(capsys, "check-config", "--config", str(bad))
    assert code == 2
    assert err.splitlines() == [
        f"{bad} has 1 problem:",
        "  - slack.port: expected a number from 1 to 65535; e.g. port = 3000",
    ]
    code, _, err = run(capsys, "check-config", str(good), "--config", str(bad))
    assert code == 2 and "give the config file once, as --config PATH or as PATH" in err
