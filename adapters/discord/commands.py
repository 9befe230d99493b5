"""The /cop application command, as Discord's own JSON, generated from the core's command spec.

discord.py's CommandTree wants a Python function with a static signature per command; copbot's
commands are data, so the tree is generated as the JSON Discord documents, synced through
discord.py's HTTP client, and interactions are read back into the spec's option names here.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from bot.commands.parser import CommandCatalog
from bot.commands.spec import Command, Option

SUB_COMMAND, SUB_COMMAND_GROUP = 1, 2
STRING, INTEGER, BOOLEAN, USER, CHANNEL = 3, 4, 5, 6, 7
_KINDS = {
    "text": STRING,
    "timezone": STRING,
    "date": STRING,
    "choice": STRING,
    "integer": INTEGER,
    "yesno": BOOLEAN,
    "user": USER,
    "channel": CHANNEL,
}
DESCRIPTION = 100  # Discord: at most 100 characters


def _describe(text: str) -> str:
    text = text.replace("`", "") or "-"
    return text if len(text) <= DESCRIPTION else text[: DESCRIPTION - 1] + "…"


def _option(option: Option) -> dict[str, Any]:
    data: dict[str, Any] = {
        "type": _KINDS[option.kind],
        "name": option.name,
        "description": _describe(option.help or option.name),
        "required": option.required,
    }
    if option.kind == "choice":
        data["choices"] = [{"name": c, "value": c} for c in option.choices]
    if option.kind == "text":
        data["max_length"] = min(option.max_length, 6000)
    if option.kind == "integer":
        data["min_value"] = 1
    return data


def _options(command: Command) -> list[dict[str, Any]]:
    # Discord wants the required options first.
    ordered = sorted(command.options, key=lambda o: not o.required)
    return [_option(o) for o in ordered]


def application_commands(catalog: CommandCatalog) -> list[dict[str, Any]]:
    """The one ``/cop`` chat command with a subcommand (or subcommand group) per group."""
    options: list[dict[str, Any]] = []
    for group in catalog.groups():
        commands = catalog.in_group(group)
        if commands[0].verb is None:
            command = commands[0]
            options.append(
                {
                    "type": SUB_COMMAND,
                    "name": group,
                    "description": _describe(command.summary),
                    "options": _options(command),
                }
            )
        else:
            options.append(
                {
                    "type": SUB_COMMAND_GROUP,
                    "name": group,
                    "description": _describe(" · ".join(c.verb or "" for c in commands)),
                    "options": [
                        {
                            "type": SUB_COMMAND,
                            "name": c.verb,
                            "description": _describe(c.summary),
                            "options": _options(c),
                        }
                        for c in commands
                    ],
                }
            )
    return [
        {
            "type": 1,
            "name": "cop",
            "description": "copbot: check-ins, charter and participation for your community",
            "options": options,
            "dm_permission": False,
        }
    ]


def same_commands(ours: list[dict[str, Any]], theirs: Sequence[Mapping[str, Any]]) -> bool:
    """Whether Discord already has exactly these commands (so no sync is needed)."""

    def shape(node: Any) -> Any:
        if isinstance(node, Mapping):
            keep = (
                "type",
                "name",
                "description",
                "required",
                "choices",
                "options",
                "max_length",
                "min_value",
                "value",
            )
            return {
                k: shape(node[k]) for k in keep if k in node and node[k] not in (None, [], False)
            }
        if isinstance(node, list):
            return [shape(item) for item in node]
        return node

    return shape(ours) == shape([dict(c) for c in theirs])


def invocation(data: Mapping[str, Any]) -> tuple[str, str | None, dict[str, str]]:
    """Group, verb and option values (as text, the way the spec's parser reads them)."""
    options = list(data.get("options") or [])
    if not options:
        raise ValueError("no subcommand")
    first = options[0]
    group, verb = str(first["name"]), None
    values = list(first.get("options") or [])
    if first.get("type") == SUB_COMMAND_GROUP:
        if not values:
            raise ValueError("no subcommand in group")
        verb = str(values[0]["name"])
        values = list(values[0].get("options") or [])
    given: dict[str, str] = {}
    for option in values:
        value = option.get("value")
        if isinstance(value, bool):
            given[str(option["name"])] = "yes" if value else "no"
        else:
            given[str(option["name"])] = str(value)
    return group, verb, given
