"""``/cop help``: what I can do, for your role, written from the command spec."""

from __future__ import annotations

from bot.commands.spec import Args, Command, Role
from bot.context import CommandContext
from bot.errors import UsageError
from bot.ui import Effect, Message, Reply, fit_lines
from bot.words import quoted


def _line(command: Command) -> str:
    return f"`{command.usage()}`: {command.summary}"


def _role_words(roles: frozenset[Role]) -> str:
    named = [r.value for r in (Role.FACILITATOR, Role.LEAD) if r in roles]
    return " and ".join(named) or Role.MEMBER.value


def _lead_lines(ctx: CommandContext) -> list[str]:
    """What being a lead means, beyond the commands everyone has."""
    when = ctx.services.calendar.describe(
        ctx.services.config.reports.weekly, ctx.community.timezone
    )
    return [
        f"• As a lead, you receive the weekly report {when}, by DM: a spreadsheet with a "
        "chart. `/cop report unsubscribe` stops it."
    ]


async def show_help(ctx: CommandContext, args: Args) -> list[Effect]:
    """List the commands this person may run, or explain one group in detail."""
    catalog = ctx.services.catalog
    topic = (args.get("topic") or "").lower()
    allowed = [c for c in catalog.commands if c.allows(ctx.roles)]
    if topic:
        commands = [c for c in catalog.in_group(topic)]
        if not commands:
            groups = ", ".join(catalog.groups())
            raise UsageError(
                f"There is no help topic {quoted(topic)}. Topics: {groups}.", "/cop help [topic]"
            )
        lines = [f"*/cop {topic}*"]
        for command in commands:
            lines.append(_line(command))
            lines += [f"    `{o.name}`: {o.help}" for o in command.options if o.help]
            if not command.allows(ctx.roles):
                who = " and ".join(sorted(f"{r.value}s" for r in command.allowed))
                lines.append(f"    (for {who})")
        return [Reply(Message(fit_lines(lines)))]
    who = _role_words(ctx.roles)
    lines = [
        f"Hi {ctx.member.display_name}! Here is what you can do as a {who} of {ctx.community.name}:"
    ]
    lines += [f"• {_line(c)}" for c in allowed]
    if Role.LEAD in ctx.roles:
        lines += _lead_lines(ctx)
    example = next((c.group for c in reversed(allowed) if c.verb), "tz")
    footer = f"Details on a group of commands: `/cop help <group>`, e.g. `/cop help {example}`."
    return [Reply(Message(fit_lines(lines, footer)))]
