"""``/cop checkin add|list|pause|resume|delete|run``: recurring questions for an audience."""

from __future__ import annotations

from bot.commands.spec import Args
from bot.context import CommandContext
from bot.errors import UsageError
from bot.outbox_keys import CHECKIN_REMINDER, checkin_subject
from bot.schedule import SCHEDULE_FORMS
from bot.timefmt import local_time
from bot.ui import MAX_FIELD_DESCRIPTION, MAX_FORM_FIELDS, Effect, Message, Reply, fit_lines
from bot.usecases.checkin_run import run_checkin, schedule_reminder
from bot.usecases.rhythm import checked_schedule
from bot.usecases.upcoming import coming_up
from bot.words import plural
from storage import checkins, outbox
from storage.models import CheckIn, Schedule


def parse_questions(raw: str) -> list[str]:
    """Split ``Q1|Q2|Q3`` into 1 to 5 questions of at most 150 characters (a longer one than a
    platform's field label is shown shortened there, and whole beside the field)."""
    questions = [q.strip() for q in raw.split("|") if q.strip()]
    if not questions:
        raise UsageError("A check-in needs at least one question.")
    if len(questions) > MAX_FORM_FIELDS:
        raise UsageError(
            f"A check-in has at most {MAX_FORM_FIELDS} questions; you gave {len(questions)}. "
            "Forms on Slack and Discord cannot show more."
        )
    for number, question in enumerate(questions, 1):
        if len(question) > MAX_FIELD_DESCRIPTION:
            raise UsageError(
                f"Question {number} is {len(question)} characters; keep each question to "
                f"{MAX_FIELD_DESCRIPTION}. Shorten: “{question}”"
            )
    return questions


def _describe(ctx: CommandContext, checkin: CheckIn, schedule: Schedule) -> str:
    when = ctx.services.calendar.describe(schedule.expression, ctx.community.timezone)
    if schedule.local_time:
        when += " (each member's local time)"
    count = len(checkin.questions)
    share = f", summary in #{checkin.share_channel}" if checkin.share_channel else ""
    if checkin.via == "channel":
        share = f", posted in #{checkin.share_channel}"
    return (
        f"#{checkin.id} *{checkin.name}*: {when}, to {checkin.audience}, "
        f"{plural(count, 'question')}{share} [{checkin.status}]"
    )


async def add_checkin(ctx: CommandContext, args: Args) -> list[Effect]:
    """Create a recurring check-in."""
    name: str = args["name"]
    expression = checked_schedule(ctx, args["schedule"])
    questions = parse_questions(args["questions"])
    live = await checkins.live_checkins(session=ctx.session, community_id=ctx.community_id)
    clash = next((c for c, _ in live if c.name.lower() == name.lower()), None)
    if clash is not None:
        raise UsageError(
            f"There is already a check-in called {clash.name} (#{clash.id}); pick another name."
        )
    share = None
    if args["via"] == "channel" and not args["share"]:
        raise UsageError(
            "`via:channel` posts the check-in in a channel: name it with share:#channel."
        )
    if args["share"]:
        share = (ctx.actor.platform, ctx.actor.workspace, args["share"])
    checkin = await checkins.add_checkin(
        session=ctx.session,
        community_id=ctx.community_id,
        name=name,
        expression=expression,
        local_time=bool(args["local_time"]),
        questions=questions,
        audience=args["audience"],
        via=args["via"],
        share=share,
        created_by=ctx.member_id,
        now=ctx.now,
    )
    schedule = await checkins.checkin_in(
        session=ctx.session, community_id=ctx.community_id, checkin_id=checkin.id or 0
    )
    assert schedule is not None
    text = (
        f"✅ Check-in created: {_describe(ctx, *schedule)}.\n"
        f"See when it runs with `/cop upcoming`; try it now with `/cop checkin run {checkin.id}`."
    )
    return [Reply(Message(text))]


async def list_checkins(ctx: CommandContext, args: Args) -> list[Effect]:
    """List the community's check-ins with their schedule, audience and answer counts."""
    live = await checkins.live_checkins(session=ctx.session, community_id=ctx.community_id)
    if not live:
        add = ctx.services.catalog.get("checkin add")
        usage = add.usage() if add else "/cop checkin add"
        text = f"No check-ins yet. Create one:\n`{usage}`\nSchedules look like {SCHEDULE_FORMS}."
        return [Reply(Message(text))]
    counts = await checkins.answer_counts(
        session=ctx.session, checkin_ids=[c.id for c, _ in live if c.id is not None]
    )
    missed = await checkins.missed_counts(
        session=ctx.session, checkin_ids=[c.id for c, _ in live if c.id is not None]
    )
    lines = [f"Check-ins of {ctx.community.name}:"]
    for checkin, schedule in live:
        runs, sent, answered = counts.get(checkin.id or 0, (0, 0, 0))
        stats = f"{plural(runs, 'run')}, {answered}/{sent} answered" if runs else "not run yet"
        if missed.get(checkin.id or 0):
            stats += f", {missed[checkin.id or 0]} missed while copbot was down"
        lines.append(f"• {_describe(ctx, checkin, schedule)}, {stats}")
    footer = "Manage one with `/cop checkin pause|resume|delete|run <id>`."
    return [Reply(Message(fit_lines(lines, footer)))]


async def _find(ctx: CommandContext, args: Args, verb: str) -> tuple[CheckIn, Schedule]:
    found = await checkins.checkin_in(
        session=ctx.session, community_id=ctx.community_id, checkin_id=args["id"]
    )
    if found is None:
        raise UsageError(
            f"There is no check-in #{args['id']}. `/cop checkin list` shows their ids.",
        )
    return found


async def _set_status(ctx: CommandContext, args: Args, status: str, verb: str) -> CheckIn:
    checkin, schedule = await _find(ctx, args, verb)
    checkin.status = status
    schedule.active = status == "active"
    ctx.session.add(checkin)
    ctx.session.add(schedule)
    return checkin


async def _withdraw_reminders(ctx: CommandContext, checkin: CheckIn) -> None:
    """A paused or deleted check-in reminds nobody any more."""
    await outbox.cancel_pending(
        session=ctx.session, kind=CHECKIN_REMINDER, subject=checkin_subject(checkin.id)
    )


async def pause_checkin(ctx: CommandContext, args: Args) -> list[Effect]:
    """Stop a check-in from running until resumed."""
    checkin, _ = await _find(ctx, args, "pause")
    if checkin.status == "paused":
        return [Reply(Message(f"#{checkin.id} {checkin.name} is already paused. Nothing changed."))]
    await _set_status(ctx, args, "paused", "pause")
    await _withdraw_reminders(ctx, checkin)
    text = f"⏸️ Paused #{checkin.id} {checkin.name}. Resume with `/cop checkin resume {checkin.id}`."
    return [Reply(Message(text))]


async def resume_checkin(ctx: CommandContext, args: Args) -> list[Effect]:
    """Let a paused check-in run again."""
    checkin, _ = await _find(ctx, args, "resume")
    if checkin.status == "active":
        return [
            Reply(Message(f"#{checkin.id} {checkin.name} is already running. Nothing changed."))
        ]
    await _set_status(ctx, args, "active", "resume")
    return [Reply(Message(f"▶️ Resumed #{checkin.id} {checkin.name}."))]


def _confirm_line(command: str, checkin: CheckIn) -> str:
    return f"`/cop checkin {command} {checkin.id} confirm:yes`"


async def delete_checkin(ctx: CommandContext, args: Args) -> list[Effect]:
    """Delete a check-in, once confirmed; the answers already given stay in the reports."""
    checkin, _ = await _find(ctx, args, "delete")
    if not args.get("confirm"):
        text = (
            f"🗑️ Delete #{checkin.id} {checkin.name}? It stops running and cannot be resumed; "
            "answers already given stay in the reports. To go ahead: "
            f"{_confirm_line('delete', checkin)}"
        )
        return [Reply(Message(text))]
    await _set_status(ctx, args, "deleted", "delete")
    await _withdraw_reminders(ctx, checkin)
    text = f"🗑️ Deleted #{checkin.id} {checkin.name}. Answers already given stay in the reports."
    return [Reply(Message(text))]


def _in_words(seconds: float) -> str:
    """A delay as a person says it: "4 hours", "90 minutes", "1 hour"."""
    minutes = round(seconds / 60)
    if minutes % 60 == 0 and minutes >= 60:
        hours = minutes // 60
        return f"{hours} hour{'s' if hours != 1 else ''}"
    return f"{minutes} minute{'s' if minutes != 1 else ''}"


async def run_now(ctx: CommandContext, args: Args) -> list[Effect]:
    """Run a check-in now, outside its schedule (a paused one only once confirmed); those who
    do not answer get the same one reminder as after a scheduled firing."""
    checkin, _ = await _find(ctx, args, "run")
    if checkin.status == "paused" and not args.get("confirm"):
        text = (
            f"⏸️ #{checkin.id} {checkin.name} is paused. Run it once anyway (it stays paused): "
            f"{_confirm_line('run', checkin)}"
        )
        return [Reply(Message(text))]
    minute = ctx.now.replace(second=0, microsecond=0)
    run = await run_checkin(ctx.session, ctx.community, checkin, minute, ctx.now)
    if run.already_ran:
        text = (
            f"#{checkin.id} {checkin.name} already ran at "
            f"{local_time(minute, ctx.community.timezone, with_day=False)}; answers are coming in."
        )
        return [Reply(Message(text))]
    if run.occurrence is None:
        text = (
            f"Nobody is in the audience ({checkin.audience}) of {checkin.name} yet, so nothing "
            "was sent. Members appear once they post, react or use /cop."
        )
        return [Reply(Message(text))]
    asked = run.occurrence.sent_count
    members = plural(asked, "member")
    if checkin.via == "channel":
        text = f"📨 Queued {checkin.name} for #{checkin.share_channel} ({members} may answer)."
        return [*run.outgoing, Reply(Message(text))]
    text = f"📨 Queued {checkin.name} for {members}; the DMs go out in the next moments."
    if checkin.status == "paused":
        # A paused check-in reminds nobody (see checkin_jobs.remind): say so, promise nothing.
        return [*run.outgoing, Reply(Message(text + " It stays paused, so no reminder follows."))]
    after = ctx.services.config.scheduler.reminder_after
    if await schedule_reminder(ctx.session, checkin, run.occurrence, after, ctx.now):
        text += f" Those who have not answered in {_in_words(after)} get one reminder."
    return [*run.outgoing, Reply(Message(text))]


async def show_upcoming(ctx: CommandContext, args: Args) -> list[Effect]:
    """What copbot will send in the next 7 days, firing by firing."""
    coming = await coming_up(ctx.session, ctx.services, ctx.community_id, ctx.now)
    if not coming.lines and not coming.reminders:
        return [Reply(Message("Nothing is scheduled for the next 7 days."))]
    header = f"Coming up in {ctx.community.name} (next 7 days):"
    text = fit_lines(
        [header, *coming.lines],
        coming.reminder_line(),
        more=coming.unlisted,
        at_least=coming.at_least,
    )
    return [Reply(Message(text))]
