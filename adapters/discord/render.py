"""The neutral UI model as discord.py objects: content or an embed, buttons, modals.

Every shown string goes through bot/safe_text.py (mentions and masked links neutralised, controls
removed, copbot's time tokens drawn as ``<t:…>``, or their fallback in labels and titles), and
every message allows no mention at all: copbot never pings anyone.
"""

from __future__ import annotations

import io
from typing import Any

import discord

from bot.safe_text import discord_text, plain_times, printable
from bot.ui import Field, Form, FormErrors, Message, short_label

CONTENT = 2000  # a message's content
DESCRIPTION = 100  # a Label component's description, and a text input's placeholder
EMBED_DESCRIPTION = 4096
EMBED_FIELD = 1024  # an embed field's value
EMBED_FIELD_NAME = 256
EMBED_FIELDS = 25
BUTTON_STYLES = {
    "default": discord.ButtonStyle.secondary,
    "primary": discord.ButtonStyle.primary,
    "danger": discord.ButtonStyle.danger,
}
EMBED_COLOUR = discord.Colour(0x2D4A53)
NO_MENTIONS = discord.AllowedMentions.none()


def _plain(text: str) -> str:
    # Labels and titles are not markdown, but a control character still has no place in them.
    return printable(plain_times(text), multiline=False) or "…"


def view(message: Message) -> discord.ui.View | None:
    """The message's buttons, five to a row; their custom ids are copbot's interaction ids."""
    if not message.buttons:
        return None
    buttons = discord.ui.View(timeout=None)
    for index, button in enumerate(message.buttons):
        buttons.add_item(
            discord.ui.Button(
                label=_plain(button.label),
                custom_id=button.action_id,
                style=BUTTON_STYLES[button.style],
                row=index // 5,
            )
        )
    return buttons


def message_kwargs(message: Message) -> dict[str, Any]:
    """Keyword arguments for ``send`` and ``edit``: plain content when it fits, else an embed;
    never a mention."""
    kwargs: dict[str, Any] = {"allowed_mentions": NO_MENTIONS}
    text = discord_text(message.text)
    if len(text) <= CONTENT and not message.fields:
        kwargs["content"] = text
    else:
        embed = discord.Embed(description=text[:EMBED_DESCRIPTION], colour=EMBED_COLOUR)
        for label, value in message.fields[:EMBED_FIELDS]:
            embed.add_field(
                # A field's name shows no <t:…>: its time as the fallback.
                name=discord_text(plain_times(label))[:EMBED_FIELD_NAME] or "-",
                value=discord_text(value)[:EMBED_FIELD] or "-",
                inline=False,
            )
        kwargs["embed"] = embed
    buttons = view(message)
    if buttons is not None:
        kwargs["view"] = buttons
    files = [f for f in (message.attachment, message.image) if f is not None]
    if files:
        kwargs["files"] = [discord.File(io.BytesIO(f.content), filename=f.name) for f in files]
    if message.image is not None:
        # The picture shows inside the embed, where the report's summary is read.
        embed = kwargs.pop("embed", None) or discord.Embed(
            description=kwargs.pop("content"), colour=EMBED_COLOUR
        )
        embed.set_image(url=f"attachment://{message.image.name}")
        kwargs["embed"] = embed
    return kwargs


MODAL_ITEMS = 5  # a modal's top-level components


def _select(field: Field) -> discord.ui.Label[Any]:
    """A choice as a select menu inside a Label (Discord's modals hold selects that way)."""
    picker: discord.ui.Select[Any] = discord.ui.Select(
        custom_id=field.name,
        options=[
            discord.SelectOption(label=_plain(text), value=value, default=value == field.initial)
            for value, text in field.options
        ],
        min_values=1,
        max_values=1,
        required=field.required,
    )
    whole = printable(plain_times(field.description), multiline=False)
    described = _described(whole)[0] if whole else None
    return discord.ui.Label(text=_plain(field.label), component=picker, description=described)


def modal(form: Form) -> discord.ui.Modal:
    """A form as a modal (at most 5 inputs, which the core guarantees); choices as selects,
    and the form's note above them where there is room for it."""
    shown = discord.ui.Modal(title=_plain(form.title), custom_id=form.form_id, timeout=600)
    if form.note and len(form.fields) < MODAL_ITEMS:
        shown.add_item(discord.ui.TextDisplay(discord_text(form.note)))
    for field in form.fields:
        if field.kind == "choice":
            shown.add_item(_select(field))
            continue
        placeholder, description = printable(plain_times(field.placeholder), multiline=False), ""
        if field.description:
            whole = printable(plain_times(field.description), multiline=False)
            description, rest = _described(whole)
            placeholder = placeholder or rest
        text_input: discord.ui.TextInput[Any] = discord.ui.TextInput(
            # Inside a Label, the Label carries the text (an input's own label is deprecated).
            label=None if description else _plain(field.label),
            custom_id=field.name,
            style=(
                discord.TextStyle.paragraph
                if field.kind == "paragraph"
                else discord.TextStyle.short
            ),
            required=field.required,
            default=printable(field.initial, multiline=field.kind == "paragraph") or None,
            placeholder=placeholder or None,
            max_length=field.max_length,
        )
        if description:
            # A label too short for the whole text: the whole of it below, in a Label component.
            shown.add_item(
                discord.ui.Label(
                    text=_plain(field.label), component=text_input, description=description
                )
            )
        else:
            shown.add_item(text_input)
    return shown


def _described(text: str) -> tuple[str, str]:
    """A long label's whole text as a Label's description (at most 100), and what follows in
    the input's placeholder (at most 100) when the description cannot hold it all."""
    if len(text) <= DESCRIPTION:
        return text, ""
    head = short_label(text, DESCRIPTION)
    return head, "…" + text[len(head) - 1 :].lstrip()


def form_problems(rejected: FormErrors) -> Message:
    """Discord modals cannot show errors inline: say what to fix, in words."""
    labels = {f.name: f.label for f in rejected.form.fields}
    lines = [f"• {labels[name]}: {problem}" for name, problem in rejected.errors]
    return Message(
        "⚠️ Nothing was saved yet:\n" + "\n".join(lines) + "\nPlease open the form again."
    )


def modal_values(data: dict[str, Any]) -> dict[str, str]:
    """The typed values of a submitted modal, by input custom id."""
    values: dict[str, str] = {}
    for row in data.get("components") or []:
        components = row.get("components") or (
            [row.get("component")] if row.get("component") else []
        )
        for component in components:
            if component and "custom_id" in component:
                picked = component.get("values")  # a select: the one value picked
                value = picked[0] if isinstance(picked, list) and picked else component.get("value")
                values[str(component["custom_id"])] = str(value or "")
    return values
