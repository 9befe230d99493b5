"""The ``/cop`` command reference in Markdown, generated from the spec for the README.

Regenerate with ``python -m bot.commands.reference``; a test keeps the README in step.
"""

from __future__ import annotations

from bot.commands.catalog import build_catalog
from bot.commands.parser import CommandCatalog
from bot.commands.spec import Role


def markdown_reference(catalog: CommandCatalog) -> str:
    """One table row per command: its full form, who may run it, what it does and its options."""
    rows = ["| command | who | does |", "|---|---|---|"]
    for command in catalog.commands:
        who = (
            "everyone"
            if Role.MEMBER in command.allowed
            else " and ".join(sorted(f"{r.value}s" for r in command.allowed))
        )
        does = command.summary
        details = [f"`{o.name}`: {o.help}" for o in command.options if o.help]
        if details:
            does += " (" + "; ".join(details) + ")"
        usage = command.usage().replace("|", "\\|")
        rows.append(f"| `{usage}` | {who} | {does.replace('|', chr(92) + '|')} |")
    return "\n".join(rows) + "\n"


if __name__ == "__main__":
    print(markdown_reference(build_catalog()), end="")
