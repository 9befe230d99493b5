"""What is wrong with a config file, in the operator's words: each problem at its key path, with
what the key expects and an example line, instead of pydantic's or tomllib's own wording."""

from __future__ import annotations

import difflib
import json
import re
import tomllib
from dataclasses import dataclass
from typing import Any

from annotated_types import Ge, Le
from pydantic import BaseModel
from pydantic.fields import FieldInfo

# Example lines for keys whose default shows nothing useful (none, empty, or required).
EXAMPLES = {
    "name": '"Data CoP"',
    "timezone": '"Europe/Berlin"',
    "slack_team_id": '"T0123456"',
    "discord_guild_id": '"123456789012345678"',
    "console_workspace": '"local"',
    "home_channels": '["slack:C0123456", "discord:1234567890", "console:general"]',
    "facilitators": '["slack:U123", "discord:4444", "console:alice"]',
    "leads": '["slack:U123", "discord:4444", "console:alice"]',
    "gateway_url": '"wss://gateway.discord.gg/"',
    "shard_count": "2",
    "shard_ids": "[0, 1]",
    "command_guilds": '["123456789012345678"]',
    "weekly": '"mon 09:00"',
    "misfire_grace": '"1h"',
    "reminder_after": '"4h"',
    "admins": '["alice"]',
    "api_base_url": '"https://slack.com/api/"',
}
# What a key whose value must match a pattern expects, in words.
PATTERNS = {
    "path": 'a path that starts with "/"',
    "api_base_url": "an http:// or https:// URL",
    "gateway_url": "a ws:// or wss:// URL",
    "user": 'a name of letters, digits, ".", "-" or "_" (at most 64)',
    "channel": 'a name of letters, digits, ".", "-" or "_" (at most 64)',
    "admins": 'names of letters, digits, ".", "-" or "_" (at most 64)',
}
_TOML_WHERE = re.compile(r"\s*\(at line (\d+), column (\d+)\)$")


@dataclass(frozen=True)
class ConfigProblem:
    """One thing wrong with a config file, at a key path, with what was expected."""

    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}" if self.path else self.message


class ConfigError(Exception):
    """The config cannot be used; ``problems`` lists every reason at once."""

    def __init__(self, source: str, problems: list[ConfigProblem]) -> None:
        self.source = source
        self.problems = problems
        super().__init__(self.describe())

    def describe(self) -> str:
        """A message for the operator: the file named once, then one problem a line."""
        count = len(self.problems)
        lines = [f"{self.source} has {count} problem{'' if count == 1 else 's'}:"]
        lines += [f"  - {problem}" for problem in self.problems]
        return "\n".join(lines)


def toml_problem(error: tomllib.TOMLDecodeError) -> ConfigProblem:
    """Invalid TOML at its line and column: attributes from Python 3.14, the message before."""
    message = str(getattr(error, "msg", None) or error)
    line, column = getattr(error, "lineno", None), getattr(error, "colno", None)
    found = _TOML_WHERE.search(message)
    if found:
        message = message[: found.start()]
        line, column = line or int(found.group(1)), column or int(found.group(2))
    message = message.removesuffix(" (at end of document)")
    where = f"line {line}, column {column}" if line else "the end of the file"
    return ConfigProblem(where, f"not valid TOML: {message[:1].lower()}{message[1:]}")


def key_path(loc: tuple[int | str, ...]) -> str:
    """``("communities", 0, "name")`` as ``communities[0].name``."""
    path = ""
    for part in loc:
        if isinstance(part, int):
            path += f"[{part}]"
        elif not str(part).startswith("function-"):
            path += f".{part}" if path else str(part)
    return path


def model_at(root: type[BaseModel], loc: tuple[int | str, ...]) -> type[BaseModel] | None:
    """The model class that owns the key at ``loc``."""
    model = root
    for part in loc[:-1]:
        if isinstance(part, int) or str(part).startswith("function-"):
            continue
        field = model.model_fields.get(str(part))
        if field is None:
            return None
        annotation = field.annotation
        inner = getattr(annotation, "__args__", (annotation,))[0]
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            model = annotation
        elif isinstance(inner, type) and issubclass(inner, BaseModel):
            model = inner
        else:
            return None
    return model


def _toml(value: Any) -> str | None:
    """A default value as it is written in TOML, or None when it shows nothing useful."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float | str) and value != "":
        return json.dumps(value)
    if isinstance(value, tuple) and value:
        return "[" + ", ".join(_toml(v) or '""' for v in value) + "]"
    return None


def _key(loc: tuple[int | str, ...]) -> tuple[tuple[int | str, ...], str]:
    """The loc of the key itself (without a list index or validator name) and its name."""
    named = tuple(p for p in loc if not str(p).startswith("function-"))
    while named and isinstance(named[-1], int):
        named = named[:-1]
    return named, str(named[-1]) if named else ""


def _field(root: type[BaseModel], loc: tuple[int | str, ...]) -> tuple[str, FieldInfo | None]:
    """The name of the key at ``loc`` and its pydantic field, if it has one."""
    named, key = _key(loc)
    model = model_at(root, named)
    return key, model.model_fields.get(key) if model else None


def _example(root: type[BaseModel], loc: tuple[int | str, ...]) -> str:
    key, field = _field(root, loc)
    if key in EXAMPLES:
        return f"; e.g. {key} = {EXAMPLES[key]}"
    shown = _toml(field.default) if field is not None else None
    return f"; e.g. {key} = {shown}" if shown else ""


def _bounds(field: FieldInfo | None) -> str | None:
    """ "from 1 to 65535" for a field limited on both sides."""
    low = next((m.ge for m in field.metadata if isinstance(m, Ge)), None) if field else None
    high = next((m.le for m in field.metadata if isinstance(m, Le)), None) if field else None
    return f"from {low} to {high}" if low is not None and high is not None else None


def _expected(root: type[BaseModel], error: Any) -> str:
    kind, ctx, loc = error["type"], error.get("ctx") or {}, tuple(error["loc"])
    _, key = _key(loc)
    if kind == "missing":
        return "missing"
    if kind == "literal_error":
        return "expected " + str(ctx.get("expected", "")).replace("'", '"')
    if kind in ("bool_type", "bool_parsing"):
        return "expected true or false"
    if kind in ("int_type", "int_parsing", "int_from_float"):
        return "expected a whole number"
    if kind in ("float_type", "float_parsing"):
        return "expected a number"
    if kind == "string_type":
        return "expected text in quotes"
    if key == "communities" and kind in ("tuple_type", "list_type", "model_type"):
        return "expected one [[communities]] block for each community, with its keys below it"
    if kind in ("tuple_type", "list_type"):
        return "expected a list in brackets"
    if kind in ("model_type", "model_attributes_type", "dict_type"):
        return f"expected a table: write [{key_path(_key(loc)[0])}] with its keys below it"
    if kind in ("greater_than_equal", "less_than_equal") and _bounds(_field(root, loc)[1]):
        return f"expected a number {_bounds(_field(root, loc)[1])}"
    if kind in ("greater_than_equal", "less_than_equal", "greater_than", "less_than"):
        words = {
            "greater_than_equal": "at least",
            "less_than_equal": "at most",
            "greater_than": "more than",
            "less_than": "less than",
        }
        bound = next(iter(ctx.values()), "")
        return f"expected a number {words[kind]} {bound}"
    if kind == "string_pattern_mismatch":
        return f"expected {PATTERNS.get(key, 'another form')}"
    if kind == "string_too_short":
        return "cannot be empty"
    if kind == "string_too_long":
        return f"expected at most {ctx.get('max_length')} characters"
    message = str(error["msg"]).removeprefix("Value error, ")
    return message.replace("Input should be ", "expected ")


def problem_from(root: type[BaseModel], error: Any) -> ConfigProblem:
    """One pydantic error as a ConfigProblem in the operator's words."""
    loc = tuple(error["loc"])
    path = key_path(loc)
    if error["type"] == "extra_forbidden":
        model = model_at(root, loc)
        known = sorted(model.model_fields) if model else []
        close = difflib.get_close_matches(str(loc[-1]), known, n=1)
        hint = f"; did you mean {close[0]!r}?" if close else ""
        return ConfigProblem(path, f"unknown key{hint} (known keys: {', '.join(known)})")
    expected = _expected(root, error)
    if error["type"] in ("value_error", "model_type", "dict_type") or expected.startswith(
        "expected one [[communities]]"
    ):
        return ConfigProblem(path, expected)  # our own validators already say what to write
    return ConfigProblem(path, expected + _example(root, loc))
