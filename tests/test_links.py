"""One person on Slack and Discord: link codes, the merge, where they are reached, undoing it."""

from __future__ import annotations

import re

from sqlmodel import col, func, select

from bot.events import Actor, CommandInvoked, MessagePosted, Place
from bot.outbox_keys import WELCOME
from storage import member_merge, report_readers
from storage.engine import Store
from storage.models import Member, OutboxRow, ReportSubscription, RoleGrant, Welcome
from tests.factories import START, Harness, config, event_id, text_of

TEAM, GUILD = "T1", "111"
BOTH = config(
    {
        "communities": [
            {
                "name": "both",
                "timezone": "UTC",
                "slack_team_id": TEAM,
                "discord_guild_id": GUILD,
                "facilitators": ["slack:UFAC"],
            }
        ]
    }
)
ANA_SLACK = Actor("slack", TEAM, "U1", display_name="Ana")
ANA_DISCORD = Actor("discord", GUILD, "222", display_name="ana_d")
BOB_SLACK = Actor("slack", TEAM, "U2", display_name="Bob")
FAC = Actor("slack", TEAM, "UFAC", display_name="Fay")
CODE = re.compile(r"`([A-Z2-9]{4}-[A-Z2-9]{4})`")


def _place(who: Actor) -> Place:
    return Place(who.platform, who.workspace, "C1" if who.platform == "slack" else "333")


async def say(h: Harness, who: Actor, text: str) -> str:
    """Run a ``/cop`` line as someone on their platform."""
    event = CommandInvoked(who, _place(who), event_id(), h.clock.now(), text=text)
    return text_of(await h.core.handle(event))


async def post(h: Harness, who: Actor) -> None:
    """Someone posts a message in a channel of their platform."""
    await h.core.handle(MessagePosted(who, _place(who), event_id(), h.clock.now()))


async def code_of(h: Harness, who: Actor) -> str:
    """A fresh link code made by someone."""
    match = CODE.search(await say(h, who, "link"))
    assert match, "no code in the reply"
    return match.group(1)


async def members(h: Harness) -> int:
    async with h.store.read() as session:
        return int((await session.exec(select(func.count()).select_from(Member))).one())


async def both(store: Store) -> Harness:
    return await Harness.start(store, BOTH)


async def test_a_console_only_community_cannot_link(harness: Harness) -> None:
    reply = await harness.say("link")
    assert "lives on one platform only" in reply and "slack_team_id" in reply
    assert "lives on one platform only" in await harness.say("link code:ABCD-EFGH")


async def test_linked_accounts_are_one_member_in_every_count(store: Store) -> None:
    h = await both(store)
    await post(h, ANA_SLACK)
    await post(h, ANA_SLACK)
    await post(h, ANA_DISCORD)
    assert await members(h) == 2
    replaced = await code_of(h, ANA_SLACK)
    code = await code_of(h, ANA_SLACK)
    assert "expired" in await say(h, ANA_DISCORD, f"link code:{replaced}")  # a new one replaces it
    linked = await say(h, ANA_DISCORD, f"link code:{code.lower()}")
    assert "Linked: your Slack and Discord accounts are now one member, Ana" in linked
    assert "on Slack" in linked
    assert await members(h) == 1
    for who in (ANA_SLACK, ANA_DISCORD):
        assert "Since you joined: 3 messages" in await say(h, who, "me")
    await post(h, ANA_DISCORD)
    assert "Since you joined: 4 messages" in await say(h, ANA_SLACK, "me")
    await h.close()


async def _dms(h: Harness) -> list[tuple[str, str | None]]:
    async with h.store.read() as session:
        query = select(OutboxRow.platform, OutboxRow.recipient_user).where(
            col(OutboxRow.recipient_user).is_not(None), col(OutboxRow.kind) != WELCOME
        )
        return [tuple(r) for r in (await session.exec(query)).all()]  # type: ignore[misc]


async def test_a_checkin_dm_goes_once_to_the_preferred_platform(store: Store) -> None:
    h = await both(store)
    await post(h, ANA_SLACK)
    await post(h, ANA_DISCORD)
    await say(h, ANA_DISCORD, f"link code:{await code_of(h, ANA_SLACK)}")
    add = 'checkin add name:standup schedule:"daily 09:00" questions:How?'
    assert "standup" in await say(h, FAC, add)
    await say(h, FAC, "checkin run 1")
    assert sorted(await _dms(h)) == [("slack", "U1"), ("slack", "UFAC")]
    assert "now DMs you on Discord" in await say(h, ANA_SLACK, "link prefer:discord")
    h.later(minutes=1)
    await say(h, FAC, "checkin run 1")
    assert sorted(await _dms(h))[:1] == [("discord", "222")]
    assert len(await _dms(h)) == 4  # two runs, two people each: never Ana twice in one run
    await h.close()


async def test_bad_codes_change_nothing_and_are_rate_limited(store: Store) -> None:
    h = await both(store)
    await post(h, ANA_DISCORD)
    code = await code_of(h, ANA_SLACK)
    assert "Nothing was changed" in await say(h, ANA_SLACK, f"link code:{code}")
    assert "made on Slack" in await say(h, ANA_SLACK, f"link code:{code}")
    assert "I know no such code" in await say(h, ANA_DISCORD, "link code:AAAA-AAAA")
    h.later(minutes=16)
    assert "expired" in await say(h, ANA_DISCORD, f"link code:{code}")
    code = await code_of(h, ANA_SLACK)
    assert "Linked" in await say(h, ANA_DISCORD, f"link code:{code}")
    assert "used already" in await say(h, BOB_SLACK, f"link code:{code}")
    assert await members(h) == 2  # Ana (both accounts) and Bob
    for _ in range(4):  # with the reused code: five wrong in the hour
        assert "no such code" in await say(h, BOB_SLACK, "link code:ZZZZ-ZZZZ")
    bob_code = await code_of(h, ANA_DISCORD)  # Ana's discord account makes one for Bob
    refused = await say(h, BOB_SLACK, f"link code:{bob_code}")
    assert "5 wrong codes in the last hour" in refused and "Nothing was changed" in refused
    h.later(hours=1)
    # An hour on, Bob may try again; Ana has a Slack account linked already.
    refused = await say(h, BOB_SLACK, f"link code:{await code_of(h, ANA_DISCORD)}")
    assert "already linked with a Slack account" in refused
    assert await members(h) == 2
    await h.close()


async def test_an_account_linked_elsewhere_must_be_unlinked_first(store: Store) -> None:
    h = await both(store)
    await say(h, ANA_DISCORD, f"link code:{await code_of(h, ANA_SLACK)}")
    refused = await say(h, ANA_DISCORD, f"link code:{await code_of(h, BOB_SLACK)}")
    assert "already linked with another account" in refused and "/cop link remove" in refused
    assert await members(h) == 2
    assert "no Discord account linked" in await say(h, BOB_SLACK, "link prefer:discord")
    await h.close()


async def test_remove_splits_the_account_off_and_the_past_stays(store: Store) -> None:
    h = await both(store)
    await post(h, ANA_SLACK)
    await post(h, ANA_DISCORD)
    await say(h, ANA_DISCORD, f"link code:{await code_of(h, ANA_SLACK)}")
    await say(h, ANA_DISCORD, "link prefer:discord")
    reply = await say(h, ANA_DISCORD, "link remove")
    assert "a member of its own again" in reply and "stays with your other account" in reply
    assert await members(h) == 2
    assert "Since you joined: 2 messages" in await say(h, ANA_SLACK, "me")
    assert "Since you joined: 0 messages" in await say(h, ANA_DISCORD, "me")
    assert "not linked with another" in await say(h, ANA_DISCORD, "link remove")
    # Ana was welcomed once: the account split off is no newcomer to welcome again.
    async with h.store.read() as session:
        assert (await session.exec(select(func.count()).select_from(Welcome))).one() == 2
    await h.close()


async def test_a_merge_keeps_one_of_each_unique_row(store: Store) -> None:
    h = await both(store)
    await post(h, ANA_SLACK)
    await post(h, ANA_DISCORD)
    async with store.transaction() as session:
        kept, gone = (await session.exec(select(Member.id).order_by(col(Member.id)))).all()
        assert kept is not None and gone is not None
        for member in (kept, gone):
            session.add(RoleGrant(member_id=member, role="lead", granted_at=START))
            session.add(
                ReportSubscription(community_id=1, member_id=member, wants=True, updated_at=START)
            )
        session.add(RoleGrant(member_id=gone, role="facilitator", granted_at=START))
        await session.flush()
        moved = await member_merge.merge_into(session=session, kept=kept, gone=gone)
    # The ledger: her message on Discord, and the welcome she got there.
    assert moved["identity"] == 1 and moved["ledger"] == 2 and moved["role_grant"] == 1
    async with store.read() as session:
        grants = (await session.exec(select(RoleGrant.member_id, RoleGrant.role))).all()
        assert sorted(grants) == [(kept, "facilitator"), (kept, "lead")]
        subs = (await session.exec(select(ReportSubscription.member_id))).all()
        assert list(subs) == [kept]
    await h.close()


def test_every_table_naming_a_member_is_re_pointed() -> None:
    tables = {t.name for t, _ in member_merge.member_references()}
    assert {
        "answer",
        "charter",
        "checkin",
        "event",
        "event_attendance",
        "event_rsvp",
        "event_series",
        "identity",
        "ledger",
        "link_code",
        "member_preference",
        "prompt",
        "report_subscription",
        "role_grant",
    } <= tables


async def test_the_report_goes_to_the_preferred_platform_even_over_the_config(
    store: Store,
) -> None:
    cfg = config({"communities": [{**BOTH.communities[0].model_dump(), "leads": ["slack:U1"]}]})
    h = await Harness.start(store, cfg)
    await say(h, ANA_DISCORD, f"link code:{await code_of(h, ANA_SLACK)}")
    async with store.read() as session:
        before = await report_readers.readers(
            session=session, community_id=1, configured_leads=[("slack", "U1")]
        )
    assert [a[1:] for a in before] == [("slack", TEAM, "U1")]
    assert "on Discord" in await say(h, ANA_SLACK, "link prefer:discord")
    async with store.read() as session:
        after = await report_readers.readers(
            session=session, community_id=1, configured_leads=[("slack", "U1")]
        )
    assert [a[1:] for a in after] == [("discord", GUILD, "222")]
    await h.close()


async def test_a_nudge_goes_once_to_the_preferred_platform(store: Store) -> None:
    h = await both(store)
    await post(h, ANA_SLACK)
    await post(h, ANA_DISCORD)
    await say(h, ANA_DISCORD, f"link code:{await code_of(h, ANA_SLACK)}")
    await say(h, ANA_SLACK, "link prefer:discord")
    h.later(weeks=4)  # Ana has been quiet since
    sent = await say(h, FAC, "nudge send")
    assert "Nudged" in sent or "nudged" in sent
    ana = [(p, u) for p, u in await _dms(h) if u in ("U1", "222")]
    assert ana == [("discord", "222")]  # one nudge, on the platform she prefers
    await h.close()
