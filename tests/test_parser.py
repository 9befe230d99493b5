"""The text parser: words, quotes, options, types and the messages for bad input."""

from __future__ import annotations

import pytest

from bot.commands.catalog import QUESTION_LENGTH, build_catalog
from bot.commands.parser import tokenize
from bot.errors import UsageError
from tests.factories import Harness

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


HUGE = "x" * 100_000


@pytest.mark.parametrize(
    "line",
    [
        HUGE,  # a console line
        "checkin pause " + "7" * 4_100,  # a Slack command's worth in one value
        "role add @bob " + "z" * 4_100,
        "checkin add name:" + "n" * 4_100 + ' schedule:"daily 09:00" questions:Q',
        'checkin add name:a schedule:"daily 09:00" questions:"' + "q" * 1_900 + '"',
        "help " + "t" * 1_000,
        "tz " + "Europe/" * 300,
        "checkin " + "v" * 1_990,
    ],
)
async def test_an_over_long_line_or_value_gets_a_short_answer_that_echoes_little(
    harness: Harness, line: str
) -> None:
    """Before, the error echoed the whole input, the reply was over the message limit, and the
    console said "that line failed; see the log" (Slack: 404 after 3 s)."""
    answer = await harness.say(line)
    assert answer.startswith("⚠️ "), answer[:200]
    assert len(answer) < 600
    assert not any(ch * 60 in answer for ch in "x7znqtv"), answer


def test_the_line_limit_is_named_before_anything_is_parsed() -> None:
    with pytest.raises(UsageError) as caught:
        parse(f'checkin add name:"{HUGE}')  # the quote is never closed: not even tokenized
    assert caught.value.message == (
        "That command is 100,018 characters long; a `/cop` line has at most 2,000. "
        "Long text goes in a form."
    )


def test_the_longest_real_check_in_fits_in_a_line() -> None:
    questions = "|".join("q" * QUESTION_LENGTH for _ in range(5))
    line = f'checkin add name:{"n" * 24} schedule:"cron 0 9 * * 1-5" questions:"{questions}"'
    assert parse(line + " audience:everyone local_time:yes share:#wins via:channel").args


def test_values_echoed_in_errors_are_short_single_lines_without_backticks() -> None:
    with pytest.raises(UsageError) as caught:
        parse('checkin pause "`evil`\x1b[31m\n' + "9" * 500 + '"')
    message = caught.value.message
    assert "\x1b" not in message and "\n" not in message and "``" not in message
    assert message.startswith("`id` should be a whole number, not `'evil'") and "…" in message


def test_an_empty_value_is_called_nothing_not_empty_backticks() -> None:
    with pytest.raises(UsageError) as caught:
        parse('checkin pause ""')
    assert "``" not in caught.value.explain()


@pytest.mark.parametrize(
    ("text", "suggests"),
    [
        ("chekin list", "Did you mean `checkin`?"),
        ("checkin lst", "Did you mean `list`?"),
        ("hepl", "Did you mean `help`?"),
        ("hello", None),  # not a typo of help: today "Did you mean `help`?"
        ("charters", "Did you mean `charter`?"),
        ("checkin remove 3", None),  # not delete, resume or run
        ("role lists", "Did you mean `list`?"),
        ("role ad @bob lead", "Did you mean `add`?"),
        ("rolling", None),
    ],
)
def test_did_you_mean_only_when_the_word_is_close(text: str, suggests: str | None) -> None:
    with pytest.raises(UsageError) as caught:
        parse(text)
    if suggests is None:
        assert "Did you mean" not in caught.value.message
    else:
        assert suggests in caught.value.message
