"""The text parser: words, quotes, options, types and the messages for bad input."""

from __future__ import annotations

import pytest

from bot.commands.catalog import build_catalog
from bot.commands.parser import tokenize
from bot.errors import UsageError

CATALOG = build_catalog()


def parse(text: str):  # type: ignore[no-untyped-def]
    return CATALOG.parse(text)


def test_quotes_group_words_and_apostrophes_are_letters() -> None:
    assert tokenize('checkin add name:x questions:"What\'s new?|Why?" extra') == [
        "checkin",
        "add",
        "name:x",
        "questions:What's new?|Why?",
        "extra",
    ]


def test_smart_quotes_from_chat_apps_work_like_plain_ones() -> None:
    assert tokenize("checkin add questions:“Two words”") == [
        "checkin",
        "add",
        "questions:Two words",
    ]


def test_named_and_typed_options_are_converted() -> None:
    invocation = parse(
        'checkin add name:standup schedule:"daily 09:00" questions:"A?|B?" '
        "audience:PILOT local_time:yes share:<#C123|general>"
    )
    assert invocation.command.name == "checkin add"
    assert invocation.args == {
        "name": "standup",
        "schedule": "daily 09:00",
        "questions": "A?|B?",
        "audience": "pilot",
        "local_time": True,
        "share": "C123",
        "via": "dm",
    }


def test_defaults_fill_options_not_given() -> None:
    args = parse('checkin add name:s schedule:"daily 09:00" questions:Q').args
    assert args["audience"] == "members" and args["local_time"] is False and args["share"] is None


@pytest.mark.parametrize(
    ("text", "user"),
    [
        ("role add @bob lead", "bob"),
        ("role add <@U42|bob> lead", "U42"),
        ("role add <@!77> lead", "77"),
    ],
)
def test_user_mentions_of_every_platform(text: str, user: str) -> None:
    assert parse(text).args == {"user": user, "role": "lead"}


def test_positionals_fill_in_order_and_integer_ids_accept_a_hash() -> None:
    assert parse("checkin pause #7").args == {"id": 7}
    assert parse("tz Europe/Berlin").args == {"zone": "Europe/Berlin"}


def test_empty_text_means_help() -> None:
    assert parse("").command.name == "help"
    assert parse("/cop").command.name == "help"


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("chekin list", "I don't know `/cop chekin`. Did you mean `checkin`?"),
        ("zzz", "I don't know `/cop zzz`. `/cop help` lists what you can do."),
        (
            "checkin",
            "`/cop checkin` needs one of: add, list, pause, resume, delete, run; got nothing.",
        ),
        ("checkin lst", "Did you mean `list`?"),
        ("checkin pause", "`id` is missing."),
        ("checkin pause seven", "`id` should be a whole number, not `seven`."),
        ("checkin pause ²", "`id` should be a whole number, not `²`."),
        ("checkin pause 99999999999999999999", "should be a whole number"),
        ("checkin add name:s schedule:x questions:Q share:#" + "c" * 65, "is not a channel"),
        ("role add @" + "b" * 65 + " lead", "is not a person"),
        ("checkin pause 1 2", "I don't know what to do with `2`."),
        ('checkin add name:"x', "A quote is not closed"),
        ("checkin list name:x", "has no option `name`. It takes no options."),
        ('checkin add nam:x schedule:"daily 09:00" questions:Q', "Did you mean `name`?"),
        ("checkin add name:a name:b", "`name:` is given twice."),
        ("checkin add name:a", "`schedule` is missing."),
        ("role add @bob boss", "`role` should be one of facilitator, lead, not `boss`."),
        ("role add !!! lead", "is not a person"),
        ("tz Mars/Olympus", '"Mars/Olympus" is not a timezone'),
        ("tz Europe/Berln", "Did you mean Europe/Berlin?"),
        ("checkin add name:abcdefghijklmnopqrstuvwxyz schedule:x questions:Q", "at most 24"),
        ("checkin add name:s schedule:x questions:Q local_time:maybe", "should be yes or no"),
    ],
)
def test_bad_input_is_named_with_the_right_form(text: str, says: str) -> None:
    with pytest.raises(UsageError) as caught:
        parse(text)
    assert says in caught.value.message
    explained = caught.value.explain().splitlines()
    assert explained[0] == f"⚠️ {caught.value.message}"
    command = text.split()[0]
    if command in ("checkin", "role", "tz") and "quote" not in says:
        assert explained[1].startswith(f"Usage: `/cop {command}")
        assert explained[-1] == f"More: `/cop help {command}`"


def test_usage_errors_show_the_right_form_and_where_to_read_more() -> None:
    with pytest.raises(UsageError) as caught:
        parse("checkin pause")
    assert caught.value.explain().splitlines()[1:] == [
        "Usage: `/cop checkin pause <id>`",
        "More: `/cop help checkin`",
    ]


def test_a_url_value_is_not_mistaken_for_an_option() -> None:
    assert parse("help https://example.org/x").args == {"topic": "https://example.org/x"}
