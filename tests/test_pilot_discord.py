"""A launch on Discord through the local stand-in: the guild's members listed over REST (the
Server Members intent), bots left out, and each welcomed by DM once."""

from __future__ import annotations

from collections import Counter

from tests.discord_kit import FACILITATOR, slash
from tests.fakes.discord import member, user
from tests.test_discord import DiscordStack, said
from tests.test_discord import stack as stack

PEOPLE = 30


async def test_a_discord_launch_welcomes_the_guilds_members(stack: DiscordStack) -> None:
    fake, harness = stack.fake, stack.harness
    harness.roster.add("discord", stack.runtime.roster)
    people = [member(str(200000000000000100 + n), f"Person {n}") for n in range(PEOPLE)]
    robot = {**member("300000000000000000", "Robot"), "user": user("300000000000000000", "R", True)}
    fake.guild_members = [*people, robot, FACILITATOR]
    answer = await stack.interact(2, slash("phase", "launch"), FACILITATOR)
    assert "is launched!" in said(answer) and "asking the platform who else" in said(answer)
    await harness.run_jobs()
    while await harness.delivery.deliver_due():
        pass
    opened = Counter(
        str(body["recipient_id"]) for body in fake.calls_to("POST", "/users/@me/channels")
    )
    expected = {p["user"]["id"] for p in people} | {FACILITATOR["user"]["id"]}
    assert set(opened) == expected
    dms = Counter(
        path
        for method, path, _ in fake.calls
        if method == "POST" and path.startswith("/channels/5")
    )
    assert len(dms) == PEOPLE + 1 and set(dms.values()) == {1}
    assert fake.calls_to("GET", "/members")  # listed over REST
