"""Use cases: take parsed input, read and write through the store, return what should be said."""
