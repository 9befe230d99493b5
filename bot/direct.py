"""Direct-message channels: opened once per person by an adapter, then kept and reused."""

from __future__ import annotations

from storage import directory
from storage.engine import Store


class DirectChannels:
    """Looks up and remembers the DM channel of a platform account."""

    def __init__(self, store: Store) -> None:
        self._store = store

    async def known(self, platform: str, workspace: str, user: str) -> str | None:
        """The DM channel with this person, if one was opened before."""
        async with self._store.transaction() as session:
            return await directory.dm_channel(
                session=session, platform=platform, workspace=workspace, user_id=user
            )

    async def remember(self, platform: str, workspace: str, user: str, channel: str) -> None:
        """Keep a newly opened DM channel."""
        async with self._store.transaction() as session:
            await directory.remember_dm_channel(
                session=session,
                platform=platform,
                workspace=workspace,
                user_id=user,
                channel=channel,
            )

    async def workspace_for(self, platform: str, user: str, channel: str) -> str | None:
        """The workspace behind a DM with this person (a platform's DMs carry none)."""
        async with self._store.transaction() as session:
            return await directory.workspace_of_dm(
                session=session, platform=platform, user_id=user, channel=channel
            )
