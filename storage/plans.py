"""Queries about the one-year plan: a community's application, the items it made, and what
its parts read back (a series' occurrences, the prompt queue)."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import delete
from sqlalchemy.exc import IntegrityError
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models import Event, PlanApplication, PlanItem, Prompt


async def plan_of(*, session: AsyncSession, community_id: int) -> PlanApplication | None:
    """The plan a community has applied, if any."""
    query = select(PlanApplication).where(col(PlanApplication.community_id) == community_id)
    return (await session.exec(query)).first()


async def add_plan(*, session: AsyncSession, plan: PlanApplication) -> bool:
    """Store a plan, first of all it makes (a community has one: False when another was
    stored a moment ago, and the transaction must then be given up)."""
    try:
        async with session.begin_nested():
            session.add(plan)
            await session.flush()
    except IntegrityError:
        return False
    return True


async def add_items(
    *, session: AsyncSession, plan_id: int, items: Sequence[tuple[str, int, str]]
) -> None:
    """Store what a plan made, each as ``(kind, item id, fingerprint)``."""
    for kind, item_id, fingerprint in items:
        session.add(PlanItem(plan_id=plan_id, kind=kind, item_id=item_id, fingerprint=fingerprint))
    await session.flush()


async def items_of(*, session: AsyncSession, plan_id: int) -> Sequence[PlanItem]:
    """A plan's items, in the order they were made."""
    query = select(PlanItem).where(col(PlanItem.plan_id) == plan_id).order_by(col(PlanItem.id))
    return (await session.exec(query)).all()


async def drop_plan(*, session: AsyncSession, plan: PlanApplication) -> bool:
    """Forget a plan and its items (the items themselves are the parts' to remove or keep);
    False when it was gone already (removed a moment ago by someone else, who waited on it)."""
    await session.exec(delete(PlanItem).where(col(PlanItem.plan_id) == plan.id))
    result = await session.exec(delete(PlanApplication).where(col(PlanApplication.id) == plan.id))
    return bool(result.rowcount)


async def series_events(*, session: AsyncSession, series_id: int) -> Sequence[Event]:
    """Every occurrence of a series made so far, first to last."""
    query = select(Event).where(col(Event.series_id) == series_id).order_by(col(Event.position))
    return (await session.exec(query)).all()


async def queued_prompts(*, session: AsyncSession, community_id: int) -> Sequence[Prompt]:
    """A community's queued prompts in the order they go out."""
    query = (
        select(Prompt)
        .where(col(Prompt.community_id) == community_id, col(Prompt.status) == "queued")
        .order_by(col(Prompt.id))
    )
    return (await session.exec(query)).all()
