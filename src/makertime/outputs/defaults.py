"""``makertime defaults``: the schema of defaults, one block per setting, from ``defaults.py``."""

from __future__ import annotations

from rich.console import Console, Group
from rich.padding import Padding
from rich.text import Text

from makertime.defaults import NOT_A_REFOCUS_TIME, SETTINGS, Kind, Setting, toml_value

RANGED = (Kind.MINUTES, Kind.COUNT, Kind.NUMBER)  # numbers: shown with the range allowed
GRADES = ("A replicated · B controlled or careful field study · C single study or expert "
          "estimate · D convention or makertime's own choice")


def setting_block(setting: Setting) -> Group:
    """One setting: key, default and unit, evidence grade; then its meaning and its source."""
    head = Text(setting.key, style="bold")
    if setting.key == "rule":  # one table per rule, as written in policy.toml
        value = Text("\n".join(f"[[rule]] {toml_value(rule)}" for rule in setting.default))
    else:
        head.append(f" = {toml_value(setting.default)}")
        head.append(f" {setting.unit}", style="dim")
        if setting.in_policy and setting.kind in RANGED:
            head.append(f" (0 to {setting.largest:,})", style="dim")
        value = Text()
    if setting.where:
        head.append(f"  (a {setting.where} key)", style="dim")
    elif not setting.in_policy:
        head.append("  (not a policy.toml key)", style="dim")
    head.append(f"  grade {setting.grade}", style="cyan")
    body = Text.assemble(value, "\n" if value else "", setting.meaning,
                         ("\nsource: " + setting.source, "dim"))
    return Group(head, Padding(body, (0, 0, 1, 2)))


def render_defaults(console: Console) -> None:
    """Every default with unit, meaning, source and evidence grade."""
    console.print(Text(f"makertime defaults — evidence grades: {GRADES}\n", style="bold"))
    for setting in SETTINGS:
        console.print(setting_block(setting))
    console.print(Text(f"Note: {NOT_A_REFOCUS_TIME}", style="dim"))
