"""Opening the database at start: connected, or a StartupError saying why not; SQLite
upgraded, PostgreSQL checked to be at the migrations' head."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy.engine import make_url

from bot.config import Config
from bot.startup_checks import StartupError
from storage.engine import Store, build_engine
from storage.migrate import current_revision, head_revision, upgrade


async def open_store(config: Config) -> Store:
    """Connect to the database, or raise StartupError saying why it cannot be used."""
    url = make_url(config.storage.url)
    if url.get_backend_name() == "sqlite" and url.database not in (None, "", ":memory:"):
        folder = Path(url.database).parent
        if not folder.is_dir():
            # Said before any connection is tried: a failed aiosqlite connect can outlive the
            # event loop and print a traceback on the way out.
            raise StartupError(
                f"Cannot open the database {config.storage.url}: its folder {folder} does not "
                "exist. Create it, or change [storage] url."
            )
    wait = config.storage.write_wait
    store = Store(build_engine(config.storage.url, write_wait=wait), write_wait=wait)
    if not await store.ping():
        await store.close()
        where = config.storage.url.split("@")[-1]
        raise StartupError(
            f"Cannot open the database {where}: check [storage] url, that its folder exists "
            "and, for PostgreSQL, that the server is running and the database exists."
        )
    return store


async def prepare_database(store: Store) -> None:
    """SQLite is upgraded on start; PostgreSQL, shared by many processes, is upgraded on purpose."""
    if store.dialect == "sqlite":
        await upgrade(store.engine)
        return
    current, head = await current_revision(store.engine), head_revision()
    if current != head:
        raise StartupError(
            f"The database is at revision {current or 'none'} and copbot needs {head}: "
            "run `copbot db upgrade --config <file>` first."
        )
