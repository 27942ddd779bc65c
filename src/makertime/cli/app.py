"""What every command shares: the Typer app, the consoles, the one error decorator (which shows
each parameter an error names as its flag) and the options several commands take.

Errors a person can fix become one line on stderr and their exit status, in ``friendly`` and
nowhere else.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer

from makertime.cli.help import no_python_types_in_help
from makertime.errors import MakertimeError
from makertime.outputs.console import SafeConsole
from makertime.text import clean

no_python_types_in_help()
app = typer.Typer(
    name="makertime",
    help="Protect deep, asynchronous work from synchronous work.\n\n"
    "Read the calendars you already have (.ics files, folders of them, CalDAV collections) and see "
    "how your time really falls: focus blocks vs. fragments, context switches, sync load after "
    "hours; plan your async tasks into protected blocks around your commitments; publish the plan "
    "to your calendar and repair it as the week changes (`interrupt`, `progress`, `replan`). "
    "Start with `makertime demo`.",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode="markdown",
    pretty_exceptions_show_locals=False,
)
out = SafeConsole()  # text from calendars is shown as text: no markup, no control characters
err = SafeConsole(stderr=True)

F = TypeVar("F", bound=Callable[..., Any])

Cals = Annotated[list[str], typer.Argument(
    help="An .ics file, a folder of .ics files, a CalDAV collection URL (credentials from "
    "MAKERTIME_CALDAV_USERNAME/PASSWORD or ~/.netrc) or a remembered source's name.",
    metavar="CAL", show_default=False)]
PolicyOpt = Annotated[Path | None, typer.Option("--policy", "-p", metavar="P",
                                                help="policy.toml (default: defaults, local zone)")]
FromOpt = Annotated[str | None, typer.Option("--from", metavar="D",
                                             help="First date, YYYY-MM-DD (default: this Monday).")]
ToOpt = Annotated[str | None, typer.Option("--to", metavar="D",
                                           help="Last date, inclusive (default: this Sunday).")]
DbOpt = Annotated[str | None, typer.Option(
    "--db", metavar="URL", help="The store remembered sources are kept in (default: "
    "$MAKERTIME_DB, else ~/.local/share/makertime/makertime.db); opened only for a CAL that "
    "names one.")]
REPLACES = ("An existing file is replaced only when makertime wrote it (see --force); never an "
            "input of this command, the store, the cache, a symbolic link or a device.")


FLAGS = {"first": "--from", "last": "--to", "now": "--now", "at": "--at",
         "minutes": "--minutes", "edit": "--edit", "remove": "--remove", "text": "TEXT",
         "fraction": "FRACTION", "by": "--by", "time_limit": "--time-limit",
         "workers": "--workers", "gap": "--gap", "dry_run": "--dry-run", "publish": "--publish",
         "target": "--to", "tasks": "--tasks", "policy": "--policy", "out": "--out",
         "html": "--html", "force": "--force", "db": "--db", "day": "DATE", "team": "--team",
         "away_from": "FROM", "away_to": "TO", "port": "--port", "host": "--host",
         "cert": "--cert", "processes": "--processes", "key": "--key",
         "token": "MAKERTIME_TOKEN", "start": "START", "uid": "UID", "one": "MEMBER_A",
         "other": "MEMBER_B"}
"""Each parameter an error may name (``makertime.errors.param``) as a person types it here."""


def flag(parameter: str) -> str:
    """How the command line asks for ``parameter``: its flag (or argument's metavar)."""
    return FLAGS.get(parameter, parameter)


def friendly(command: F) -> F:
    """Turn makertime's errors into one clear line and their exit status (2: bad input, 3: a
    calendar server is down, 4: the store is busy; see ``makertime.errors``), each parameter
    they name shown as its flag."""

    @wraps(command)
    def run(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except MakertimeError as error:
            # one line, whatever a file name or a calendar's text held
            err.print(f"makertime: {clean(error.render(flag), chars=2000)}", style="red",
                      highlight=False, soft_wrap=True)
            raise typer.Exit(error.exit_status) from None

    return run  # type: ignore[return-value]


StoreOpt = Annotated[str | None, typer.Option(
    "--db", metavar="URL", help="The store: sqlite:///PATH or postgresql://USER@HOST/DB "
    "(default: $MAKERTIME_DB, else ~/.local/share/makertime/makertime.db).")]
NowOpt = Annotated[str | None, typer.Option(
    "--now", metavar="YYYY-MM-DDTHH:MM", help="Act as of this moment (default: the clock).")]
