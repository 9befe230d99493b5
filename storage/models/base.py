"""What every table module shares: the naming convention and the aware timestamp column."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Column, MetaData
from sqlmodel import Field, SQLModel

from storage.types import UTCDateTime

# A naming convention makes constraint names stable, which Alembic needs to alter them later.
SQLModel.metadata.naming_convention = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}
metadata: MetaData = SQLModel.metadata


def ts(**kwargs: Any) -> Any:
    """An aware timestamp column (UTC)."""
    return Field(sa_column=Column(UTCDateTime(), **kwargs))
