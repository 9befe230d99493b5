"""The prompts' job kind: on each firing of a community's rhythm, its next prompt is posted in
the channel; when the queue is empty, the facilitators are told once."""

from __future__ import annotations

from sqlmodel.ext.asyncio.session import AsyncSession

from bot.config_values import accounts as platform_accounts
from bot.context import Services
from bot.jobs import Fired, Firing, JobKind, Recurring
from bot.outbox_keys import PROMPT_EMPTY, PROMPT_POST, prompt_empty_key, prompt_key
from bot.ui import Message, Outgoing, Recipient
from bot.usecases.rhythm import community_jobs
from storage import prompts
from storage.models import Community, Prompt, PromptSchedule

PROMPT_JOB = "prompt"
KIND_LABELS = {
    "discuss": "💬 Discussion",
    "reflect": "🪞 Reflect on practice",
    "research": "🔬 Unpack research",
    "share": "📚 Share resources",
}


async def prompt_jobs(
    session: AsyncSession, services: Services, subject: str | None
) -> list[Recurring]:
    """One job per community whose prompt rhythm is on, in the community's timezone."""
    rhythms = await prompts.active_schedules(session=session)
    return await community_jobs(session, PROMPT_JOB, rhythms, subject)


def prompt_message(prompt: Prompt) -> Message:
    """A prompt as it is posted: its kind as a label, its text, and where to answer."""
    label = KIND_LABELS.get(prompt.kind, KIND_LABELS["discuss"])
    return Message(f"*{label}*\n{prompt.text}\n\n↪ Reply in this thread: every voice counts.")


async def post_prompt(firing: Firing) -> Fired:
    """Post the next prompt of the queue; with none left, tell the facilitators once."""
    community_id = int(firing.subject)
    session = firing.session
    rhythm = await prompts.schedule_of(session=session, community_id=community_id)
    community = await session.get(Community, community_id)
    if rhythm is None or not rhythm.active or community is None:
        return Fired()
    prompt = await prompts.next_queued(session=session, community_id=community_id)
    if prompt is None:
        return await _tell_empty(firing, community, rhythm)
    assert prompt.id is not None
    prompt.status, prompt.posted_at, prompt.post_key = "posted", firing.due, prompt_key(prompt.id)
    session.add(prompt)
    post = Outgoing(
        Recipient(rhythm.platform, rhythm.workspace, channel=rhythm.channel),
        prompt_message(prompt),
        prompt.post_key,
        kind=PROMPT_POST,
        subject=str(prompt.id),
    )
    return Fired([post], 1)


async def _tell_empty(firing: Firing, community: Community, rhythm: PromptSchedule) -> Fired:
    if rhythm.told_empty or community.id is None:
        return Fired()
    rhythm.told_empty = True
    firing.session.add(rhythm)
    entry = firing.services.community_config(community.name)
    accounts = await prompts.facilitator_accounts(
        session=firing.session,
        community_id=community.id,
        configured=platform_accounts(entry.facilitators if entry is not None else ()),
    )
    note = Message(
        f"📭 The prompt queue of {community.name} is empty, so nothing was posted in "
        f'#{rhythm.channel} this time. Add one with `/cop prompt add text:"..."`: the next '
        "post goes out at the next time of the rhythm."
    )
    outgoing = [
        Outgoing(
            Recipient(platform, workspace, user=user),
            note,
            prompt_empty_key(community.id, firing.due, platform, workspace, user),
            kind=PROMPT_EMPTY,
            subject=str(community.id),
        )
        for platform, workspace, user in accounts
    ]
    return Fired(outgoing, len(outgoing))


JOBS = (JobKind(PROMPT_JOB, post_prompt, recurring=prompt_jobs),)
