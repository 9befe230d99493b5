"""Queries about the workspaces a community lives in."""

from __future__ import annotations

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models import Workspace


async def first_workspaces(*, session: AsyncSession, community_id: int) -> dict[str, str]:
    """Per platform, the community's first bound workspace: where copbot reaches someone the
    config names whom it has not met yet."""
    places = await session.exec(
        select(Workspace.platform, Workspace.external_id)
        .where(col(Workspace.community_id) == community_id)
        .order_by(col(Workspace.id))
    )
    workspaces: dict[str, str] = {}
    for platform, external_id in places.all():
        workspaces.setdefault(platform, external_id)
    return workspaces
