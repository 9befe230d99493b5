"""Events on Slack through the local stand-in: announced with answer buttons, counts updated
in place with chat.update, the calendar file uploaded to a DM, the reminder to those going."""

from __future__ import annotations

import json
from datetime import datetime, timedelta

from icalendar import Calendar

from tests.slack_kit import button_payload, eventually
from tests.test_slack import SlackStack, reply_text
from tests.test_slack import stack as stack

START = "2026-12-08 18:00"
STARTS_AT = datetime.fromisoformat("2026-12-08T17:00:00+00:00")  # 18:00 in Berlin


async def slack_says(stack: SlackStack, text: str, user: str = "UFAC") -> str:
    return await reply_text(stack, await stack.slack.command(text, user=user))


def labels(call: dict[str, object]) -> list[str]:
    """The button labels of a posted or updated message."""
    blocks = call["blocks"]
    assert isinstance(blocks, list)
    return [e["text"]["text"] for b in blocks if b["type"] == "actions" for e in b["elements"]]


async def test_a_slack_event_from_announcement_to_reminder(stack: SlackStack) -> None:
    fake, harness = stack.fake, stack.harness
    added = await slack_says(
        stack,
        f'event add title:"Design review" start:"{START}" link:https://meet.example/abc '
        "channel:<#C1|general>",
    )
    assert added.startswith("✅ Event #1 *Design review* starts Tue 8 Dec 2026, 18:00")
    await harness.delivery.deliver_due()
    [post] = [c for c in fake.calls_to("chat.postMessage") if c.get("channel") == "C1"]
    assert labels(post)[:3] == ["✅ Going (0)", "🤔 Maybe (0)", "❌ Can't go (0)"]
    shown = json.dumps(post["blocks"], ensure_ascii=False)
    assert "Design review" in shown and "https://meet.example/abc" in shown

    # Bob says he's going: the announcement is updated in place, its ts unchanged.
    status, _ = await stack.slack.interaction(
        button_payload("rsvp:event:1:going", response_url=fake.response_url("going"))
    )
    assert status == 200
    said = await reply_text(stack, "going")
    assert "You're going to *Design review*" in said
    await harness.delivery.deliver_due()
    [update] = await eventually(lambda: fake.calls_to("chat.update"))
    assert update["channel"] == "C1" and update["ts"].endswith(".000100")
    assert labels(update)[0] == "✅ Going (1)"

    # Add to calendar: the .ics goes up to Bob's DM with files_upload_v2 and parses back.
    await stack.slack.interaction(
        button_payload("calendar:event:1", response_url=fake.response_url("ics"))
    )
    await reply_text(stack, "ics")
    await harness.delivery.deliver_due()
    [asked] = fake.calls_to("files.getUploadURLExternal")
    assert asked["filename"] == "design-review.ics"
    [completed] = fake.calls_to("files.completeUploadExternal")
    assert completed["channel_id"] == "DUBOB"
    [upload] = [u["content"] for u in fake.uploads.values()]
    [entry] = Calendar.from_ical(upload).walk("VEVENT")
    assert entry.decoded("DTSTART") == STARTS_AT
    assert str(entry.get("DTSTART").params["TZID"]) == "Europe/Berlin"

    # A day before, the reminder reaches Bob (going) and nobody else.
    harness.clock.set(STARTS_AT - timedelta(hours=24) + timedelta(minutes=1))
    await harness.run_jobs()
    await harness.delivery.deliver_due()
    dms = [c for c in fake.calls_to("chat.postMessage") if c.get("channel", "").startswith("D")]
    assert [c["channel"] for c in dms] == ["DUBOB"]
    assert "starts in 24 h" in json.dumps(dms[0]["blocks"], ensure_ascii=False)
