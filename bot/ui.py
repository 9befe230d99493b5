"""The neutral UI model: what the core asks adapters to show, validated once against both platforms.

Each limit is the stricter of Slack's and Discord's, so that a renderer never has to truncate.
"""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass, field
from typing import Any, Literal

# The calendar parts of the model, re-exported: shown with messages, imported from here.
from bot.ui_calendar import NativeEvent as NativeEvent
from bot.ui_calendar import time_token as time_token
from bot.ui_text import MAX_FIELD_LABEL as MAX_FIELD_LABEL
from bot.ui_text import MAX_TEXT as MAX_TEXT
from bot.ui_text import fit_lines as fit_lines
from bot.ui_text import short_label as short_label

MAX_BUTTONS = 25  # Discord: 5 rows of 5; Slack: 25 elements in an actions block
MAX_BUTTON_LABEL = 75  # Slack button text 75, Discord 80
MAX_INTERACTION_ID = 100  # Discord custom_id 100, Slack action_id 255
MAX_FORM_TITLE = 24  # Slack modal title 24, Discord 45
MAX_FORM_FIELDS = 5  # Discord modal: 5 text inputs
# The whole of a label too long for Discord's (a check-in question): Slack and the console show
# it as the label; Discord shows the short label with this below it.
MAX_FIELD_DESCRIPTION = 150
MAX_FIELD_VALUE = (
    4000  # Discord text input 4000, Slack plain_text_input 3000 per block is the renderer's
)
MAX_FIELD_PLACEHOLDER = 100  # Discord placeholder 100, Slack 150
MAX_SUBMIT_LABEL = 24  # Slack submit text 24
MAX_OPTIONS = 25  # Discord select 25 options, Slack static select 100
MIN_OPTIONS = 2
MAX_OPTION_LABEL = 75  # Slack option text 75, Discord 100
MAX_OPTION_VALUE = 75  # Discord option value 100, Slack 150
MAX_FORM_NOTE = 300  # a line above the fields (Slack section 3000, Discord text display 4000)


class UILimitError(ValueError):
    """A UI element breaks a platform limit; a programming error, caught by tests."""


def _check(condition: bool, what: str) -> None:
    if not condition:
        raise UILimitError(what)


ButtonStyle = Literal["default", "primary", "danger"]


@dataclass(frozen=True)
class Button:
    """A button that survives restarts: its ``action_id`` is a ``verb:entity:id`` interaction id."""

    label: str
    action_id: str
    style: ButtonStyle = "default"

    def __post_init__(self) -> None:
        _check(0 < len(self.label) <= MAX_BUTTON_LABEL, f"button label length: {self.label!r}")
        _check(0 < len(self.action_id) <= MAX_INTERACTION_ID, f"action id: {self.action_id!r}")


@dataclass(frozen=True)
class Attachment:
    """A file sent with a message, such as a report workbook."""

    name: str
    content: bytes
    mime_type: str = "application/octet-stream"

    @property
    def digest(self) -> str:
        """The SHA-256 of the content: the same file sent to many is stored once under it."""
        return hashlib.sha256(self.content).hexdigest()


@dataclass(frozen=True)
class Message:
    """Something to show: text, optional labelled fields, buttons, a file and a picture."""

    text: str
    fields: tuple[tuple[str, str], ...] = ()
    buttons: tuple[Button, ...] = ()
    attachment: Attachment | None = None
    # A picture shown with the message (a report's chart), beside any file.
    image: Attachment | None = None
    # Not a chat message but the platform's own calendar entry (Discord only; see NativeEvent).
    native_event: NativeEvent | None = None

    def __post_init__(self) -> None:
        _check(0 < len(self.text) <= MAX_TEXT, f"message text length {len(self.text)}")
        _check(len(self.buttons) <= MAX_BUTTONS, f"{len(self.buttons)} buttons")

    def to_json(self) -> dict[str, Any]:
        """Serialise for the outbox table."""
        data: dict[str, Any] = {"text": self.text}
        if self.fields:
            data["fields"] = [list(pair) for pair in self.fields]
        if self.buttons:
            data["buttons"] = [
                {"label": b.label, "action_id": b.action_id, "style": b.style} for b in self.buttons
            ]
        for name, file in (("attachment", self.attachment), ("image", self.image)):
            if file is not None:
                data[name] = {
                    "name": file.name,
                    "mime_type": file.mime_type,
                    "content": base64.b64encode(file.content).decode("ascii"),
                }
        if self.native_event is not None:
            data["native_event"] = self.native_event.to_json()
        return data

    @classmethod
    def from_json(
        cls,
        data: dict[str, Any],
        file_content: bytes | None = None,
        image_content: bytes | None = None,
    ) -> Message:
        """Rebuild a message stored by :meth:`to_json`; a file or picture stored apart (the
        payload names it by ``file`` digest instead of carrying it) comes in ``file_content``
        or ``image_content``."""
        return cls(
            text=data["text"],
            fields=tuple((k, v) for k, v in data.get("fields", [])),
            buttons=tuple(Button(**b) for b in data.get("buttons", [])),
            attachment=_file(data.get("attachment"), file_content),
            image=_file(data.get("image"), image_content),
            native_event=(
                NativeEvent.from_json(data["native_event"]) if "native_event" in data else None
            ),
        )


def _file(raw: dict[str, Any] | None, content: bytes | None) -> Attachment | None:
    if raw is None:
        return None
    if content is None:
        content = base64.b64decode(raw.get("content", ""))
    return Attachment(name=raw["name"], mime_type=raw["mime_type"], content=content)


FieldKind = Literal["short", "paragraph", "choice"]


@dataclass(frozen=True)
class Field:
    """One input of a form."""

    name: str
    label: str
    kind: FieldKind = "paragraph"
    required: bool = True
    initial: str = ""
    placeholder: str = ""
    max_length: int = MAX_FIELD_VALUE
    # The whole text when ``label`` is a shortened form of it (see short_label).
    description: str = ""
    # A ``choice`` field's options as (value, label): one of them is picked (a select menu,
    # radio buttons, or a number typed in the console); ``initial`` is a value or "".
    options: tuple[tuple[str, str], ...] = ()

    def __post_init__(self) -> None:
        _check(0 < len(self.label) <= MAX_FIELD_LABEL, f"field label: {self.label!r}")
        if self.kind == "choice":
            _check(MIN_OPTIONS <= len(self.options) <= MAX_OPTIONS, f"{self.name} options")
            values = [value for value, _ in self.options]
            _check(len(set(values)) == len(values), f"{self.name}: duplicate option values")
            for value, text in self.options:
                _check(0 < len(value) <= MAX_OPTION_VALUE, f"option value: {value!r}")
                _check(0 < len(text) <= MAX_OPTION_LABEL, f"option label: {text!r}")
            _check(self.initial in ("", *values), f"{self.name}: initial is not an option")
        else:
            _check(not self.options, f"{self.name}: options on a field that is not a choice")
        _check(len(self.description) <= MAX_FIELD_DESCRIPTION, f"description: {self.description!r}")
        _check(len(self.placeholder) <= MAX_FIELD_PLACEHOLDER, f"placeholder: {self.placeholder!r}")
        _check(0 < self.max_length <= MAX_FIELD_VALUE, f"max length {self.max_length}")
        _check(len(self.initial) <= self.max_length, "initial value longer than max length")

    @property
    def text(self) -> str:
        """The whole label: where a platform has room for it, this is what it shows."""
        return self.description or self.label

    def option_value(self, typed: str) -> str | None:
        """The value of the option a person typed (its value or its label), if it is one."""
        typed = typed.strip()
        return next((v for v, text in self.options if typed in (v, text)), None)


@dataclass(frozen=True)
class Form:
    """A form (Slack modal, Discord modal, console prompts); ``form_id`` is an interaction id."""

    form_id: str
    title: str
    fields: tuple[Field, ...]
    submit_label: str = "Submit"
    # A line shown above the fields (that answers cannot be changed, which page this is).
    note: str = ""

    def __post_init__(self) -> None:
        _check(0 < len(self.form_id) <= MAX_INTERACTION_ID, f"form id: {self.form_id!r}")
        _check(len(self.note) <= MAX_FORM_NOTE, f"form note length {len(self.note)}")
        _check(0 < len(self.title) <= MAX_FORM_TITLE, f"form title: {self.title!r}")
        _check(0 < len(self.fields) <= MAX_FORM_FIELDS, f"{len(self.fields)} form fields")
        _check(0 < len(self.submit_label) <= MAX_SUBMIT_LABEL, f"submit: {self.submit_label!r}")
        _check(len({f.name for f in self.fields}) == len(self.fields), "duplicate field names")


@dataclass(frozen=True)
class Reply:
    """An answer to the person who acted; private (ephemeral) unless meant for the channel."""

    message: Message
    ephemeral: bool = True


@dataclass(frozen=True)
class ShowForm:
    """Open a form for the person who acted (in answer to a command or a button)."""

    form: Form


@dataclass(frozen=True)
class FormErrors:
    """A submitted form was not accepted: what is wrong with which field. Nothing was stored."""

    form: Form
    errors: tuple[tuple[str, str], ...]

    def __post_init__(self) -> None:
        names = {f.name for f in self.form.fields}
        _check(bool(self.errors) and all(n in names for n, _ in self.errors), "form errors")


@dataclass(frozen=True)
class HomeView:
    """The person's own home page (Slack's App Home tab), replaced whole each time."""

    message: Message


@dataclass(frozen=True)
class Recipient:
    """Where an outbox message goes: a user's DM, or a channel, optionally in a thread, or a
    group conversation of a few users.

    ``thread_key`` names another outbox message by its key: the reply goes into that message's
    thread once the platform has given it an id. ``group`` names the users of one conversation
    opened for them all (a Slack group DM; on Discord, a private thread in ``channel``).
    """

    platform: str
    workspace: str
    user: str | None = None
    channel: str | None = None
    thread_key: str | None = None
    group: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if self.group:
            _check(len(set(self.group)) >= 2 and self.user is None, "a group of two or more")
            return
        _check((self.user is None) != (self.channel is None), "recipient needs a user or a channel")


@dataclass(frozen=True)
class Outgoing:
    """A message copbot sends on its own, through the outbox, exactly once per ``key``."""

    recipient: Recipient
    message: Message
    key: str
    not_before: Any = field(default=None)  # an aware datetime, or None for "as soon as possible"
    # What the message is and what it is about (``checkin-reminder``, the check-in's id), so that
    # pending messages can be withdrawn by indexed columns; see bot/outbox_keys.py.
    kind: str = ""
    subject: str = ""
    # An edit: the key of an earlier outgoing message whose sent message this one updates in
    # place (its recipient is the same); ``key`` still makes each edit unique.
    edits: str | None = None


Effect = Reply | ShowForm | FormErrors | HomeView | Outgoing
