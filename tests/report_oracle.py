"""The report's figures counted the slow, obvious way: plain Python over the rows a test wrote,
each week found from the act's local calendar date (the queries use UTC bounds and CASE)."""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime
from statistics import median
from zoneinfo import ZoneInfo

from tests.report_kit import Act, Ledger, Person

CONTRIBUTIONS = {"message", "reply", "checkin_answer"}
PARTICIPATION = CONTRIBUTIONS | {"attended"}  # who is active, and the levels


class Oracle:
    """Counts over a test's ledger, for the report week starting on ``monday`` (local)."""

    def __init__(self, ledger: Ledger, monday: date) -> None:
        self.ledger = ledger
        self.monday = monday

    def back(self, act: Act) -> int:
        return self.ledger.week_back(act.at, self.monday)

    def acts_in(self, back: int) -> list[Act]:
        return [a for a in self.ledger.acts if self.back(a) == back]

    def tracked(self, back: int) -> list[Person]:
        end = self.ledger.week_end(self.monday, back)
        return [p for p in self.ledger.people if not p.opted_out and p.first_seen < end]

    def weeks_of(self, person: Person, kinds: set[str]) -> set[int]:
        """The weeks back (0: the report week; negative: later) in which someone did these."""
        return {
            self.back(a)
            for a in self.ledger.acts
            if a.who is person and not person.opted_out and a.kind in kinds
        }

    def figures(self, back: int) -> dict[str, object]:
        """The WeekFigures of the week ``back`` weeks before the report's, as a dict."""
        acts = self.acts_in(back)
        kinds = Counter(a.kind for a in acts)
        active = {
            a.who.id for a in acts if a.who and not a.who.opted_out and a.kind in PARTICIPATION
        }
        reacted = {a.who.id for a in acts if a.who and not a.who.opted_out and a.kind == "reaction"}
        end = self.ledger.week_end(self.monday, back)
        new = returning = churned = 0
        for person in self.ledger.people:
            weeks = {w for w in self.weeks_of(person, CONTRIBUTIONS) if w >= back}
            if not weeks:
                continue
            if max(weeks) == back:
                new += 1
            quiet = not any(back + 1 <= w <= back + 4 for w in weeks)
            if back in weeks and quiet and any(w > back + 4 for w in weeks):
                returning += 1
            if not any(back <= w <= back + 3 for w in weeks) and any(
                back + 4 <= w <= back + 7 for w in weeks
            ):
                churned += 1
        firings = [
            f for f in self.ledger.firings if self.ledger.week_back(f.at, self.monday) == back
        ]
        return {
            "members": sum(p.first_seen < end for p in self.ledger.people),
            "active": len(active),
            "peripheral": len(reacted - active),
            "inactive": len(self.tracked(back)) - len(active | reacted),
            "new": new,
            "returning": returning,
            "churned": churned,
            "messages": kinds["message"],
            "replies": kinds["reply"],
            "reactions": kinds["reaction"],
            "checkins_sent": sum(f.sent for f in firings),
            "checkins_answered": sum(len(f.answered_by) for f in firings),
            "median_first_reply_minutes": self.median_reply(back),
        }

    def median_reply(self, back: int) -> float | None:
        delays = []
        for post in self.acts_in(back):
            if post.kind != "message" or post.message_ref is None:
                continue
            answers = [
                (r.at - post.at).total_seconds()
                for r in self.ledger.acts
                if r.kind == "reply"
                and r.parent_ref == post.message_ref
                and r.channel == post.channel
                and r.at >= post.at
                and (r.who is None or post.who is None or r.who is not post.who or r.who.opted_out)
            ]
            if answers:
                delays.append(min(answers) / 60)
        return median(delays) if delays else None

    def level(self, person: Person, first: int) -> str:
        """A member's level over the four weeks ``first`` .. ``first + 3`` back."""
        span = range(first, first + 4)
        weeks = [w for w in self.weeks_of(person, PARTICIPATION) if w in span]
        if len(weeks) >= 3:
            return "core"
        if weeks:
            return "active"
        if any(w in span for w in self.weeks_of(person, {"reaction"})):
            return "peripheral"
        return "inactive"

    def last_active(self, person: Person) -> datetime | None:
        times = [
            a.at
            for a in self.ledger.acts
            if a.who is person and a.kind in CONTRIBUTIONS and self.back(a) >= 0
        ]
        return max(times) if times else None

    def local_cells(self) -> dict[tuple[int, int], int]:
        """The report week's acts by local weekday and hour."""
        zone = ZoneInfo(self.ledger.timezone)
        cells: Counter[tuple[int, int]] = Counter()
        for act in self.acts_in(0):
            if act.kind in CONTRIBUTIONS | {"reaction"}:
                local = act.at.astimezone(zone)
                cells[(local.weekday(), local.hour)] += 1
        return dict(cells)
