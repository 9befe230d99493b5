"""Text that must fit the UI model's limits: a message's lines, a form field's label."""

from __future__ import annotations

MAX_TEXT = 4000  # Discord embed description 4096; Slack sections are split by the renderer
MAX_FIELD_LABEL = 45  # Discord text input label 45, Slack 2000


def fit_lines(lines: list[str], footer: str = "", *, more: int = 0, at_least: bool = False) -> str:
    """Join lines into one message's text; lines that do not fit become "…and N more", where N
    also counts ``more`` items left out before (``at_least``: N is only a lower bound)."""
    budget = MAX_TEXT - len(footer) - 40  # room for the "and N more" line
    kept: list[str] = []
    used = 0
    for line in lines:
        if used + len(line) + 1 > budget:
            break
        kept.append(line)
        used += len(line) + 1
    left = len(lines) - len(kept) + more
    if left:
        kept.append(f"…and {'at least ' if at_least else ''}{left} more.")
    if footer:
        kept.append(footer)
    return "\n".join(kept)


def short_label(text: str, limit: int = MAX_FIELD_LABEL) -> str:
    """``text`` if it fits ``limit``, else cut at a word boundary with "…"."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    words = cut.rsplit(" ", 1)[0] if not text[limit - 1].isspace() else cut
    if len(words) >= limit // 2:  # a very long word is cut through rather than dropped
        cut = words
    return cut.rstrip(" ,;:-") + "…"
