"""End to end on the console: a real ``copbot run`` process, where ``:react`` on a message
asks its author; their yes fills the form with what they typed (the console's own memory of
the session, like a platform's history), and only their submission records it."""

from __future__ import annotations

from pathlib import Path

from tests.test_console_e2e import EXAMPLE, copbot


def test_a_reaction_on_the_console_nominates_with_the_authors_consent(tmp_path: Path) -> None:
    session = [
        ":as bob",
        "Read https://example.org/pairs it helped",
        ":as carol",
        ":react bookmark",
        ":react star",
        ":click 3",  # carol presses bob's yes: refused
        ":as bob",
        ":click 3",
        "",  # the link as read from his message
        "Pairing guide",
        "pairs",
        ":click 5",
        "We paired across time zones and it worked.",
        "/cop resource find pairs",
        ":as alice",
        "/cop story list",
        ":react",
    ]
    result = copbot("run", "--config", EXAMPLE, stdin="\n".join(session) + "\n", cwd=tmp_path)
    out = result.stdout
    assert result.returncode == 0, result.stderr
    assert "🔖 Someone marked a message of yours as worth keeping" in out
    assert "⭐ Someone marked a message of yours as a story worth telling" in out
    assert out.count("[copbot → DM to bob]") == 3  # the welcome, and one question a kind
    assert "🔒 Only the author of the message can answer this. Nothing changed." in out
    assert "1/3 Link (http:// or https://) [now: https://example.org/pairs; Enter keeps it]" in out
    assert "📚 Added #1 to the library: Pairing guide (tags: pairs)." in out
    assert "[now: Read https://example.org/pairs it helped; Enter keeps it]" in out
    assert "🌟 Thank you! Your story #1 is in" in out
    assert "• #1 Pairing guide [pairs]: https://example.org/pairs (bob, " in out
    assert "• #1 🌟 story by bob, " in out and "We paired across time zones" in out
    assert "(:react takes an emoji name, after a message here: :react star)" in out
    assert result.stderr == ""
