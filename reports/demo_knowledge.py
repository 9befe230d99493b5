"""A demo community's library and stories: links shared by members, and a few stories and
reflections told with consent (one by a member who opted out, so shown as anonymous), with the
ledger rows of kinds ``resource`` and ``story``."""

from __future__ import annotations

import random
from collections.abc import Sequence
from datetime import datetime, timedelta

from reports.demo_acts import LedgerRow, Placed
from reports.demo_people import WORKSPACES
from storage.bulk_rows import insert_rows
from storage.engine import Store

RESOURCES = (
    ("Pair review checklist", "https://example.org/pair-review", "review,pairs"),
    ("Writing good test names", "https://example.org/test-names", "testing"),
    ("A field guide to code katas", "https://example.org/katas", "practice,katas"),
    ("Ten questions for a retrospective", "https://example.org/retro", "facilitation"),
    ("How we onboard new maintainers", "https://example.org/onboarding", "community"),
    ("Reading list: communities of practice", "https://example.org/cop-reading", "research"),
    ("Mob programming, one year on", "https://example.org/mob", "pairs,practice"),
    ("Property-based testing in ten minutes", "https://example.org/pbt", "testing"),
)
STORIES = (
    ("story", "After the pair review session our team started reviewing in pairs every Friday."),
    ("reflection", "I used to explain first; now I ask what people tried before I say anything."),
    ("story", "The kata group turned into a weekly slot that three teams now share."),
    ("reflection", "Writing the retro questions down made me notice whom I never ask."),
    ("story", "Two members met through pairing and now co-maintain the data pipeline."),
)


def _row(community_id: int, m: Placed, kind: str, key: str, at: datetime) -> LedgerRow:
    platform = m.person.platform
    return (community_id, m.ledger_id, kind, platform, WORKSPACES[platform], None, key, at,
            None, None)  # fmt: skip


async def write_knowledge(
    store: Store,
    rng: random.Random,
    community_id: int,
    members: Sequence[Placed],
    now: datetime,
    fast: bool,
) -> list[LedgerRow]:
    """The library's links and the stories, each by a member around at the time; returns
    their ledger rows (ids follow the table's, which starts empty)."""
    around = [m for m in members if m.first_seen < now - timedelta(days=7)]
    told = [m for m in around if m.person.opted_out][:1] + [
        m for m in around if not m.person.opted_out
    ]
    resources, stories, ledger = [], [], []
    for number, (title, url, tags) in enumerate(RESOURCES, 1):
        m = rng.choice(around)
        at = rng.uniform(m.first_seen.timestamp(), now.timestamp() - 3600)
        when = datetime.fromtimestamp(at, now.tzinfo)
        resources.append({"community_id": community_id, "member_id": m.member_id, "url": url,
                          "title": title, "tags": f",{tags},", "shared_at": when})  # fmt: skip
        ledger.append(_row(community_id, m, "resource", f"resource:{number}", when))
    for number, (kind, text) in enumerate(STORIES, 1):
        m = told[0] if number == 2 else rng.choice(told[1:])  # the opted-out one tells one
        at = rng.uniform(m.first_seen.timestamp(), now.timestamp() - 3600)
        when = datetime.fromtimestamp(at, now.tzinfo)
        stories.append({"community_id": community_id, "member_id": m.member_id, "text": text,
                        "kind": kind, "confirmed_at": when, "withdrawn_at": None})  # fmt: skip
        ledger.append(_row(community_id, m, "story", f"story:{number}", when))
    await insert_rows(store=store, table="resource", rows=resources, fast=fast)
    await insert_rows(store=store, table="story", rows=stories, fast=fast)
    return ledger
