"""Neutral UI to terminal text. Buttons become numbered choices that ``:click N`` presses."""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

from bot.safe_text import plain_times, printable
from bot.ui import Field, Form, Message
from bot.words import plural


class Screen:
    """Prints what copbot says and remembers which number stands for which button."""

    def __init__(self, out: TextIO) -> None:
        self._out = out
        self.buttons: dict[int, str] = {}
        self._next_button = 1

    def say(self, text: str) -> None:
        """Print one block of text, without any control character (an ESC or a BEL from what
        someone typed must not re-colour or re-title the terminal); a terminal shows each of
        copbot's times as its fallback, written out in one zone."""
        print(printable(plain_times(text)), file=self._out, flush=True)

    def show(self, heading: str, message: Message, saved: Sequence[Path] = ()) -> None:
        """Print a message under a heading such as ``[copbot → #general]``, with the paths its
        files were saved to (the console has no other way to hand a file over)."""
        lines = [heading]
        # Times first: splitlines() would break a line at a time token's \x1e delimiters.
        lines += [f"  {line}" for line in plain_times(message.text).splitlines() or [""]]
        for label, value in message.fields:
            first, *rest = plain_times(value).splitlines() or [""]
            lines.append(f"  {label}: {first}")
            lines += [f"    {line}" for line in rest]
        if message.buttons:
            choices = []
            for button in message.buttons:
                number = self._next_button
                self._next_button += 1
                self.buttons[number] = button.action_id
                choices.append(f"[{number}] {button.label}")
            lines.append("  " + "   ".join(choices) + "   (press with :click N)")
        files = [f for f in (message.attachment, message.image) if f is not None]
        for file, path in itertools.zip_longest(files, saved):
            if file is not None:
                where = f": {path}" if path is not None else ""
                lines.append(f"  📎 {file.name} ({plural(len(file.content), 'byte')}){where}")
        self.say("\n".join(lines))

    def form_heading(self, form: Form) -> None:
        """Announce a form before its fields are asked one by one."""
        count = len(form.fields)
        self.say(
            f"[form] {form.title}: {plural(count, 'field')}. Type each answer; :cancel stops; "
            "an answer that starts with : or /cop is typed after a \\."
        )
        if form.note:
            self.say(f"  {form.note}")

    def ask(self, field: Field, number: int, total: int) -> None:
        """Show one field's question."""
        optional = "" if field.required else " (optional)"
        current = ""
        if field.initial:
            clear = "" if field.required else ", - clears it"
            current = f" [now: {field.initial}; Enter keeps it{clear}]"
        self.say(f"  {number}/{total} {field.text}{optional}{current}")
        if field.kind == "choice":
            # Numbered as the option values are (a scale's numbers are its own values).
            picks = [v if v == t else f"{v}) {t}" for v, t in field.options]
            self.say("    pick one: " + "  ".join(picks))
