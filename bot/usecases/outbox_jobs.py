"""The outbox's job kind: every night, messages sent, failed or withdrawn long ago are deleted."""

from __future__ import annotations

import logging
from datetime import timedelta

from sqlmodel.ext.asyncio.session import AsyncSession

from bot.context import Services
from bot.jobs import Fired, Firing, JobKind, Recurring
from bot.outbox_keys import EVENT_ANNOUNCE, EVENT_NATIVE, PROMPT_POST
from bot.words import plural
from storage import outbox

log = logging.getLogger(__name__)
OUTBOX_PRUNE = "outbox-prune"
# Once a day at a quiet hour; housekeeping that is late still runs, up to a day late.
PRUNE_AT = "daily 03:30"
PRUNE_GRACE = 24 * 3600
# A prompt's post is the record of where its thread is, for as long as replies count; an event's
# announcement and native event are what its edits update and what *Interested* points at: kept.
KEPT = (PROMPT_POST, EVENT_ANNOUNCE, EVENT_NATIVE)


async def prune_jobs(
    session: AsyncSession, services: Services, subject: str | None
) -> list[Recurring]:
    """One nightly job for the whole outbox."""
    return [Recurring(OUTBOX_PRUNE, "all", PRUNE_AT, "UTC")] if subject in (None, "all") else []


async def prune_outbox(firing: Firing) -> Fired:
    """Delete rows finished more than ``[outbox] retention_days`` ago, and files left unused."""
    days = firing.services.config.outbox.retention_days
    gone = await outbox.prune(
        session=firing.session, before=firing.now - timedelta(days=days), keep=KEPT
    )
    log.info("outbox: pruned %s finished more than %d days ago", plural(gone, "message"), days)
    return Fired(count=gone)


JOBS = (JobKind(OUTBOX_PRUNE, prune_outbox, recurring=prune_jobs, grace=PRUNE_GRACE),)
