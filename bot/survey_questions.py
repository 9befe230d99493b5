"""A survey's questions: scales, choices and free text, parsed from ``/cop survey add``."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Literal

from bot.errors import UsageError

QuestionKind = Literal["scale", "choice", "text"]
MAX_QUESTIONS = 20
MAX_QUESTION = 150  # the whole label a form can show (bot/ui.py MAX_FIELD_DESCRIPTION)
MAX_OPTIONS = 25  # a Discord select's options
MAX_OPTION = 75  # Slack's option text
MAX_SCALE_STEPS = 11  # 0-10
TEXT_ANSWER = 1000
TYPES = 'a type in brackets: "(scale 1-5)", "(choice: a,b,c)" or "(text)"'
_TYPED = re.compile(r"^(?P<text>.*?)\s*\((?P<type>[^()]*)\)\s*$", re.DOTALL)
_SCALE = re.compile(r"^scale\s+(?P<low>\d{1,2})\s*-\s*(?P<high>\d{1,2})$", re.IGNORECASE)
# "choice" or "choices", then a colon or a space before the options (or none at all).
_CHOICE = re.compile(r"^choices?(?:\s*:|\s|$)(?P<options>.*)$", re.IGNORECASE | re.DOTALL)


@dataclass(frozen=True)
class Question:
    """One question: its text, its kind, a scale's bounds or a choice's options."""

    text: str
    kind: QuestionKind
    low: int = 0
    high: int = 0
    options: tuple[str, ...] = ()

    def to_json(self) -> dict[str, Any]:
        """Serialise for the ``survey.questions`` column."""
        return {
            "text": self.text,
            "kind": self.kind,
            "low": self.low,
            "high": self.high,
            "options": list(self.options),
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Question:
        """Rebuild a question stored by :meth:`to_json`."""
        return cls(
            text=str(data["text"]),
            kind=data["kind"],
            low=int(data.get("low", 0)),
            high=int(data.get("high", 0)),
            options=tuple(data.get("options", ())),
        )

    @property
    def choices(self) -> tuple[str, ...]:
        """What may be picked: a scale's numbers, or a choice's options."""
        if self.kind == "scale":
            return tuple(str(n) for n in range(self.low, self.high + 1))
        return self.options

    def described(self) -> str:
        """The question with its kind, as a list of questions shows it."""
        if self.kind == "scale":
            return f"{self.text} (scale {self.low}-{self.high})"
        if self.kind == "choice":
            return f"{self.text} (choice: {', '.join(self.options)})"
        return f"{self.text} (text)"


EVALUATION_TITLE = "Quarterly evaluation"
EVALUATION_QUESTIONS: tuple[Question, ...] = (
    Question("How useful was the community to you this quarter?", "scale", 1, 5),
    Question("What changed in your practice because of it?", "text"),
    Question("What should we change next quarter?", "text"),
)


def parse_question(part: str, number: int) -> Question:
    """One ``Text (type)`` part of the questions option."""
    match = _TYPED.match(part.strip())
    if match is None or not match["text"].strip():
        raise UsageError(f"Question {number} needs its text and {TYPES}.")
    text, kind = match["text"].strip(), " ".join(match["type"].split())
    if len(text) > MAX_QUESTION:
        raise UsageError(f"Question {number} is too long: keep it under {MAX_QUESTION} characters.")
    if kind.lower() == "text":
        return Question(text, "text")
    scale = _SCALE.match(kind)
    if scale is not None:
        low, high = int(scale["low"]), int(scale["high"])
        if not low < high or high - low + 1 > MAX_SCALE_STEPS:
            raise UsageError(
                f"Question {number}: a scale goes up from its lowest to its highest number, "
                "with at most 11 steps, e.g. (scale 1-5) or (scale 0-10)."
            )
        return Question(text, "scale", low, high)
    choice = _CHOICE.match(kind)
    if choice is not None:
        options = tuple(o.strip() for o in choice["options"].split(","))
        options = tuple(o for o in options if o)
        if not 2 <= len(options) <= MAX_OPTIONS or len(set(options)) != len(options):
            raise UsageError(
                f"Question {number}: a choice needs 2 to {MAX_OPTIONS} different options, "
                "e.g. (choice: yes,no,maybe)."
            )
        if any(len(o) > MAX_OPTION for o in options):
            raise UsageError(f"Question {number}: keep each option under {MAX_OPTION} characters.")
        return Question(text, "choice", options=options)
    raise UsageError(f"Question {number} has an unknown type ({kind}): use {TYPES}.")


def parse_questions(text: str) -> list[Question]:
    """Questions separated by ``|``, each with its type: ``How useful? (scale 1-5)|Why? (text)``."""
    parts = [p for p in text.split("|") if p.strip()]
    if not parts:
        raise UsageError('Give at least one question, e.g. questions:"How useful? (scale 1-5)".')
    if len(parts) > MAX_QUESTIONS:
        raise UsageError(
            f"A survey asks at most {MAX_QUESTIONS} questions; this one has {len(parts)}."
        )
    return [parse_question(part, number) for number, part in enumerate(parts, 1)]
