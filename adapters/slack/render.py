"""The neutral UI model as Block Kit. Pure functions; the core already checked every limit."""

from __future__ import annotations

from typing import Any

from bot.ui import Field, Form, FormErrors, Message

SECTION_TEXT = 3000  # Block Kit: a section's text
FIELDS_PER_SECTION = 10
FIELD_TEXT = 2000


def _chunks(text: str, size: int) -> list[str]:
    """Split long text at line ends into pieces Block Kit accepts (never dropping any)."""
    pieces: list[str] = []
    current = ""
    for line in text.splitlines(keepends=True):
        for part in (line[i : i + size] for i in range(0, len(line), size)):
            if len(current) + len(part) > size:
                pieces.append(current)
                current = ""
            current += part
    if current:
        pieces.append(current)
    return pieces


def blocks(message: Message) -> list[dict[str, Any]]:
    """A message's blocks: its text as sections, its fields, its buttons."""
    out: list[dict[str, Any]] = [
        {"type": "section", "text": {"type": "mrkdwn", "text": piece}}
        for piece in _chunks(message.text, SECTION_TEXT)
    ]
    cells = [f"*{label}*\n{value}"[:FIELD_TEXT] for label, value in message.fields]
    for start in range(0, len(cells), FIELDS_PER_SECTION):
        fields = [{"type": "mrkdwn", "text": c} for c in cells[start : start + FIELDS_PER_SECTION]]
        out.append({"type": "section", "fields": fields})
    if message.buttons:
        elements = []
        for button in message.buttons:
            element: dict[str, Any] = {
                "type": "button",
                "text": {"type": "plain_text", "text": button.label},
                "action_id": button.action_id,
            }
            if button.style != "default":
                element["style"] = button.style
            elements.append(element)
        out.append({"type": "actions", "elements": elements})
    return out


def fallback_text(message: Message) -> str:
    """The plain text Slack shows in notifications and to screen readers."""
    lines = [message.text, *(f"{label}: {value}" for label, value in message.fields)]
    return "\n".join(lines)[:SECTION_TEXT]


def _input(field: Field) -> dict[str, Any]:
    element: dict[str, Any] = {
        "type": "plain_text_input",
        "action_id": field.name,
        "multiline": field.kind == "paragraph",
        "max_length": field.max_length,
    }
    if field.initial:
        element["initial_value"] = field.initial
    if field.placeholder:
        element["placeholder"] = {"type": "plain_text", "text": field.placeholder}
    return {
        "type": "input",
        "block_id": field.name,
        "label": {"type": "plain_text", "text": field.text},
        "element": element,
        "optional": not field.required,
    }


def modal(form: Form) -> dict[str, Any]:
    """A form as a modal view; its callback id is the form's interaction id."""
    return {
        "type": "modal",
        "callback_id": form.form_id,
        "title": {"type": "plain_text", "text": form.title},
        "submit": {"type": "plain_text", "text": form.submit_label},
        "close": {"type": "plain_text", "text": "Cancel"},
        "blocks": [_input(field) for field in form.fields],
    }


def modal_errors(rejected: FormErrors) -> dict[str, str]:
    """``response_action: errors``: a message under each field that was not accepted."""
    return dict(rejected.errors)


def notice(title: str, message: Message) -> dict[str, Any]:
    """A modal that only says something (the thank-you after a form)."""
    return {
        "type": "modal",
        "title": {"type": "plain_text", "text": title},
        "close": {"type": "plain_text", "text": "Close"},
        "blocks": blocks(message),
    }


def home(message: Message) -> dict[str, Any]:
    """The App Home tab."""
    return {"type": "home", "blocks": blocks(message)}
