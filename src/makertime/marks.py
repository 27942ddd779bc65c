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

DUTY_CATEGORY = "MAKERTIME-DUTY"
"""A category of every event makertime writes for a team duty (a shield day, an on-call turn, a
crew seat): the person's own plan reads it as a commitment, not as one of its blocks."""

ATTENTION_CATEGORY = "MAKERTIME-ATTENTION-"
"""Followed by the attention a duty takes (``full``, ``partial``): what the plan reads it as."""

REST_CATEGORY = "MAKERTIME-REST-"
"""Followed by the minutes of rest a duty asks before it (a crew seat at a draining event)."""

RECOVER_CATEGORY = "MAKERTIME-RECOVER-"
"""Followed by the minutes of recovery a duty asks after it."""

RELIEVES_CATEGORY = "MAKERTIME-RELIEVES-"
"""Followed by the sync windows a person keeps on a date another member holds the shield: their
interrupt streams go to the shield, so their plan batches only that many."""


def duty_categories(attention: str, *, rest: int = 0, recover: int = 0) -> tuple[str, ...]:
    """The categories of an event makertime writes for a duty."""
    found = [DUTY_CATEGORY, f"{ATTENTION_CATEGORY}{attention.upper()}"]
    if rest:
        found.append(f"{REST_CATEGORY}{rest}")
    if recover:
        found.append(f"{RECOVER_CATEGORY}{recover}")
    return tuple(found)


def marked_number(categories: tuple[str, ...], prefix: str) -> int | None:
    """The whole number a ``prefix`` category carries (``MAKERTIME-RELIEVES-1`` → 1), or None."""
    for category in categories:
        if category.upper().startswith(prefix):
            tail = category[len(prefix):]
            if tail.isdigit() and len(tail) <= 5:
                return int(tail)
    return None


def marked_attention(categories: tuple[str, ...]) -> str | None:
    """The attention a duty event names (``full``, ``partial``), or None for other events."""
    if not any(c.upper() == DUTY_CATEGORY for c in categories):
        return None
    for category in categories:
        if category.upper().startswith(ATTENTION_CATEGORY):
            return category[len(ATTENTION_CATEGORY):].lower()
    return "full"


def is_duty(categories: tuple[str, ...]) -> bool:
    """Whether an event of makertime's is a team duty or a relief marker (a commitment for the
    person's plan), not one of the plan's own blocks."""
    return any(c.upper() == DUTY_CATEGORY or c.upper().startswith(RELIEVES_CATEGORY)
               for c in categories)
