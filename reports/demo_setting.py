"""What a demo community is about and how busy its weeks are: the charter, the weekly pulse
(a launch bump, a holiday lull), and how hard to push habits to reach a benchmark's size."""

from __future__ import annotations

import random

from reports.demo_acts import MORE_REPLIES, REPLIED
from reports.demo_people import Person, Scale

CHARTER = {
    "audience": "Engineers, analysts and product people who build or use the data platform",
    "domain": "Data engineering: pipelines, data quality, the warehouse and its tools",
    "purpose": "Help each other ship reliable data products faster, and stop solving the "
    "same problem twice",
    "goals": "Answer every question within a day; one show-and-tell a week; a shared guide "
    "to our pipeline patterns by the end of the quarter",
    "outcomes": "Fewer broken dashboards, faster onboarding of new engineers, patterns reused "
    "across teams",
}
# Rows made for each row expected below, measured at the benchmark's size (pulses and the odd
# reply past the end of a thread push it up).
MEASURED = 1.08
LULL = 5  # weeks before the end: a holiday week, quieter than the rest
# Rows a top-level post brings on average: itself and its replies (some lost to the clock).
ROWS_PER_POST = 1 + REPLIED / (1 - MORE_REPLIES) * 0.9


def pulses(rng: random.Random, scale: Scale) -> list[float]:
    """How busy each week is against a usual one, the week of ``now`` last: a bump when the
    launch cohort arrives, a lull in a holiday week, and some noise."""
    found = []
    for week in range(scale.weeks + 1):
        pulse = rng.uniform(0.88, 1.12)
        if week == scale.launch_week:
            pulse *= 1.25
        elif week == scale.launch_week + 1:
            pulse *= 1.1
        elif week == scale.weeks - LULL:
            pulse *= 0.7
        found.append(pulse)
    return found


def intensity_for(scale: Scale, people: list[Person], week_pulses: list[float]) -> float:
    """How much to multiply everyone's posts and reactions by to reach ``scale.ledger_rows``
    (1 when the scale names no target): the rows each person is expected to make in the weeks
    they are around, at each week's pulse (it raises both the chance to act and how much)."""
    if scale.ledger_rows is None:
        return 1.0
    expected = 0.0
    for person in people:
        habit = person.habit
        last = scale.weeks - 1 if person.last_week is None else person.last_week
        weekly = habit.weekly_chance * (habit.messages * ROWS_PER_POST + habit.reactions)
        for week in range(person.joined_week, last + 1):
            share = 1 - person.joined_offset if week == person.joined_week else 1.0
            expected += share * weekly * week_pulses[week] ** 2
    return scale.ledger_rows / (expected * MEASURED) if expected else 1.0
