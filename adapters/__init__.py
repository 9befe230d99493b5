"""Platform adapters: each translates its platform to the neutral core and back."""
