"""The Discord adapter: discord.py with native /cop application commands, buttons and modals."""
