"""Who may do what: members, config facilitators, platform admins, granted roles."""

from __future__ import annotations

from sqlmodel import select

from storage.models import Member
from tests.factories import Harness


async def test_members_cannot_run_facilitator_commands(harness: Harness) -> None:
    reply = await harness.say("checkin list", user="bob")
    assert reply == "🔒 `/cop checkin list` is for facilitators. `/cop help` lists what you can do."


async def test_help_lists_only_what_a_member_may_run(harness: Harness) -> None:
    member = await harness.say("help", user="bob")
    assert "as a member of demo" in member
    assert "/cop tz <Area/City>" in member
    assert "checkin" not in member
    facilitator = await harness.say("help")
    assert "as a facilitator of demo" in facilitator and "/cop checkin add" in facilitator


async def test_help_on_a_topic_and_an_unknown_topic(harness: Harness) -> None:
    topic = await harness.say("help checkin", user="bob")
    assert "`/cop checkin pause <id>`: pause a check-in" in topic
    assert "(for facilitators)" in topic
    assert "There is no help topic `chekin`" in await harness.say("help chekin")


async def test_workspace_admins_are_facilitators_by_default(harness: Harness) -> None:
    assert (await harness.say("checkin list", user="carol", admin=True)).startswith("No check-ins")
    assert "is for facilitators" in await harness.say("checkin list", user="carol")


async def test_a_granted_role_works_and_can_be_taken_back(harness: Harness) -> None:
    await harness.say("help", user="bob")  # copbot has met bob
    assert (await harness.say("role add @bob facilitator")).startswith(
        "✅ bob is now a facilitator."
    )
    assert "already a facilitator" in await harness.say("role add @bob facilitator")
    assert (await harness.say("checkin list", user="bob")).startswith("No check-ins")
    listed = await harness.say("role list")
    assert "console:alice: facilitator (config file)" in listed
    assert "console:lena: lead (config file)" in listed
    assert "bob: facilitator (given 2026-12-01)" in listed
    assert (await harness.say("role remove @bob facilitator")).startswith("✅ bob is no longer")
    assert "is for facilitators" in await harness.say("checkin list", user="bob")


async def test_a_name_copbot_has_not_met_gets_no_role_and_is_not_made_a_member(
    harness: Harness,
) -> None:
    await harness.say("help", user="bob")
    for line in ("role add @zed lead", "role remove @zed lead", "role add zed facilitator"):
        reply = await harness.say(line)
        assert reply == (
            "I have not met zed here yet; they need to say something first "
            "(`:as zed`, then any line), so nothing changed."
        )
    assert "zed" not in await harness.say("role list")
    async with harness.store.read() as session:
        names = (await session.exec(select(Member.display_name))).all()
    assert sorted(names) == ["alice", "bob"]
    assert (await harness.say("role add @bob lead")).startswith("✅ bob is now a lead.")


async def test_config_roles_cannot_be_removed_in_chat(harness: Harness) -> None:
    reply = await harness.say("role remove @alice facilitator")
    assert "Roles from the config file or from being a workspace admin are changed there." in reply
    assert (await harness.say("checkin list")).startswith("No check-ins")


async def test_the_charter_form_is_for_facilitators_even_when_submitted_directly(
    harness: Harness,
) -> None:
    responses = await harness.cmd("charter")
    form = responses[0].form  # type: ignore[union-attr]
    denied = await harness.submit(form.form_id, {"purpose": "takeover"}, user="bob")
    assert "Only facilitators can change the charter." in str(denied)
    assert "has not been written yet" in await harness.say("about", user="bob")
