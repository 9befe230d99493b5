"""The console chat: reads lines, turns them into events, shows replies, walks through forms."""

from __future__ import annotations

import contextlib
import logging
import re
from collections.abc import AsyncGenerator

from adapters.console import inbound
from adapters.console.messages import ConsoleMessages, Typed
from adapters.console.render import Screen
from adapters.console.terminal import OutputClosed
from bot.clock import Clock
from bot.config import ConsoleConfig
from bot.core import Copbot, Response
from bot.events import Actor, Place
from bot.outbox import OutboxDelivery
from bot.ui import Form, FormErrors, Reply, ShowForm

log = logging.getLogger(__name__)

IN_FORM = {"cancel", "quit", "exit", "help", "who"}  # the console commands a form leaves working
NAME = re.compile(r"^[A-Za-z0-9_.\-]{1,64}$")
ESCAPE = "\\"  # a line starting with it is an answer as typed, without it (inside a form)

HELP = """Console commands:
  /cop ...        run a copbot command (try /cop help)
  any other text  post a message in the current channel (only the fact is counted, never the text)
  :as NAME        act as another person        :channel NAME  move to another channel
  :click N        press button N               :cancel        stop filling a form
  :thread ID      reply in the thread of a message (m3); :thread alone leaves it
  :react EMOJI    react to the last message here (:react star, :react bookmark)
  :who            who and where you are        :quit          leave (Ctrl-D, Ctrl-C work too)
  :help           this list
Inside a form each line answers a field; :cancel, :help, :who and :quit still work. An answer
that starts with : or /cop is typed after a \\, as in \\:-)"""


class FormFill:
    """A form being answered one field at a time."""

    def __init__(self, form: Form, only: tuple[str, ...] = ()) -> None:
        self.form = form
        self.fields = [f for f in form.fields if not only or f.name in only]
        self.values = {f.name: f.initial for f in form.fields}
        self.index = 0


class ConsoleSession:
    """One terminal chat with copbot."""

    def __init__(
        self,
        core: Copbot,
        delivery: OutboxDelivery,
        config: ConsoleConfig,
        screen: Screen,
        clock: Clock,
    ) -> None:
        self.core = core
        self.delivery = delivery
        self.config = config
        self.screen = screen
        self.clock = clock
        self.user = config.user
        self.channel = config.channel
        self.thread: str | None = None  # the message whose thread lines go to (:thread m3)
        self.form: FormFill | None = None
        self.done = False
        # The lines typed here, in memory: what copbot may read once their author says yes.
        self.messages = ConsoleMessages()

    @property
    def prompt(self) -> str:
        """What the interactive prompt shows (an indented one while a form is being filled)."""
        if self.form is not None:
            return "  > "
        thread = f"/{self.thread}" if self.thread else ""
        return f"{self.user}@#{self.channel}{thread}> "

    async def handle_line(self, line: str) -> None:
        """Act on one line of input, then show whatever the outbox has to send."""
        text = line.rstrip("\r\n")
        word = text.strip().split(" ", 1)[0]
        if self.form is not None:
            await self._in_form(text, word)
        elif word.startswith(":"):
            await self._console_command(text.strip())
        elif word == "/cop":
            command = inbound.command(self._actor(), self._place(), text, self.clock.now())
            await self._respond(await self.core.handle(command))
        elif word.startswith("/"):
            self.screen.say(f"(there is no {word}; copbot's command is /cop, try /cop help)")
        elif text.strip():
            posted = inbound.message(self._actor(), self._place(), self.clock.now())
            assert posted.message_ref is not None
            typed = Typed(self.channel, self.thread, self.user, text.strip())
            self.messages.remember(posted.message_ref, typed)
            await self._respond(await self.core.handle(posted))
        await self.delivery.deliver_due()

    async def _in_form(self, text: str, word: str) -> None:
        """A line typed while a form is open: an answer, unless it looks like a command (a
        command posted as an answer would be shared with everyone)."""
        assert self.form is not None
        if text.strip().startswith(ESCAPE):
            await self._fill(text.strip().removeprefix(ESCAPE), as_typed=True)
        elif word.startswith(":") and word[1:] in IN_FORM:
            await self._console_command(text.strip())
            if self.form is not None:
                self._ask()
        elif word.startswith(":") or word == "/cop":
            self.screen.say(
                f"  (you are filling {self.form.form.title}; :cancel to stop. An answer that "
                f"starts with : or /cop is typed after a {ESCAPE}.)"
            )
            self._ask()
        else:
            await self._fill(text)

    def _actor(self) -> Actor:
        return inbound.actor(self.config.workspace, self.user, self.config.admins)

    def _place(self) -> Place:
        return inbound.place(self.config.workspace, self.channel, self.thread)

    async def _console_command(self, text: str) -> None:
        name, _, arg = text[1:].partition(" ")
        arg = arg.strip()
        if name in ("as", "channel") and not NAME.match(arg.lstrip("@#")):
            self.screen.say(
                f"(:{name} takes a name of letters, digits, '.', '-' or '_', at most 64)"
            )
        elif name == "as":
            self.user = arg.lstrip("@")
            self.screen.say(f"(you are now {self.user})")
        elif name == "channel":
            self.channel, self.thread = arg.lstrip("#"), None
            self.screen.say(f"(you are now in #{self.channel})")
        elif name == "thread" and (not arg or NAME.match(arg)):
            self.thread = arg or None
            where = f"the thread of {arg}" if arg else f"#{self.channel} itself"
            self.screen.say(f"(your lines now go to {where})")
        elif name == "click" and arg.isdigit() and int(arg) in self.screen.buttons:
            event = inbound.click(
                self._actor(), self._place(), self.screen.buttons[int(arg)], self.clock.now()
            )
            await self._respond(await self.core.handle(event))
        elif name == "click":
            self.screen.say(
                f"(there is no button {arg or '?'}; buttons show as [N] after a message)"
            )
        elif name == "react":
            await self._react(arg.strip(":"))
        elif name == "cancel":
            self.form = None
            self.screen.say("(form cancelled; nothing was sent)")
        elif name == "who":
            thread = f", in the thread of {self.thread}" if self.thread else ""
            self.screen.say(f"(you are {self.user} in #{self.channel}{thread})")
        elif name in ("quit", "exit"):
            self.form = None
            self.done = True
        else:
            self.screen.say(HELP)

    async def _react(self, emoji: str) -> None:
        last = self.messages.last_in(self.channel, self.thread)
        if not emoji or last is None:
            self.screen.say("(:react takes an emoji name, after a message here: :react star)")
            return
        ref, typed = last
        event = inbound.reaction(
            self._actor(), self._place(), emoji, ref, typed.author, self.clock.now()
        )
        await self._respond(await self.core.handle(event))
        await self.core.nominator.settle()  # the question to the author shows right after

    async def _respond(self, responses: list[Response]) -> None:
        for response in responses:
            if isinstance(response, Reply):
                audience = (
                    f"{self.user}, only you see this" if response.ephemeral else f"#{self.channel}"
                )
                self.screen.show(f"[copbot → {audience}]", response.message)
            elif isinstance(response, ShowForm):
                self.form = FormFill(response.form)
                self.screen.form_heading(response.form)
                self._ask()
            elif isinstance(response, FormErrors):
                for name, problem in response.errors:
                    label = next(f.label for f in response.form.fields if f.name == name)
                    self.screen.say(f"  ⚠️ {label}: {problem}")
                self.form = FormFill(response.form, only=tuple(n for n, _ in response.errors))
                self._ask()

    def _ask(self) -> None:
        assert self.form is not None
        field = self.form.fields[self.form.index]
        self.screen.ask(field, self.form.index + 1, len(self.form.fields))

    async def _fill(self, text: str, as_typed: bool = False) -> None:
        assert self.form is not None
        field = self.form.fields[self.form.index]
        # Enter keeps what the field holds; a lone "-" clears an optional field (unless the
        # answer came after the escape: then it is exactly what was typed).
        value = text.strip()
        if not as_typed:
            value = "" if value == "-" and not field.required else value or field.initial
        if field.kind == "choice":
            # A number or an option's text picks it; anything else goes on, for the core to refuse.
            value = field.option_value(value) or value
        if field.required and not value:
            self.screen.say("  This one needs an answer (or :cancel).")
            self._ask()
            return
        if len(value) > field.max_length:
            self.screen.say(f"  At most {field.max_length} characters, please.")
            self._ask()
            return
        self.form.values[field.name] = value
        self.form.index += 1
        if self.form.index < len(self.form.fields):
            self._ask()
            return
        fill, self.form = self.form, None
        event = inbound.submit(
            self._actor(), self._place(), fill.form.form_id, fill.values, self.clock.now()
        )
        await self._respond(await self.core.handle(event))

    async def run(self, lines: AsyncGenerator[str, None], interactive: bool) -> None:
        """Process every line until end of input or ``:quit``; the outbox is drained after each.
        A closed output (nobody reads any more) ends the session too."""
        try:
            if interactive:
                self.screen.say(
                    f"copbot console. You are {self.user} in #{self.channel}. :help lists keys."
                )
            async with contextlib.aclosing(lines):
                async for line in lines:
                    try:
                        await self.handle_line(line)
                    except OutputClosed:
                        raise
                    except Exception:
                        # The core already turns errors into replies; this guards the console's
                        # own code.
                        log.exception("console line failed")
                        self.screen.say("(that line failed; see the log)")
                    if self.done:
                        break
            await self.delivery.deliver_due()
        except OutputClosed:
            log.info("console: standard output is closed; stopping")
