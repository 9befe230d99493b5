"""The resource library on the console: add, find by title or tag (newest first, paged),
remove by its author or a facilitator, and bad links refused with nothing stored."""

from __future__ import annotations

from sqlmodel import col, select

from bot.ui import Reply
from storage.models import LedgerEntry, Resource
from tests.factories import Harness, text_of


async def resources_stored(harness: Harness) -> list[Resource]:
    async with harness.store.read() as session:
        return list((await session.exec(select(Resource).order_by(col(Resource.id)))).all())


async def test_a_member_adds_a_resource_and_it_is_found_by_title_and_tag(
    harness: Harness,
) -> None:
    said = await harness.say(
        "resource add url:https://example.org/tdd "
        'title:"Test-driven teaching" tags:"Pedagogy, TDD"',
        user="bob",
    )
    assert said.startswith("📚 Added #1 to the library: Test-driven teaching (tags: pedagogy, tdd)")
    harness.later(minutes=5)
    await harness.say('resource add url:http://example.org/b title:"Reading circles"', user="bob")
    found = await harness.say("resource find tdd", user="carol")
    assert "📚 1 resource for tdd" in found
    assert "• #1 Test-driven teaching [pedagogy, tdd]: https://example.org/tdd (bob, " in found
    everything = await harness.say("resource find", user="carol")
    assert everything.index("#2 Reading circles") < everything.index("#1 Test-driven")
    assert "Nothing found for python" in await harness.say("resource find python")
    async with harness.store.read() as session:
        kinds = (await session.exec(select(LedgerEntry.kind))).all()
    assert kinds.count("resource") == 2


async def test_find_pages_with_a_more_button(harness: Harness) -> None:
    for n in range(12):
        await harness.say(f'resource add url:https://example.org/{n} title:"Guide {n}"')
        harness.later(minutes=1)
    first = await harness.cmd("resource find guide")
    assert isinstance(first[0], Reply)
    text = first[0].message.text
    assert "12 resources for guide, newest first (1-10)" in text and "#12 Guide 11" in text
    (more,) = first[0].message.buttons
    assert more.label == "More" and more.action_id == "more:resources:2:guide"
    second = await harness.click(more, "bob")
    assert isinstance(second[0], Reply)
    assert "(11-12)" in second[0].message.text and "#1 Guide 0" in second[0].message.text
    assert not second[0].message.buttons
    assert "(11-12)" in await harness.say("resource find guide page:2")
    assert "No page 5 for guide: there are 2." in await harness.say("resource find guide page:5")
    assert "Pages start at 1" in await harness.say("resource find guide page:0")


async def test_only_its_author_or_a_facilitator_removes_a_resource(harness: Harness) -> None:
    await harness.say('resource add url:https://example.org/a title:"A"', user="bob")
    await harness.say('resource add url:https://example.org/b title:"B"', user="bob")
    refused = await harness.say("resource remove 1", user="carol")
    assert "only they or a facilitator can remove it. Nothing changed." in refused
    assert "✅ Resource #1 is out of the library." in await harness.say(
        "resource remove 1", user="bob"
    )
    # alice facilitates the demo community
    assert "✅ Resource #2 is out" in await harness.say("resource remove 2", user="alice")
    assert "There is no resource #2" in await harness.say("resource remove 2", user="bob")
    assert await resources_stored(harness) == []


async def test_bad_links_are_refused_and_nothing_is_stored(harness: Harness) -> None:
    for url in (
        "ftp://example.org/x",
        "javascript:alert(1)",
        "example.org",
        "https://",
        "http://[::1",  # urlsplit raises on a bracket left open, or holding no address
        "http://[x]/",
    ):
        said = await harness.say(f'resource add url:{url} title:"X"', user="bob")
        assert "web link starting with http:// or https://" in said, said
        assert "Nothing was stored." in said
    # A /cop line holds 2,000 characters, so a longer link is refused as the line is (the
    # link's own limit is met in the nomination form, see test_nominations.py).
    long = "https://example.org/" + "a" * 1981
    said = await harness.say(f'resource add url:{long} title:"X"', user="bob")
    assert "a `/cop` line has at most 2,000" in said
    ok = "https://example.org/" + "a" * 1900
    assert "📚 Added #1" in await harness.say(f'resource add url:{ok} title:"X"', user="bob")
    said = await harness.say('resource add url:https://example.org title:"  "', user="bob")
    assert "`title` cannot be empty." in said
    assert len(await resources_stored(harness)) == 1


async def test_a_slack_link_with_a_label_keeps_only_its_url(harness: Harness) -> None:
    # Slack sends a link typed with a label as ``<url|label>``: the label is no part of the URL.
    said = await harness.say(
        'resource add url:"<https://example.org/guide|the guide>" title:"Guide"', user="bob"
    )
    assert "📚 Added #1" in said
    await harness.say('resource add url:"<https://example.org/guide>" title:"G"', user="bob")
    (first, second) = await resources_stored(harness)
    assert first.url == "https://example.org/guide"
    assert second.url == "https://example.org/guide"


async def test_a_forged_more_button_is_answered_not_crashed(harness: Harness) -> None:
    await harness.say('resource add url:https://example.org/a title:"A"', user="bob")
    for forged in ("more:resources:²:a", "more:resources:99999999999999999999:a"):
        said = text_of(await harness.click(forged, "bob"))
        assert "This button is no longer in use" in said, said


async def test_a_search_too_long_for_a_button_says_how_to_see_more_of_it(
    harness: Harness,
) -> None:
    words = "guide " + " ".join(["practice"] * 9)  # over 80 characters: no button holds it
    for n in range(11):
        await harness.say(f'resource add url:https://example.org/{n} title:"{words} {n}"')
    (first,) = await harness.cmd(f'resource find "{words}"')
    assert isinstance(first, Reply) and not first.message.buttons
    assert f'More: `/cop resource find "{words}" page:2`' in first.message.text
    assert "(11-11)" in await harness.say(f'resource find "{words}" page:2')
