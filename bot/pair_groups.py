"""Making one round's groups: twos (and one three when the number is odd), members who can meet
in their working day together, and new faces rather than last rounds' (each when possible),
the same groups for the same seed.

Pure: it takes candidates and returns groups of member ids; the use case stores and sends them.
Greedy over members sorted by UTC offset (so neighbours live close in time), then a mending pass
that swaps members between groups where that removes a repeat or a spread too wide. Both stay
linear in the number of members (a bounded look-ahead), so 2,000 members take well under a second.
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Sequence, Set
from dataclasses import dataclass

# Partners weighed for each member, the nearest in time first.
LOOK_AHEAD = 40
# Other groups tried for a swap that mends one group.
MEND_TRIES = 100

Group = tuple[int, ...]


@dataclass(frozen=True)
class Candidate:
    """A member who may be paired, and their UTC offset (hours) at the round's time."""

    member_id: int
    offset_hours: float


class _Costs:
    """What is wrong with a group, as a pair to compare: members too far apart in time (first:
    they cannot meet), then pairs grouped in a recent round."""

    def __init__(self, offsets: dict[int, float], avoid: Set[frozenset[int]], hours: float):
        self._offsets, self._avoid, self._hours = offsets, avoid, hours

    def of(self, group: Iterable[int]) -> tuple[int, int]:
        members = list(group)
        times = [self._offsets[m] for m in members]
        far = int(max(times) - min(times) > self._hours)
        repeats = sum(
            frozenset((a, b)) in self._avoid
            for i, a in enumerate(members)
            for b in members[i + 1 :]
        )
        return far, repeats


def _add(a: tuple[int, int], b: tuple[int, int]) -> tuple[int, int]:
    return a[0] + b[0], a[1] + b[1]


def make_groups(
    candidates: Sequence[Candidate],
    *,
    avoid: Set[frozenset[int]],
    max_hours_apart: float,
    seed: str,
) -> list[Group]:
    """Group the candidates in twos (one three when their number is odd); none when fewer than
    two. Pairs in ``avoid`` and groups spanning more than ``max_hours_apart`` hours are avoided
    when possible; the same candidates and seed give the same groups."""
    if len(candidates) < 2:
        return []
    rng = random.Random(seed)
    people = sorted(candidates, key=lambda c: c.member_id)
    rng.shuffle(people)
    people.sort(key=lambda c: c.offset_hours)  # stable: equal offsets keep the shuffled order
    offsets = {c.member_id: c.offset_hours for c in people}
    costs = _Costs(offsets, avoid, max_hours_apart)
    order = [c.member_id for c in people]
    groups, extra = _pairs(order, costs, offsets)
    if extra is not None:
        best = min(
            range(len(groups)),
            key=lambda i: (costs.of((*groups[i], extra)), _spread(offsets, (*groups[i], extra))),
        )
        groups[best] = (*groups[best], extra)
    _mend(groups, costs, rng)
    return [tuple(sorted(g)) for g in groups]


def _spread(offsets: dict[int, float], group: Iterable[int]) -> float:
    times = [offsets[m] for m in group]
    return max(times) - min(times)


def _pairs(
    order: list[int], costs: _Costs, offsets: dict[int, float]
) -> tuple[list[Group], int | None]:
    """Pair each member, in order, with the best of the next few not yet paired; the one left
    over when their number is odd (the last in order, so it joins a group near in time)."""
    used = [False] * len(order)
    pairs: list[Group] = []
    for i, member in enumerate(order):
        if used[i]:
            continue
        used[i] = True
        options: list[tuple[tuple[int, int], float, int]] = []
        j = i + 1
        while j < len(order) and len(options) < LOOK_AHEAD:
            if not used[j]:
                other = order[j]
                gap = abs(offsets[other] - offsets[member])
                options.append((costs.of((member, other)), gap, j))
            j += 1
        if not options:
            return pairs, member
        _, _, chosen = min(options)
        used[chosen] = True
        pairs.append((member, order[chosen]))
    return pairs, None


def _mend(groups: list[Group], costs: _Costs, rng: random.Random) -> None:
    """Swap members between a group with a problem and another where that lessens the two
    groups' problems together."""
    count = len(groups)
    if count < 2:
        return
    for index in range(count):
        if costs.of(groups[index]) == (0, 0):
            continue
        start = rng.randrange(count)
        for step in range(min(MEND_TRIES, count)):
            other = (start + step) % count
            if other != index and _swap(groups, index, other, costs):
                break


def _swap(groups: list[Group], index: int, other: int, costs: _Costs) -> bool:
    """Make the first swap of one member each that lessens the two groups' problems."""
    first, second = groups[index], groups[other]
    before = _add(costs.of(first), costs.of(second))
    for x in first:
        for y in second:
            mine = (*(m for m in first if m != x), y)
            theirs = (*(m for m in second if m != y), x)
            if _add(costs.of(mine), costs.of(theirs)) < before:
                groups[index], groups[other] = mine, theirs
                return True
    return False
