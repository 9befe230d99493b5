"""The neutral UI model as discord.py objects: content or an embed, buttons, modals."""

from __future__ import annotations

import io
from typing import Any

import discord

from bot.ui import Form, FormErrors, Message

CONTENT = 2000  # a message's content
EMBED_FIELD = 1024  # an embed field's value
EMBED_FIELD_NAME = 256
EMBED_FIELDS = 25
BUTTON_STYLES = {
    "default": discord.ButtonStyle.secondary,
    "primary": discord.ButtonStyle.primary,
    "danger": discord.ButtonStyle.danger,
}
EMBED_COLOUR = discord.Colour(0x2D4A53)


def view(message: Message) -> discord.ui.View | None:
    """The message's buttons, five to a row; their custom ids are copbot's interaction ids."""
    if not message.buttons:
        return None
    buttons = discord.ui.View(timeout=None)
    for index, button in enumerate(message.buttons):
        buttons.add_item(
            discord.ui.Button(
                label=button.label,
                custom_id=button.action_id,
                style=BUTTON_STYLES[button.style],
                row=index // 5,
            )
        )
    return buttons


def message_kwargs(message: Message) -> dict[str, Any]:
    """Keyword arguments for ``send``: plain content when it fits, else an embed."""
    kwargs: dict[str, Any] = {}
    if len(message.text) <= CONTENT and not message.fields:
        kwargs["content"] = message.text
    else:
        embed = discord.Embed(description=message.text, colour=EMBED_COLOUR)
        for label, value in message.fields[:EMBED_FIELDS]:
            embed.add_field(
                name=label[:EMBED_FIELD_NAME], value=value[:EMBED_FIELD] or "-", inline=False
            )
        kwargs["embed"] = embed
    buttons = view(message)
    if buttons is not None:
        kwargs["view"] = buttons
    if message.attachment is not None:
        kwargs["file"] = discord.File(
            io.BytesIO(message.attachment.content), filename=message.attachment.name
        )
    return kwargs


def modal(form: Form) -> discord.ui.Modal:
    """A form as a modal (at most 5 inputs, which the core guarantees)."""
    shown = discord.ui.Modal(title=form.title, custom_id=form.form_id, timeout=600)
    for field in form.fields:
        shown.add_item(
            discord.ui.TextInput(
                label=field.label,
                custom_id=field.name,
                style=(
                    discord.TextStyle.paragraph
                    if field.kind == "paragraph"
                    else discord.TextStyle.short
                ),
                required=field.required,
                default=field.initial or None,
                placeholder=field.placeholder or None,
                max_length=field.max_length,
            )
        )
    return shown


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
                values[str(component["custom_id"])] = str(component.get("value") or "")
    return values
