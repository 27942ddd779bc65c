"""What every command shares: the Typer app, the consoles, the one error decorator, the options
several commands take and the parsing of the values they give.

Errors a person can fix become one line on stderr and their exit status, in ``friendly`` and
nowhere else.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, tzinfo
from functools import wraps
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

import typer

from makertime.cli.help import no_python_types_in_help
from makertime.errors import MakertimeError, PeriodError
from makertime.outputs.console import SafeConsole
from makertime.text import clean

if TYPE_CHECKING:
    from makertime.plan.solve import PlanOptions
    from makertime.store import Store

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


def friendly(command: F) -> F:
    """Turn makertime's errors into one clear line and their exit status (2: bad input, 3: a
    calendar server is down, 4: the store is busy; see ``makertime.errors``)."""

    @wraps(command)
    def run(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except MakertimeError as error:
            # one line, whatever a file name or a calendar's text held
            err.print(f"makertime: {clean(str(error), chars=2000)}", style="red",
                      highlight=False, soft_wrap=True)
            raise typer.Exit(error.exit_status) from None

    return run  # type: ignore[return-value]


StoreOpt = Annotated[str | None, typer.Option(
    "--db", metavar="URL", help="The store: sqlite:///PATH or postgresql://USER@HOST/DB "
    "(default: $MAKERTIME_DB, else ~/.local/share/makertime/makertime.db).")]
NowOpt = Annotated[str | None, typer.Option(
    "--now", metavar="YYYY-MM-DDTHH:MM", help="Act as of this moment (default: the clock).")]


@contextmanager
def opened(db: str | None) -> Iterator[Store]:
    """The store named by ``--db`` (or the default), closed afterwards."""
    from makertime.store import open_store

    store = open_store(db)
    try:
        yield store
    finally:
        store.close()


def zone_of(store: Store) -> tzinfo:
    """The zone of the current plan's policy, else the machine's."""
    from makertime.app.week import plan_zone

    return plan_zone(store) or datetime.now().astimezone().tzinfo or UTC


def clock_and_now(now: str | None, zone: tzinfo) -> tuple[datetime, datetime]:
    """The clock, and the moment to act as of (``--now`` or the clock)."""
    clock = datetime.now(zone)
    return clock, moment(now, zone) if now else clock


def moment(text: str, zone: Any) -> datetime:
    """``--now`` as an aware moment (naive means wall time in ``zone``), in a calendar year."""
    from makertime.model import option_moment

    return option_moment(text, zone, "--now")


def solver_options(time_limit: float, workers: int | None, gap: float = 0.005) -> PlanOptions:
    """``--time-limit``, ``--workers`` and ``--gap`` as PlanOptions, each within its limit."""
    from makertime.limits import limit
    from makertime.plan.solve import PlanOptions

    longest, most = limit("plan.time_limit_seconds"), limit("plan.workers")
    if not 0 < time_limit <= longest:  # also refuses nan; inf is past the limit
        raise PeriodError("--time-limit", f"{time_limit:g} is not a number of seconds from "
                          f"more than 0 to {longest:,}", "e.g. --time-limit 10")
    if not 0 <= gap < 1:
        raise PeriodError("--gap", f"{gap:g} is not a fraction in [0, 1)",
                          "e.g. 0.005 for half a percent")
    if workers is not None and not 1 <= workers <= most:
        raise PeriodError("--workers", f"{workers} is not a number of threads from 1 to {most}",
                          "leave it out to use every core")
    return PlanOptions(time_limit=time_limit, gap=gap, workers=workers)
