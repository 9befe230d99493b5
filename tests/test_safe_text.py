"""Safe text (issue 9 items 1 and 2): controls stripped or refused, mentions and links escaped."""

from __future__ import annotations

import io
import re
import unicodedata

import discord
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from adapters.console.render import Screen
from adapters.discord import render as discord_render
from adapters.slack import render as slack_render
from bot.safe_text import (
    BIDI,
    ControlCharacter,
    discord_text,
    printable,
    single_line,
    slack_mrkdwn,
    slack_unescape,
)
from bot.ui import Button, Field, Form, Message

SLACK_ATTACK = "<!channel> <@U0FAC> <https://evil.example/login|Slack SSO: re-login here>"
DISCORD_ATTACK = "@everyone <@123456789012345678> [Discord SSO](https://evil.example)"
TERMINAL_ATTACK = "\x1b]0;pwned\x07\x1b[31mred\x00\u202eexe.txt"
# Text with every kind of character that matters here, so that hypothesis finds the edges.
HOSTILE = st.text(
    alphabet=st.one_of(
        st.characters(),
        st.sampled_from(["<", ">", "&", "@", "!", "#", "[", "]", "(", ")", "|", "\n", "\t", "\r"]),
        st.sampled_from(
            [chr(c) for c in [*range(0x20), *range(0x7F, 0xA0), 0xD800, 0xDFFF]] + sorted(BIDI)
        ),
    )
)


def _unsafe(char: str) -> bool:
    return unicodedata.category(char) in ("Cc", "Cs") or char in BIDI


def test_printable_keeps_newlines_and_tabs_only_where_multiline() -> None:
    assert printable(TERMINAL_ATTACK) == "]0;pwned[31mredexe.txt"
    assert printable("one\ttwo\r\nthree\rfour\x85") == "one\ttwo\nthree\nfour"
    assert printable("one\ttwo\nthree", multiline=False) == "onetwothree"
    assert printable("lone \ud800surrogates\udfff") == "lone surrogates"  # JSON's "\ud800"
    assert printable("".join(sorted(BIDI))) == ""
    assert len(BIDI) == 12
    assert printable("Grüße, 日本, 🙂 and a zero\u200bwidth space") == (
        "Grüße, 日本, 🙂 and a zero\u200bwidth space"
    )


@given(HOSTILE)
@settings(max_examples=300)
def test_printable_never_leaves_a_control(text: str) -> None:
    assert not any(_unsafe(c) and c not in "\n\t" for c in printable(text))
    assert not any(_unsafe(c) for c in printable(text, multiline=False))


def test_single_line_values_refuse_controls_naming_the_field() -> None:
    assert single_line("standup", "The name") == "standup"
    with pytest.raises(ControlCharacter) as refused:
        single_line("stand\x1b[2Jup", "The name")
    assert str(refused.value) == (
        "The name contains a control character (U+001B); type plain text."
    )
    for sneaky, code in [("a\nb", "000A"), ("a\tb", "0009"), ("\u202eabc", "202E")]:
        with pytest.raises(ControlCharacter, match=f"U\\+{code}"):
            single_line(sneaky, "The question")


def test_slack_escapes_the_issue_example() -> None:
    assert slack_mrkdwn(SLACK_ATTACK) == (
        "&lt;!channel&gt; &lt;@U0FAC&gt; "
        "&lt;https://evil.example/login|Slack SSO: re-login here&gt;"
    )
    assert slack_mrkdwn("fish & chips <3") == "fish &amp; chips &lt;3"


@given(HOSTILE)
@settings(max_examples=300)
def test_slack_text_has_no_markup_left_and_reads_as_typed(text: str) -> None:
    shown = slack_mrkdwn(text)
    assert "<" not in shown and ">" not in shown
    # What Slack shows after undoing its three entities is what was typed, controls removed.
    assert slack_unescape(shown) == printable(text)


def test_discord_neutralises_mentions_and_masked_links() -> None:
    shown = discord_text(DISCORD_ATTACK)
    assert shown == (
        "@\u200beveryone <@\u200b123456789012345678> [Discord SSO]\u200b(https://evil.example)"
    )
    for mention in ["@here", "<@!123456789012345678>", "<@&123456789012345678>", "@everyone"]:
        assert discord_text(mention) == discord.utils.escape_mentions(mention)
    assert discord_text("see <#123456789012345678>") == "see <#\u200b123456789012345678>"


@given(HOSTILE | st.text(alphabet="@<>!&#everyonhr0123456789[]( )"))
@settings(max_examples=500)
def test_discord_text_leaves_nothing_that_discord_py_would_escape(text: str) -> None:
    shown = discord_text(text)
    assert discord.utils.escape_mentions(shown) == shown
    assert not re.search(r"<#[0-9]+>", shown) and "](" not in shown
    assert shown.replace("\u200b", "") == printable(text).replace("\u200b", "")


def test_slack_renders_every_mrkdwn_string_escaped_and_labels_printable() -> None:
    message = Message(
        f"Bob answered:\n{SLACK_ATTACK}",
        fields=((f"Q {SLACK_ATTACK}"[:40], SLACK_ATTACK),),
        buttons=(Button("Answer\x1b[5m", "answer:occurrence:1"),),
    )
    rendered = repr(slack_render.blocks(message)) + slack_render.fallback_text(message)
    rendered += slack_render.comment(message)
    assert "<!channel>" not in rendered and "<@U0FAC>" not in rendered and "<https" not in rendered
    assert "&lt;!channel&gt;" in slack_render.fallback_text(message)
    assert slack_render.blocks(message)[-1]["elements"][0]["text"]["text"] == "Answer[5m"
    form = Form(
        "answer:occurrence:1",
        "stand\x07up",
        (Field("q1", "Learned\x1b?", initial="line one\nline\x00 two", placeholder="\u202eok"),),
    )
    view = slack_render.modal(form)
    assert view["title"]["text"] == "standup"
    element = view["blocks"][0]["element"]
    assert view["blocks"][0]["label"]["text"] == "Learned?"
    assert element["initial_value"] == "line one\nline two"
    assert element["placeholder"]["text"] == "ok"


def test_slack_never_splits_an_entity_between_sections() -> None:
    text = "a" * 2998 + "<<<" + "b" * 10
    pieces = [b["text"]["text"] for b in slack_render.blocks(Message(text))]
    assert all(len(p) <= slack_render.SECTION_TEXT for p in pieces)
    assert all(not re.search(r"&(?!(amp|lt|gt);)", p) for p in pieces)
    assert "".join(pieces) == slack_mrkdwn(text)


def test_discord_renders_escaped_with_no_mentions_allowed() -> None:
    plain = discord_render.message_kwargs(Message(DISCORD_ATTACK))
    assert plain["content"].startswith("@\u200beveryone <@\u200b1234")
    assert plain["allowed_mentions"].to_dict() == {"parse": []}
    embedded = discord_render.message_kwargs(
        Message("Bob answered:", fields=((DISCORD_ATTACK[:40], DISCORD_ATTACK),))
    )
    embed = embedded["embed"].to_dict()
    assert "@everyone" not in repr(embed) and "](" not in repr(embed)
    assert embedded["allowed_mentions"].to_dict() == {"parse": []}
    field = Field("q1", "Learned\x1b?", initial="a\nb\x00")
    shown = discord_render.modal(Form("answer:occurrence:1", "stand\x07up", (field,)))
    text_input = shown.children[0].to_component_dict()
    assert shown.title == "standup"
    assert (text_input["label"], text_input["value"]) == ("Learned?", "a\nb")


def test_the_console_prints_no_raw_control_character() -> None:
    out = io.StringIO()
    screen = Screen(out)
    screen.show("[copbot → #wins]", Message(f"Bob answered:\n{TERMINAL_ATTACK}"))
    screen.say("(there is no /\x1b[2J; copbot's command is /cop)")
    printed = out.getvalue()
    assert not any(_unsafe(c) and c != "\n" for c in printed)
    assert "red" in printed and "exe.txt" in printed
