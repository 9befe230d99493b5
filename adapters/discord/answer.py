"""Show the core's answer to one interaction: a reply, a form (a modal), or form problems."""

from __future__ import annotations

import discord

from adapters.discord import render
from bot.core import Response
from bot.ui import Button, FormErrors, Message, Reply, ShowForm

NEXT_PAGE = "✅ Saved this page. Press Next for the rest of the form."


async def answer_interaction(interaction: discord.Interaction, responses: list[Response]) -> None:
    """Show the core's responses; the first one is the interaction's response, the rest follow."""
    for response in responses:
        done = interaction.response.is_done()
        if isinstance(response, ShowForm):
            if interaction.type == discord.InteractionType.modal_submit:
                # A modal cannot open another: a button opens the form's next page (a follow-up
                # when we were slow, for there is nothing else to press).
                nxt = Message(
                    NEXT_PAGE, buttons=(Button("Next", response.form.form_id, "primary"),)
                )
                send = interaction.followup.send if done else interaction.response.send_message
                await send(**render.message_kwargs(nxt), ephemeral=True)
            elif not done:
                await interaction.response.send_modal(render.modal(response.form))
            else:  # a form cannot follow a deferred answer (we were slow): ask to try again
                await interaction.followup.send(
                    "⏳ That took me too long to open the form. Please press it again.",
                    ephemeral=True,
                )
            continue
        if isinstance(response, Reply):
            kwargs = render.message_kwargs(response.message)
            ephemeral = response.ephemeral
        elif isinstance(response, FormErrors):
            kwargs, ephemeral = render.message_kwargs(render.form_problems(response)), True
        else:
            continue
        if done:
            await interaction.followup.send(**kwargs, ephemeral=ephemeral)
        else:
            await interaction.response.send_message(**kwargs, ephemeral=ephemeral)
    if not interaction.response.is_done():
        await interaction.response.defer()  # a click with nothing to say is still acknowledged
