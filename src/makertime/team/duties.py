"""A member's duties as blocks makertime publishes to their calendar (or writes to their file):
each duty held, with the attention, rest and recovery it takes in its categories, and a relief
marker on each date another member holds the shield. Their own ``plan`` then reads a shield day
as sync, an on-call turn as partial attention, a crew seat as a full commitment with rest and
recovery, and keeps only the sync windows the shield leaves them (docs/team.md).
"""

from __future__ import annotations

import hashlib

from makertime.marks import RELIEVES_CATEGORY, duty_categories, own_uid
from makertime.plan.result import Block, BlockKind
from makertime.team.model import Duty, DutyKind, Rotation, Slot, Team
from makertime.text import clean


def duty_uid(team: Team, slot_id: str, part: str = "") -> str:
    """The UID of a slot's event: the same on every run, whoever holds the slot."""
    digest = hashlib.sha256(f"{team.name}|{slot_id}|{part}".encode()).hexdigest()[:24]
    return own_uid(f"team-{digest}")


def duty_title(slot: Slot) -> str:
    """What holding ``slot`` is called: "Shield", "On-call (primary)", "Crew: audio — LIVE"."""
    if slot.kind is DutyKind.SHIELD:
        return "Shield"
    if slot.kind is DutyKind.ON_CALL:
        return f"On-call ({clean(slot.seat)})" if slot.seat else "On-call"
    event = f" — {clean(slot.event)}" if slot.event else ""
    return f"Crew: {clean(slot.seat)}{event}" if slot.seat else f"Crew{event}"


def categories_of(slot: Slot, duty: Duty) -> tuple[str, ...]:
    """The categories of a duty's event: the attention, rest and recovery it takes, and for a
    crew seat the duty's own match (so the member's rule for such events applies too)."""
    crew = slot.kind is DutyKind.CREW
    marks = duty_categories("partial" if slot.kind is DutyKind.ON_CALL else "full",
                            rest=duty.rest_before_minutes if crew else 0,
                            recover=duty.recover_after_minutes if crew else 0)
    return (*marks, *(duty.categories if crew else ()))


def relief_categories(duty: Duty) -> tuple[str, ...]:
    """The category of a relief marker: the sync windows the shield leaves the others."""
    return (f"{RELIEVES_CATEGORY}{duty.relieves}",)


def duty_blocks(rotation: Rotation, team: Team, member: str) -> list[Block]:
    """What ``member`` holds in ``rotation``, and the shield days that relieve them."""
    duties = {d.id: d for d in team.duties}
    blocks = []
    mine = {item.slot.id for item in rotation.assignments if item.member == member}
    for item in rotation.assignments:
        slot, duty = item.slot, duties[item.slot.duty]
        if item.member == member:
            blocks.append(Block(
                kind=BlockKind.DUTY, span=slot.span, reason=item.reason, title=duty_title(slot),
                key=duty_uid(team, slot.id), categories=categories_of(slot, duty)))
        elif slot.kind is DutyKind.SHIELD and slot.id not in mine:
            name = clean(team.member(item.member).name, chars=60)
            blocks.append(Block(
                kind=BlockKind.RELIEF, span=slot.span, title=f"Shield: {name}",
                reason=(f"{name} holds the shield: your chat and questions go to them, so you "
                        f"keep {duty.relieves} sync window(s) that day"),
                key=duty_uid(team, slot.id, f"relief-{member}"),
                categories=relief_categories(duty)))
    return sorted(blocks, key=lambda b: (b.span.start, b.uid))
