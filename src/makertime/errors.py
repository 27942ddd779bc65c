"""The one exception tree of makertime.

::

    MakertimeError                 every error makertime raises on purpose
     ├── InputError                a user's input cannot be used (exit status 2)
     │    ├── PolicyError          policy.toml: key, value, what is allowed
     │    ├── TasksError           tasks.toml: task id, field, what is wrong
     │    ├── SourceError          a calendar that cannot be read at all
     │    ├── PeriodError          --from/--to (or another option) that make no sense
     │    └── OutputError          a report cannot be written where it was asked to go

Each error carries the fields a front end needs to write one line that names the input, what was
expected, what was found and how to fix it; ``str(error)`` is that line.
"""

from __future__ import annotations


class MakertimeError(Exception):
    """Root of every error makertime raises on purpose."""


class InputError(MakertimeError):
    """A user's input cannot be used; front ends exit with status 2."""

    def __init__(self, where: str, problem: str, fix: str = "") -> None:
        self.where = where
        self.problem = problem
        self.fix = fix
        super().__init__(f"{where}: {self.detail}")

    @property
    def detail(self) -> str:
        """What is wrong and how to fix it, without naming the input."""
        return f"{self.problem} ({self.fix})" if self.fix else self.problem


class PolicyError(InputError):
    """policy.toml holds a key or value makertime cannot use."""


class TasksError(InputError):
    """tasks.toml (or a VTODO) describes a task makertime cannot use."""


class SourceError(InputError):
    """A calendar source cannot be read at all."""


class PeriodError(InputError):
    """The requested period is empty or malformed."""


class OutputError(InputError):
    """A report cannot be written to the path a person gave."""
