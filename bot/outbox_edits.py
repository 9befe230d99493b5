"""Edits in the outbox: a row that updates the message another row sent (an answer edited after
it was shared), sent in order and only once there is a message to update."""

from __future__ import annotations

from datetime import datetime

from sqlmodel.ext.asyncio.session import AsyncSession

from storage import outbox
from storage.models import OutboxRow


async def edit_target(
    session: AsyncSession, row: OutboxRow, wait_until: datetime
) -> tuple[bool, str | None]:
    """Whether a claimed edit row goes now, with the platform's id of the message it updates.

    An edit waits (until ``wait_until``) while the message it updates is not out yet, so that
    it updates what that send posted, and while an earlier edit of it is being sent, so that
    the last edit is the one that stays; it is dropped when a later edit supersedes it or when
    no message was sent to update.
    """
    assert row.edits_key is not None and row.id is not None
    original = await outbox.by_key(session=session, key=row.edits_key)
    later, sending = await outbox.edits_around(
        session=session, edits_key=row.edits_key, row_id=row.id
    )
    if later or original is None or original.status in ("failed", "cancelled"):
        row.status = "cancelled"
        row.last_error = "superseded by a later edit" if later else "nothing sent to edit"
        session.add(row)
        return False, None
    if sending or original.status in ("pending", "sending"):
        row.status, row.attempts = "pending", row.attempts - 1
        row.not_before = wait_until
        session.add(row)
        return False, None
    return True, original.platform_message_id
