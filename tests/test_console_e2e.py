"""End to end: a real ``copbot run`` process driven through the console with piped input."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from bot import __version__
from storage.migrate import head_revision

ROOT = Path(__file__).resolve().parent.parent
COPBOT = str(Path(sys.executable).parent / "copbot")
EXAMPLE = str(ROOT / "config.example.toml")


def copbot(*args: str, stdin: str = "", cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [COPBOT, *args], input=stdin, cwd=cwd, capture_output=True, text=True, timeout=60
    )


def test_the_readme_example_runs_on_the_embedded_defaults(tmp_path: Path) -> None:
    lines = (
        "/cop help\n"
        '/cop checkin add name:standup schedule:"daily 09:00" questions:"What did you learn?"\n'
        "/cop checkin list\n"
    )
    result = copbot("run", stdin=lines, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "Here is what you can do as a facilitator of console-local" in result.stdout
    assert "✅ Check-in created: #1 *standup*: every day at 09:00 UTC" in result.stdout
    assert (
        "• #1 *standup*: every day at 09:00 UTC, to members, 1 question [active]" in result.stdout
    )
    assert (tmp_path / "copbot.db").exists()
    assert result.stderr == ""


def test_a_member_answers_a_checkin_through_the_console(tmp_path: Path) -> None:
    session = "\n".join(
        [
            "hello everyone",
            ":as bob",
            "hi alice",
            ":as alice",
            '/cop checkin add name:standup schedule:"weekdays 09:30" questions:"Learned?|Blocked?"'
            " share:#wins",
            "/cop checkin run 1",
            ":as bob",
            ":click 6",
            "",
            "pytest fixtures",
            "nothing",
            ":as alice",
            "/cop checkin list",
            "/cop me",
        ]
    )
    result = copbot("run", "--config", EXAMPLE, stdin=session + "\n", cwd=tmp_path)
    out = result.stdout
    assert result.returncode == 0, result.stderr
    # Each first line brought its writer a welcome DM (m1, m2); then the check-in's DMs.
    assert "[copbot → DM to alice] (m1)" in out and "[copbot → DM to bob] (m2)" in out
    assert "Welcome to demo, bob!" in out and "[4] 🤝 Join pairing" in out
    assert "[copbot → DM to alice] (m3)" in out and "[copbot → DM to bob] (m4)" in out
    assert "[6] Answer" in out
    assert "[form] standup: 2 fields." in out
    assert "This one needs an answer (or :cancel)." in out
    assert "🙏 Thanks, bob! Your answers to standup are in." in out
    assert "[copbot → #wins, thread of m5]" in out
    assert "1 run, 1/2 answered" in out
    assert "Last 7 days: 1 message, 0 thread replies, 0 reactions, 0 check-ins answered" in out


def test_the_store_outlives_the_process(tmp_path: Path) -> None:
    first = copbot(
        "run", stdin='/cop checkin add name:a schedule:"daily 09:00" questions:Q\n', cwd=tmp_path
    )
    assert first.returncode == 0 and "✅ Check-in created" in first.stdout
    again = copbot("run", stdin="/cop checkin list\n", cwd=tmp_path)
    assert again.returncode == 0 and "#1 *a*: every day at 09:00 UTC" in again.stdout


def test_message_text_never_reaches_the_database(tmp_path: Path) -> None:
    secret = "zebra-quartz-secret-phrase"
    result = copbot("run", stdin=f"{secret}\n:as bob\nhello {secret}\n/cop me\n", cwd=tmp_path)
    assert "Last 7 days: 1 message," in result.stdout
    stored = b"".join(p.read_bytes() for p in tmp_path.glob("copbot.db*"))
    assert b"bob" in stored and secret.encode() not in stored


def test_a_config_adopts_the_community_made_before_it(tmp_path: Path) -> None:
    copbot("run", stdin="hello\n:as bob\nhi\n", cwd=tmp_path)  # no config: "console-local"
    result = copbot(
        "run",
        "--config",
        EXAMPLE,
        stdin='/cop checkin add name:s schedule:"daily 09:00" questions:Q\n/cop checkin run 1\n',
        cwd=tmp_path,
    )
    assert "📨 Queued s for 2 members;" in result.stdout
    assert "Time for the *s* check-in of demo" in result.stdout


def test_console_input_that_is_not_a_command(tmp_path: Path) -> None:
    lines = (
        b"hi \xff there\n"  # not UTF-8: read anyway, never ends the session
        b"/copy that\n"
        b":as " + b"x" * 70 + b"\n"
        b"/cop charter\n"
        b":as bob\n"
        b"-\n"
        b":cancel\n"
        b"/cop about\n"
    )
    result = subprocess.run(
        [COPBOT, "run"], input=lines, cwd=tmp_path, capture_output=True, timeout=60
    )
    out = result.stdout.decode()
    assert result.returncode == 0, result.stderr
    assert "(there is no /copy; copbot's command is /cop, try /cop help)" in out
    assert ":as takes a name of letters" in out
    assert "(you are filling Community charter; :cancel to stop." in out
    assert "(form cancelled; nothing was sent)" in out
    assert "*console-local*, a community of practice. Its charter has not been written yet." in out


def test_an_unopenable_database_or_log_level_is_a_message_not_a_traceback(tmp_path: Path) -> None:
    config = tmp_path / "copbot.toml"
    config.write_text('[storage]\nurl = "sqlite+aiosqlite:///no/such/folder/x.db"\n')
    result = copbot("run", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.startswith("Cannot open the database") and "Traceback" not in result.stderr
    noisy = subprocess.run(
        [COPBOT, "run"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env={**os.environ, "COPBOT_LOG_LEVEL": "verbose"},
        timeout=60,
    )
    assert noisy.returncode == 2 and "COPBOT_LOG_LEVEL=verbose is not a level" in noisy.stderr


def test_bad_commands_get_a_message_and_the_bot_goes_on(tmp_path: Path) -> None:
    result = copbot(
        "run", stdin='/cop chekin list\n/cop checkin add name:"oops\n/cop about\n', cwd=tmp_path
    )
    assert result.returncode == 0
    assert "I don't know `/cop chekin`. Did you mean `checkin`?" in result.stdout
    assert "A quote is not closed" in result.stdout
    assert "*console-local*, a community of practice." in result.stdout


def test_a_broken_config_stops_run_with_the_check_config_messages(tmp_path: Path) -> None:
    config = tmp_path / "bad.toml"
    config.write_text('[console]\nenabeld = true\n[[communities]]\nname = "x"\ntimezone = "Mars"\n')
    run = copbot("run", "--config", str(config), cwd=tmp_path)
    check = copbot("check-config", str(config), cwd=tmp_path)
    assert run.returncode == check.returncode == 2
    assert run.stderr == check.stderr
    assert "has 2 problems:" in run.stderr
    assert "console.enabeld: unknown key; did you mean 'enabled'?" in run.stderr
    assert "Traceback" not in run.stderr
    missing = copbot("run", "--config", str(tmp_path / "nope.toml"), cwd=tmp_path)
    assert missing.returncode == 2 and "file not found" in missing.stderr


def test_version_help_check_config_and_db_upgrade(tmp_path: Path) -> None:
    assert copbot("--version", cwd=tmp_path).stdout.strip() == f"copbot {__version__}"
    helped = copbot("--help", cwd=tmp_path)
    assert helped.returncode == 0 and "check-config" in helped.stdout and "run" in helped.stdout
    checked = copbot("check-config", EXAMPLE, cwd=tmp_path)
    assert checked.returncode == 0 and "is valid: 1 community," in checked.stdout
    config = tmp_path / "copbot.toml"
    config.write_text(f'[storage]\nurl = "sqlite+aiosqlite:///{tmp_path / "x.db"}"\n')
    upgraded = copbot("db", "upgrade", cwd=tmp_path)
    assert upgraded.returncode == 0
    assert f"database is at revision {head_revision()}" in upgraded.stdout


def test_a_scheduled_checkin_is_listed_and_the_process_ends_cleanly(tmp_path: Path) -> None:
    """A real copbot process with its scheduler: an every-minute check-in is listed as coming up,
    and the end of the input stops the scheduler and the outbox without a traceback. (Its
    firing through the real APScheduler loop is tested in-process, with a calendar that fires in
    100 ms: tests/test_jobs.py.)"""
    result = copbot(
        "run",
        stdin="hello\n"
        '/cop checkin add name:tick schedule:"cron 0 * * * *" questions:"Still there?"\n'
        "/cop upcoming\n",
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    assert "Coming up in console-local (next 7 days):" in result.stdout
    assert ": tick → 1 member" in result.stdout
    assert "Traceback" not in result.stderr


def test_schedule_list_prints_the_next_week(tmp_path: Path) -> None:
    copbot(
        "run",
        stdin='/cop checkin add name:standup schedule:"weekdays 09:30" questions:Q\n',
        cwd=tmp_path,
    )
    listed = copbot("schedule", "list", cwd=tmp_path)
    assert listed.returncode == 0, listed.stderr
    lines = listed.stdout.splitlines()
    assert lines[0] == "console-local:"
    assert sum("09:30 UTC: standup → 1 member" in line for line in lines) == 5
