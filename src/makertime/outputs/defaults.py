"""``makertime defaults``: the schema of defaults as a table, generated from ``defaults.py``."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table
from rich.text import Text

from makertime.defaults import NOT_A_REFOCUS_TIME, SETTINGS, toml_value


def render_defaults(console: Console) -> None:
    """Every default with unit, meaning, source and evidence grade."""
    table = Table(title="makertime defaults (grade: A replicated … D convention or folklore)",
                  show_lines=True)
    for header in ("key", "default", "unit", "meaning", "source", "grade"):
        table.add_column(header, overflow="fold", no_wrap=header == "grade")
    for setting in SETTINGS:
        default = setting.default
        if setting.key == "rule":  # one table per rule, as written in policy.toml
            shown = "\n".join(f"[[rule]] {toml_value(rule)}" for rule in default)
        else:
            shown = toml_value(default)
        key = setting.key if setting.in_policy else f"{setting.key} (not a policy key)"
        table.add_row(*(Text(cell) for cell in (key, shown, setting.unit, setting.meaning,
                                                setting.source, setting.grade)))
    console.print(table)
    console.print(Text(f"Note: {NOT_A_REFOCUS_TIME}", style="dim"))
