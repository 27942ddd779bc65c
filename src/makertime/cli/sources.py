"""``source add``, ``source list`` and ``source remove``: calendars remembered by name."""

from __future__ import annotations

from typing import Annotated

import typer

from makertime.cli.app import (
    StoreOpt,
    app,
    err,
    friendly,
    out,
)

source_app = typer.Typer(help="Remember calendars by name (CalDAV collections or .ics files).",
                         no_args_is_help=True)
app.add_typer(source_app, name="source")


@source_app.command("add")
@friendly
def source_add(
    name: Annotated[str, typer.Argument(help="A short name, e.g. work.")],
    url: Annotated[str, typer.Argument(help="A CalDAV collection URL, an .ics file or a folder.")],
    db: StoreOpt = None,
) -> None:
    """Remember a calendar as NAME; `plan` with no CAL reads every remembered source.

    Credentials are never stored: they come from MAKERTIME_CALDAV_USERNAME and
    MAKERTIME_CALDAV_PASSWORD, else from ~/.netrc; the store keeps only which of the two.
    A CalDAV collection is read once now, so a wrong URL or password shows at once.

    Example: `makertime source add work https://dav.example.org/ana/work/`
    """
    from makertime.app import add_source
    from makertime.calendars import is_url

    with err.status(f"reading {url}…"):
        source, items = add_source(name, url, db=db)
    held = f", {items} calendar objects" if is_url(source.url) else ""
    out.print(f"source {source.name}: {source.url} (credentials: {source.credentials}{held})",
              markup=False, highlight=False)


@source_app.command("list")
@friendly
def source_list(db: StoreOpt = None) -> None:
    """The remembered sources."""
    from makertime.app import list_sources

    sources = list_sources(db=db)
    if not sources:
        out.print("no sources yet: makertime source add NAME URL")
    for source in sources:
        out.print(f"{source.name}\t{source.url}\tcredentials: {source.credentials}",
                  markup=False, highlight=False)


@source_app.command("remove")
@friendly
def source_remove(name: str, db: StoreOpt = None) -> None:
    """Forget a remembered source (its calendar is not touched)."""
    from makertime.app import remove_source

    remove_source(name, db=db)
    out.print(f"source {name} forgotten")
