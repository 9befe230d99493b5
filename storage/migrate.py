"""Bring a database's schema up to date with Alembic, from code (``copbot db upgrade``, start)."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import AsyncEngine

from storage.engine import build_engine

MIGRATIONS = Path(__file__).resolve().parent / "migrations"


def alembic_config(url: str = "") -> Config:
    """An Alembic config pointing at copbot's migrations (no alembic.ini needed)."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


async def upgrade(engine: AsyncEngine, revision: str = "head") -> None:
    """Apply every migration up to ``revision`` on the engine's database."""

    def _upgrade(connection: Connection) -> None:
        config = alembic_config()
        config.attributes["connection"] = connection
        command.upgrade(config, revision)

    if engine.dialect.name == "sqlite":
        # A connection of its own with foreign keys off (batch mode needs it), checked after.
        migrating = build_engine(
            engine.url.render_as_string(hide_password=False), foreign_keys=False
        )
        try:
            async with migrating.begin() as conn:
                await conn.run_sync(_upgrade)
                broken = (await conn.exec_driver_sql("PRAGMA foreign_key_check")).all()
                if broken:
                    raise RuntimeError(f"migration broke foreign keys: {broken[:5]}")
        finally:
            await migrating.dispose()
        return
    async with engine.begin() as conn:
        await conn.run_sync(_upgrade)


def head_revision() -> str | None:
    """The newest migration's revision."""
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(alembic_config()).get_current_head()


async def pending_revisions(engine: AsyncEngine) -> list[str]:
    """The migrations the database still lacks, oldest first."""
    from alembic.script import ScriptDirectory

    scripts = ScriptDirectory.from_config(alembic_config())
    current = await current_revision(engine)
    newer = scripts.iterate_revisions(scripts.get_current_head(), current)
    return [script.revision for script in reversed(list(newer))]


async def current_revision(engine: AsyncEngine) -> str | None:
    """The revision the database is at, or None for an empty database."""
    from alembic.runtime.migration import MigrationContext

    def _current(connection: Connection) -> str | None:
        return MigrationContext.configure(connection).get_current_revision()

    async with engine.connect() as conn:
        return await conn.run_sync(_current)
