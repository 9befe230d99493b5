"""A schedule someone typed (``schedule:"mon 10:00"``), checked once for every command that
takes one: in its canonical form, and no more often than the operator allows."""

from __future__ import annotations

from bot.context import CommandContext
from bot.errors import UsageError
from bot.schedule import ScheduleError, check_frequency


def checked_schedule(ctx: CommandContext, typed: str) -> str:
    """The schedule expression in its canonical form, or a UsageError saying what is wrong."""
    calendar = ctx.services.calendar
    try:
        expression = calendar.normalize(typed)
        check_frequency(calendar, expression, ctx.services.config.scheduler.min_interval_minutes)
    except ScheduleError as error:
        raise UsageError(str(error)) from None
    return expression
