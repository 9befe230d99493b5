"""The text parser under a few thousand generated lines: it answers or refuses, never breaks.

Every line either parses or raises the typed UsageError, whose explanation fits in a message, is
a few lines long, and never echoes more than a short excerpt of what was typed.
"""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.commands.catalog import build_catalog
from bot.commands.parser import Invocation
from bot.errors import UsageError
from bot.ui import Message
from bot.words import EXCERPT_LENGTH
from tests.fuzzing import examples

CATALOG = build_catalog()
GROUPS = CATALOG.groups()
VERBS = sorted({c.verb for c in CATALOG.commands if c.verb})
OPTIONS = sorted({o.name for c in CATALOG.commands for o in c.options})

# Letters people type, and the ones that break naive code: quotes, backticks, controls, bidi
# overrides, mentions, combining marks, emoji, lone surrogates are not valid in chat text.
_ODD = st.sampled_from(list("\"“”`'|:#@<>\\\n\t\x00\x1b\x07\u202e\u200b\u0301 😀²٣"))
_CHARS = st.one_of(st.characters(blacklist_categories=("Cs",)), _ODD)
_TEXT = st.text(_CHARS, max_size=30)
_LONG = st.builds(lambda c, n: c * n, st.sampled_from('xy9`"| '), st.integers(100, 3_000))
_VALUE = st.one_of(_TEXT, _LONG, st.sampled_from(["", "7", "#7", "yes", "lead", "UTC", "off"]))
_WORD = st.one_of(
    st.sampled_from(GROUPS + VERBS + ["/cop", "@bob", "<@U42|bob>", "<#C1|wins>"]),
    st.builds(lambda n, v: f"{n}:{v}", st.sampled_from(OPTIONS), _VALUE),
    st.builds(lambda n, v: f'{n}:"{v}"', st.sampled_from(OPTIONS), _VALUE),
    _VALUE,
)
LINES = st.one_of(
    st.lists(_WORD, max_size=8).map(" ".join),
    st.builds(lambda g, rest: f"{g} {rest}", st.sampled_from(GROUPS), _TEXT),
    st.text(_CHARS, max_size=200),
)


def _echoes_a_long_run(line: str, said: str) -> bool:
    """Whether ``said`` repeats a run of ``line`` longer than an excerpt may be."""
    size = EXCERPT_LENGTH + 5
    for word in line.split():
        for start in range(0, max(len(word) - size, 0) + 1, size):
            run = word[start : start + size]
            if len(run) == size and run in said:
                return True
    return False


@settings(
    max_examples=examples(300, 3_000),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(LINES)
def test_any_line_parses_or_gets_a_short_usage_message(line: str) -> None:
    try:
        invocation = CATALOG.parse(line)
    except UsageError as error:
        said = error.explain()
        assert len(said) <= 1_000, said[:300]
        assert len(said.splitlines()) <= 4, said
        Message(said)  # fits the stricter platform's message limit
        assert not _echoes_a_long_run(line, said), said
    else:
        assert isinstance(invocation, Invocation)
        assert invocation.command in CATALOG.commands
