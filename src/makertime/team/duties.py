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
from makertime.team.model import Assignment, DutyKind, Rotation, Team
from makertime.text import clean


def duty_uid(team: Team, slot_id: str, part: str = "") -> str:
    """The UID of a slot's event: the same on every run, whoever holds the slot."""
    digest = hashlib.sha256(f"{team.name}|{slot_id}|{part}".encode()).hexdigest()[:24]
    return own_uid(f"team-{digest}")


def duty_title(item: Assignment) -> str:
    """A duty's one-line name: ``Shield``, ``On-call (primary)``, ``Crew: audio — <event>``."""
    slot = item.slot
    if slot.kind is DutyKind.SHIELD:
        return f"Shield ({slot.duty})" if slot.duty != "shield" else "Shield"
    if slot.kind is DutyKind.ON_CALL:
        return f"{slot.duty.capitalize()} ({slot.seat})"
    return f"Crew: {slot.seat} — {clean(slot.event, chars=80) or 'event'}"


def duty_blocks(rotation: Rotation, team: Team, member: str) -> list[Block]:
    """What ``member`` holds in ``rotation``, and the shield days that relieve them."""
    duties = {d.id: d for d in team.duties}
    blocks = []
    mine = {item.slot.id for item in rotation.assignments if item.member == member}
    for item in rotation.assignments:
        slot, duty = item.slot, duties[item.slot.duty]
        if item.member == member:
            attention = "partial" if slot.kind is DutyKind.ON_CALL else "full"
            crew = slot.kind is DutyKind.CREW
            blocks.append(Block(
                kind=BlockKind.DUTY, span=slot.span, reason=item.reason, title=duty_title(item),
                key=duty_uid(team, slot.id),
                categories=duty_categories(attention,
                                           rest=duty.rest_before_minutes if crew else 0,
                                           recover=duty.recover_after_minutes if crew else 0)))
        elif slot.kind is DutyKind.SHIELD and slot.id not in mine:
            name = clean(team.member(item.member).name, chars=60)
            blocks.append(Block(
                kind=BlockKind.RELIEF, span=slot.span, title=f"Shield: {name}",
                reason=(f"{name} holds the shield: your chat and questions go to them, so you "
                        f"keep {duty.relieves} sync window(s) that day"),
                key=duty_uid(team, slot.id, f"relief-{member}"),
                categories=(f"{RELIEVES_CATEGORY}{duty.relieves}",)))
    return sorted(blocks, key=lambda b: (b.span.start, b.uid))
