"""The demo community's history: the shapes it promises, checked with plain SQL over what it wrote
(and Python over the rows read back), on both backends."""

from __future__ import annotations

import itertools
import statistics
from collections import defaultdict
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from reports.demo_history import write_history
from scheduler.calendar import CronCalendar
from storage.engine import Store
from storage.report_week import ReportWeek
from tests.sql_rows import aware as _aware
from tests.sql_rows import rows as _rows

NOW = datetime(2026, 12, 1, 9, 30, tzinfo=UTC)  # a Tuesday
ZONE = "Europe/Berlin"


def _week(value: Any) -> ReportWeek:
    return ReportWeek.containing(_aware(value), ZONE)


async def _contributions(store: Store) -> dict[int, dict[ReportWeek, int]]:
    """Each member's messages and replies, by week of the community's calendar."""
    found: dict[int, dict[ReportWeek, int]] = defaultdict(lambda: defaultdict(int))
    rows = await _rows(
        store,
        "SELECT member_id, occurred_at FROM ledger "
        "WHERE kind IN ('message', 'reply') AND member_id IS NOT NULL",
    )
    for member_id, at in rows:
        found[member_id][_week(at)] += 1
    return found


async def test_sixty_members_a_pilot_cohort_first_then_the_launch_cohort(store: Store) -> None:
    history = await write_history(store, now=NOW, seed=7)
    members = await _rows(store, "SELECT id, display_name, cohort, first_seen FROM member")
    assert history.members == len(members) == 60
    pilot = [_aware(m.first_seen) for m in members if m.cohort == "pilot"]
    launch = [_aware(m.first_seen) for m in members if m.cohort == "launch"]
    assert len(pilot) == 10 and len(launch) == 50
    assert max(pilot) < min(launch)
    names = [m.display_name for m in members]
    assert len(set(names)) == len(names)
    assert not any(name.lower().startswith(("user", "member")) for name in names)
    identities = await _rows(
        store, "SELECT member_id, platform, workspace, user_id FROM identity ORDER BY id"
    )
    assert {i.member_id for i in identities} == {m.id for m in members}
    assert {i.platform for i in identities} == {"slack", "console"}
    bound = await _rows(store, "SELECT platform, external_id FROM workspace")
    assert {(i.platform, i.workspace) for i in identities} <= {tuple(b) for b in bound}


async def test_twelve_full_weeks_before_the_week_of_now_and_nothing_after_now(
    store: Store,
) -> None:
    history = await write_history(store, now=NOW, seed=7)
    times = [_aware(at) for (at,) in await _rows(store, "SELECT occurred_at FROM ledger")]
    assert len(times) == history.ledger_rows
    weeks = {ReportWeek.containing(at, ZONE) for at in times}
    last = ReportWeek.containing(NOW, ZONE).shifted(-1)
    assert history.last_full_week == last
    assert {last.shifted(-n) for n in range(12)} <= weeks
    assert min(times) >= history.first_week.start(ZONE) == last.shifted(-11).start(ZONE)
    assert max(times) <= NOW


async def test_people_post_in_working_hours_on_weekdays_in_the_communitys_timezone(
    store: Store,
) -> None:
    await write_history(store, now=NOW, seed=7)
    rows = await _rows(store, "SELECT occurred_at FROM ledger WHERE kind = 'message'")
    local = [_aware(at).astimezone(ZoneInfo(ZONE)) for (at,) in rows]
    weekend = sum(at.weekday() >= 5 for at in local) / len(local)
    working = sum(at.weekday() < 5 and 8 <= at.hour < 18 for at in local) / len(local)
    night = sum(at.hour < 6 for at in local) / len(local)
    assert weekend < 0.1 and working > 0.6 and night < 0.03


async def test_a_few_core_members_contribute_most_weeks_and_most_of_the_talk(
    store: Store,
) -> None:
    await write_history(store, now=NOW, seed=7)
    weekly = await _contributions(store)
    busy_weeks = sorted((len(weeks) for weeks in weekly.values()), reverse=True)
    assert busy_weeks[2] >= 9  # at least three contribute in nine weeks of twelve or more
    totals = sorted((sum(weeks.values()) for weeks in weekly.values()), reverse=True)
    assert sum(totals[:6]) > sum(totals) / 2  # a tenth of the members say most of it


async def test_the_periphery_mostly_reacts(store: Store) -> None:
    await write_history(store, now=NOW, seed=7)
    rows = await _rows(
        store,
        "SELECT member_id, "
        "SUM(CASE WHEN kind = 'reaction' THEN 1 ELSE 0 END), "
        "SUM(CASE WHEN kind IN ('message', 'reply') THEN 1 ELSE 0 END) "
        "FROM ledger WHERE member_id IS NOT NULL GROUP BY member_id",
    )
    peripheral = [m for m, reactions, talk in rows if reactions >= 4 * talk and reactions > 0]
    assert len(peripheral) >= 15
    kinds = dict(await _rows(store, "SELECT kind, COUNT(*) FROM ledger GROUP BY kind"))
    # The events' answers and attendances are ledger rows too, fewer than the talk, and so are
    # copbot's welcomes, pairings and nudges, the survey responses, and the links and stories
    # members shared.
    assert set(kinds) == {
        "message", "reply", "reaction", "rsvp", "attended", "welcome", "pair", "nudge", "survey",
        "resource", "story",
    }  # fmt: skip
    assert kinds["rsvp"] + kinds["attended"] < kinds["message"]
    assert kinds["reaction"] > kinds["message"] + kinds["reply"]


async def test_welcomes_pairings_and_nudges_are_made_as_copbot_makes_them(store: Store) -> None:
    await write_history(store, now=NOW, seed=7)
    welcomed = await _rows(store, "SELECT member_id, cause FROM welcome")
    tracked = await _rows(store, "SELECT COUNT(*) FROM member WHERE NOT tracking_opted_out")
    assert len(welcomed) == tracked[0][0]  # each tracked member once (all arrived before NOW)
    assert {cause for _, cause in welcomed} <= {"pilot", "launch", "message"}
    spans = await _rows(
        store,
        "SELECT g.id, COUNT(*), COUNT(DISTINCT i.platform) FROM pair_group g "
        "JOIN pair_member p ON p.group_id = g.id JOIN identity i ON i.member_id = p.member_id "
        "AND i.platform = g.platform GROUP BY g.id",
    )
    assert spans and all(n in (2, 3) and platforms == 1 for _, n, platforms in spans)
    sent = await _rows(store, "SELECT member_id, sent_at FROM nudge ORDER BY member_id, sent_at")
    by_member: dict[int, list[datetime]] = {}
    for member, at in sent:
        by_member.setdefault(member, []).append(_aware(at))
    gaps = [b - a for times in by_member.values() for a, b in itertools.pairwise(times)]
    assert sent and all(gap >= timedelta(weeks=4) for gap in gaps)


async def test_newcomers_arrive_over_time_act_once_seen_and_most_get_an_answer(
    store: Store,
) -> None:
    history = await write_history(store, now=NOW, seed=7)
    first_seen = {
        m: _aware(at) for m, at in await _rows(store, "SELECT id, first_seen FROM member")
    }
    joined = [ReportWeek.containing(at, ZONE) for at in first_seen.values()]
    last = history.last_full_week
    assert sum(last.shifted(-6) <= week <= last for week in joined) >= 5
    assert last in joined  # someone new in the week the report is about
    early = await _rows(store, "SELECT member_id, occurred_at FROM ledger WHERE member_id > 0")
    assert all(_aware(at) >= first_seen[m] for m, at in early)
    # Most newcomers' first posts are answered; one of the last full week's is not, in 48 hours.
    posts = await _rows(
        store,
        "SELECT p.member_id, p.occurred_at, MIN(r.occurred_at) FROM ledger p "
        "LEFT JOIN ledger r ON r.platform = p.platform AND r.workspace = p.workspace "
        "AND r.parent_ref = p.message_ref AND r.kind = 'reply' "
        "WHERE p.kind = 'message' GROUP BY p.id, p.member_id, p.occurred_at",
    )
    first_posts: dict[int, tuple[datetime, datetime | None]] = {}
    for member, posted, replied in posts:
        if member is not None and (
            member not in first_posts or _aware(posted) < first_posts[member][0]
        ):
            first_posts[member] = (_aware(posted), replied and _aware(replied))
    newcomers = [m for m, at in first_seen.items() if _week(at) >= history.first_week.shifted(4)]
    answered = [
        m
        for m in newcomers
        if m in first_posts
        and first_posts[m][1] is not None
        and first_posts[m][1] - first_posts[m][0] <= timedelta(hours=48)
    ]
    unanswered = [m for m in newcomers if m in first_posts and m not in answered]
    assert len(answered) > 2 * len(unanswered) > 0
    assert any(_week(first_seen[m]) == last for m in unanswered)


async def test_some_active_members_churned_four_to_eight_weeks_ago(store: Store) -> None:
    history = await write_history(store, now=NOW, seed=7)
    last = history.last_full_week
    churned = [
        member
        for member, weeks in (await _contributions(store)).items()
        if any(last.shifted(-8) <= w <= last.shifted(-4) for w in weeks)
        and not any(w > last.shifted(-4) for w in weeks)
    ]
    assert len(churned) >= 3


async def test_replies_answer_a_message_of_the_same_channel_minutes_to_hours_later(
    store: Store,
) -> None:
    await write_history(store, now=NOW, seed=7)
    replies = await _rows(
        store,
        "SELECT r.parent_ref, p.kind, p.channel = r.channel, p.occurred_at, r.occurred_at, "
        "r.message_ref FROM ledger r LEFT JOIN ledger p ON p.platform = r.platform "
        "AND p.workspace = r.workspace AND p.message_ref = r.parent_ref AND p.kind = 'message' "
        "WHERE r.kind = 'reply'",
    )
    assert len(replies) > 100
    assert all(r[0] and r[1] == "message" and r[2] and r[5] for r in replies)
    assert all(_aware(r[4]) > _aware(r[3]) for r in replies)
    first: dict[str, timedelta] = {}
    for parent, _, _, posted, replied, _ in replies:
        wait = _aware(replied) - _aware(posted)
        first[parent] = min(first.get(parent, wait), wait)
    posts = await _rows(store, "SELECT message_ref, parent_ref FROM ledger WHERE kind = 'message'")
    assert all(ref and parent is None for ref, parent in posts)
    answered = sum(ref in first for ref, _ in posts) / len(posts)
    assert 0.6 < answered < 0.95  # most get a reply, some never do
    median = statistics.median(first.values())
    assert timedelta(minutes=5) < median < timedelta(hours=6)
    reactions = await _rows(
        store, "SELECT COUNT(*) FROM ledger WHERE kind = 'reaction' AND message_ref IS NOT NULL"
    )
    assert reactions[0][0] == 0


async def test_the_opted_out_member_counts_only_anonymously(store: Store) -> None:
    await write_history(store, now=NOW, seed=7)
    opted = await _rows(store, "SELECT id FROM member WHERE tracking_opted_out")
    assert len(opted) == 1
    own = await _rows(store, "SELECT COUNT(*) FROM ledger WHERE member_id = :m", m=opted[0][0])
    anonymous = await _rows(store, "SELECT COUNT(*) FROM ledger WHERE member_id IS NULL")
    assert own[0][0] == 0 and anonymous[0][0] > 0


async def test_two_weekly_checkins_answered_only_by_members_they_were_sent_to(
    store: Store,
) -> None:
    history = await write_history(store, now=NOW, seed=7)
    checkins = await _rows(
        store,
        "SELECT c.id, c.audience, s.expression FROM checkin c "
        "JOIN schedule s ON s.id = c.schedule_id",
    )
    assert len(checkins) == history.checkins == 2
    assert {c.audience for c in checkins} == {"members", "pilot"}
    for _, _, expression in checkins:
        assert CronCalendar().normalize(expression) == expression
    occurrences = await _rows(
        store, "SELECT id, checkin_id, key, scheduled_for, sent_count FROM occurrence"
    )
    by_checkin = defaultdict(list)
    for occurrence in occurrences:
        by_checkin[occurrence.checkin_id].append(_aware(occurrence.scheduled_for))
    for times in by_checkin.values():
        local = sorted(t.astimezone(ZoneInfo(ZONE)).replace(tzinfo=None) for t in times)
        assert len(local) >= 11
        # Weekly at the same local time, daylight saving or not.
        assert all(b - a == timedelta(weeks=1) for a, b in itertools.pairwise(local))
    asked = await _rows(
        store,
        "SELECT o.id, i.member_id FROM outbox x "
        "JOIN occurrence o ON x.key LIKE o.key || ':%' "
        "JOIN identity i ON i.platform = x.platform AND i.workspace = x.workspace "
        "AND i.user_id = x.recipient_user WHERE x.kind = 'checkin-ask'",
    )
    sent = {(occurrence, member) for occurrence, member in asked}
    per_occurrence = defaultdict(int)
    for occurrence, _ in sent:
        per_occurrence[occurrence] += 1
    assert {o.id: o.sent_count for o in occurrences if o.sent_count} == dict(per_occurrence)
    answers = await _rows(
        store,
        "SELECT a.occurrence_id, a.member_id, m.cohort, c.audience, a.submitted_at, "
        "o.scheduled_for FROM answer a JOIN member m ON m.id = a.member_id "
        "JOIN occurrence o ON o.id = a.occurrence_id JOIN checkin c ON c.id = o.checkin_id",
    )
    assert len(answers) == history.answers > 100
    assert all((a.occurrence_id, a.member_id) in sent for a in answers)
    assert all(a.cohort == "pilot" for a in answers if a.audience == "pilot")
    assert all(_aware(a.scheduled_for) < _aware(a.submitted_at) <= NOW for a in answers)


async def test_a_facilitator_a_lead_and_a_charter(store: Store) -> None:
    await write_history(store, now=NOW, seed=7)
    roles = await _rows(store, "SELECT role, COUNT(*) FROM role_grant GROUP BY role")
    assert dict(roles) == {"facilitator": 1, "lead": 1}
    charter = await _rows(store, "SELECT purpose, goals FROM charter")
    assert len(charter) == 1 and all(charter[0])
