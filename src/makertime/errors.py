"""The one exception tree of makertime.

::

    MakertimeError                 every error makertime raises on purpose (exit status 1)
     ├── InputError                a user's input cannot be used (exit status 2)
     │    ├── PolicyError          policy.toml: key, value, what is allowed
     │    ├── TasksError           tasks.toml (or a VTODO): task id, field, what is wrong
     │    ├── TeamError            team.toml: member or duty, key, value, what is allowed
     │    ├── SourceError          a calendar that cannot be read at all
     │    │    ├── MissingCollection   no CalDAV collection at a URL
     │    │    └── AnswerTooLarge      a CalDAV server's answer past ``caldav.answer_bytes``
     │    ├── OptionError          an option's value that cannot be used, named by parameter
     │    │    └── PeriodError     a first and last date that make no period
     │    ├── OutputError          a report cannot be written where it was asked to go
     │    ├── StoreError           a database makertime cannot use
     │    │    └── UnknownItem     a request naming something the store does not hold (a task,
     │    │                        an interruption, a block of the current plan)
     │    └── NoPlanError          replan or publish before any plan (or without a target)
     ├── Conflict                  a conditional write refused: the event changed meanwhile
     │                             (handled inside a publish, never shown)
     └── UnavailableError          something makertime needs does not answer now: try again
          ├── ServerError          a calendar server cannot be reached or failed (exit status 3)
          └── StoreBusyError       the store is locked by another makertime, or its server
                                   cannot be reached (exit status 4)

Signals makertime raises and catches itself, never shown as they are (each is turned into one
of the errors above, or into a warning, where it is caught)::

    Exception
     ├── NotRegularFile            a bounded read refused a file that is no regular file
     ├── TooLarge                  a bounded read refused a file past its bound
     ├── OverBudget                a recurring series would pass a bound of its expansion
     ├── SkippedTask               a VTODO that cannot be a task (a warning names its UID)
     └── UnknownRegion             a holidays code no country or subdivision of the library

Each error carries the fields a front end needs to write one line that names the input, what was
expected, what was found and how to fix it; ``str(error)`` is that line, and ``exit_status`` the
status a command ends with. A script can tell a typo (2) from a server that is down (3) or a
store another makertime holds (4), and try again only the latter.

An error about a value a person gave names it by its parameter (``first``, ``minutes``), never
by how a front end asks for it: its text marks each such name with ``param``, ``str(error)``
shows the bare name, and ``render`` lets a front end show its own (the command line's flag,
``--from``, ``--minutes``).
"""

from __future__ import annotations

import re
from collections.abc import Callable

_OPEN, _CLOSE = "\u27e8", "\u27e9"
_PARAM = re.compile(f"{_OPEN}([A-Za-z_][A-Za-z0-9_]*){_CLOSE}")


def param(name: str) -> str:
    """The parameter ``name`` as an error's text names it: shown bare by ``str(error)``, as a
    front end asks for it by ``MakertimeError.render``."""
    return f"{_OPEN}{name}{_CLOSE}"


def named(text: str, name: Callable[[str], str]) -> str:
    """``text`` with every parameter ``param`` marked in it shown as ``name`` gives it."""
    return _PARAM.sub(lambda found: name(found[1]), text)


def _bare(parameter: str) -> str:
    return parameter


class MakertimeError(Exception):
    """Root of every error makertime raises on purpose: where, what is wrong, how to fix it."""

    exit_status = 1

    def __init__(self, where: str, problem: str, fix: str = "") -> None:
        self.where = where
        self.problem = problem
        self.fix = fix
        super().__init__(self.render(_bare))

    @property
    def detail(self) -> str:
        """What is wrong and how to fix it, without naming the input."""
        return named(f"{self.problem} ({self.fix})" if self.fix else self.problem, _bare)

    def render(self, name: Callable[[str], str]) -> str:
        """The one line, each parameter shown as ``name`` gives it (a front end's own name)."""
        detail = f"{self.problem} ({self.fix})" if self.fix else self.problem
        return named(f"{self.where}: {detail}", name)


class InputError(MakertimeError):
    """A user's input cannot be used; front ends exit with status 2."""

    exit_status = 2


class PolicyError(InputError):
    """policy.toml holds a key or value makertime cannot use."""


class TasksError(InputError):
    """tasks.toml (or a VTODO) describes a task makertime cannot use."""


class TeamError(InputError):
    """team.toml is not usable: a key, value or cross-reference makertime cannot take."""


class SourceError(InputError):
    """A calendar source cannot be read at all."""


class MissingCollection(SourceError):
    """There is no collection at the URL (the server answered 404)."""


class AnswerTooLarge(SourceError):
    """A CalDAV server's answer passes ``caldav.answer_bytes``."""


class OptionError(InputError):
    """An option's value cannot be used; ``where`` is the parameter's name (``minutes``), which
    a front end shows as it asks for it."""

    def __init__(self, parameter: str, problem: str, fix: str = "") -> None:
        self.parameter = parameter
        super().__init__(param(parameter), problem, fix)


class PeriodError(OptionError):
    """The first and last date (parameters ``first`` and ``last``) make no period."""


class OutputError(InputError):
    """A report cannot be written to the path a person gave."""


class StoreError(InputError):
    """The database cannot be used, or a request names something the store does not hold."""


class UnknownItem(StoreError):
    """A request names something the store does not hold: a task, an interruption, a block."""


class NoPlanError(InputError):
    """``replan`` or ``publish`` before any plan was made, or with nowhere to publish to."""


class Conflict(MakertimeError):
    """A conditional write was refused: the event changed (or appeared, or went) meanwhile."""

    def __init__(self, target: str, href: str) -> None:
        self.target = target
        self.href = href
        super().__init__(target, f"{href} changed since it was read")


class UnavailableError(MakertimeError):
    """Something makertime needs does not answer now; the same command may work later."""


class ServerError(UnavailableError):
    """A calendar server cannot be reached, timed out or failed (5xx); front ends exit with 3."""

    exit_status = 3


class StoreBusyError(UnavailableError):
    """The store is locked by another makertime, or its database server cannot be reached;
    front ends exit with 4."""

    exit_status = 4


class NotRegularFile(Exception):
    """A bounded read refused a file that is no regular file; ``kind`` says what it is."""

    def __init__(self, kind: str) -> None:
        super().__init__(kind)
        self.kind = kind


class TooLarge(Exception):
    """A bounded read refused a file past its bound; ``size`` is the size the system gave, or
    None when the file grew past the bound while it was read."""

    def __init__(self, size: int | None) -> None:
        super().__init__(size)
        self.size = size


class OverBudget(Exception):
    """A series would pass a bound; ``reason`` says which, for the warning."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class SkippedTask(Exception):
    """A VTODO makertime cannot take as a task: why, and its UID as a warning may show it."""

    def __init__(self, uid: str, why: str) -> None:
        super().__init__(why)
        self.uid = uid


class UnknownRegion(Exception):
    """A holidays code the holidays library does not know: ``problem``, and how to ``fix`` it
    (policy.toml's and team.toml's readers turn it into their own error, naming file and key)."""

    def __init__(self, problem: str, fix: str = "") -> None:
        super().__init__(problem)
        self.problem, self.fix = problem, fix
