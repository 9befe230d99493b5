"""One timezone check for commands and the config: IANA Area/City names (or UTC), nothing else."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlmodel import select

from bot.config import ConfigError, load_config
from bot.timezones import check_timezone, zone_names
from scheduler.calendar import CronCalendar
from storage.models import Member
from tests.factories import Harness


@pytest.mark.parametrize(
    "name",
    ["Europe/Berlin", "America/New_York", "America/Argentina/Buenos_Aires", "Asia/Kolkata", "UTC"],
)
def test_area_city_names_and_utc_are_accepted(name: str) -> None:
    assert check_timezone(name) == name


@pytest.mark.parametrize(
    ("name", "says"),
    [
        (
            "EST",
            '"EST" is an abbreviation or an old alias, not a place: write an Area/City name, '
            "e.g. America/New_York.",
        ),
        ("CEST", "e.g. Europe/Berlin"),
        ("US/Eastern", "old alias, not a place"),
        ("GMT", "e.g. Europe/London"),
        ("Etc/GMT+5", '"Etc/GMT+5" is a fixed offset with no daylight saving'),
        ("etc/utc", "fixed offset"),
        ("europe/berlin", "Did you mean Europe/Berlin? Timezone names are case-sensitive."),
        ("AMERICA/NEW_YORK", "Did you mean America/New_York?"),
        ("Europe/Helsinky", '"Europe/Helsinky" is not a timezone. Did you mean Europe/Helsinki?'),
        ("Mars/Olympus", '"Mars/Olympus" is not a timezone: write an Area/City name like'),
        ("posix/Europe/Berlin", "is not a timezone"),  # a file ZoneInfo opens, not a name
        ("", "A timezone is needed"),
        ("Europe/" * 50, "A timezone has at most 64 characters"),
    ],
)
def test_other_names_are_refused_with_what_to_write(name: str, says: str) -> None:
    with pytest.raises(ValueError) as caught:
        check_timezone(name)
    message = str(caught.value)
    assert says in message
    assert "?." not in message and not message.endswith("..")


def test_every_accepted_name_is_an_area_and_a_place() -> None:
    for name in zone_names() - {"UTC"}:
        area, _, place = name.partition("/")
        assert place and area not in {"Etc", "US", "Canada", "Brazil", "Mexico", "Chile"}, name


async def test_tz_refuses_an_abbreviation_and_a_case_typo_and_changes_nothing(
    harness: Harness,
) -> None:
    """Before, `EST` and `Etc/GMT+5` were taken as Area/City, and on a case-insensitive disk
    `europe/berlin` was stored as given."""
    await harness.post("bob")
    for name in ("EST", "Etc/GMT+5", "europe/berlin"):
        answer = await harness.say(f"tz {name}", user="bob")
        assert answer.startswith("⚠️ ") and "Usage: `/cop tz <Area/City>`" in answer
    assert "Did you mean Europe/Berlin? Timezone names are case-sensitive." in answer
    async with harness.store.read() as session:
        bob = (await session.exec(select(Member).where(Member.display_name == "bob"))).one()
    assert bob.timezone is None
    assert (await harness.say("tz UTC", user="bob")).startswith("🕘 Your timezone is now UTC")


def test_the_config_uses_the_same_check(tmp_path: Path) -> None:
    path = tmp_path / "copbot.toml"
    path.write_text('[[communities]]\nname = "x"\ntimezone = "Etc/GMT+5"\n')
    with pytest.raises(ConfigError) as caught:
        load_config(path, calendar=CronCalendar())
    assert 'communities[0].timezone: "Etc/GMT+5" is a fixed offset' in str(caught.value)
