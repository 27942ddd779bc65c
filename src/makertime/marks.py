"""How makertime marks what is its own in a calendar: the PRODID of what it writes, the name of a
calendar it creates, the properties its events carry and the suffix of their UIDs.

Reading, planning and publishing all tell makertime's events from the person's by these marks
alone; they are defined once, here.
"""

from __future__ import annotations

from makertime import __version__

PRODID = f"-//makertime//makertime {__version__}//EN"
"""The PRODID of every calendar object makertime writes."""

CALENDAR_NAME = "makertime plan"
"""The display name of a calendar (or file) makertime creates for a plan."""

KIND_PROPERTY = "X-MAKERTIME-KIND"
"""What a block is for (deep, shallow, buffer, …); an event without it is not makertime's."""

TASK_PROPERTY = "X-MAKERTIME-TASK"
"""The id of the task a block works on."""

PLANNED_PROPERTY = "X-MAKERTIME-PLANNED"
"""Where makertime put a published block (``<start>/<end>`` in UTC); moved when it differs."""

OWN_UID = "@makertime"
"""The suffix of every UID makertime makes (a copy the person makes of a block gets its own)."""


def own_uid(key: str) -> str:
    """The UID makertime gives the thing named ``key``."""
    return f"{key}{OWN_UID}"
