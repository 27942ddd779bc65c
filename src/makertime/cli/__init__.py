"""The makertime command line (Typer): parse, call one function of ``makertime.app``, render.

One module per group of commands, each registering on the one app of ``cli.app``; this module
imports them and puts the commands in the order ``makertime --help`` lists them. Heavy modules
are imported inside the commands so that ``makertime --help`` stays instant.
"""

from __future__ import annotations

from makertime.cli import interruptions, planning, reading, serve, setup, sources, team, week
from makertime.cli.app import app

__all__ = ["app", "interruptions", "main", "planning", "reading", "serve", "setup", "sources",
           "team", "week"]

ORDER = ("audit", "check", "plan", "init", "defaults", "demo", "publish", "replan", "done",
         "progress", "tasks", "history", "interrupt", "interruptions", "serve")
"""The commands as ``makertime --help`` lists them: reading, planning, starting, the week."""

app.registered_commands.sort(
    key=lambda command: ORDER.index(command.name or getattr(command.callback, "__name__", "")))


def main() -> None:
    """Entry point of the ``makertime`` command."""
    app()
