"""The neutral UI model as Block Kit. Pure functions; the core already checked every limit.

Every mrkdwn string is escaped (bot/safe_text.py) and every plain_text string made printable, so
that what people typed can neither ping a channel nor disguise a link. copbot's time tokens
become ``<!date^…>`` in mrkdwn and their fallback in plain text and notifications.
"""

from __future__ import annotations

from typing import Any

from bot.safe_text import plain_times, printable, slack_mrkdwn
from bot.ui import Field, Form, FormErrors, Message

SECTION_TEXT = 3000  # Block Kit: a section's text
FIELDS_PER_SECTION = 10
FIELD_TEXT = 2000


def _cut(escaped: str, size: int) -> int:
    """Where to cut escaped text at most ``size`` long without splitting an ``&amp;`` or a
    ``<!date^…>`` (escaped text holds no other ``<``)."""
    if len(escaped) <= size:
        return len(escaped)
    cut = size
    entity = escaped.rfind("&", max(0, size - 4), size)
    if entity > 0 and escaped.find(";", entity) >= size:
        cut = entity
    date = escaped.rfind("<", 0, cut)
    if date > 0 and escaped.find(">", date) >= cut:
        cut = date
    return cut


def _parts(line: str, size: int) -> list[str]:
    parts: list[str] = []
    while line:
        cut = _cut(line, size)
        parts.append(line[:cut])
        line = line[cut:]
    return parts


def _fit(escaped: str, size: int) -> str:
    """Escaped text cut to ``size`` (where a platform limit forces it), whole entities only."""
    return escaped[: _cut(escaped, size)]


def _chunks(text: str, size: int) -> list[str]:
    """Split long escaped text at line ends into pieces Block Kit accepts (never dropping any)."""
    pieces: list[str] = []
    current = ""
    for line in text.splitlines(keepends=True):
        for part in _parts(line, size):
            if len(current) + len(part) > size:
                pieces.append(current)
                current = ""
            current += part
    if current:
        pieces.append(current)
    return pieces


def _plain(text: str) -> dict[str, str]:
    # Slack refuses an empty text; a label stored before controls were refused may be all controls.
    return {"type": "plain_text", "text": printable(plain_times(text), multiline=False) or "…"}


def blocks(message: Message) -> list[dict[str, Any]]:
    """A message's blocks: its text as sections, its fields, its buttons."""
    out: list[dict[str, Any]] = [
        {"type": "section", "text": {"type": "mrkdwn", "text": piece}}
        for piece in _chunks(slack_mrkdwn(message.text), SECTION_TEXT)
    ]
    cells = [
        _fit(slack_mrkdwn(f"*{label}*\n{value}"), FIELD_TEXT) for label, value in message.fields
    ]
    for start in range(0, len(cells), FIELDS_PER_SECTION):
        fields = [{"type": "mrkdwn", "text": c} for c in cells[start : start + FIELDS_PER_SECTION]]
        out.append({"type": "section", "fields": fields})
    if message.buttons:
        elements = []
        for button in message.buttons:
            element: dict[str, Any] = {
                "type": "button",
                "text": _plain(button.label),
                "action_id": button.action_id,
            }
            if button.style != "default":
                element["style"] = button.style
            elements.append(element)
        out.append({"type": "actions", "elements": elements})
    return out


def fallback_text(message: Message) -> str:
    """The text Slack shows in notifications and to screen readers (Slack reads it as mrkdwn,
    so it is escaped too; a notification shows no ``<!date>``, so times are their fallback)."""
    lines = [message.text, *(f"{label}: {value}" for label, value in message.fields)]
    return _fit(slack_mrkdwn(plain_times("\n".join(lines))), SECTION_TEXT)


def comment(message: Message) -> str:
    """The comment posted with a file upload (mrkdwn, escaped)."""
    return slack_mrkdwn(message.text)


RADIO_OPTIONS = 10  # Block Kit: radio buttons hold at most 10 options; a select holds more


def _choice(field: Field) -> dict[str, Any]:
    """A choice as radio buttons (a short list) or a static select."""
    options = [{"text": _plain(text), "value": value} for value, text in field.options]
    element: dict[str, Any] = {
        "type": "radio_buttons" if len(options) <= RADIO_OPTIONS else "static_select",
        "action_id": field.name,
        "options": options,
    }
    chosen = [o for o in options if o["value"] == field.initial]
    if chosen:
        element["initial_option"] = chosen[0]
    return element


def _input(field: Field) -> dict[str, Any]:
    if field.kind == "choice":
        return {
            "type": "input",
            "block_id": field.name,
            "label": _plain(field.text),
            "element": _choice(field),
            "optional": not field.required,
        }
    element: dict[str, Any] = {
        "type": "plain_text_input",
        "action_id": field.name,
        "multiline": field.kind == "paragraph",
        "max_length": field.max_length,
    }
    if field.initial:
        element["initial_value"] = printable(field.initial, multiline=field.kind == "paragraph")
    if field.placeholder:
        element["placeholder"] = _plain(field.placeholder)
    return {
        "type": "input",
        "block_id": field.name,
        "label": _plain(field.text),
        "element": element,
        "optional": not field.required,
    }


def modal(form: Form) -> dict[str, Any]:
    """A form as a modal view; its callback id is the form's interaction id."""
    note = [{"type": "context", "elements": [_plain(form.note)]}] if form.note else []
    return {
        "type": "modal",
        "callback_id": form.form_id,
        "title": _plain(form.title),
        "submit": _plain(form.submit_label),
        "close": _plain("Cancel"),
        "blocks": note + [_input(field) for field in form.fields],
    }


def modal_errors(rejected: FormErrors) -> dict[str, str]:
    """``response_action: errors``: a message under each field that was not accepted."""
    return {
        name: printable(plain_times(problem), multiline=False) for name, problem in rejected.errors
    }


def notice(title: str, message: Message) -> dict[str, Any]:
    """A modal that only says something (the thank-you after a form)."""
    return {
        "type": "modal",
        "title": _plain(title),
        "close": _plain("Close"),
        "blocks": blocks(message),
    }


def home(message: Message) -> dict[str, Any]:
    """The App Home tab."""
    return {"type": "home", "blocks": blocks(message)}
