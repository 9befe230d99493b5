"""The statements of ``storage.counted_acts``, one set a backend: SQLite runs a statement once
an act inside the driver (executemany); PostgreSQL gets the whole batch as arrays (``unnest``),
one statement and one round trip."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from sqlalchemy import text
from sqlalchemy.engine import Dialect
from sqlmodel import SQLModel

ACCOUNT = ("platform", "workspace", "user_id")
ACT: tuple[str, ...] = ("kind", "platform", "workspace", "channel", "event_id", "occurred_at")
ACT += ("message_ref", "parent_ref", "actor_platform", "actor_workspace", "actor_user")

_INTO = (
    "INSERT INTO ledger (community_id, member_id, kind, platform, workspace, channel, event_id,"
    " occurred_at, message_ref, parent_ref)"
    " SELECT w.community_id, CASE WHEN m.tracking_opted_out THEN NULL ELSE m.id END,"
)
_JOINS = (
    " JOIN member AS m ON m.id = i.member_id"
    " JOIN workspace AS w ON w.platform = i.platform AND w.external_id = i.workspace"
)
_SKIP = " ON CONFLICT (platform, workspace, event_id) DO NOTHING"

SQLITE_COUNT = (
    f"{_INTO} ?, ?, ?, ?, ?, ?, ?, ? FROM identity AS i{_JOINS}"
    " WHERE i.platform = ? AND i.workspace = ? AND i.user_id = ?"
    f"{_SKIP}"  # after a WHERE, so that SQLite does not read ON CONFLICT as a join's ON
)
SQLITE_TOP_MEMBER = "SELECT coalesce(max(id), 0) FROM member"
SQLITE_ADD_MEMBER = (
    "INSERT INTO member (id, community_id, display_name, cohort, tracking_opted_out, first_seen)"
    " SELECT ?, w.community_id, ?, ?, 0, ? FROM workspace AS w"
    " WHERE w.platform = ? AND w.external_id = ?"
)
SQLITE_ADD_IDENTITY = (
    "INSERT INTO identity (member_id, platform, workspace, user_id) VALUES (?, ?, ?, ?)"
)
SQLITE_RENAME = (
    "UPDATE member SET display_name = ? WHERE id = (SELECT member_id FROM identity"
    " WHERE platform = ? AND workspace = ? AND user_id = ?)"
)


def sqlite_known(count: int) -> str:
    """The accounts among ``count`` (platform, workspace, user id) that exist, with their names."""
    accounts = ", ".join(["(?, ?, ?)"] * count)
    return (
        "SELECT i.platform, i.workspace, i.user_id, m.display_name FROM identity AS i"
        " JOIN member AS m ON m.id = i.member_id"
        f" WHERE (i.platform, i.workspace, i.user_id) IN (VALUES {accounts})"
    )


def _unnest(*columns: str, times: tuple[str, ...] = ()) -> str:
    arrays = ", ".join(
        f"CAST(:{c} AS {'TIMESTAMPTZ' if c in times else 'VARCHAR'}[])" for c in columns
    )
    return f"unnest({arrays})"


_ACCOUNTS = f"{_unnest(*ACCOUNT)} AS a({', '.join(ACCOUNT)})"
_SAME_ACCOUNT = "i.platform = a.platform AND i.workspace = a.workspace AND i.user_id = a.user_id"

POSTGRES_COUNT = text(
    f"{_INTO} a.kind, a.platform, a.workspace, a.channel, a.event_id, a.occurred_at,"
    " a.message_ref, a.parent_ref"
    f" FROM {_unnest(*ACT, times=('occurred_at',))} AS a({', '.join(ACT)})"
    " JOIN identity AS i ON i.platform = a.actor_platform AND i.workspace = a.actor_workspace"
    f" AND i.user_id = a.actor_user{_JOINS}{_SKIP}"
)
POSTGRES_KNOWN = text(
    "SELECT i.platform, i.workspace, i.user_id, m.display_name"
    f" FROM {_ACCOUNTS} JOIN identity AS i ON {_SAME_ACCOUNT}"
    " JOIN member AS m ON m.id = i.member_id"
)
# Member ids are drawn from the sequence first, so that each identity can name its member.
# No ON CONFLICT: if another process created one of them meanwhile, the unique identity key
# fails the statement (IntegrityError) rather than leave a member without an account.
POSTGRES_ADD_MEMBERS = text(
    "WITH fresh AS (SELECT nextval(pg_get_serial_sequence('member', 'id')) AS id, a.*,"
    " w.community_id"
    f" FROM {_unnest(*ACCOUNT, 'name', 'seen', times=('seen',))}"
    f" AS a({', '.join(ACCOUNT)}, name, seen)"
    " JOIN workspace AS w ON w.platform = a.platform AND w.external_id = a.workspace),"
    " added AS (INSERT INTO member (id, community_id, display_name, cohort,"
    " tracking_opted_out, first_seen)"
    " SELECT id, community_id, name, :cohort, false, seen FROM fresh RETURNING id)"
    " INSERT INTO identity (member_id, platform, workspace, user_id)"
    " SELECT f.id, f.platform, f.workspace, f.user_id FROM fresh AS f JOIN added USING (id)"
)
POSTGRES_RENAME = text(
    f"UPDATE member SET display_name = a.name FROM {_unnest(*ACCOUNT, 'name')}"
    f" AS a({', '.join(ACCOUNT)}, name) JOIN identity AS i ON {_SAME_ACCOUNT}"
    " WHERE member.id = i.member_id"
)

_STAMPS: dict[str, Callable[[datetime], Any]] = {}


def stamp(dialect: Dialect) -> Callable[[datetime], Any]:
    """The ledger's own conversion of a time for this backend (UTC, SQLAlchemy's text form on
    SQLite), so that times written here compare and sort with those written elsewhere."""
    if dialect.name not in _STAMPS:
        column = SQLModel.metadata.tables["ledger"].c.occurred_at
        processor = column.type.dialect_impl(dialect).bind_processor(dialect)
        _STAMPS[dialect.name] = processor or (lambda value: value)
    return _STAMPS[dialect.name]
