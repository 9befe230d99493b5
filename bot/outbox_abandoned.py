"""Rows left ``sending`` by a process that stopped mid-send: ask the platform whether each one
arrived, and mark it sent or send it again."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from bot.outbox_outcomes import MAX_ATTEMPTS, Outcomes, write_outcome
from bot.outbox_rows import delivery_of
from bot.outbox_send import Delivery, Sender
from storage import outbox
from storage.engine import Store

log = logging.getLogger(__name__)


async def settle_abandoned(
    store: Store, senders: Mapping[str, Sender], claimed_before: datetime, outcomes: Outcomes
) -> int:
    """Reconcile the rows claimed before ``claimed_before``; return how many will be resent."""
    async with store.transaction() as session:
        rows = await outbox.claim_abandoned(
            session=session,
            platforms=list(senders),
            claimed_before=claimed_before,
            now=outcomes.now(),
        )
        abandoned: list[tuple[int, Delivery]] = []
        for row in rows:
            assert row.id is not None
            thread = None
            if row.thread_key:
                parent = await outbox.by_key(session=session, key=row.thread_key)
                thread = parent.platform_message_id if parent else None
            abandoned.append((row.id, delivery_of(row, thread)))
    resent = 0
    for row_id, delivery in abandoned:
        # Ask the platform outside any transaction: it is a network call.
        sender = senders[delivery.recipient.platform]
        try:
            message_id = await sender.reconcile(delivery)
        except Exception as error:
            # The platform could not tell; after the last attempt, give the row up rather than
            # leave it "sending" for ever. Otherwise ask again at the next lease.
            log.warning("outbox %s: reconcile failed: %s", delivery.key, error)
            if delivery.attempt >= MAX_ATTEMPTS:
                failed = {"status": "failed", "last_error": repr(error)[:500]}
                await write_outcome(store, row_id, failed)
            else:
                await write_outcome(store, row_id, {"attempts": delivery.attempt + 1})
            continue
        update: dict[str, Any]
        if message_id is None:
            resent += 1
            update = {"status": "pending"}
        else:
            update = outcomes.sent(message_id)
        await write_outcome(store, row_id, update)
    return resent
