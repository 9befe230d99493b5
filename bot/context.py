"""What a use case is handed: the open session, who acted, where, when, and the services."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

from sqlmodel.ext.asyncio.session import AsyncSession

from bot.clock import Clock
from bot.commands.spec import Role
from bot.config import CommunityConfig, Config
from bot.events import Actor, Place
from bot.schedule import ScheduleCalendar
from storage.models import Community, Member

if TYPE_CHECKING:
    from bot.channels import ChannelAccess
    from bot.commands.parser import CommandCatalog
    from bot.message_text import PlatformMessages
    from bot.report_maker import ReportMaker
    from bot.roster import PlatformRoster
    from bot.voice import VoiceRoster


@dataclass(frozen=True)
class Services:
    """Long-lived collaborators, built once by the composition root."""

    config: Config
    calendar: ScheduleCalendar
    clock: Clock
    catalog: CommandCatalog
    # Makes report files; None where reports cannot be made (they are then refused, politely).
    report_maker: ReportMaker | None = None
    # Says whether copbot can post in a channel a command names; None: never asked (the outbox
    # reports a post that fails).
    channels: ChannelAccess | None = None
    # Says who is in a voice channel when an event held there starts; None: nobody is asked
    # (those in it count once they join, or change anything there).
    voice: VoiceRoster | None = None
    # Lists the people in a workspace's home channels (for the launch's welcomes); None: only
    # the members copbot has met are welcomed.
    roster: PlatformRoster | None = None
    # Reads one message's text once its author agreed to share it (a nomination's form is
    # then filled in); None: the form asks the author for the text instead.
    messages: PlatformMessages | None = None

    def community_config(self, name: str) -> CommunityConfig | None:
        """The config section of a community, if the operator wrote one."""
        return next((c for c in self.config.communities if c.name == name), None)


@dataclass(frozen=True)
class CommandContext:
    """One person's request, inside one database transaction."""

    session: AsyncSession
    services: Services
    actor: Actor
    place: Place
    now: datetime
    community: Community
    member: Member
    roles: frozenset[Role]
    # The people a command names that the platform confirmed (user id to display name).
    people: Mapping[str, str] = field(default_factory=dict)

    @property
    def community_id(self) -> int:
        """The acting community's id."""
        assert self.community.id is not None
        return self.community.id

    @property
    def member_id(self) -> int:
        """The acting member's id."""
        assert self.member.id is not None
        return self.member.id

    @property
    def is_facilitator(self) -> bool:
        """Whether the actor may run facilitator commands."""
        return Role.FACILITATOR in self.roles
