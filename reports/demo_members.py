"""A demo community's members: their accounts, the facilitator and lead among the pilot, their
roles and the charter, written in bulk."""

from __future__ import annotations

from datetime import timedelta

from reports.demo_acts import Placed
from reports.demo_people import CORE, WORKSPACES
from reports.demo_setting import CHARTER
from storage.bulk_rows import insert_rows
from storage.engine import Store
from storage.models import Charter, RoleGrant


def facilitator_of(placed: list[Placed]) -> Placed:
    """The pilot's most engaged member facilitates."""
    pilot = [m for m in placed if m.person.cohort == "pilot"]
    return next((m for m in pilot if m.person.habit is CORE), pilot[0] if pilot else placed[0])


def lead_of(placed: list[Placed], facilitator: Placed) -> Placed:
    """A pilot member who reads the reports more than they post."""
    others = [m for m in placed if m.person.cohort == "pilot" and m is not facilitator]
    others.sort(key=lambda m: (m.person.habit is CORE, m.person.index))
    return others[0] if others else facilitator


async def write_members(store: Store, community_id: int, placed: list[Placed], fast: bool) -> None:
    """The members, their platform accounts, their roles and the charter."""
    members = [
        {"id": m.member_id, "community_id": community_id, "display_name": m.person.display_name,
         "timezone": m.person.timezone, "cohort": m.person.cohort,
         "tracking_opted_out": m.person.opted_out, "away_until": None,
         "first_seen": m.first_seen, "platform_admin": None}
        for m in placed
    ]  # fmt: skip
    identities = [
        {"member_id": m.member_id, "platform": m.person.platform,
         "workspace": WORKSPACES[m.person.platform], "user_id": m.person.user_id,
         "dm_channel": None}
        for m in placed
    ]  # fmt: skip
    identities += [
        {"member_id": m.member_id, "platform": "console", "workspace": WORKSPACES["console"],
         "user_id": m.person.second_identity, "dm_channel": None}
        for m in placed
        if m.person.second_identity
    ]  # fmt: skip
    await insert_rows(store=store, table="member", rows=members, fast=fast)
    await insert_rows(store=store, table="identity", rows=identities, fast=fast)
    facilitator = facilitator_of(placed)
    lead = lead_of(placed, facilitator)
    granted = facilitator.first_seen + timedelta(hours=1)
    async with store.transaction() as session:
        session.add(
            RoleGrant(member_id=facilitator.member_id, role="facilitator", granted_at=granted)
        )
        session.add(
            RoleGrant(
                member_id=lead.member_id,
                role="lead",
                granted_by=facilitator.member_id,
                granted_at=max(granted, lead.first_seen),
            )
        )
        session.add(
            Charter(
                community_id=community_id,
                updated_by=facilitator.member_id,
                updated_at=granted,
                **CHARTER,
            )
        )
