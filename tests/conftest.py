"""Shared fixtures: no network beyond loopback, databases for SQLite and PostgreSQL, a harness."""

from __future__ import annotations

import asyncio
import ipaddress
import os
import shutil
import socket
import threading
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url

from storage.engine import Store, build_engine
from storage.migrate import upgrade
from tests.factories import Harness

POSTGRES_URL = os.environ.get("COPBOT_TEST_POSTGRES_URL")
_real_connect = socket.socket.connect
_real_connect_ex = socket.socket.connect_ex


def _loopback(address: object) -> bool:
    if not isinstance(address, tuple):
        return True  # a Unix socket path stays on this machine
    host = str(address[0])
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.split("%")[0]).is_loopback
    except ValueError:
        return False


class NetworkRefused(OSError):
    """A test tried to leave the machine."""


def _guarded(real):  # type: ignore[no-untyped-def]
    def connect(self: socket.socket, address: object):  # type: ignore[no-untyped-def]
        if not _loopback(address):
            raise NetworkRefused(f"tests may only connect to loopback, not {address!r}")
        return real(self, address)

    return connect


@pytest.fixture(autouse=True)
def offline(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Refuse every connection outside 127.0.0.1 / ::1, so no test can reach the internet."""
    monkeypatch.setattr(socket.socket, "connect", _guarded(_real_connect))
    monkeypatch.setattr(socket.socket, "connect_ex", _guarded(_real_connect_ex))
    yield


async def _reset_postgres(url: str) -> None:
    engine = build_engine(url)
    async with engine.begin() as conn:
        await conn.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
        await conn.execute(text("CREATE SCHEMA public"))
    await engine.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
async def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """An empty database: a SQLite file, and PostgreSQL when COPBOT_TEST_POSTGRES_URL is set."""
    if request.param == "sqlite":
        return f"sqlite+aiosqlite:///{tmp_path / 'copbot.db'}"
    if not POSTGRES_URL:
        pytest.skip("PostgreSQL tests need COPBOT_TEST_POSTGRES_URL (CI sets it)")
    await _reset_postgres(POSTGRES_URL)
    return POSTGRES_URL


@pytest.fixture
async def pg_store() -> AsyncIterator[Store]:
    """A migrated store on PostgreSQL only, for tests of several processes sharing it."""
    if not POSTGRES_URL:
        pytest.skip("PostgreSQL tests need COPBOT_TEST_POSTGRES_URL (CI sets it)")
    await _reset_postgres(POSTGRES_URL)
    store = Store(build_engine(POSTGRES_URL))
    await upgrade(store.engine)
    yield store
    await store.close()


@pytest.fixture(scope="session")
def migrated_sqlite(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite file migrated once per run; each test gets a copy (migrating takes ~0.1 s)."""
    path = tmp_path_factory.mktemp("template") / "copbot.db"

    async def migrate() -> None:
        template = Store(build_engine(f"sqlite+aiosqlite:///{path}"))
        await upgrade(template.engine)
        await template.close()  # the last connection's close folds the WAL into the file

    # In a thread of its own: the test's event loop may already run in this one.
    worker = threading.Thread(target=lambda: asyncio.run(migrate()))
    worker.start()
    worker.join(timeout=60)
    return path


@pytest.fixture
async def store(database_url: str, migrated_sqlite: Path) -> AsyncIterator[Store]:
    """A migrated store on each backend."""
    url = make_url(database_url)
    if url.get_backend_name() == "sqlite" and url.database:
        shutil.copyfile(migrated_sqlite, url.database)
        store = Store(build_engine(database_url))
    else:
        store = Store(build_engine(database_url))
        await upgrade(store.engine)
    yield store
    await store.close()


@pytest.fixture
async def harness(store: Store) -> AsyncIterator[Harness]:
    """The whole core wired as ``copbot run`` wires it, with the console's sender on a buffer."""
    harness = await Harness.start(store)
    yield harness
    await harness.close()
