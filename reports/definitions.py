"""The report's metric definitions as a Markdown table, for the README (``python -m
reports.definitions``); a test checks the README has the same table."""

from __future__ import annotations

from storage.report_data import DEFINITIONS
from storage.report_rows import Definition


def markdown_definitions(definitions: tuple[Definition, ...] = DEFINITIONS) -> str:
    """One row per figure: its name and the sentence the workbook prints beside it."""
    rows = ["| figure | definition |", "|---|---|"]
    rows += [f"| {d.metric} | {d.sentence.replace('|', chr(92) + '|')} |" for d in definitions]
    return "\n".join(rows) + "\n"


if __name__ == "__main__":
    print(markdown_definitions(), end="")
