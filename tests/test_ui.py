"""The neutral UI model refuses what either platform would reject, so renderers never truncate."""

from __future__ import annotations

import pytest

from bot.ids import interaction_id, parse_interaction_id
from bot.ui import Attachment, Button, Field, Form, Message, Recipient, UILimitError


def test_limits_are_the_stricter_platforms() -> None:
    with pytest.raises(UILimitError):
        Form("f:x:1", "A title longer than 24 ch", (Field("a", "A"),))
    with pytest.raises(UILimitError):
        Form("f:x:1", "Title", tuple(Field(f"a{i}", "A") for i in range(6)))
    with pytest.raises(UILimitError):
        Field("a", "x" * 46)
    with pytest.raises(UILimitError):
        Button("x" * 76, "a:b:c")
    with pytest.raises(UILimitError):
        Button("ok", "a:b:" + "9" * 100)
    with pytest.raises(UILimitError):
        Message("")
    with pytest.raises(UILimitError):
        Recipient("console", "local")


def test_messages_survive_the_outbox_round_trip() -> None:
    message = Message(
        "hi",
        fields=(("a", "b"),),
        buttons=(Button("Go", "go:thing:1", "primary"),),
        attachment=Attachment("r.xlsx", b"\x00\x01", "application/x"),
    )
    assert Message.from_json(message.to_json()) == message


def test_interaction_ids_round_trip_and_reject_other_shapes() -> None:
    encoded = interaction_id("answer", "occurrence", 42)
    assert encoded == "answer:occurrence:42"
    parsed = parse_interaction_id(encoded)
    assert parsed is not None and (parsed.verb, parsed.entity, parsed.id) == (
        "answer",
        "occurrence",
        "42",
    )
    assert parse_interaction_id("answer:occurrence") is None
    assert parse_interaction_id("::") is None


def test_a_choice_field_checks_its_options_once() -> None:
    two = (("1", "red"), ("2", "green"))
    picked = Field("q1", "Pick one", "choice", initial="2", options=two)
    assert picked.option_value("green") == "2" and picked.option_value("2") == "2"
    assert picked.option_value("purple") is None
    for wrong in (
        {"options": two[:1]},  # one option is no choice
        {"options": tuple((str(n), str(n)) for n in range(26))},
        {"options": (("1", "a"), ("1", "b"))},
        {"options": (("1", "x" * 76), ("2", "b"))},
        {"options": two, "initial": "3"},
    ):
        with pytest.raises(UILimitError):
            Field("q1", "Pick one", "choice", **wrong)  # type: ignore[arg-type]
    with pytest.raises(UILimitError):
        Field("q1", "Why?", options=two)  # options only on a choice
    with pytest.raises(UILimitError):
        Form("page:survey:1", "T", (picked,), note="n" * 301)
