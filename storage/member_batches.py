"""Workspaces and accounts for batches of counted acts (``storage.counted_acts`` counts them)."""

from __future__ import annotations

from collections.abc import Collection

from sqlalchemy import tuple_
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models import Community, Workspace

IdentityKey = tuple[str, str, str]  # platform, workspace, user id


async def communities_of_workspaces(
    *, session: AsyncSession, workspaces: Collection[tuple[str, str]]
) -> dict[tuple[str, str], Community]:
    """The communities of many (platform, workspace) pairs, in one query; unknown ones absent."""
    if not workspaces:
        return {}
    query = (
        select(Workspace.platform, Workspace.external_id, Community)
        .join(Community, col(Workspace.community_id) == col(Community.id))
        .where(tuple_(col(Workspace.platform), col(Workspace.external_id)).in_(list(workspaces)))
    )
    return {(p, w): c for p, w, c in (await session.exec(query)).all()}
