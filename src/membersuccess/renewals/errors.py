"""Domain errors of renewals: one message a staff member can act on."""

from __future__ import annotations


class RenewalError(ValueError):
    """Bad input or an impossible request about renewals; the message says what is wrong and what is allowed."""

    def __init__(self, message: str, *, field: str = "") -> None:
        super().__init__(message)
        self.field = field
