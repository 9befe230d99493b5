"""The three summary lines that go with the report in chat."""

from __future__ import annotations

from dataclasses import replace

from reports.summary import summary_lines
from tests.report_samples import empty_report, sample_report


def test_three_lines_with_the_exact_figures() -> None:
    data = sample_report()
    assert (data.this_week.active, data.last_week.active) == (21, 20)
    assert summary_lines(data) == [
        "21 active members this week (up 1 from last week).",
        "4 new members, 1 churned.",
        "Check-in response rate: 65% (20 of 31 answered).",
    ]


def test_a_fall_a_single_member_and_no_change() -> None:
    data = sample_report()
    fell = replace(data, this_week=replace(data.this_week, active=1, new=1, churned=3))
    assert summary_lines(fell)[:2] == [
        "1 active member this week (down 19 from last week).",
        "1 new member, 3 churned.",
    ]
    same = replace(data, last_week=replace(data.last_week, active=21))
    assert summary_lines(same)[0] == "21 active members this week (the same as last week)."


def test_a_quiet_week_says_no_check_in_was_sent() -> None:
    assert summary_lines(empty_report()) == [
        "0 active members this week (the same as last week).",
        "0 new members, 0 churned.",
        "No check-ins were sent this week.",
    ]
