"""Interaction ids (``verb:entity:id``) that keep buttons and forms working after a restart."""

from __future__ import annotations

from dataclasses import dataclass

from bot.ui import MAX_INTERACTION_ID


@dataclass(frozen=True)
class InteractionId:
    """A decoded interaction id: what to do (verb), to what kind of thing (entity), which one."""

    verb: str
    entity: str
    id: str

    def encode(self) -> str:
        """Return the wire form, ``verb:entity:id``."""
        text = f"{self.verb}:{self.entity}:{self.id}"
        if len(text) > MAX_INTERACTION_ID or any(":" in p for p in (self.verb, self.entity)):
            raise ValueError(f"bad interaction id {text!r}")
        return text


def interaction_id(verb: str, entity: str, ident: int | str) -> str:
    """Encode an interaction id for a button or a form."""
    return InteractionId(verb, entity, str(ident)).encode()


def parse_interaction_id(text: str) -> InteractionId | None:
    """Decode ``verb:entity:id``; return None for anything of another shape."""
    parts = text.split(":", 2)
    if len(parts) != 3 or not all(parts) or len(text) > MAX_INTERACTION_ID:
        return None
    return InteractionId(*parts)
