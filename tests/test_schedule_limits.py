"""Schedules that would fire too often are refused, every gap of the expression checked."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlmodel import select

from bot.config import ConfigError, load_config
from bot.schedule import Gap
from scheduler.calendar import CronCalendar
from storage.engine import Store
from storage.models import CheckIn
from tests.factories import DEMO_CONFIG, Harness, config

CALENDAR = CronCalendar()


@pytest.mark.parametrize(
    ("expression", "gap"),
    [
        ("cron * * * * *", Gap("00:00", "00:01", 1)),
        ("cron 0,5 9 * * *", Gap("09:00", "09:05", 5)),
        ("cron */15 8-17 * * 1-5", Gap("08:00", "08:15", 15)),
        # The first two firings after 10:30 are 10:50 and 15:10: the 40 minutes come later.
        ("cron 10,50 10,15 * * *", Gap("10:10", "10:50", 40)),
        ("cron 0 * * * *", Gap("00:00", "01:00", 60)),
        ("cron 0 0,23 * * *", Gap("23:00", "00:00 the next day", 60)),
        ("cron 0 0,23 * * 1,2", Gap("23:00", "00:00 the next day", 60)),
        ("cron 0 0,23 28-29 2 *", Gap("23:00", "00:00 the next day", 60)),  # in leap years
        ("cron 0 0,23 * * 1", Gap("00:00", "23:00", 1380)),  # Monday 23:00, then a week
        ("cron 0 9 * * *", None),
        ("cron 0 9 * * mon,wed,fri", None),
        ("daily 09:00", None),
        ("mon,thu 17:00", None),
    ],
)
def test_the_closest_two_firings_are_found_anywhere_in_the_schedule(
    expression: str, gap: Gap | None
) -> None:
    assert CALENDAR.shortest_gap(expression) == gap


@pytest.mark.parametrize(
    ("schedule", "says"),
    [
        ("cron * * * * *", "fires at 00:00 and again at 00:01, 1 minute apart"),
        ("cron 0,5 9 * * *", "fires at 09:00 and again at 09:05, 5 minutes apart"),
        ("cron 10,50 10,15 * * *", "fires at 10:10 and again at 10:50, 40 minutes apart"),
    ],
)
async def test_a_check_in_firing_more_often_than_the_limit_is_refused(
    harness: Harness, schedule: str, says: str
) -> None:
    """Before, `cron * * * * *` was accepted and DMed every member every minute."""
    answer = await harness.say(f'checkin add name:tick schedule:"{schedule}" questions:Q')
    assert answer.startswith("⚠️ ") and says in answer
    assert "at most once every 60 minutes" in answer
    assert "`[scheduler] min_interval_minutes`" in answer
    async with harness.store.read() as session:
        assert (await session.exec(select(CheckIn))).all() == []


async def test_an_hourly_check_in_is_at_the_default_limit_and_accepted(harness: Harness) -> None:
    answer = await harness.say('checkin add name:hourly schedule:"cron 0 * * * *" questions:Q')
    assert answer.startswith("✅ Check-in created")


async def test_the_limit_comes_from_the_config(store: Store) -> None:
    strict = {**DEMO_CONFIG, "scheduler": {"min_interval_minutes": 120}}
    harness = await Harness.start(store, config(strict))
    try:
        night = await harness.say('checkin add name:n schedule:"cron 0 0,23 * * *" questions:Q')
        assert "fires at 23:00 and again at 00:00 the next day, 60 minutes apart" in night
        assert "at most once every 120 minutes" in night
        weekly = await harness.say('checkin add name:w schedule:"cron 0 0,23 * * 1" questions:Q')
        assert weekly.startswith("✅")
    finally:
        await harness.close()
    loose = await Harness.start(
        store, config({**DEMO_CONFIG, "scheduler": {"min_interval_minutes": 1}})
    )
    try:
        every = await loose.say('checkin add name:m schedule:"cron * * * * *" questions:Q')
        assert every.startswith("✅")
    finally:
        await loose.close()


@pytest.mark.parametrize("value", [0, -5, 1441, "often"])
def test_the_config_refuses_a_limit_out_of_range(tmp_path: Path, value: object) -> None:
    path = tmp_path / "copbot.toml"
    shown = f'"{value}"' if isinstance(value, str) else str(value)
    path.write_text(f"[scheduler]\nmin_interval_minutes = {shown}\n")
    with pytest.raises(ConfigError) as caught:
        load_config(path, calendar=CALENDAR)
    assert "scheduler.min_interval_minutes" in str(caught.value)


def test_the_default_limit_is_an_hour() -> None:
    assert config().scheduler.min_interval_minutes == 60
