"""The weekly report's Resources and Stories sheets, from what was recorded on the console:
the library and the stories by the week's end, no withdrawn story, no opted-out name."""

from __future__ import annotations

from sqlmodel import select

from reports.demo_history import write_history
from storage.engine import Store
from storage.models import Community
from storage.report_data import report_data
from storage.report_rows import ReportData
from storage.report_week import ReportWeek
from tests.factories import Harness
from tests.test_demo_history import NOW
from tests.workbook_reading import HEADER_ROW, read, rows


async def this_week(harness: Harness) -> ReportData:
    async with harness.store.read() as session:
        community = (await session.exec(select(Community))).one()
        assert community.id is not None
        week = ReportWeek.containing(harness.clock.now(), community.timezone)
        return await report_data(
            session=session, community_id=community.id, week=week, now=harness.clock.now()
        )


async def test_the_sheets_show_the_library_and_the_stories_told(harness: Harness) -> None:
    await harness.say(
        'resource add url:https://example.org/a title:"=HYPERLINK(1)" tags:"x,y"', user="bob"
    )
    await harness.say('resource add url:https://example.org/b title:"Quiet one"', user="erin")
    await harness.say('story add text:"We paired across time zones."', user="bob")
    await harness.say('story add text:"A story taken back"', user="bob")
    await harness.say('story add text:"I learnt to ask first."', user="erin")
    await harness.say("story withdraw 2", user="bob")
    assert "now anonymous" in await harness.say("privacy optout confirm:yes", user="erin")
    harness.later(minutes=1)
    data = await this_week(harness)
    assert [(r.title, r.shared_by, r.tags) for r in data.resources] == [
        ("Quiet one", None, ""),
        ("=HYPERLINK(1)", "bob", "x, y"),
    ]
    assert [(s.text, s.told_by) for s in data.stories] == [
        ("I learnt to ask first.", None),
        ("We paired across time zones.", "bob"),
    ]
    assert "Resources" not in data.notes and "Stories" not in data.notes
    wb = read(data)
    library = rows(wb, "Resources")
    assert library[HEADER_ROW - 1][:5] == ("Title", "Link", "Tags", "Shared by", "Shared on")
    assert library[HEADER_ROW][:4] == (
        "Quiet one",
        "https://example.org/b",
        None,
        "a member (opted out)",
    )
    assert library[HEADER_ROW + 1][:4] == ("=HYPERLINK(1)", "https://example.org/a", "x, y", "bob")
    assert wb["Resources"].cell(HEADER_ROW + 2, 1).data_type == "s"  # text, not a formula
    told = rows(wb, "Stories")
    assert told[HEADER_ROW][:3] == ("I learnt to ask first.", "anonymous", "Success story")
    assert told[HEADER_ROW + 1][:3] == ("We paired across time zones.", "bob", "Success story")
    everything = [str(c) for sheet in wb.sheetnames for r in rows(wb, sheet) for c in r if c]
    assert [c for c in everything if "erin" in c] == []
    assert [c for c in everything if "taken back" in c] == []


async def test_empty_sheets_keep_their_note(harness: Harness) -> None:
    wb = read(await this_week(harness))
    assert rows(wb, "Resources")[HEADER_ROW][0] == "No resources yet."
    assert rows(wb, "Stories")[HEADER_ROW][0] == "No stories yet."


async def test_the_demo_shows_a_library_and_stories_one_of_them_anonymous(store: Store) -> None:
    history = await write_history(store, now=NOW, seed=7)
    async with store.read() as session:
        data = await report_data(
            session=session,
            community_id=history.community_id,
            week=history.last_full_week,
            now=NOW,
        )
    assert len(data.resources) >= 5 and all(r.url.startswith("https://") for r in data.resources)
    assert {s.kind for s in data.stories} == {"story", "reflection"}
    assert [s.told_by for s in data.stories].count(None) >= 1  # an opted-out member's
