"""The report's prompt figures: replies in the threads of prompt posts, by week and by member,
and each prompt posted in the report's weeks (the Prompts sheet)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, Select, and_, func, select, tuple_
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.metrics_sql import Weeks, ledger, of_community, rows_of
from storage.models import OutboxRow, Prompt
from storage.report_rows import Definition, PromptReportRow

post = OutboxRow.__table__  # type: ignore[attr-defined]
prompt = Prompt.__table__  # type: ignore[attr-defined]

DEFINITIONS = (
    Definition(
        "prompt replies",
        "Replies posted in the week in the thread of a discussion prompt copbot posted.",
    ),
    Definition(
        "prompt repliers",
        "Members who replied in the week in at least one prompt's thread (members who opted out"
        " are counted in the replies, not here).",
    ),
)


PROMPT_POST = "prompt-post"  # the outbox kind of a prompt's post (bot/outbox_keys.py)


def _posts(community_id: int) -> Select[Any]:
    """Where the community's prompt posts are: platform, workspace and message id of each
    (a few rows, found by the outbox's kind index)."""
    return select(post.c.platform, post.c.workspace, post.c.platform_message_id).where(
        post.c.kind == PROMPT_POST,
        post.c.key.in_(select(prompt.c.post_key).where(prompt.c.community_id == community_id)),
    )


def _is_prompt_reply(community_id: int) -> ColumnElement[bool]:
    """A ledger reply in the thread of one of the community's prompt posts. Tested row by row
    against the posts' small set, so the ledger is read by its community-and-time index like
    every other weekly figure (a join let SQLite scan it by member instead: 35 s at 100,000
    rows)."""
    return and_(
        of_community(community_id),
        ledger.c.kind == "reply",
        tuple_(ledger.c.platform, ledger.c.workspace, ledger.c.parent_ref).in_(
            _posts(community_id)
        ),
    )


async def prompt_replies_by_week(
    *, session: AsyncSession, community_id: int, weeks: Weeks
) -> dict[int, dict[str, int]]:
    """Prompt replies and distinct repliers of each week, by week index."""
    index = weeks.index_of(ledger.c.occurred_at).label("w")
    query = (
        select(
            index,
            func.count(ledger.c.id).label("prompt_replies"),
            func.count(func.distinct(ledger.c.member_id)).label("prompt_repliers"),
        )
        .where(_is_prompt_reply(community_id), weeks.within(ledger.c.occurred_at))
        .group_by(index)
    )
    rows = await rows_of(session, query)
    return {int(r.w): {"prompt_replies": r[1], "prompt_repliers": r[2]} for r in rows}


async def member_prompt_replies(
    *, session: AsyncSession, community_id: int, weeks: Weeks
) -> dict[int, int]:
    """Each member's prompt replies in the report week."""
    start, end = weeks.bounds(0)
    query = (
        select(ledger.c.member_id, func.count(ledger.c.id))
        .where(
            _is_prompt_reply(community_id),
            ledger.c.member_id.is_not(None),
            ledger.c.occurred_at >= start,
            ledger.c.occurred_at < end,
        )
        .group_by(ledger.c.member_id)
    )
    return {int(m): int(n) for m, n in await rows_of(session, query)}


async def prompt_rows(
    *, session: AsyncSession, community_id: int, weeks: Weeks
) -> list[PromptReportRow]:
    """The prompts posted in the report's weeks, newest first, with every reply their thread
    has had up to the report week's end."""
    replies = (
        select(
            post.c.key,
            func.count(ledger.c.id).label("replies"),
            func.count(func.distinct(ledger.c.member_id)).label("repliers"),
        )
        .select_from(
            post.join(
                ledger,
                and_(
                    post.c.kind == PROMPT_POST,  # by the outbox's kind index: a few rows
                    ledger.c.kind == "reply",
                    ledger.c.platform == post.c.platform,
                    ledger.c.workspace == post.c.workspace,
                    ledger.c.parent_ref == post.c.platform_message_id,
                    ledger.c.occurred_at < weeks.end,
                ),
            )
        )
        .group_by(post.c.key)
        .subquery("replies")
    )
    query = (
        select(
            prompt.c.text,
            prompt.c.kind,
            prompt.c.posted_at,
            func.coalesce(replies.c.replies, 0),
            func.coalesce(replies.c.repliers, 0),
        )
        .select_from(prompt.outerjoin(replies, replies.c.key == prompt.c.post_key))
        .where(
            prompt.c.community_id == community_id,
            prompt.c.posted_at >= weeks.start,
            prompt.c.posted_at < weeks.end,
        )
        .order_by(prompt.c.posted_at.desc(), prompt.c.id.desc())
    )
    return [
        PromptReportRow(text, kind, posted, int(n), int(people))
        for text, kind, posted, n, people in await rows_of(session, query)
    ]
