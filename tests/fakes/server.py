"""What every local stand-in shares: an aiohttp app served on a free loopback port."""

from __future__ import annotations

from aiohttp import web


class LoopbackServer:
    """Serves ``routes()`` on 127.0.0.1; ``port`` is known once started."""

    def __init__(self) -> None:
        self.port = 0
        self._runner: web.AppRunner | None = None
        self._socket: web.WebSocketResponse | None = None

    def routes(self, app: web.Application) -> None:
        """Add the stand-in's routes."""
        raise NotImplementedError

    async def start(self) -> None:
        """Serve on a free loopback port."""
        app = web.Application()
        self.routes(app)
        self._runner = web.AppRunner(app)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]

    async def stop(self) -> None:
        """Close the open websocket, if any, and stop serving."""
        if self._socket is not None:
            await self._socket.close()
        if self._runner is not None:
            await self._runner.cleanup()
