"""Errors that end a command with one line a person can act on."""


class SetupError(Exception):
    """The product cannot start: configuration, data directory or database."""
