"""Which use case answers which button and which form, by the interaction id's verb and entity."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping

from bot.context import CommandContext
from bot.ids import InteractionId
from bot.ui import Effect
from bot.usecases import (
    answers,
    charter,
    event_rsvp,
    nominations,
    pairing,
    resources,
    survey_form,
    welcome,
)

ButtonHandler = Callable[[CommandContext, InteractionId], Awaitable[list[Effect]]]
FormHandler = Callable[[CommandContext, InteractionId, Mapping[str, str]], Awaitable[list[Effect]]]

BUTTONS: dict[tuple[str, str], ButtonHandler] = {
    ("answer", "occurrence"): answers.open_answer_form,
    ("rsvp", "event"): event_rsvp.answer_event,
    ("calendar", "event"): event_rsvp.send_calendar,
    ("pair", "community"): pairing.join_from_button,
    ("tz", "member"): welcome.open_tz_form,
    ("answer", "survey"): survey_form.open_survey_form,
    # The next page of a survey's form, where a form cannot open another (Discord).
    ("page", "survey"): survey_form.open_page,
    ("more", "resources"): resources.more_resources,
    ("consent", "nomination"): nominations.consent,
    ("decline", "nomination"): nominations.decline,
}

FORMS: dict[tuple[str, str], FormHandler] = {
    ("answer", "occurrence"): answers.submit_answers,
    ("charter", "community"): charter.submit_charter,
    ("tz", "member"): welcome.submit_tz_form,
    ("page", "survey"): survey_form.submit_page,
    ("nominated", "nomination"): nominations.confirm,
}
# Forms whose submission can change when check-ins fire (the scheduler then rebuilds its jobs).
RESCHEDULING_FORMS = frozenset({("tz", "member")})
