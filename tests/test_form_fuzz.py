"""Fuzz every form the core shows (issue 9, done when): hostile, careless and oversized values,
missing and unknown fields, stale or forged form ids, people who may not submit. No input raises
or logs an error; an accepted one stores only printable text; a refused one changes nothing.

Each test drives one harness on a templated SQLite file, all of hypothesis' examples on one event
loop, and reads the tables with plain sqlite3: a submission then costs a few milliseconds.
"""

from __future__ import annotations

import asyncio
import logging
import operator
import shutil
import sqlite3
from collections.abc import Awaitable, Callable, Iterator
from contextlib import closing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlmodel import SQLModel
from sqlmodel import select as select_model

from bot.core import CANNOT_SAVE, OOPS
from bot.safe_text import is_unsafe, printable
from bot.ui import FormErrors, ShowForm
from storage.engine import Store, build_engine
from storage.models import Answer, Charter, Member
from tests.factories import Harness, text_of
from tests.fuzzing import examples
from tests.test_safe_text import DISCORD_ATTACK, HOSTILE, SLACK_ATTACK

# Per form 1,200 submissions: about 30 s of test time in all (15 s on two cores); raise them
# for a deeper run.
EXAMPLES = {"real": examples(60, 2_000), "forged": examples(30, 1_000)}
ACCEPTED = ("🙏 Thanks", "✏️ Updated", "✅ Charter saved")
ANSWER_FIELDS = ("q1", "q2", "q3")
CHARTER_FIELDS = ("audience", "domain", "purpose", "goals", "outcomes")

VALUES = st.one_of(
    HOSTILE.filter(lambda t: len(t) <= 60),
    st.sampled_from(["", " ", "\n", "\x1b", "\u202e", "-", SLACK_ATTACK, DISCORD_ATTACK]),
    # Around the limit (1,000 characters for answers and the charter), and far beyond.
    st.builds(
        operator.mul,
        st.sampled_from(["x", "é", "\x00", "<", "a\n", "🙂", "\u202e"]),
        st.integers(950, 1050) | st.just(5000),
    ),
)


@dataclass
class Fuzzed:
    """One form under fuzz: its harness, its real id, its fields, who may try it."""

    harness: Harness
    form_id: str
    fields: tuple[str, ...]
    users: tuple[str, ...]
    run: Callable[[Awaitable[Any]], Any]
    database: Path
    # The tables as the last example left them: only a submission changes them.
    tables: dict[str, list[tuple[Any, ...]]] = field(default_factory=dict)


def _tables(database: Path) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table: what "nothing changed" is compared on (read with the standard
    library's sqlite3, which sees what copbot committed and costs no event loop round trips)."""
    with closing(sqlite3.connect(database)) as db:
        return {
            table.name: sorted(db.execute(f'SELECT * FROM "{table.name}"').fetchall(), key=repr)
            for table in SQLModel.metadata.sorted_tables
        }


@pytest.fixture
def runner() -> Iterator[asyncio.Runner]:
    with asyncio.Runner() as loop:
        yield loop


async def _start(template: Path, folder: Path) -> Harness:
    shutil.copyfile(template, folder / "copbot.db")
    store = Store(build_engine(f"sqlite+aiosqlite:///{folder / 'copbot.db'}"))
    harness = await Harness.start(store)
    for person in ("alice", "bob", "lena"):
        await harness.post(person)
    return harness


async def _answer_form(harness: Harness) -> str:
    await harness.say(
        'checkin add name:standup schedule:"daily 09:00" questions:"Learned?|Blocked?|Next?"'
        " share:#wins"
    )
    await harness.say("checkin run 1")
    await harness.deliver()
    harness.later(minutes=1)
    await harness.post("carol")  # known, but the check-in was not sent to her
    action = next(a for a in harness.screen.buttons.values() if a.startswith("answer:"))
    opened = await harness.click(action, "bob")
    assert isinstance(opened[0], ShowForm)
    return opened[0].form.form_id


async def _charter_form(harness: Harness) -> str:
    opened = await harness.cmd("charter")
    assert isinstance(opened[0], ShowForm)
    return opened[0].form.form_id


@pytest.fixture(params=["answer", "charter"])
def fuzzed(
    request: pytest.FixtureRequest,
    runner: asyncio.Runner,
    migrated_sqlite: Path,
    tmp_path: Path,
) -> Iterator[Fuzzed]:
    harness = runner.run(_start(migrated_sqlite, tmp_path))
    if request.param == "answer":
        form_id = runner.run(_answer_form(harness))
        fields, users = ANSWER_FIELDS, ("bob", "alice", "carol")
    else:
        form_id = runner.run(_charter_form(harness))
        fields = CHARTER_FIELDS
        users = ("alice", "bob", "lena")
    database = tmp_path / "copbot.db"
    yield Fuzzed(harness, form_id, fields, users, runner.run, database, _tables(database))
    runner.run(harness.close())
    runner.run(harness.store.close())


def _form_ids(real: str) -> st.SearchStrategy[str]:
    verb_entity = real.rsplit(":", 1)[0]
    return st.one_of(
        st.just(real),
        st.sampled_from(
            [
                f"{verb_entity}:999",
                f"{verb_entity}:-1",
                f"{verb_entity}:abc",
                f"{verb_entity}:" + "9" * 95,
                "answer:occurrence:1",
                "charter:community:1",
                "charter:community:2",
                "x:y:z",
                "",
                "::",
            ]
        ),
        st.text(max_size=120),
    )


def _check(fuzzed: Fuzzed, form_id: str, user: str, values: dict[str, str]) -> None:
    harness = fuzzed.harness
    before = fuzzed.tables
    responses = fuzzed.run(harness.submit(form_id, values, user))
    said = text_of(responses)
    assert OOPS not in said and CANNOT_SAVE not in said
    if said.startswith(ACCEPTED):
        fields = CHARTER_FIELDS if form_id.startswith("charter:") else ANSWER_FIELDS
        stored = fuzzed.run(_stored(harness, fields, user))
        expected = [printable(values.get(name) or "").strip() for name in fields]
        assert stored == expected
        assert not any(is_unsafe(c, multiline=True) for value in stored for c in value)
        fuzzed.tables = _tables(fuzzed.database)
    else:
        assert responses and all(isinstance(r, FormErrors) or text_of([r]) for r in responses)
        assert _tables(fuzzed.database) == before, f"refused, yet changed: {said!r}"


async def _stored(harness: Harness, fields: tuple[str, ...], user: str) -> list[str]:
    """What the accepted form stored: this person's answers, or the charter."""
    async with harness.store.read() as session:
        if fields[0] == "q1":
            mine = select_model(Answer).join(Member).where(Member.display_name == user)
            return list((await session.exec(mine)).one().answers)
        charter = (await session.exec(select_model(Charter))).one()
        return [getattr(charter, name) for name in fields]


def _fuzz(fuzzed: Fuzzed, form_ids: st.SearchStrategy[str], examples: int) -> None:
    names = st.sampled_from([*fuzzed.fields, "", "q0", "q99", "zz", "__class__"])

    @settings(
        max_examples=examples,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(
        form_id=form_ids,
        user=st.sampled_from(fuzzed.users),
        values=st.dictionaries(names, VALUES, max_size=7),
    )
    def one(form_id: str, user: str, values: dict[str, str]) -> None:
        _check(fuzzed, form_id, user, values)

    one()


def test_the_real_form_takes_any_values_safely(
    fuzzed: Fuzzed, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING):
        _fuzz(fuzzed, st.just(fuzzed.form_id), EXAMPLES["real"])
    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR] == []


def test_stale_and_forged_form_ids_change_nothing(
    fuzzed: Fuzzed, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING):
        _fuzz(fuzzed, _form_ids(fuzzed.form_id), EXAMPLES["forged"])
    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR] == []
