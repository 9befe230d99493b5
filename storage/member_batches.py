"""Members for a batch of counted acts: found, created and renamed together, one query each."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import insert, tuple_, update
from sqlalchemy import select as select_columns
from sqlmodel import SQLModel, col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models import Community, Identity, Member, Workspace

IdentityKey = tuple[str, str, str]  # platform, workspace, user id
_KEYS_PER_QUERY = 500  # parameters a query: well under every backend's limit


@dataclass(frozen=True)
class MemberFacts:
    """What counting an act needs to know about its member."""

    id: int
    community_id: int
    display_name: str
    tracking_opted_out: bool


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


async def members_by_identities(
    *, session: AsyncSession, keys: Collection[IdentityKey]
) -> dict[IdentityKey, MemberFacts]:
    """The members behind many platform accounts, a few hundred a query; unknown ones absent."""
    by_workspace: dict[tuple[str, str], list[str]] = {}
    for platform, workspace, user in keys:
        by_workspace.setdefault((platform, workspace), []).append(user)
    found: dict[IdentityKey, MemberFacts] = {}
    for (platform, workspace), users in by_workspace.items():
        for start in range(0, len(users), _KEYS_PER_QUERY):
            # One workspace at a time: a plain IN on the unique (platform, workspace, user_id)
            # index, cheaper to render and to plan than an IN of row values.
            query = (
                select_columns(
                    col(Identity.user_id),
                    col(Member.id),
                    col(Member.community_id),
                    col(Member.display_name),
                    col(Member.tracking_opted_out),
                )
                .join(Member, col(Member.id) == col(Identity.member_id))
                .where(
                    col(Identity.platform) == platform,
                    col(Identity.workspace) == workspace,
                    col(Identity.user_id).in_(users[start : start + _KEYS_PER_QUERY]),
                )
            )
            # Plain columns (no ORM objects to build) are past sqlmodel's typed overloads.
            rows = (await session.exec(query)).all()  # type: ignore[call-overload]
            for user, *facts in rows:
                found[(platform, workspace, user)] = MemberFacts(*facts)
    return found


async def add_members(
    *,
    session: AsyncSession,
    newcomers: Sequence[tuple[IdentityKey, int, str]],
    now: datetime,
) -> dict[IdentityKey, MemberFacts]:
    """Create members, each with one identity, from (identity, community id, display name):
    two statements in all. Raises IntegrityError if another handler made one of them first."""
    if not newcomers:
        return {}
    # The tables, not the ORM entities: the ORM's bulk path would process every row in Python.
    members, identities = SQLModel.metadata.tables["member"], SQLModel.metadata.tables["identity"]
    # Columns left out (cohort, tracking) take the model's defaults, as in add_member.
    people = [
        {"community_id": community, "display_name": name, "first_seen": now}
        for _, community, name in newcomers
    ]
    returning = insert(members).returning(members.c.id, sort_by_parameter_order=True)
    ids = list((await session.exec(returning, params=people)).scalars())
    await session.exec(
        insert(identities),
        params=[
            {"member_id": member_id, "platform": p, "workspace": w, "user_id": u}
            for member_id, ((p, w, u), _, _) in zip(ids, newcomers, strict=True)
        ],
    )
    return {
        key: MemberFacts(member_id, community, name, False)
        for member_id, (key, community, name) in zip(ids, newcomers, strict=True)
    }


async def rename_members(*, session: AsyncSession, names: dict[int, str]) -> None:
    """Give members the display names their platforms now show."""
    for member_id, name in names.items():
        await session.exec(
            update(Member).where(col(Member.id) == member_id).values(display_name=name)
        )
