"""Queries about link codes, the attempts to enter them, and where a linked member is reached."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, update
from sqlmodel import col, func, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models import Identity, LinkAttempt, LinkCode, MemberPreference


async def add_code(
    *,
    session: AsyncSession,
    member_id: int,
    code_hash: str,
    platform: str,
    now: datetime,
    expires_at: datetime,
) -> None:
    """Keep a new code's hash; the member's earlier unused codes stop working."""
    await session.exec(
        update(LinkCode)
        .where(
            col(LinkCode.member_id) == member_id,
            col(LinkCode.used_at).is_(None),
            col(LinkCode.expires_at) > now,
        )
        .values(expires_at=now)
    )
    session.add(
        LinkCode(
            member_id=member_id,
            code_hash=code_hash,
            platform=platform,
            created_at=now,
            expires_at=expires_at,
        )
    )
    await session.flush()


async def code_with_hash(*, session: AsyncSession, code_hash: str) -> LinkCode | None:
    """The code with this hash, the newest if two ever shared one."""
    query = (
        select(LinkCode)
        .where(col(LinkCode.code_hash) == code_hash)
        .order_by(col(LinkCode.id).desc())
    )
    return (await session.exec(query)).first()


async def claim_code(*, session: AsyncSession, code_id: int, now: datetime) -> bool:
    """Mark a code used; False if another request used it a moment ago (each works once)."""
    result = await session.exec(
        update(LinkCode)
        .where(col(LinkCode.id) == code_id, col(LinkCode.used_at).is_(None))
        .values(used_at=now)
    )
    return bool(result.rowcount)


async def record_attempt(
    *, session: AsyncSession, platform: str, workspace: str, user_id: str, at: datetime, ok: bool
) -> None:
    """Remember one code entered by an account, right or wrong."""
    session.add(LinkAttempt(platform=platform, workspace=workspace, user_id=user_id, at=at, ok=ok))
    await session.flush()


async def wrong_attempts(
    *, session: AsyncSession, platform: str, workspace: str, user_id: str, since: datetime
) -> int:
    """How many wrong codes an account entered after a moment."""
    query = select(func.count()).where(
        col(LinkAttempt.platform) == platform,
        col(LinkAttempt.workspace) == workspace,
        col(LinkAttempt.user_id) == user_id,
        col(LinkAttempt.at) > since,
        ~col(LinkAttempt.ok),
    )
    return int((await session.exec(query)).one())


async def preferred_platform(*, session: AsyncSession, member_id: int) -> str | None:
    """The platform a member chose to be reached on, if they chose."""
    found = await session.get(MemberPreference, member_id)
    return found.platform if found is not None else None


async def set_preference(*, session: AsyncSession, member_id: int, platform: str | None) -> None:
    """Choose (or, with None, forget) the platform a member is reached on."""
    await session.exec(delete(MemberPreference).where(col(MemberPreference.member_id) == member_id))
    if platform is not None:
        session.add(MemberPreference(member_id=member_id, platform=platform))
    await session.flush()


async def identities(*, session: AsyncSession, member_id: int) -> list[Identity]:
    """A member's platform accounts, first-made first."""
    query = select(Identity).where(col(Identity.member_id) == member_id).order_by(col(Identity.id))
    return list((await session.exec(query)).all())
