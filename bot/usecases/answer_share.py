"""Answers shared in a check-in's thread: split over several messages when one cannot hold
them (never cut), and updated in place when the member edits them."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlmodel.ext.asyncio.session import AsyncSession

from bot.outbox_keys import (
    CHECKIN_ANSWER,
    answer_edit_key,
    answer_part_key,
    checkin_subject,
    share_key,
)
from bot.outbox_keys import (
    CHECKIN_ANSWER_EDIT as EDIT,
)
from bot.ui import MAX_FORM_FIELDS, MAX_TEXT, Message, Outgoing, Recipient
from storage import outbox
from storage.models import CheckIn, Occurrence


def summary_parts(who: str, questions: Sequence[str], answers: Sequence[str]) -> list[str]:
    """The texts that share a member's answers: as few messages as hold them whole, each
    question kept with its answer; with more than one, each says which part it is."""
    blocks = [f"*{q}*\n{a}" for q, a in zip(questions, answers, strict=True)]
    # Room for the longest heading ("… answered (5 of 5):") in every part.
    room = MAX_TEXT - len(f"{who} answered (5 of 5):\n")
    groups: list[list[str]] = [[]]
    for block in blocks:
        used = sum(len(b) + 1 for b in groups[-1])
        if groups[-1] and used + len(block) > room:
            groups.append([])
        groups[-1].append(block)
    if len(groups) == 1:
        return [f"{who} answered:\n" + "\n".join(groups[0])]
    count = len(groups)
    return [
        f"{who} answered ({n} of {count}):\n" + "\n".join(group)
        for n, group in enumerate(groups, 1)
    ]


async def shared_answers(
    session: AsyncSession,
    checkin: CheckIn,
    occurrence: Occurrence,
    member_id: int,
    who: str,
    answers: Sequence[str],
    now: datetime,
) -> list[Outgoing]:
    """The messages that share a member's answers in the occurrence's thread, if the check-in
    shares them. A part posted before is edited in place (each edit a row of its own, keyed by
    when it was made); a part not posted yet is posted; a part no longer needed says so."""
    if not (checkin.share_channel and checkin.share_platform and checkin.share_workspace):
        return []
    recipient = Recipient(
        checkin.share_platform,
        checkin.share_workspace,
        channel=checkin.share_channel,
        thread_key=share_key(occurrence.key),
    )
    subject = checkin_subject(checkin.id)
    keys = [answer_part_key(occurrence.key, member_id, n) for n in range(1, MAX_FORM_FIELDS + 1)]
    posted = set(await outbox.existing_keys(session=session, keys=keys))
    texts = summary_parts(who, checkin.questions, answers)
    # A part posted before that the new text no longer needs is emptied, not left stale.
    texts += [f"({who} edited the answers: they fit in the messages above now.)"] * sum(
        1 for key in keys[len(texts) :] if key in posted
    )
    outgoing = []
    for key, text in zip(keys, texts, strict=False):
        message = Message(text)
        if key in posted:
            edit = answer_edit_key(key, now)
            outgoing.append(
                Outgoing(recipient, message, edit, kind=EDIT, subject=subject, edits=key)
            )
        else:
            outgoing.append(Outgoing(recipient, message, key, kind=CHECKIN_ANSWER, subject=subject))
    return outgoing
