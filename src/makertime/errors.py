"""The one exception tree of makertime.

::

    MakertimeError                 every error makertime raises on purpose (exit status 1)
     ├── InputError                a user's input cannot be used (exit status 2)
     │    ├── PolicyError          policy.toml: key, value, what is allowed
     │    ├── TasksError           tasks.toml (or a VTODO): task id, field, what is wrong
     │    ├── SourceError          a calendar that cannot be read at all
     │    │    └── MissingCollection   no CalDAV collection at a URL (sources.caldav)
     │    ├── PeriodError          --from/--to (or another option) that make no sense
     │    ├── OutputError          a report cannot be written where it was asked to go
     │    ├── StoreError           a database makertime cannot use (store.errors)
     │    └── NoPlanError          replan or publish before any plan (keep.week)
     ├── Conflict                  a conditional write refused: the event changed meanwhile
     │                             (outputs.targets; handled inside a publish, never shown)
     └── UnavailableError          something makertime needs does not answer now: try again
          ├── ServerError          a calendar server cannot be reached or failed (exit status 3)
          └── StoreBusyError       the store is locked by another makertime, or its server
                                   cannot be reached (exit status 4)

Each error carries the fields a front end needs to write one line that names the input, what was
expected, what was found and how to fix it; ``str(error)`` is that line, and ``exit_status`` the
status a command ends with. A script can tell a typo (2) from a server that is down (3) or a
store another makertime holds (4), and try again only the latter.
"""

from __future__ import annotations


class MakertimeError(Exception):
    """Root of every error makertime raises on purpose: where, what is wrong, how to fix it."""

    exit_status = 1

    def __init__(self, where: str, problem: str, fix: str = "") -> None:
        self.where = where
        self.problem = problem
        self.fix = fix
        super().__init__(f"{where}: {self.detail}")

    @property
    def detail(self) -> str:
        """What is wrong and how to fix it, without naming the input."""
        return f"{self.problem} ({self.fix})" if self.fix else self.problem


class InputError(MakertimeError):
    """A user's input cannot be used; front ends exit with status 2."""

    exit_status = 2


class PolicyError(InputError):
    """policy.toml holds a key or value makertime cannot use."""


class TasksError(InputError):
    """tasks.toml (or a VTODO) describes a task makertime cannot use."""


class SourceError(InputError):
    """A calendar source cannot be read at all."""


class PeriodError(InputError):
    """The requested period (or another option) is empty or malformed."""


class OutputError(InputError):
    """A report cannot be written to the path a person gave."""


class UnavailableError(MakertimeError):
    """Something makertime needs does not answer now; the same command may work later."""


class ServerError(UnavailableError):
    """A calendar server cannot be reached, timed out or failed (5xx); front ends exit with 3."""

    exit_status = 3


class StoreBusyError(UnavailableError):
    """The store is locked by another makertime, or its database server cannot be reached;
    front ends exit with 4."""

    exit_status = 4
