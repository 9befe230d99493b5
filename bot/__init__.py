"""copbot's platform-neutral core: domain, use cases, commands and the UI model."""

__version__ = "0.1.0"
