"""How the community's phase reads: in ``/cop about`` and ``/cop phase status``."""

from __future__ import annotations

from bot.timefmt import local_time
from bot.words import plural
from storage.models import Community


def since_text(community: Community) -> str:
    """When the community launched, else when its phase last changed (local time), or ""."""
    since = community.launched_at or community.phase_since
    return local_time(since, community.timezone) if since else ""


def phase_line(community: Community, pilot_members: int) -> str:
    """What ``/cop about`` says of the phase: who scheduled items reach ("" before any)."""
    if community.phase == "pilot":
        since = f" since {since_text(community)}" if community.phase_since else ""
        return (
            f"🧪 In its pilot{since}: scheduled check-ins, events' reminders and pairing reach "
            f"only the {plural(pilot_members, 'pilot member')} (prompts post in their channel)."
        )
    if community.launched_at is not None:
        return f"🚀 Launched on {since_text(community)}: open to everyone."
    return ""  # open to everyone from the start: nothing worth saying
