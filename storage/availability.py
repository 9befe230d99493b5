"""Tell a database that cannot take a write right now from a write that is wrong."""

from __future__ import annotations

from sqlalchemy import exc

# SQLSTATE classes that mean "the server or the connection", not "this data": connection
# exceptions (08), insufficient resources (53), operator intervention such as a shutdown (57).
_UNAVAILABLE_SQLSTATES = ("08", "53", "57")


def unavailable(error: BaseException) -> bool:
    """True if the error says the database is unreachable, locked or shutting down (so the same
    write may succeed later), False if it says the data itself was refused."""
    if isinstance(error, exc.IntegrityError | exc.DataError | exc.ProgrammingError):
        return False
    if isinstance(error, exc.DBAPIError):
        if error.connection_invalidated:
            return True
        state = str(getattr(error.orig, "sqlstate", None) or "")
        if state[:2] in _UNAVAILABLE_SQLSTATES:
            return True
        return isinstance(error, exc.OperationalError | exc.InterfaceError)
    # A refused or dropped connection surfaces unwrapped from the driver's connect().
    return isinstance(error, OSError | TimeoutError | exc.TimeoutError | exc.ResourceClosedError)
