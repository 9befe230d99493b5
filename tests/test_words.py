"""The words a facilitator reads: plurals, no doubled punctuation, no empty backticks, help that
fits the reader's role."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from sqlmodel import select

from bot.commands.catalog import build_catalog
from bot.words import excerpt, plural, quoted, sentence
from storage.models import Member
from tests.factories import Harness

ROOT = Path(__file__).resolve().parent.parent
# Shapes that read as a machine's: "1 message(s)", "community(ies)", "Helsinki?.", "``".
BAD_SHAPES = ("(s)", "(ies)", "?.", "!.", "``")
# The code whose strings a facilitator, a member or an operator reads (log lines included).
SPOKEN = sorted(
    path
    for folder in ("bot", "adapters", "scheduler", "storage", "reports")
    for path in (ROOT / folder).rglob("*.py")
    if "migrations" not in path.parts
)


def test_plural_agrees_with_the_count() -> None:
    assert plural(1, "message") == "1 message"
    assert plural(0, "message") == "0 messages"
    assert plural(2, "thread reply", "thread replies") == "2 thread replies"
    assert plural(1_234, "member") == "1,234 members"


def test_an_excerpt_is_short_single_line_and_safe_in_backticks() -> None:
    assert excerpt("a\x1b[31m `b`\n\u202ec") == "a [31m 'b' c"
    assert excerpt("y" * 500) == "y" * 39 + "…"
    assert quoted("") == "an empty value" and quoted(" \n ") == "an empty value"
    assert quoted("lst") == "`lst`"


def test_a_sentence_ends_with_one_stop() -> None:
    assert sentence("Did you mean Europe/Helsinki?") == "Did you mean Europe/Helsinki?"
    assert sentence("Done") == "Done." and sentence("Done.") == "Done."


def test_the_catalog_help_has_no_machine_shapes() -> None:
    for command in build_catalog().commands:
        texts = [command.summary, command.usage(), *(o.help for o in command.options)]
        for text in texts:
            assert not any(shape in text for shape in BAD_SHAPES), (command.name, text)


def _spoken_strings(path: Path) -> list[tuple[int, str]]:
    """String literals in a module, without docstrings."""
    tree = ast.parse(path.read_text())
    skip: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            first = node.body[0] if node.body else None
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                skip.add(id(first.value))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in skip:
            found.append((node.lineno, node.value))
    return found


@pytest.mark.parametrize("path", SPOKEN, ids=lambda p: str(p.relative_to(ROOT)))
def test_messages_in_the_code_have_no_machine_shapes(path: Path) -> None:
    bad = [
        (line, text)
        for line, text in _spoken_strings(path)
        if any(shape in text for shape in BAD_SHAPES)
    ]
    assert bad == [], bad


# What people run in a first week, and some mistakes; every answer is checked for the shapes.
SESSION = [
    ("alice", "help"),
    ("alice", "help checkin"),
    ("alice", "help role"),
    ("alice", 'checkin add name:standup schedule:"weekdays 09:30" questions:"What did you learn?"'),
    ("alice", "checkin list"),
    ("alice", "checkin run 1"),
    ("alice", "checkin list"),
    ("alice", "upcoming"),
    ("alice", "role list"),
    ("alice", "about"),
    ("alice", 'checkin pause ""'),
    ("alice", "checkin pause"),
    ("alice", 'tz "Europe/Helsinky"'),
    ("alice", "tz europe/helsinki"),
    ("alice", "hello"),
    ("bob", "help"),
    ("bob", "me"),
    ("bob", "away"),
    ("bob", "away until:2026-12-24"),
    ("bob", "away"),
    ("bob", "away off until:2026-12-30"),
    ("bob", "away off"),
    ("bob", "privacy status"),
    ("lena", "help"),
]


async def test_a_first_week_of_answers_has_no_machine_shapes(harness: Harness) -> None:
    await harness.post("bob")
    for user, line in SESSION:
        answer = await harness.say(line, user=user)
        assert answer, line
        assert not any(shape in answer for shape in BAD_SHAPES), (line, answer)


async def test_me_says_here_are_your_figures_with_plurals_that_agree(harness: Harness) -> None:
    await harness.post("bob")
    me = await harness.say("me", user="bob")
    assert me.startswith("Here are your figures in demo, bob.")
    assert "Last 7 days: 1 message, 0 thread replies, 0 reactions, 0 check-ins answered" in me


async def test_help_for_a_lead_says_lead_and_what_leads_get(harness: Harness) -> None:
    """Before, a lead was told "what you can do as a member" and nothing about the report."""
    help_text = await harness.say("help", user="lena")
    assert help_text.startswith("Hi lena! Here is what you can do as a lead of demo:")
    assert (
        "As a lead, you receive the weekly report every Monday at 08:00 Europe/Berlin" in help_text
    )
    assert "`/cop report [subscribe|unsubscribe] [week:YYYY-Www]`" in help_text
    member = await harness.say("help", user="bob")
    assert "as a member of demo" in member and "weekly report" not in member


async def test_away_off_with_a_date_is_refused_and_changes_nothing(harness: Harness) -> None:
    """Before, `away off until:...` silently ignored the date."""
    await harness.say("away until:2026-12-24", user="bob")
    answer = await harness.say("away off until:2026-12-30", user="bob")
    assert answer.startswith("⚠️ `off` means you are back now, so it takes no date.")
    assert "`/cop away until:YYYY-MM-DD`" in answer and "More: `/cop help away`" in answer
    async with harness.store.read() as session:
        bob = (await session.exec(select(Member).where(Member.display_name == "bob"))).one()
    assert str(bob.away_until) == "2026-12-24"
