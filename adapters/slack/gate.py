"""What is let through to Bolt: HTTP requests whose signature is checked before anything is
parsed, and payloads (HTTP or Socket Mode) of the shape Slack documents."""

from __future__ import annotations

import logging
import time
from collections.abc import Awaitable, Callable, Mapping

from aiohttp import web
from slack_bolt.adapter.aiohttp import to_aiohttp_response
from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler
from slack_bolt.request.async_request import AsyncBoltRequest
from slack_bolt.response import BoltResponse
from slack_sdk.signature import SignatureVerifier
from slack_sdk.socket_mode.aiohttp import SocketModeClient
from slack_sdk.socket_mode.request import SocketModeRequest
from slack_sdk.socket_mode.response import SocketModeResponse

from adapters.slack import payloads
from adapters.slack.inbound import PayloadError
from bot.words import plural

log = logging.getLogger(__name__)
Dispatch = Callable[[AsyncBoltRequest], Awaitable[BoltResponse]]
REFUSALS_EVERY = 60.0  # seconds between two log lines about refused requests


class Refusals:
    """Counts requests refused for their signature and says so in at most one short line a
    minute: anyone can send junk to a public endpoint, and must not be able to fill the log."""

    def __init__(self, every: float = REFUSALS_EVERY, clock: Callable[[], float] = time.monotonic):
        self._every = every
        self._clock = clock
        self._last: float | None = None
        self._unsaid = 0

    def note(self, remote: str | None) -> None:
        """One more refused request, from this address."""
        self._unsaid += 1
        now = self._clock()
        if self._last is not None and now - self._last < self._every:
            return
        log.warning(
            "slack: refused %s without a valid signature (the last from %s)",
            plural(self._unsaid, "request"),
            remote or "an unknown address",
        )
        self._last, self._unsaid = now, 0


def signed(verifier: SignatureVerifier, raw: bytes, headers: Mapping[str, str]) -> bool:
    """Whether Slack signed this body (v0 HMAC, timestamp within 5 minutes). Nothing in the body
    is read before this says yes."""
    timestamp = headers.get("X-Slack-Request-Timestamp", "")
    signature = headers.get("X-Slack-Signature", "")
    # slack-sdk would raise on a timestamp that is not a number, or a body that is not UTF-8.
    if not (timestamp.isascii() and timestamp.isdigit() and len(timestamp) <= 12) or not signature:
        return False
    try:
        return verifier.is_valid(raw, timestamp, signature)
    except UnicodeDecodeError:
        return False


class SignedGate:
    """The aiohttp handler of ``/slack/events``: 401 for what Slack did not sign, 200 and a
    warning for a signed payload copbot cannot read, Bolt for the rest."""

    def __init__(self, signing_secret: str, dispatch: Dispatch) -> None:
        self._verifier = SignatureVerifier(signing_secret)
        self._dispatch = dispatch
        self.refusals = Refusals()

    async def __call__(self, request: web.Request) -> web.Response:
        """Serve one request."""
        raw = await request.read()
        if not signed(self._verifier, raw, request.headers):
            self.refusals.note(request.remote)
            return web.Response(status=401, text="invalid signature")
        text = raw.decode()  # the signature check decoded it already
        try:
            payloads.check(payloads.parse(text, request.content_type))
        except PayloadError as error:
            # Signed, so from Slack: a redelivery would be the same, so it is answered.
            log.warning("slack: ignored a signed request copbot cannot read: %s", error)
            return web.Response(status=200)
        bolt_request = AsyncBoltRequest(
            body=text,
            query=request.query_string,
            headers=request.headers,  # type: ignore[arg-type]
        )
        return await to_aiohttp_response(await self._dispatch(bolt_request))


class CheckedSocketModeHandler(AsyncSocketModeHandler):
    """Socket Mode that acknowledges, with a warning, an envelope whose payload has the wrong
    shape instead of handing it to Bolt."""

    async def handle(self, client: SocketModeClient, req: SocketModeRequest) -> None:  # type: ignore[override]
        """Check one envelope's payload, then let Bolt handle it."""
        try:
            payloads.check(req.payload)
        except PayloadError as error:
            log.warning("slack: ignored a %s envelope copbot cannot read: %s", req.type, error)
            await client.send_socket_mode_response(SocketModeResponse(envelope_id=req.envelope_id))
            return
        await super().handle(client, req)
