"""Answering a survey: the Answer button opens its form, five questions a page; the last page
stores the answers. An anonymous survey keeps only that a member answered, never what."""

from __future__ import annotations

import re
import uuid
from collections.abc import Mapping

from bot.context import CommandContext
from bot.errors import UsageError
from bot.ids import InteractionId, interaction_id
from bot.survey_questions import TEXT_ANSWER, Question
from bot.ui import MAX_FORM_FIELDS, Effect, Field, Form, FormErrors, ShowForm, short_label
from bot.usecases.checkin_run import local_day
from bot.usecases.survey_answers import ANONYMOUS_FINAL, store_answers
from storage import surveys
from storage.models import Survey

TITLE = 24  # bot/ui.py MAX_FORM_TITLE
# ASCII digits that fit an integer column: "²" is a digit to isdigit() and no number to int().
_NUMBER = re.compile(r"[0-9]{1,9}")


def _questions(survey: Survey) -> list[Question]:
    return [Question.from_json(q) for q in survey.questions]


def page_count(survey: Survey) -> int:
    """How many pages a survey's form has (five questions a page)."""
    return -(-len(survey.questions) // MAX_FORM_FIELDS)


def _field(number: int, question: Question, initial: str) -> Field:
    label = short_label(question.text)
    described = question.text if label != question.text else ""
    if question.kind == "text":
        return Field(
            f"q{number}",
            label,
            description=described,
            initial=initial[:TEXT_ANSWER],
            max_length=TEXT_ANSWER,
        )
    if question.kind == "scale":
        options = tuple((c, c) for c in question.choices)
    else:
        options = tuple((str(i), o) for i, o in enumerate(question.options, 1))
    known = initial if initial in {v for v, _ in options} else ""
    return Field(
        f"q{number}", label, "choice", description=described, initial=known, options=options
    )


def page_form(survey: Survey, page: int, token: str, initial: Mapping[str, str]) -> Form:
    """Page ``page`` (1-based) of a survey's form, filled with ``initial`` values."""
    assert survey.id is not None
    pages = page_count(survey)
    start = (page - 1) * MAX_FORM_FIELDS
    shown = _questions(survey)[start : start + MAX_FORM_FIELDS]
    fields = tuple(_field(n, q, initial.get(f"q{n}", "")) for n, q in enumerate(shown, start + 1))
    suffix = f" {page}/{pages}" if pages > 1 else ""
    title = short_label(survey.title, TITLE - len(suffix)) + suffix
    note = (
        ANONYMOUS_FINAL
        if survey.anonymous
        else "You can change your answers until the survey closes."
    )
    if pages > 1:
        note += f" Page {page} of {pages}."
    form_id = interaction_id("page", "survey", f"{survey.id}.{page}.{token}")
    return Form(form_id, title, fields, "Send" if page == pages else "Next", note=note)


def _target(target: InteractionId) -> tuple[int, int, str]:
    parts = target.id.split(".")
    numbers = [_NUMBER.fullmatch(p) for p in parts[:2]]
    if len(parts) != 3 or not all(numbers) or not parts[2]:
        raise UsageError("This form is not one copbot knows. Press Answer in the survey's DM.")
    return int(parts[0]), int(parts[1]), parts[2]


async def load_open(ctx: CommandContext, survey_id: int) -> Survey:
    """A survey the acting member may answer now, or a UsageError that says why not."""
    survey = await surveys.survey_of(
        session=ctx.session, survey_id=survey_id, community_id=ctx.community_id, share=True
    )
    if survey is None or survey.id is None:
        raise UsageError("This survey no longer exists, so there is nothing to answer.")
    if survey.status == "closed":
        raise UsageError(f"*{survey.title}* is closed, so it takes no more answers. Thanks anyway!")
    if survey.status != "open":
        raise UsageError(f"*{survey.title}* is not open yet. You will get a DM when it is.")
    # Locked: a second Send at the same moment waits, then finds this one's answer.
    asked = await surveys.recipient(
        session=ctx.session, survey_id=survey.id, member_id=ctx.member_id, lock=True
    )
    if asked is None:
        raise UsageError(f"*{survey.title}* was not sent to you, so there is nothing to answer.")
    if survey.anonymous and asked.answered:
        raise UsageError(
            f"You answered *{survey.title}* already. It is anonymous, so nothing links your "
            "answers to you, and they cannot be changed."
        )
    return survey


async def _earlier(ctx: CommandContext, survey: Survey) -> dict[str, str]:
    """The member's stored answers as form values (none for an anonymous survey)."""
    assert survey.id is not None
    if survey.anonymous:
        return {}
    response = await surveys.response_of(
        session=ctx.session, survey_id=survey.id, member_id=ctx.member_id
    )
    if response is None:
        return {}
    questions = _questions(survey)
    values: dict[str, str] = {}
    for answer in await surveys.answers_of(session=ctx.session, response_id=response.id):
        question = questions[answer.question - 1]
        if answer.number is not None:
            values[f"q{answer.question}"] = str(answer.number)
        elif answer.choice is not None and answer.choice in question.options:
            values[f"q{answer.question}"] = str(question.options.index(answer.choice) + 1)
        else:
            values[f"q{answer.question}"] = answer.text or ""
    return values


async def open_survey_form(ctx: CommandContext, target: InteractionId) -> list[Effect]:
    """The Answer button: the form's first page, filled with earlier answers if any."""
    if not _NUMBER.fullmatch(target.id):
        raise UsageError("This survey no longer exists, so there is nothing to answer.")
    survey = await load_open(ctx, int(target.id))
    token = uuid.uuid4().hex
    return [ShowForm(page_form(survey, 1, token, await _earlier(ctx, survey)))]


async def open_page(ctx: CommandContext, target: InteractionId) -> list[Effect]:
    """A *Next* button (where a form cannot open the next page itself): that page."""
    survey_id, page, token = _target(target)
    survey = await load_open(ctx, survey_id)
    draft = await surveys.draft_of(session=ctx.session, token=token)
    values = await _earlier(ctx, survey) | (dict(draft.answers) if draft else {})
    return [ShowForm(page_form(survey, max(1, min(page, page_count(survey))), token, values))]


def _problem(question: Question, value: str) -> str | None:
    if question.kind == "text":
        if not value:
            return "This one needs an answer, even a short one."
        return f"Keep it under {TEXT_ANSWER} characters." if len(value) > TEXT_ANSWER else None
    if question.kind == "scale":
        if value in question.choices:
            return None
        return f"Pick a number from {question.low} to {question.high}."
    # The options' own values only: "²" is a digit to isdigit() and no number to int().
    if value in {str(n) for n in range(1, len(question.options) + 1)}:
        return None
    return "Pick one of the options: " + ", ".join(question.options) + "."


async def submit_page(
    ctx: CommandContext, target: InteractionId, values: Mapping[str, str]
) -> list[Effect]:
    """A page sent: checked; the next page, or (the last) the answers stored."""
    survey_id, page, token = _target(target)
    survey = await load_open(ctx, survey_id)
    assert survey.id is not None
    pages = page_count(survey)
    if not 1 <= page <= pages:
        raise UsageError("This form is out of date. Press Answer in the survey's DM again.")
    questions = _questions(survey)
    first = (page - 1) * MAX_FORM_FIELDS + 1
    numbers = range(first, min(first + MAX_FORM_FIELDS, len(questions) + 1))
    given = {f"q{n}": (values.get(f"q{n}") or "").strip() for n in numbers}
    problems = tuple(
        (f"q{n}", problem)
        for n in numbers
        if (problem := _problem(questions[n - 1], given[f"q{n}"])) is not None
    )
    if problems:
        return [FormErrors(page_form(survey, page, token, given), problems)]
    draft = await surveys.draft_of(session=ctx.session, token=token) if page > 1 else None
    if page > 1 and (draft is None or draft.survey_id != survey.id):
        raise UsageError("This form timed out before its last page. Press Answer to start again.")
    answers = (dict(draft.answers) if draft else {}) | given
    if any(f"q{n}" not in answers for n in range(1, first)):  # a page was skipped
        raise UsageError("This form is out of date. Press Answer in the survey's DM again.")
    if page < pages:
        await surveys.save_draft(
            session=ctx.session,
            token=token,
            survey_id=survey.id,
            answers=answers,
            day=local_day(ctx.community, ctx.now),
        )
        shown = await _earlier(ctx, survey) | answers
        return [ShowForm(page_form(survey, page + 1, token, shown))]
    await surveys.drop_drafts(session=ctx.session, survey_id=survey.id, token=token)
    return await store_answers(ctx, survey, questions, answers)
