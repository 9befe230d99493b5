"""``/cop resource``: the community's library of links, found by title or tag."""

from __future__ import annotations

import re

from bot.commands.spec import Args, Command, Option
from bot.context import CommandContext
from bot.errors import UsageError
from bot.ids import InteractionId, interaction_id
from bot.knowledge_input import BadInput, checked_tags, checked_title, checked_url
from bot.timefmt import local_day
from bot.ui import Button, Effect, Message, Reply, fit_lines
from bot.usecases.participation import record_act
from bot.words import excerpt, plural
from storage import resources
from storage.models import Resource
from storage.resources import SharedResource, tags_of

PAGE = 10  # resources a page of ``resource find`` shows
_ID = Option("id", "integer", "the resource's number, from `/cop resource find`", True, True)


async def record_resource(
    ctx: CommandContext, url: str, title: str, tags: list[str], channel: str | None = None
) -> Resource:
    """Put a checked link in the library, and its act in the ledger."""
    resource = await resources.add_resource(
        session=ctx.session,
        community_id=ctx.community_id,
        member_id=ctx.member_id,
        url=url,
        title=title,
        tags=tags,
        now=ctx.now,
    )
    # The resource's own id: unique, and nothing else.
    await record_act(ctx, "resource", f"resource:{resource.id}", channel)
    return resource


def added(resource: Resource) -> str:
    """What someone is told once their link is in the library."""
    tags = tags_of(resource)
    shown = f" (tags: {', '.join(tags)})" if tags else ""
    return (
        f"📚 Added #{resource.id} to the library: {excerpt(resource.title, 100)}{shown}. "
        f"`/cop resource find` shows it; `/cop resource remove {resource.id}` takes it out."
    )


async def add_resource(ctx: CommandContext, args: Args) -> list[Effect]:
    """Share a link with the community (checked: http(s), at most 2,000 characters)."""
    try:
        url = checked_url(str(args["url"]))
        title = checked_title(str(args["title"]))
        tags = checked_tags(str(args.get("tags") or ""))
    except BadInput as bad:
        raise UsageError(bad.message + " Nothing was stored.") from None
    resource = await record_resource(ctx, url, title, tags)
    return [Reply(Message(added(resource)))]


def _line(ctx: CommandContext, shown: SharedResource) -> str:
    resource = shown.resource
    tags = tags_of(resource)
    when = local_day(resource.shared_at, ctx.community.timezone)
    who = shown.shared_by or "a member"
    tagged = f" [{', '.join(tags)}]" if tags else ""
    return (
        f"• #{resource.id} {excerpt(resource.title, 100)}{tagged}: {resource.url} ({who}, {when})"
    )


async def _page(ctx: CommandContext, query: str, page: int) -> list[Effect]:
    found, total = await resources.find_resources(
        session=ctx.session,
        community_id=ctx.community_id,
        query=query,
        offset=(page - 1) * PAGE,
        limit=PAGE,
    )
    about = f" for {excerpt(query, 60)}" if query else ""
    if not found:
        if total and page > 1:
            last = (total + PAGE - 1) // PAGE
            return [Reply(Message(f"No page {page}{about}: there are {last}. Try `page:1`."))]
        add = '`/cop resource add url:<url> title:"..."` shares one.'
        text = f"Nothing in the library{about} yet. " if not query else f"Nothing found{about}. "
        return [Reply(Message(text + add))]
    first = (page - 1) * PAGE + 1
    lines = [
        f"📚 {plural(total, 'resource')}{about}, newest first ({first}-{first + len(found) - 1}):"
    ]
    lines += [_line(ctx, s) for s in found]
    buttons: tuple[Button, ...] = ()
    if first + len(found) - 1 < total:
        more = f"{page + 1}:{query}"
        if len(more) <= 80:
            buttons = (Button("More", interaction_id("more", "resources", more)),)
        asked = f'"{query}" ' if query else ""  # quoted: a search of several words is one query
        lines.append(f"More: `/cop resource find {asked}page:{page + 1}`" if not buttons else "")
    return [Reply(Message(fit_lines([line for line in lines if line]), buttons=buttons))]


async def find_resources(ctx: CommandContext, args: Args) -> list[Effect]:
    """Resources whose title or tags hold the words asked for, newest first, a page at a time."""
    page = int(args.get("page", 1))  # not ``or 1``: page:0 is refused, not read as page 1
    if page < 1:
        raise UsageError("Pages start at 1: `page:1`.")
    return await _page(ctx, " ".join(str(args.get("query") or "").split()), page)


async def more_resources(ctx: CommandContext, target: InteractionId) -> list[Effect]:
    """The next page of a search (the *More* button)."""
    page, _, query = target.id.partition(":")
    # ASCII digits only ("²" is a digit to isdigit()), few enough for an OFFSET.
    if not re.fullmatch(r"[0-9]{1,6}", page) or int(page) < 1:
        return [Reply(Message("This button is no longer in use. Try `/cop resource find`."))]
    return await _page(ctx, query, int(page))


async def remove_resource(ctx: CommandContext, args: Args) -> list[Effect]:
    """Take a resource out of the library (its author, or a facilitator)."""
    resource = await resources.resource_in(
        session=ctx.session, community_id=ctx.community_id, resource_id=args["id"]
    )
    if resource is None:
        raise UsageError(f"There is no resource #{args['id']}; `/cop resource find` lists them.")
    if resource.member_id != ctx.member_id and not ctx.is_facilitator:
        return [
            Reply(
                Message(
                    f"🔒 Resource #{resource.id} was shared by someone else: only they or a "
                    "facilitator can remove it. Nothing changed."
                )
            )
        ]
    await ctx.session.delete(resource)
    return [Reply(Message(f"✅ Resource #{resource.id} is out of the library."))]


COMMANDS = (
    Command(
        "resource",
        "add",
        "share a link in the community's library",
        add_resource,
        (
            Option("url", help="a web link, http:// or https://", required=True, max_length=3000),
            Option("title", help="what it is, in a few words", required=True, max_length=300),
            Option("tags", help='e.g. "python,testing"', max_length=400),
        ),
    ),
    Command(
        "resource",
        "find",
        "look for resources by title or tag, newest first",
        find_resources,
        (
            Option("query", help="words of a title or a tag", positional=True, max_length=200),
            Option("page", "integer", "which page of results", default=1),
        ),
        writes=False,
    ),
    Command("resource", "remove", "take a resource out of the library", remove_resource, (_ID,)),
)
