"""The three lines that go with the report in chat: active members, new and churned, check-ins."""

from __future__ import annotations

from storage.report_rows import ReportData


def summary_lines(data: ReportData) -> list[str]:
    """Active members and their change, new and churned members, the check-in response rate."""
    now, last = data.this_week, data.last_week
    return [
        f"{_count(now.active, 'active member')} this week ({_change(now.active - last.active)}).",
        f"{_count(now.new, 'new member')}, {now.churned} churned.",
        _checkins(now.checkins_answered, now.checkins_sent),
    ]


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def _change(delta: int) -> str:
    if delta > 0:
        return f"up {delta} from last week"
    if delta < 0:
        return f"down {-delta} from last week"
    return "the same as last week"


def _checkins(answered: int, sent: int) -> str:
    if not sent:
        return "No check-ins were sent this week."
    return f"Check-in response rate: {answered / sent:.0%} ({answered} of {sent} answered)."
