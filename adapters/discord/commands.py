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
VOICE_CHANNEL_TYPES = (2, 13)  # GUILD_VOICE, GUILD_STAGE_VOICE: the picker offers only these
DESCRIPTION = 100  # Discord: at most 100 characters
NAME = 32  # Discord: names of commands and options are at most 32 characters


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
    if option.voice:
        data["channel_types"] = list(VOICE_CHANNEL_TYPES)
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
                "channel_types",
                "value",
            )
            return {
                k: shape(node[k]) for k in keep if k in node and node[k] not in (None, [], False)
            }
        if isinstance(node, list):
            return [shape(item) for item in node]
        return node

    return shape(ours) == shape([dict(c) for c in theirs])


class PayloadError(ValueError):
    """An interaction whose fields have other types than Discord documents."""


def _given(node: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    options = node.get("options") or []
    if not isinstance(options, list) or not all(isinstance(o, Mapping) for o in options):
        raise PayloadError("options that are not a list of objects")
    return options


def _name(node: Mapping[str, Any]) -> str:
    name = node.get("name")
    if not isinstance(name, str) or not 0 < len(name) <= NAME:
        raise PayloadError("an option without a name")
    return name


def invocation(data: Mapping[str, Any]) -> tuple[str, str | None, dict[str, str]]:
    """Group, verb and option values (as text, the way the spec's parser reads them); a
    PayloadError for a payload of the wrong shape."""
    options = _given(data)
    if not options:
        raise PayloadError("no subcommand")
    first = options[0]
    group, verb = _name(first), None
    values = _given(first)
    if first.get("type") == SUB_COMMAND_GROUP:
        if not values:
            raise PayloadError("no subcommand in group")
        verb = _name(values[0])
        values = _given(values[0])
    given: dict[str, str] = {}
    for option in values:
        value = option.get("value")
        if isinstance(value, bool):
            given[_name(option)] = "yes" if value else "no"
        elif isinstance(value, str | int | float):
            given[_name(option)] = str(value)
        else:
            raise PayloadError(f"a {type(value).__name__} as the value of an option")
    return group, verb, given


def confirmed_people(data: Mapping[str, Any]) -> dict[str, str]:
    """The members of the guild that the command's user options name, with their display names:
    Discord resolves them (``resolved.users`` and ``resolved.members``) before it sends it."""
    resolved = data.get("resolved")
    if not isinstance(resolved, Mapping):
        return {}
    users, members = resolved.get("users"), resolved.get("members")
    if not isinstance(users, Mapping) or not isinstance(members, Mapping):
        return {}
    found: dict[str, str] = {}
    for user_id, member in members.items():
        user = users.get(user_id)
        if not (isinstance(user, Mapping) and isinstance(member, Mapping)):
            continue
        if user.get("bot") is True:
            continue
        name = member.get("nick") or user.get("global_name") or user.get("username")
        if isinstance(user_id, str) and user_id.isdigit() and isinstance(name, str) and name:
            found[user_id] = name
    return found
