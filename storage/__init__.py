"""Persistence: SQLModel tables, the engine and session factory, queries and migrations."""
