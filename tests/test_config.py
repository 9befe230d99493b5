"""The config file: defaults, the shipped example, and every problem reported at once."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.config import ConfigError, load_config
from scheduler.calendar import CronCalendar

ROOT = Path(__file__).resolve().parent.parent


def load(tmp_path: Path, text: str):  # type: ignore[no-untyped-def]
    path = tmp_path / "copbot.toml"
    path.write_text(text)
    return load_config(path, calendar=CronCalendar())


def problems(tmp_path: Path, text: str) -> list[str]:
    with pytest.raises(ConfigError) as caught:
        load(tmp_path, text)
    return [str(p) for p in caught.value.problems]


def test_embedded_defaults_are_the_console_and_sqlite() -> None:
    config = load_config(None)
    assert config.console.enabled is True
    assert config.storage.url == "sqlite+aiosqlite:///copbot.db"
    assert config.scheduler.misfire_grace == 3600
    assert config.communities == ()


def test_the_shipped_example_is_valid_and_runs_on_the_defaults() -> None:
    config = load_config(ROOT / "config.example.toml", calendar=CronCalendar())
    defaults = load_config(None)
    assert config.storage == defaults.storage
    assert config.console.enabled
    assert [c.name for c in config.communities] == ["demo"]


def test_a_full_config_is_read(tmp_path: Path) -> None:
    config = load(
        tmp_path,
        """
        [storage]
        url = "postgresql+asyncpg://postgres@127.0.0.1/copbot"
        [scheduler]
        misfire_grace = "30m"
        [reports]
        weekly = "Monday 08:00"
        [[communities]]
        name = "Data CoP"
        timezone = "Europe/Berlin"
        slack_team_id = "T1"
        discord_guild_id = 4444
        home_channels = ["C1"]
        facilitators = ["slack:U1", "discord:99"]
        leads = ["slack:U2"]
        """,
    )
    assert config.scheduler.misfire_grace == 1800
    assert config.reports.weekly == "mon 08:00"
    community = config.communities[0]
    assert community.discord_guild_id == "4444"
    assert community.facilitators == ("slack:U1", "discord:99")


def test_every_problem_is_reported_at_once_with_its_key_path(tmp_path: Path) -> None:
    found = problems(
        tmp_path,
        """
        [storage]
        url = "mysql://localhost/copbot"
        [scheduler]
        misfire_grace = "soon"
        [reports]
        weekly = "fortnightly"
        [console]
        enabeld = true
        [[communities]]
        name = "a"
        timezone = "Europe/Berln"
        facilitators = ["U123"]
        """,
    )
    assert len(found) == 6, found
    joined = "\n".join(found)
    assert "storage.url: expected sqlite+aiosqlite:///path.db" in joined
    assert "scheduler.misfire_grace: expected a duration" in joined
    assert 'reports.weekly: "fortnightly"' in joined
    assert "console.enabeld: unknown key; did you mean 'enabled'?" in joined
    assert 'communities[0].timezone: "Europe/Berln" is not a timezone. Did you mean' in joined
    assert "communities[0].facilitators[0]: 'U123' is not a platform-qualified id" in joined


def test_unknown_top_level_and_community_keys_get_a_suggestion(tmp_path: Path) -> None:
    found = problems(
        tmp_path,
        """
        [storag]
        url = "sqlite+aiosqlite:///x.db"
        [[communities]]
        name = "a"
        lead = ["slack:U1"]
        """,
    )
    joined = "\n".join(found)
    assert "storag: unknown key; did you mean 'storage'?" in joined
    assert "communities[0].lead: unknown key; did you mean 'leads'?" in joined


def test_two_communities_cannot_share_a_name_or_a_workspace(tmp_path: Path) -> None:
    found = problems(
        tmp_path,
        """
        [[communities]]
        name = "a"
        slack_team_id = "T1"
        [[communities]]
        name = "a"
        slack_team_id = "T1"
        timezone = "Nowhere"
        """,
    )
    assert found == [
        'communities[1].timezone: "Nowhere" is not a timezone: write an Area/City name like '
        "Europe/Berlin or America/New_York, or UTC.",
        "communities[1].name: name 'a' is used by communities[0] too; each must be unique",
        "communities[1].slack_team_id: slack_team_id 'T1' is used by communities[0] too; "
        "each must be unique",
    ]


def test_an_in_memory_database_is_refused(tmp_path: Path) -> None:
    found = problems(tmp_path, '[storage]\nurl = "sqlite+aiosqlite://"\n')
    assert found == [
        "storage.url: an in-memory SQLite database loses everything at exit; give a file, "
        "e.g. sqlite+aiosqlite:///copbot.db"
    ]


def test_broken_toml_and_missing_files_are_clear(tmp_path: Path) -> None:
    assert problems(tmp_path, "[storage\nurl=") == [
        "line 1, column 9: not valid TOML: expected ']' at the end of a table declaration"
    ]
    with pytest.raises(ConfigError) as caught:
        load_config(tmp_path / "nope.toml")
    assert caught.value.describe().endswith("file not found")


def test_the_slack_section_is_checked(tmp_path: Path) -> None:
    found = problems(
        tmp_path,
        '[slack]\nenabled = true\nmode = "webhook"\nport = 70000\napi_base_url = "slack.com"\n',
    )
    joined = "\n".join(found)
    assert 'slack.mode: expected "socket" or "http"; e.g. mode = "socket"' in joined
    assert "slack.port: expected a number from 1 to 65535; e.g. port = 3000" in joined
    assert (
        "slack.api_base_url: expected an http:// or https:// URL; "
        'e.g. api_base_url = "https://slack.com/api/"' in joined
    )


def test_discord_shards_must_fit(tmp_path: Path) -> None:
    found = problems(tmp_path, "[discord]\nshard_ids = [0, 1]\n")
    assert found == ["discord: shard_ids needs shard_count (how many shards there are in all)"]
    found = problems(tmp_path, "[discord]\nshard_count = 2\nshard_ids = [0, 2]\n")
    assert found == ["discord: shard_ids [2] are not between 0 and shard_count - 1"]


def test_home_channels_take_bare_and_platform_qualified_ids(tmp_path: Path) -> None:
    config = load(
        tmp_path,
        """
        [[communities]]
        name = "a"
        slack_team_id = "T1"
        discord_guild_id = "4444"
        console_workspace = "local"
        home_channels = ["C0BARE", "slack:C0123", 1234567890, "console:general"]
        """,
    )
    community = config.communities[0]
    assert community.home_channels == ("C0BARE", "slack:C0123", "1234567890", "console:general")
    assert community.counts_channel("slack", "C0123")
    assert not community.counts_channel("discord", "C0123")  # qualified: its platform only
    assert community.counts_channel("discord", "C0BARE")  # bare: any platform
    assert community.counts_channel("console", "general")
    assert not community.counts_channel("console", "random")


def test_home_channels_that_cannot_match_are_refused(tmp_path: Path) -> None:
    found = problems(
        tmp_path,
        """
        [[communities]]
        name = "a"
        slack_team_id = "T1"
        home_channels = ["#general", "discord:123456789", "slack:C0123", "teams:1", "discord:gen"]
        """,
    )
    assert found[0].startswith(
        "communities[0].home_channels[0]: '#general' is a channel name; give its id instead, "
        'e.g. "slack:C0123456"'
    )
    assert found[1].startswith("communities[0].home_channels[3]: 'teams:1' names no platform")
    assert found[2] == (
        "communities[0].home_channels[4]: 'discord:gen' is not a Discord channel id such as "
        '"discord:1234567890"'
    )
    assert found[3] == (
        "communities[0].home_channels[1]: 'discord:123456789' is a Discord channel, but this "
        "community has no discord_guild_id; set discord_guild_id, or remove the channel"
    )
    assert len(found) == 4, found


def test_nudges_weeks_is_between_1_and_52(tmp_path: Path) -> None:
    assert load(tmp_path, "[nudges]\nweeks = 6\n").nudges.weeks == 6
    assert load_config(None).nudges.weeks == 3
    for weeks in (0, 53):
        found = problems(tmp_path, f"[nudges]\nweeks = {weeks}\n")
        assert len(found) == 1 and found[0].startswith("nudges.weeks:"), found
