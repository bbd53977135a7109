"""The database connection going away mid-command (a PostgreSQL restart, a terminated session, a network cut):
tell it apart from other database errors, drop the dead connection, and say so in one line."""

from __future__ import annotations

from membersuccess.errors import SetupError

# SQLSTATEs of a session the server ended: admin_shutdown (a restart or pg_terminate_backend),
# crash_shutdown, cannot_connect_now; class 08 is every connection exception.
SESSION_ENDED = frozenset({"57P01", "57P02", "57P03"})


class ConnectionLost(SetupError):
    """The connection to the database ended under a command; the message says what was kept and what to do."""


def is_connection_lost(error: BaseException) -> bool:
    """Whether `error` means the PostgreSQL session is gone (not a bad query, a lock or a constraint)."""
    from django.db import InterfaceError, OperationalError, connection

    if not isinstance(error, (InterfaceError, OperationalError)) or connection.vendor != "postgresql":
        # On SQLite an OperationalError is a locked or broken file, never a lost session.
        return False
    if isinstance(error, InterfaceError):  # "connection already closed"
        return True
    state = str(getattr(error.__cause__ or error, "sqlstate", None) or "")
    if state:
        return state.startswith("08") or state in SESSION_ENDED
    # What the server sends carries a SQLSTATE; an error without one is the driver finding the socket gone
    # ("server closed the connection unexpectedly", "the connection is lost"). Django may already have
    # opened a fresh connection by then, so the error is all there is to go by.
    return True


def drop_connection() -> None:
    """Forget the dead connection, so the next query opens a fresh one (or fails clearly if the server is down)."""
    from django.db import DatabaseError, connection

    try:
        connection.close()
    except DatabaseError:
        connection.connection = None


def lost_message(error: BaseException, *, during: str, then: str) -> str:
    """One line: what was running, the server's own words, and what to do now."""
    reason = (str(error).strip().splitlines() or [type(error).__name__])[0]
    return f"the connection to the database was lost during {during} ({reason}); {then}"
