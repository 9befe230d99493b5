"""Pairing's groups: everyone once, in twos and one three, new faces and near timezones when
possible, the same groups for the same seed, and fast for 2,000 members."""

from __future__ import annotations

import random
import time
from collections import Counter

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.pair_groups import Candidate, Group, make_groups

OFFSETS = st.sampled_from([-8.0, -5.0, -3.0, 0.0, 1.0, 2.0, 5.5, 8.0, 9.0, 12.0])


def people(offsets: list[float]) -> list[Candidate]:
    return [Candidate(i + 1, offset) for i, offset in enumerate(offsets)]


def pairs_of(groups: list[Group]) -> set[frozenset[int]]:
    return {frozenset((a, b)) for g in groups for a in g for b in g if a < b}


@settings(max_examples=200, deadline=None)
@given(st.lists(OFFSETS, max_size=60), st.text(max_size=8))
def test_everyone_is_in_one_group_of_two_or_one_three(offsets: list[float], seed: str) -> None:
    groups = make_groups(people(offsets), avoid=set(), max_hours_apart=6, seed=seed)
    if len(offsets) < 2:
        assert groups == []
        return
    members = [m for g in groups for m in g]
    assert sorted(members) == list(range(1, len(offsets) + 1))
    sizes = Counter(len(g) for g in groups)
    assert set(sizes) <= {2, 3} and sizes[3] == len(offsets) % 2


@settings(max_examples=100, deadline=None)
@given(st.lists(OFFSETS, min_size=2, max_size=40), st.text(max_size=8), st.randoms())
def test_the_same_seed_makes_the_same_groups_whatever_the_order(
    offsets: list[float], seed: str, shuffler: random.Random
) -> None:
    given_order = people(offsets)
    avoid = {frozenset((1, 2))}
    first = make_groups(given_order, avoid=avoid, max_hours_apart=6, seed=seed)
    shuffler.shuffle(given_order)
    assert make_groups(given_order, avoid=avoid, max_hours_apart=6, seed=seed) == first


@settings(max_examples=150, deadline=None)
@given(st.integers(min_value=2, max_value=40), st.text(max_size=8))
def test_last_rounds_pairs_are_not_made_again(half: int, seed: str) -> None:
    """After one round of twos among the same members (one zone), no pair repeats."""
    same_zone = people([1.0] * (2 * half))
    before = make_groups(same_zone, avoid=set(), max_hours_apart=6, seed=f"a{seed}")
    after = make_groups(same_zone, avoid=pairs_of(before), max_hours_apart=6, seed=seed)
    assert pairs_of(after).isdisjoint(pairs_of(before))


@settings(max_examples=60, deadline=None)
@given(
    st.integers(min_value=1, max_value=10),
    st.integers(min_value=1, max_value=10),
    st.text(max_size=8),
)
def test_members_far_apart_in_time_are_not_grouped_when_it_can_be_helped(
    west: int, east: int, seed: str
) -> None:
    """Two regions 12 hours apart, an even number in each: every group stays in one region,
    even where that repeats a pair."""
    offsets = [-5.0] * (2 * west) + [7.0] * (2 * east)
    candidates = people(offsets)
    avoid = {
        frozenset((a, b)) for a in range(1, len(offsets)) for b in range(a + 1, len(offsets) + 1)
    }
    groups = make_groups(candidates, avoid=avoid, max_hours_apart=6, seed=seed)
    for group in groups:
        assert len({offsets[m - 1] for m in group}) == 1


def test_an_odd_one_joins_the_group_nearest_in_time() -> None:
    for seed in ("a", "b", "c"):
        groups = make_groups(
            people([0.0, 0.0, 9.0, 9.0, 9.5]), avoid=set(), max_hours_apart=6, seed=seed
        )
        assert sorted(groups, key=len) == [(1, 2), (3, 4, 5)]


def test_two_thousand_members_are_grouped_within_a_second() -> None:
    rng = random.Random(7)
    candidates = [Candidate(i, rng.choice([-8.0, -5.0, 0.0, 1.0, 5.5, 9.0])) for i in range(2000)]
    ids = [c.member_id for c in candidates]
    avoid: set[frozenset[int]] = set()
    for _ in range(6):  # six earlier rounds
        rng.shuffle(ids)
        avoid |= {frozenset(ids[i : i + 2]) for i in range(0, len(ids), 2)}
    start = time.perf_counter()
    groups = make_groups(candidates, avoid=avoid, max_hours_apart=6, seed="round")
    assert time.perf_counter() - start < 1.0
    assert len(groups) == 1000 and not pairs_of(groups) & avoid
