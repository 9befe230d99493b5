"""Build the Slack app and run it in Socket Mode or behind copbot's own HTTP endpoint."""

from __future__ import annotations

import logging

from aiohttp import web
from slack_bolt.async_app import AsyncApp
from slack_sdk.http_retry.builtin_async_handlers import AsyncRateLimitErrorRetryHandler
from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack.gate import CheckedSocketModeHandler, SignedGate
from adapters.slack.listeners import register
from adapters.slack.messages import SlackMessages
from adapters.slack.people import SlackPeople
from adapters.slack.replies import ResponseUrls
from adapters.slack.roster import SlackRoster
from adapters.slack.sender import SlackSender
from bot.clock import Clock
from bot.config import SlackConfig
from bot.core import Copbot
from bot.direct import DirectChannels
from bot.health import HealthProbe
from storage.engine import Store

log = logging.getLogger(__name__)


class SlackTokens:
    """The Slack secrets, read from the environment by the composition root."""

    def __init__(self, bot: str, signing_secret: str | None, app: str | None) -> None:
        self.bot = bot
        self.signing_secret = signing_secret
        self.app = app


def web_client(config: SlackConfig, token: str) -> AsyncWebClient:
    """A Web API client on the configured base URL, with the configured timeout, that waits out
    429s (twice) by itself. (The outbox's sender makes its own copy that retries nothing.)"""
    client = AsyncWebClient(
        token=token,
        base_url=config.api_base_url,
        timeout=config.timeout_seconds,  # type: ignore[arg-type]  # aiohttp takes a float
    )
    client.retry_handlers.append(AsyncRateLimitErrorRetryHandler(max_retry_count=2))
    return client


class SlackRuntime:
    """copbot on Slack: the Bolt app, its sender, and the connection (socket or HTTP)."""

    def __init__(
        self,
        config: SlackConfig,
        tokens: SlackTokens,
        core: Copbot,
        store: Store,
        clock: Clock,
    ) -> None:
        self.config = config
        self.client = web_client(config, tokens.bot)
        self.sender = SlackSender(self.client, DirectChannels(store))
        self.roster = SlackRoster(self.client)  # who is in the workspace, for a launch
        self.messages = SlackMessages(self.client)  # one message, once its author says yes
        self._tokens = tokens
        self._store = store
        self._health = HealthProbe(store)
        self.app = AsyncApp(
            client=self.client,
            # Never Bolt's own check: HTTP requests reach Bolt only through the SignedGate of
            # web_app(), which has checked the signature before parsing; Socket Mode messages
            # arrive over an authenticated websocket, not signed HTTP.
            request_verification_enabled=False,
        )
        self._replies = ResponseUrls()
        register(self.app, core, SlackPeople(self.client), clock, self._replies)
        self._runner: web.AppRunner | None = None
        self._socket: CheckedSocketModeHandler | None = None

    def web_app(self) -> web.Application:
        """The HTTP endpoint: events, commands and interactivity on one path, plus /healthz.
        The signature is checked before anything in a request is parsed."""
        assert self._tokens.signing_secret is not None
        slack = SignedGate(self._tokens.signing_secret, self.app.async_dispatch)

        async def healthz(_request: web.Request) -> web.Response:
            healthy = await self._health.database_answers()
            return web.json_response({"ok": healthy}, status=200 if healthy else 503)

        application = web.Application()
        # The bound coroutine method, not the instance: aiohttp deprecates non-async handlers.
        application.router.add_post(self.config.path, slack.__call__)
        application.router.add_get("/healthz", healthz)
        return application

    async def start(self) -> None:
        """Connect: open the Socket Mode websocket, or start serving HTTP."""
        if self.config.mode == "socket":
            assert self._tokens.app is not None
            self._socket = CheckedSocketModeHandler(self.app, self._tokens.app)
            await self._socket.connect_async()
            log.info("slack: connected in Socket Mode")
            return
        self._runner = web.AppRunner(self.web_app())
        await self._runner.setup()
        await web.TCPSite(self._runner, self.config.host, self.config.port).start()
        log.info("slack: serving %s on %s:%d", self.config.path, self.config.host, self.config.port)

    async def stop_intake(self) -> None:
        """Take no more events, commands or clicks (requests under way finish); the Web API
        client stays open so that the outbox can still send."""
        if self._socket is not None:
            await self._socket.close_async()
            self._socket = None
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def stop(self) -> None:
        """Stop taking input if that is not done yet, then close what sends."""
        await self.stop_intake()
        await self._replies.close()
