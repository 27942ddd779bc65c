"""``makertime check`` in the terminal."""

from __future__ import annotations

from collections.abc import Sequence

from rich.console import Console
from rich.table import Table
from rich.text import Text

from makertime.calendars.check import CheckResult


def render_check(results: Sequence[CheckResult], console: Console) -> None:
    """A row per file, then each file's warnings and errors."""
    table = Table(title="Calendars checked (instances over one year)")
    for header in ("file", "readable", "components", "instances", "tasks", "warnings"):
        table.add_column(header, justify="left" if header in ("file", "components") else "right",
                         overflow="fold", no_wrap=header not in ("file", "components"))
    for result in results:
        parts = ", ".join(f"{n} {name}" for name, n in sorted(result.components.items()))
        table.add_row(Text(result.source), "yes" if result.readable else Text("no", style="red"),
                      parts or "·",
                      str(result.instances), str(result.tasks), str(len(result.warnings)))
    console.print(table)
    for result in results:
        if not result.readable:
            console.print(Text(f"✗ {result.source}: {result.error}", style="red"))
        for warning in result.warnings:
            console.print(Text(f"⚠ {warning}", style="yellow"))
