"""What every metric query shares: the kinds that count as contributions, a run of report weeks
as SQL (each act's week by CASE over UTC bounds computed in Python), and the one expression that
differs between SQLite and PostgreSQL (seconds since the epoch)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import (
    BigInteger,
    ColumnElement,
    Integer,
    and_,
    case,
    cast,
    extract,
    func,
    literal_column,
    select,
    union_all,
)
from sqlalchemy.ext.asyncio import AsyncConnection
from sqlalchemy.sql import Subquery
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models import LedgerEntry
from storage.report_week import ReportWeek

# A contribution is something a member said: a message, a thread reply, a check-in answer.
# Reactions are not (they make a member peripheral); joins and leaves are nothing.
CONTRIBUTIONS = ("message", "reply", "checkin_answer")
REACTION = "reaction"
# Taking part, for who is active in a week and the levels: a contribution, or being at an event
# (the ledger's "attended" row is dated at the event's start). An RSVP alone is neither: saying
# "maybe" is not taking part. New, returning, churned, cohorts and last active stay on
# contributions: they are about what members say.
PARTICIPATION = (*CONTRIBUTIONS, "attended")
# The week index given to acts before the earliest week a query looks at ("some time before").
EARLIER = 9999

ledger = LedgerEntry.__table__  # type: ignore[attr-defined]


@dataclass(frozen=True)
class Weeks:
    """A run of report weeks counted back from the report's own: index 0 is the report week,
    1 the week before, and so on; each with its bounds as UTC instants."""

    week: ReportWeek
    timezone: str
    count: int

    def bounds(self, index: int) -> tuple[datetime, datetime]:
        """The UTC start (inclusive) and end (exclusive) of the week ``index`` weeks back."""
        week = self.week.shifted(-index)
        return week.start(self.timezone), week.end(self.timezone)

    @property
    def start(self) -> datetime:
        """The start of the earliest week."""
        return self.bounds(self.count - 1)[0]

    @property
    def end(self) -> datetime:
        """The end of the report week."""
        return self.bounds(0)[1]

    def index_of(self, instant: Any, *, before: int | None = EARLIER) -> ColumnElement[Any]:
        """The week index of a time column: CASE over the week ends, newest first; an instant
        before the earliest week gets ``before`` (NULL if None). Times after the report week
        must be filtered out by the caller."""
        whens = [(instant >= self.bounds(i)[0], i) for i in range(self.count)]
        return case(*whens, else_=before)

    def within(self, instant: Any) -> ColumnElement[bool]:
        """The time column falls in one of the weeks."""
        return and_(instant >= self.start, instant < self.end)

    def indices(self, name: str = "w") -> Subquery:
        """The week indices as a table of integers (inline constants: no typed parameters)."""
        rows = [select(literal_column(str(i), Integer).label(name)) for i in range(self.count)]
        return union_all(*rows).subquery("weeks")


def epoch(instant: Any, dialect: str) -> ColumnElement[int]:
    """Whole seconds since 1970 of a time column: the one expression written per dialect
    (SQLite keeps times as UTC text, PostgreSQL as timestamptz)."""
    if dialect == "sqlite":
        return cast(func.strftime("%s", instant), BigInteger)
    return cast(func.floor(extract("epoch", instant)), BigInteger)


def dialect_of(session: AsyncSession) -> str:
    """The backend a session talks to: ``sqlite`` or ``postgresql``."""
    return session.get_bind().dialect.name


async def rows_of(session: AsyncSession, statement: Any) -> Sequence[Any]:
    """All rows of a Core statement, run on the session's connection (its transaction)."""
    conn: AsyncConnection = await session.connection()
    return (await conn.execute(statement)).all()


def of_community(community_id: int) -> ColumnElement[bool]:
    """The ledger rows of one community."""
    return ledger.c.community_id == community_id


def flag(condition: ColumnElement[bool]) -> ColumnElement[int]:
    """1 where a condition holds, else 0 (for sums and maxima, the same on both backends)."""
    return case((condition, 1), else_=0)


def counted(condition: ColumnElement[bool]) -> ColumnElement[int]:
    """How many rows meet a condition (a sum of CASE)."""
    return func.coalesce(func.sum(flag(condition)), 0)


def member_weeks(*, community_id: int, weeks: Weeks, name: str) -> Subquery:
    """Each tracked member's weeks of a run that have acts: the week's index ``w``, and whether
    they ``took_part`` (a contribution or an event attended) and whether they ``reacted`` in it
    (1 or 0)."""
    index = weeks.index_of(ledger.c.occurred_at).label("w")
    return (
        select(
            ledger.c.member_id,
            index,
            func.max(flag(ledger.c.kind.in_(PARTICIPATION))).label("took_part"),
            func.max(flag(ledger.c.kind == REACTION)).label("reacted"),
        )
        .where(
            of_community(community_id),
            ledger.c.member_id.is_not(None),
            weeks.within(ledger.c.occurred_at),
        )
        .group_by(ledger.c.member_id, index)
        .subquery(name)
    )
