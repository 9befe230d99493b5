"""The charter: ``/cop about`` shows it with the rhythm, ``/cop charter`` edits it in a form."""

from __future__ import annotations

from collections.abc import Mapping

from bot.commands.spec import Args
from bot.context import CommandContext
from bot.errors import PermissionDenied
from bot.ids import InteractionId, interaction_id
from bot.ui import Effect, Field, Form, FormErrors, Message, Reply, ShowForm
from bot.usecases.phase_shown import phase_line
from storage import charter as charters
from storage import checkins, pilot

CHARTER_FIELDS = (
    ("audience", "Audience: who is it for?"),
    ("domain", "Domain: what do we share?"),
    ("purpose", "Purpose: why do we meet?"),
    ("goals", "Goals for this year"),
    ("outcomes", "Expected outcomes"),
)
FIELD_LENGTH = 1000


async def show_about(ctx: CommandContext, args: Args) -> list[Effect]:
    """Show the community's charter and its rhythm (the live check-ins)."""
    charter = await charters.charter_of(session=ctx.session, community_id=ctx.community_id)
    fields: list[tuple[str, str]] = []
    if charter is not None:
        fields = [
            (label.split(":")[0], getattr(charter, name))
            for name, label in CHARTER_FIELDS
            if getattr(charter, name)
        ]
    text = f"*{ctx.community.name}*, a community of practice."
    if not fields:
        text += " Its charter has not been written yet."
        if ctx.is_facilitator:
            text += " Write it with `/cop charter`."
    rhythm = []
    for checkin, schedule in await checkins.live_checkins(
        session=ctx.session, community_id=ctx.community_id
    ):
        if checkin.status == "active":
            when = ctx.services.calendar.describe(schedule.expression, ctx.community.timezone)
            rhythm.append(f"{checkin.name} check-in, {when}")
    if rhythm:
        fields.append(("Rhythm", "\n".join(rhythm)))
    size = await pilot.pilot_size(session=ctx.session, community_id=ctx.community_id)
    if phase := phase_line(ctx.community, size):
        fields.append(("Phase", phase))
    return [Reply(Message(text, fields=tuple(fields)))]


def charter_form_id(community_id: int) -> str:
    """The interaction id of a community's charter form."""
    return interaction_id("charter", "community", community_id)


async def open_charter(ctx: CommandContext, args: Args) -> list[Effect]:
    """Open the charter form, filled with what is written so far."""
    return [ShowForm(await _charter_form(ctx))]


async def _charter_form(ctx: CommandContext, typed: Mapping[str, str] | None = None) -> Form:
    """The charter form, filled with what was typed (where it fits) or else what is stored."""
    charter = await charters.charter_of(session=ctx.session, community_id=ctx.community_id)

    def initial(name: str) -> str:
        value = (typed or {}).get(name)
        if value is not None and len(value) <= FIELD_LENGTH:
            return value
        return getattr(charter, name) if charter else ""

    fields = tuple(
        Field(
            name=name, label=label, required=False, initial=initial(name), max_length=FIELD_LENGTH
        )
        for name, label in CHARTER_FIELDS
    )
    return Form(charter_form_id(ctx.community_id), "Community charter", fields, "Save")


async def submit_charter(
    ctx: CommandContext, target: InteractionId, values: Mapping[str, str]
) -> list[Effect]:
    """Save the charter form (facilitators only, checked again on submit)."""
    if not ctx.is_facilitator:
        raise PermissionDenied("Only facilitators can change the charter.")
    if target.id != str(ctx.community_id):
        raise PermissionDenied("This charter form belongs to another community.")
    fields = {name: (values.get(name) or "").strip() for name, _ in CHARTER_FIELDS}
    too_long = tuple(
        (name, f"Keep it under {FIELD_LENGTH} characters (this is {len(value)}).")
        for name, value in fields.items()
        if len(value) > FIELD_LENGTH
    )
    if too_long:
        # Show the form again with what they typed, so nothing they wrote is lost.
        return [FormErrors(await _charter_form(ctx, fields), too_long)]
    await charters.save_charter(
        session=ctx.session,
        community_id=ctx.community_id,
        fields=fields,
        member_id=ctx.member_id,
        now=ctx.now,
    )
    return [Reply(Message("✅ Charter saved. Members see it with `/cop about`."))]
