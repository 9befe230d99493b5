"""The autouse fixture keeps every test on this machine."""

from __future__ import annotations

import asyncio
import socket

import pytest

from tests.conftest import NetworkRefused


def test_a_connection_outside_loopback_is_refused() -> None:
    with socket.socket() as sock, pytest.raises(NetworkRefused):
        sock.connect(("192.0.2.1", 443))  # TEST-NET-1: would never answer anyway


async def test_asyncio_connections_are_refused_too() -> None:
    with pytest.raises(NetworkRefused):
        await asyncio.open_connection("192.0.2.1", 443)


async def test_loopback_is_allowed() -> None:
    server = await asyncio.start_server(lambda r, w: w.close(), "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    _, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.close()
    server.close()
    await server.wait_closed()
