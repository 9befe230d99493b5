"""Local stand-ins of the chat platforms, served over loopback for the tests."""
