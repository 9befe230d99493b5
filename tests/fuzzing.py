"""How many inputs each fuzz test tries: a few hundred in a plain test run (the suite stays fast),
thousands with ``COPBOT_FUZZ=thorough``, which CI sets (.ci/run)."""

from __future__ import annotations

import os

THOROUGH = os.environ.get("COPBOT_FUZZ", "").lower() == "thorough"


def examples(quick: int, thorough: int) -> int:
    """The number of examples for this run."""
    return thorough if THOROUGH else quick
