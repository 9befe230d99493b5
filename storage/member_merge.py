"""Two members become one (a person linked their accounts), or one account leaves its member.

Every table with a column referring to ``member.id`` is found in the models' metadata, so a
table added later is re-pointed too without anyone remembering to list it here."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, Table, and_, delete, exists, select, update
from sqlalchemy.sql.schema import PrimaryKeyConstraint, UniqueConstraint
from sqlmodel.ext.asyncio.session import AsyncSession

from storage import surveys
from storage.models import Identity, Member, Welcome, metadata


def member_references() -> list[tuple[Table, Column[int]]]:
    """Every (table, column) whose values are member ids, by a foreign key to ``member.id``."""
    found: list[tuple[Table, Column[int]]] = []
    for table in metadata.sorted_tables:
        for column in table.columns:
            if any(fk.column.table.name == "member" for fk in column.foreign_keys):
                found.append((table, column))
    return found


def _unique_sets(table: Table, column: Column[int]) -> list[list[Column[int]]]:
    """The other columns of each unique key that holds ``column``: two rows, one per member,
    that agree on them cannot both be kept once they name the same member."""
    sets: list[list[Column[int]]] = []
    for constraint in table.constraints:
        if isinstance(constraint, PrimaryKeyConstraint | UniqueConstraint):
            names = [c.name for c in constraint.columns]
            if column.name in names:
                sets.append([c for c in constraint.columns if c.name != column.name])
    for index in table.indexes:
        names = [c.name for c in index.columns]
        if index.unique and column.name in names:
            sets.append([c for c in index.columns if c.name != column.name])
    return sets


async def merge_into(*, session: AsyncSession, kept: int, gone: int) -> dict[str, int]:
    """Re-point everything of member ``gone`` to member ``kept`` and delete ``gone``; where
    both have a row that must be unique (both answered one check-in, say), the kept member's
    stays. Returns how many rows moved in each table."""
    await session.flush()
    # What the generic rule below cannot know: an answer given on either account counts.
    await surveys.fold_member(session=session, kept=kept, gone=gone)
    moved: dict[str, int] = {}
    for table, column in member_references():
        for others in _unique_sets(table, column):
            twin = table.alias("twin")
            clash = exists(
                select(1)
                .select_from(twin)
                .where(
                    twin.c[column.name] == kept,
                    *[twin.c[o.name] == table.c[o.name] for o in others],
                )
            )
            await session.exec(delete(table).where(and_(column == gone, clash)))
        result = await session.exec(update(table).where(column == gone).values({column.name: kept}))
        if result.rowcount:
            moved[table.name] = moved.get(table.name, 0) + int(result.rowcount)
    await session.exec(delete(Member).where(Member.id == gone))  # type: ignore[arg-type]
    return moved


async def split_off(
    *, session: AsyncSession, identity: Identity, old: Member, now: datetime
) -> Member:
    """Move one account into a member of its own again, with the old member's settings; what
    was counted stays with the old member."""
    member = Member(
        community_id=old.community_id,
        display_name=old.display_name,
        timezone=old.timezone,
        cohort=old.cohort,
        tracking_opted_out=old.tracking_opted_out,
        away_until=old.away_until,
        first_seen=now,
        platform_admin=old.platform_admin,
    )
    session.add(member)
    await session.flush()
    assert member.id is not None
    identity.member_id = member.id
    session.add(identity)
    welcomed = await session.get(Welcome, old.id)
    if welcomed is not None:
        # The person was welcomed once, whichever account they use: never a second time.
        session.add(
            Welcome(
                member_id=member.id,
                community_id=welcomed.community_id,
                welcomed_at=welcomed.welcomed_at,
                cause=welcomed.cause,
                key=f"{welcomed.key}:split:{member.id}",
            )
        )
    await session.flush()
    return member
