"""What makes a resource or a story acceptable, checked once for commands and forms alike."""

from __future__ import annotations

from urllib.parse import urlsplit

from bot.safe_text import printable
from storage.models.knowledge import MAX_STORY, MAX_TAGS, MAX_TITLE, MAX_URL

MAX_TAG = 40
MAX_TAG_COUNT = 10


class BadInput(ValueError):
    """One value is not acceptable; the message says why and what to do."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


def checked_url(raw: str) -> str:
    """An http(s) link of at most 2,000 characters, or BadInput."""
    url = raw.strip()
    if url.startswith("<") and url.endswith(">"):
        # Slack's markup for a link, ``<url>`` or ``<url|label>``: the label is no part of it.
        url = url[1:-1].partition("|")[0]
    url = url.strip("<>")
    if len(url) > MAX_URL:
        raise BadInput("url", f"That link is {len(url):,} characters; at most {MAX_URL:,} fit.")
    try:
        parts = urlsplit(url) if url and not any(c.isspace() for c in url) else None
    except ValueError:  # a host's bracket left open, or holding no IP address
        parts = None
    if parts is None or parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        raise BadInput(
            "url",
            "A resource needs a web link starting with http:// or https://, "
            "e.g. `url:https://example.org/guide`.",
        )
    return url


def checked_title(raw: str) -> str:
    """A title on one line, 1 to 200 characters, or BadInput."""
    title = " ".join(printable(raw).split())
    if not title:
        raise BadInput("title", 'A resource needs a title: `title:"..."`.')
    if len(title) > MAX_TITLE:
        raise BadInput("title", f"That title is {len(title)} characters; at most {MAX_TITLE} fit.")
    return title


def checked_tags(raw: str) -> list[str]:
    """Tags separated by commas, in lower case, de-duplicated, or BadInput."""
    tags: list[str] = []
    for part in raw.split(","):
        tag = " ".join(printable(part).split()).lower()
        if tag and tag not in tags:
            tags.append(tag)
    if len(tags) > MAX_TAG_COUNT or any(len(t) > MAX_TAG for t in tags):
        raise BadInput(
            "tags",
            f"At most {MAX_TAG_COUNT} tags of {MAX_TAG} characters each, "
            'separated by commas: `tags:"python,testing"`.',
        )
    if len(",".join(tags)) > MAX_TAGS:
        raise BadInput("tags", f"Those tags are too long together; at most {MAX_TAGS} fit.")
    return tags


def checked_story(raw: str) -> str:
    """A story's text (lines kept), 1 to 3,000 characters, or BadInput."""
    text = printable(raw).strip()
    if not text:
        raise BadInput("text", 'A story needs some text: `/cop story add text:"..."`.')
    if len(text) > MAX_STORY:
        raise BadInput(
            "text", f"That story is {len(text):,} characters; at most {MAX_STORY:,} fit."
        )
    return text
