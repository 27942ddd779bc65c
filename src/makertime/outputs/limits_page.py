"""``docs/limits.md``, written from the limits (``makertime.limits``) and the ranges of
policy.toml's numbers (``makertime.defaults``): ``python -m makertime.outputs.limits_page``."""

from __future__ import annotations

from makertime.defaults import SETTINGS, Kind
from makertime.limits import LIMITS, limit
from makertime.policy import RULE_MINUTES
from makertime.text import ID_CHARACTERS

_INTRO = """\
# Limits

Every input makertime reads is bounded, and each bound is checked before the work it guards
starts: the work grows with what you plan, never with a number someone typed or a calendar
someone shared. A calendar anyone can invite you into can carry anything — an event that repeats
every second, a file that never ends, titles full of terminal escape sequences — and makertime
must still answer in seconds, in little memory, with your data intact.

Past a limit makertime says so in one line. A file of your own (`tasks.toml`, `policy.toml`) or
an option you typed is refused with exit status 2, naming the file, the item, what is wrong and
how to fix it. An item of a calendar (an event, a series, a VTODO) is skipped with a warning
naming its UID, and the rest of the calendar is read: one bad event never costs you the others.

How the calendar limits work together — streaming, recurrence, CalDAV — is told in
[calendar-limits.md](calendar-limits.md); what an output may replace in [outputs.md](outputs.md).

This page is generated from `src/makertime/limits.py` and `src/makertime/defaults.py`
(`python -m makertime.outputs.limits_page > docs/limits.md`); a test keeps it in step with the code.

## Inputs
"""

_SETTINGS = """
## policy.toml numbers

Every number in `policy.toml` lies between 0 and its largest value below (NaN and infinity are
refused too). A rule's `rest_before_minutes` and `recover_after_minutes` go up to {rule:,} minutes
(a week), its `drain_per_hour` up to 1,000,000.

"""

_TEXT = """
## Text from outside

Titles, categories, UIDs and file names come from calendars other people can write to. Where
they enter makertime, control characters are removed: the C0 and C1 controls (escape sequences
such as `ESC[2J`, which clears a terminal, or `ESC]0;…`, which retitles its window), DEL, NUL,
and the Unicode marks that reorder how text is shown (U+200E, U+200F, U+202A–U+202E,
U+2066–U+2069); line breaks and tabs become spaces, and text is cut at
{chars:,} characters. The terminal shows text as text: square brackets are never read as
markup. iCalendar files are written only through icalendar's own TEXT escaping, so no title or
id can add a property or end an event.

A task id (`id` in tasks.toml, the UID of a VTODO) is 1 to {id_chars} characters, each one of
{id_set}. A VTODO whose UID is anything else is skipped with a warning; one without a UID
gets the id `todo-` and a hash of its title.

## Exit status

| status | meaning |
| --- | --- |
| 0 | done |
| 1 | makertime failed in a way that is not your input: please report it |
| 2 | bad input: one line names the file or option, what is wrong and the fix |
| 3 | a CalDAV server is out of reach, timed out or failed: try again later |
| 4 | the store is busy (another makertime publishes) or out of reach: try again |
"""


def markdown() -> str:
    """``docs/limits.md``: the limits, the ranges of policy.toml's numbers, the text rules."""
    rows = ["| limit | value | bounds | past it | why |", "| --- | --- | --- | --- | --- |"]
    for item in LIMITS:
        rows.append(f"| `{item.key}` | {item.value:,} {item.unit} | {item.bounds} | "
                    f"{item.past} | {item.why} |")
    ranges = ["| setting | default | largest |", "| --- | --- | --- |"]
    for setting in SETTINGS:
        if setting.in_policy and setting.kind in (Kind.MINUTES, Kind.COUNT, Kind.NUMBER):
            ranges.append(f"| `{setting.key}` | {setting.default} {setting.unit} | "
                          f"{setting.largest:,} |")
        elif setting.in_policy and setting.kind is Kind.DATES:
            ranges.append(f"| `{setting.key}` | none | {setting.largest:,} {setting.unit} |")
    return "\n".join([_INTRO, *rows, _SETTINGS.format(rule=RULE_MINUTES), *ranges,
                      _TEXT.format(chars=limit("calendar.text_chars"),
                                   id_chars=limit("tasks.id_chars"), id_set=ID_CHARACTERS)])


if __name__ == "__main__":
    print(markdown(), end="")
