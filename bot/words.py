"""Small helpers for the words copbot says: counts with the right plural, safe echoes of input."""

from __future__ import annotations

import re
import unicodedata

# What a short echo of someone's input may be at most: enough to recognise it, never a wall.
EXCERPT_LENGTH = 40
_SPACES = re.compile(r"\s+")


def plural(count: int, singular: str, plural_form: str | None = None) -> str:
    """The count with the noun that agrees with it: ``1 message``, ``2 messages``, ``0 replies``."""
    word = singular if count == 1 else (plural_form or f"{singular}s")
    return f"{count:,} {word}"


def excerpt(text: str, limit: int = EXCERPT_LENGTH) -> str:
    """A short, single-line, printable excerpt of someone's input, safe inside backticks."""
    # Control and format characters (ESC, NUL, bidirectional overrides) would act on a terminal
    # or reorder the reply; a backtick would end the code span the excerpt is shown in.
    printable = "".join(
        " " if unicodedata.category(c) in ("Cc", "Cf", "Zl", "Zp") else c for c in text
    )
    flat = _SPACES.sub(" ", printable.replace("`", "'")).strip()
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"


def quoted(text: str, limit: int = EXCERPT_LENGTH) -> str:
    """Someone's input in backticks, shortened; "an empty value" for nothing, never empty ticks."""
    short = excerpt(text, limit)
    return f"`{short}`" if short else "an empty value"


def sentence(text: str) -> str:
    """``text`` ending with one full stop, unless it already ends with . ? ! or …"""
    text = text.rstrip()
    return text if not text or text[-1] in ".?!…" else f"{text}."
