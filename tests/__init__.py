"""copbot's test suite."""
