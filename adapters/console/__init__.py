"""The console adapter: a terminal chat for trying copbot without any platform account."""
