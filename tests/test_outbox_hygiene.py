"""Outbox hygiene: rows filed by kind and subject, withdrawn by columns, files stored once,
finished rows pruned after the retention, and rows from before the migration filed too."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import text
from sqlmodel import func, select

from bot.config import parse_config
from bot.outbox import Delivery, outbox_row
from bot.outbox_keys import CHECKIN_ASK, CHECKIN_REMINDER, WELCOME
from bot.ui import Attachment, Message, Outgoing, Recipient
from storage import outbox
from storage.engine import Store, build_engine
from storage.migrate import upgrade
from storage.models import OutboxFile
from tests.factories import START, Harness
from tests.test_outbox import put, rows
from tests.test_scheduler import at, setup_checkin


class Keeper:
    """A stand-in platform that keeps what it was given to send."""

    platform = "console"

    def __init__(self) -> None:
        self.sent: list[Delivery] = []

    async def send(self, delivery: Delivery) -> str:
        self.sent.append(delivery)
        return f"id{len(self.sent)}"

    async def reconcile(self, delivery: Delivery) -> str | None:
        return None


async def test_a_checkins_messages_are_filed_by_kind_and_subject(harness: Harness) -> None:
    await setup_checkin(harness)
    nine = at("Europe/Berlin", 2026, 12, 2, 9, 0)
    harness.clock.set(nine)
    await harness.scheduling.fire("checkin:1", nine)
    harness.later(hours=4)
    await harness.run_jobs()  # the reminder: a one-off job that sends when it is due
    filed = {(r.kind, r.subject, r.recipient_user) for r in (await rows(harness.store)).values()}
    filed -= {(WELCOME, "1", "bob")}  # his welcome, filed under its community
    assert filed == {
        (CHECKIN_ASK, "1", "alice"),
        (CHECKIN_ASK, "1", "bob"),
        (CHECKIN_REMINDER, "1", "alice"),
        (CHECKIN_REMINDER, "1", "bob"),
    }


async def test_an_underscore_in_a_name_withdraws_only_that_members_reminder(
    harness: Harness,
) -> None:
    # With LIKE, "_" matched any character: a_b going away withdrew axb's reminder too.
    await harness.post("a_b")
    await harness.post("axb")
    await setup_checkin(harness)
    nine = at("Europe/Berlin", 2026, 12, 2, 9, 0)
    harness.clock.set(nine)
    await harness.scheduling.fire("checkin:1", nine)
    await harness.deliver()
    await harness.say("away until:2026-12-10", user="a_b")
    harness.later(hours=4)
    await harness.run_jobs()
    reminded = await harness.deliver()
    assert "[copbot → DM to axb]" in reminded and "gentle reminder" in reminded
    assert "DM to a_b" not in reminded


async def test_a_paused_checkin_withdraws_its_reminders_and_no_others(store: Store) -> None:
    def reminder(checkin: int, user: str) -> Outgoing:
        recipient = Recipient("console", "local", user=user)
        key = f"checkin:{checkin}:2026-12-02T08:00:remind:console:local:{user}"
        return Outgoing(recipient, Message("⏰"), key, kind=CHECKIN_REMINDER, subject=str(checkin))

    await put(store, reminder(1, "ann"), reminder(1, "bo"), reminder(11, "ann"))
    async with store.transaction() as session:
        assert await outbox.cancel_pending(session=session, kind=CHECKIN_REMINDER, subject="1") == 2
    statuses = {(r.subject, r.recipient_user): r.status for r in (await rows(store)).values()}
    assert statuses == {
        ("1", "ann"): "cancelled",
        ("1", "bo"): "cancelled",
        ("11", "ann"): "pending",  # "checkin:1%" would have matched check-in 11 as well
    }


async def test_a_file_to_twenty_leads_is_stored_once_and_sent_whole(store: Store) -> None:
    workbook = Attachment("cop-demo-2026-W49.xlsx", b"PK\x03\x04" + bytes(range(256)) * 40)
    reports = [
        Outgoing(
            Recipient("console", "local", user=f"lead{i}"),
            Message("📊 Weekly report", attachment=workbook),
            f"report:{i}",
        )
        for i in range(20)
    ]
    await put(store, *reports)
    async with store.transaction() as session:
        assert (await session.exec(select(func.count()).select_from(OutboxFile))).one() == 1
    stored = await rows(store)
    assert all("content" not in r.payload["attachment"] for r in stored.values())
    platform = Keeper()
    harness = await Harness.start(store, senders={"console": platform})
    await harness.delivery.deliver_due()
    assert len(platform.sent) == 20
    assert {d.message.attachment for d in platform.sent} == {workbook}


async def test_finished_rows_older_than_the_retention_are_pruned(store: Store) -> None:
    old = Attachment("old.xlsx", b"old report")
    kept = Attachment("new.xlsx", b"new report")
    old_chart, chart = (Attachment(f"{n}.png", n.encode(), "image/png") for n in ("old", "new"))

    def report(key: str, file: Attachment) -> Outgoing:
        picture = chart if file is kept else old_chart
        message = Message("📊", attachment=file, image=picture)
        return Outgoing(Recipient("console", "local", user="lead"), message, key)

    async with store.transaction() as session:
        early = [
            outbox_row(report("sent-old", old), START),
            outbox_row(report("failed-old", old), START),
        ]
        early += [
            outbox_row(Outgoing(Recipient("console", "local", user="x"), Message("hi"), k), START)
            for k in ("cancelled-old", "pending-old")
        ]
        late = START + timedelta(days=31)
        await outbox.enqueue(
            session=session, rows=[*early, outbox_row(report("sent-new", kept), late)]
        )
    async with store.transaction() as session:
        for key, status in (
            ("sent-old", "sent"),
            ("failed-old", "failed"),
            ("cancelled-old", "cancelled"),
            ("sent-new", "sent"),
        ):
            row = await outbox.by_key(session=session, key=key)
            assert row is not None
            row.status = status
            session.add(row)
    async with store.transaction() as session:
        pruned = await outbox.prune(session=session, before=late - timedelta(days=30))
    assert pruned == 3
    assert sorted(await rows(store)) == ["pending-old", "sent-new"]  # a pending row is kept
    async with store.transaction() as session:
        digests = (await session.exec(select(OutboxFile.digest))).all()
    # The old report's file and picture went with its rows; the new one's are still there.
    assert sorted(digests) == sorted([kept.digest, chart.digest])
    [sent] = [r for r in (await rows(store)).values() if r.key == "sent-new"]
    assert (sent.file_digest, sent.image_digest) == (kept.digest, chart.digest)
    assert "content" not in sent.payload["image"]


def test_the_retention_is_configured_in_days_with_a_hint_for_a_typo() -> None:
    assert parse_config({}, source="x", calendar=None).outbox.retention_days == 30
    configured = parse_config({"outbox": {"retention_days": 7}}, source="x", calendar=None)
    assert configured.outbox.retention_days == 7
    try:
        parse_config({"outbox": {"retention": 7}}, source="copbot.toml", calendar=None)
    except Exception as error:
        assert "outbox.retention: unknown key; did you mean 'retention_days'?" in str(error)
    else:
        raise AssertionError("a typo in [outbox] was accepted")


async def test_rows_from_before_the_migration_are_filed_by_their_keys(database_url: str) -> None:
    store = Store(build_engine(database_url))
    try:
        await upgrade(store.engine, "0002")
        keys = [
            "checkin:7:2026-12-01T09:30:slack:T1:U42",
            "checkin:7:2026-12-01T09:30:remind:slack:T1:U42",
            "checkin:7:2026-12-01T09:30:thread",
            "checkin:7:2026-12-01T09:30:thread:3",
            "welcome:slack:T1:U42",
        ]
        async with store.transaction() as session:
            for n, key in enumerate(keys):
                await session.exec(
                    text(  # type: ignore[call-overload]
                        "INSERT INTO outbox (id, key, platform, workspace, recipient_user, payload,"
                        " status, attempts, not_before, created_at) VALUES (:id, :key, 'slack',"
                        " 'T1', 'U42', '{\"text\": \"hi\"}', 'pending', 0, :at, :at)"
                    ),
                    params={"id": n + 1, "key": key, "at": START},
                )
        await upgrade(store.engine)
        filed = {k: (r.kind, r.subject) for k, r in (await rows(store)).items()}
        assert filed == {
            keys[0]: ("checkin-ask", "7"),
            keys[1]: ("checkin-reminder", "7"),
            keys[2]: ("checkin-share", "7"),
            keys[3]: ("checkin-answer", "7"),
            keys[4]: (None, None),
        }
    finally:
        await store.close()
