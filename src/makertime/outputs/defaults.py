"""``makertime defaults``: the schema of defaults as a table, generated from ``defaults.py``."""

from __future__ import annotations

import json

from rich.console import Console
from rich.table import Table

from makertime.defaults import NOT_A_REFOCUS_TIME, SETTINGS


def _shown(value: object) -> str:
    return value if isinstance(value, str) else json.dumps(value)


def render_defaults(console: Console) -> None:
    """Every default with unit, meaning, source and evidence grade."""
    table = Table(title="makertime defaults (grade: A replicated … D convention or folklore)",
                  show_lines=True)
    for header in ("key", "default", "unit", "meaning", "source", "grade"):
        table.add_column(header, overflow="fold")
    for setting in SETTINGS:
        table.add_row(setting.key, _shown(setting.default), setting.unit, setting.meaning,
                      setting.source, setting.grade)
    console.print(table)
    console.print(f"Note: {NOT_A_REFOCUS_TIME}", style="dim")
