"""Plan, replan and publish a week through the store: the library behind ``makertime plan``
(with the store), ``replan`` and ``publish``.

Each run reads the sources (CalDAV incrementally), merges the tasks with what the person
logged, plans or repairs, saves the plan with its inputs and the week's audit totals, and —
when asked — publishes only makertime's own blocks to the plan's target.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Collection, Sequence
from dataclasses import asdict, dataclass
from datetime import UTC, date, datetime, timedelta, tzinfo
from pathlib import Path
from typing import TYPE_CHECKING, Any

from makertime.app.held import held_by_earlier
from makertime.app.kept_tasks import interruption_span, remaining, sync_tasks
from makertime.app.past_weeks import COSTS, interruption_costs
from makertime.audit import period_span, total, weeks_of
from makertime.calendars import target_name
from makertime.errors import NoPlanError, param
from makertime.inputs import Inputs, checked_url, read_inputs
from makertime.marks import own_uid
from makertime.model import Attention, Commitment, Interval, Period, Progress, Task
from makertime.plan.ledger import with_held
from makertime.plan.problem import SYNC, EarlierPlan
from makertime.plan.replan import (
    Edits,
    Repair,
    effective,
    held_minutes,
    replan,
    unique_uids,
)
from makertime.plan.result import Block, PlanResult, in_time_order
from makertime.plan.solve import PlanOptions, plan_commitments
from makertime.policy import Policy, load_policy
from makertime.store import ADDED, Interruption, PlanInputs, Store, StoredPlan, TaskState

if TYPE_CHECKING:
    from makertime.publish.sync import PublishReport

NOT_THEN = "makertime_not_then"  # key in a stored plan's JSON: [task or SYNC, start, end]
PINNED = "makertime_pinned"  # key in a stored plan's JSON: UIDs of blocks where the person put them
CALENDAR = "makertime_calendar"  # key in a stored plan's JSON: commitments and days, to draw
MOVED_HERE = "makertime_moved_here"  # key: UIDs the person moved through makertime itself


@dataclass(frozen=True, slots=True)
class Planned:
    """A plan made and saved; the publish report when it was published."""

    plan: PlanResult
    stored: StoredPlan
    published: PublishReport | None = None


@dataclass(frozen=True, slots=True)
class Replanned:
    """A repaired plan as of ``now``, what changed, the plan as saved (None for a dry run) and
    the publish report when it was published."""

    repair: Repair
    now: datetime
    stored: StoredPlan | None
    edits: Edits
    published: PublishReport | None = None


def as_commitment(item: Interruption) -> Commitment:
    """A logged interruption as the commitment it was: it held the person's full attention."""
    return Commitment(summary=item.text, span=interruption_span(item), attention=Attention.FULL,
                      uid=own_uid(f"interruption-{item.id}"), source="interruption")


def current_plan(store: Store) -> StoredPlan:
    """The plan ``replan`` and ``publish`` work on."""
    stored = store.current_plan()
    if stored is None:
        raise NoPlanError("store", "there is no plan yet",
                          f"run `makertime plan CAL... {param('tasks')} T` first")
    return stored


def make_plan(store: Store, inputs: PlanInputs, *, now: datetime | None, clock: datetime,
              options: PlanOptions, publish: bool = False, cache: bool = True,
              progress: Progress | None = None) -> Planned:
    """Plan ``inputs`` afresh, save the plan (it becomes the current one), publish if asked.

    The earlier plan's blocks that are over, lie outside this period or were moved by the
    person stay (and count for their tasks); stretches the person ruled out stay ruled out.
    """
    policy = _policy(inputs)
    if publish:
        _reachable(store, inputs, policy.timezone, progress)
    previous = store.current_plan()
    reading = _read(store, inputs, policy, cache=cache, progress=progress)
    at = now or clock
    sync_tasks(store, reading.tasks, at, tasks_file=_tasks_file(inputs))
    found = _with_interruptions(store, reading.commitments, inputs)
    edits = _edits_before_planning(store, previous, inputs, policy, progress)
    blocks = effective(previous.blocks, edits) if previous is not None else []
    listed = _listed(store, reading)
    tasks = remaining(listed, previous.blocks if previous else (), edits, at, _lost(found))
    pinned = frozenset(edits.moved)
    carried = _carried(blocks, inputs, policy, now, pinned)
    ruled_out = tuple(dict.fromkeys([*_ruled_out(previous), *_not_then(previous, edits, at)]))
    span = period_span(_period(inputs), policy)
    keep = EarlierPlan(fixed=tuple(Interval(max(b.span.start, at), b.span.end) for b in carried
                                   if b.kind.is_work and b.span.end > at and b.span.clip(span)),
                       forbidden=_by_key(ruled_out))
    result = plan_commitments(found, less(tasks, carried, at), policy, _period(inputs), now=now,
                              options=options, read_warnings=reading.warnings,
                              progress=progress, earlier=keep)
    result = dataclasses.replace(result, blocks=tuple(
        unique_uids(result.blocks, {b.uid for b in carried})))
    if inputs.target and edits.deleted:
        store.decline(target_name(inputs.target), edits.deleted)
    result = with_held(result, held_by_earlier(listed, tasks, blocks, carried, at))
    stored = _save(store, inputs, result, policy, clock=clock, now=at, carried=carried,
                   ruled_out=ruled_out, pinned={b.uid for b in carried} & pinned,
                   here=({b.uid for b in carried} & pinned & moved_here(previous)
                         if previous is not None else ()))
    report = _publish(store, stored, policy, clock, progress=progress) if publish else None
    return Planned(result, stored, report)


def _edits_before_planning(store: Store, previous: StoredPlan | None, inputs: PlanInputs,
                           policy: Policy, progress: Progress | None) -> Edits:
    """What the person did to the earlier plan's blocks on the target a fresh plan publishes
    to (the one the earlier plan went to): a fresh plan keeps their moves and deletions as a
    repair does. Only the deletions remembered, for another target or none."""
    from makertime.publish.edits import read_edits

    declined = (frozenset(store.declined(target_name(inputs.target))) if inputs.target
                else frozenset())
    if (previous is None or not inputs.target or not previous.inputs.target
            or target_name(previous.inputs.target) != target_name(inputs.target)):
        return Edits(deleted=declined)
    return _with_pinned(read_edits(store, inputs.target, previous.blocks, policy.timezone,
                                   pinned=pinned_of(previous) - moved_here(previous),
                                   progress=progress), previous)


def pinned_of(stored: StoredPlan) -> frozenset[str]:
    """UIDs of the stored plan's blocks that stand where the person put them (a plan saved
    before this was recorded: every block that kept its UID)."""
    if PINNED in stored.result:
        return frozenset(str(uid) for uid in stored.result[PINNED])
    return frozenset(b.uid for b in stored.blocks if b.key and b.kind.is_work)


def _with_pinned(edits: Edits, stored: StoredPlan) -> Edits:
    """``edits`` with the blocks the person had put where they are still counted as their
    moves (unless they deleted them since)."""
    pinned = pinned_of(stored)
    moved = {b.uid: b.span for b in stored.blocks
             if b.uid in pinned and b.uid not in edits.deleted}
    return dataclasses.replace(edits, moved={**moved, **edits.moved})


def _not_then(stored: StoredPlan | None, edits: Edits,
              now: datetime) -> list[tuple[str, Interval]]:
    """The stretches of the earlier plan's future work blocks the person deleted."""
    if stored is None:
        return []
    return [(b.task or SYNC, b.span) for b in stored.blocks
            if b.uid in edits.deleted and b.kind.is_work and b.span.end > now]


def replan_week(store: Store, *, now: datetime, clock: datetime, options: PlanOptions,
                publish: bool = False, stable: bool = True, dry_run: bool = False,
                asked: Edits | None = None, progress: Progress | None = None) -> Replanned:
    """Repair the current plan from ``now`` on, with the person's edits read from its target
    and those ``asked`` of makertime itself (a block moved or deleted in its week view, taken
    exactly as the same edit in their calendar); ``dry_run`` saves and publishes nothing (a
    what-if)."""
    from makertime.publish.edits import read_edits

    previous = current_plan(store)
    inputs = previous.inputs
    policy = _policy(inputs)
    reading = _read(store, inputs, policy, progress=progress)
    sync_tasks(store, reading.tasks, now, tasks_file=_tasks_file(inputs))
    here = moved_here(previous)
    # a block moved here stands on the target where makertime last put it until the next
    # publish: there it is no move of the person's, so it is not read as one
    edits = (read_edits(store, inputs.target, previous.blocks, policy.timezone,
                        pinned=pinned_of(previous) - here, dry_run=dry_run, progress=progress)
             if inputs.target else Edits())
    if asked is not None:
        edits = Edits(moved={**edits.moved, **asked.moved},
                      deleted=edits.deleted | asked.deleted)
        here = (here | frozenset(asked.moved)) - asked.deleted
    edits = dataclasses.replace(_with_pinned(edits, previous), ruled_out=_ruled_out(previous))
    found = _with_interruptions(store, reading.commitments, inputs)
    listed = _listed(store, reading)
    tasks = remaining(listed, previous.blocks, edits, now, _lost(found))
    repair = replan(previous.blocks, found, tasks, policy, _period(inputs), now=now,
                    edits=edits, options=options, stable=stable,
                    read_warnings=reading.warnings, progress=progress)
    worked = held_by_earlier(listed, tasks, previous.blocks, (), now)
    repair = dataclasses.replace(repair, plan=with_held(repair.plan, worked))
    if dry_run:
        return Replanned(repair, now, None, edits)
    if inputs.target and edits.deleted:
        store.decline(target_name(inputs.target), edits.deleted)
    stored = _save(store, inputs, repair.plan, policy, clock=clock, now=now,
                   ruled_out=repair.ruled_out, pinned=repair.pinned,
                   here=here & frozenset(repair.pinned))
    report = _publish(store, stored, policy, clock, progress=progress) if publish else None
    return Replanned(repair, now, stored, edits, report)


def moved_here(stored: StoredPlan) -> frozenset[str]:
    """UIDs of the stored plan's blocks the person moved through makertime (its week view)."""
    return frozenset(str(uid) for uid in stored.result.get(MOVED_HERE, []))


def _read(store: Store, inputs: PlanInputs, policy: Policy, *, cache: bool = True,
          progress: Progress | None = None) -> Inputs:
    """What the plan of ``inputs`` is made from, read now (CalDAV incrementally)."""
    from makertime.calendars.cache import InstanceCache

    return read_inputs(inputs.cals, policy, _period(inputs),
                       tasks=Path(inputs.tasks_path) if inputs.tasks_path else None,
                       planning=True, store=store, cache=InstanceCache() if cache else None,
                       progress=progress)


def _listed(store: Store, reading: Inputs) -> list[TaskState]:
    """The stored state of the tasks the sources list now (one taken out of tasks.toml, or a
    VTODO completed elsewhere, is no longer planned) and of those added through makertime."""
    listed = {task.id for task in reading.tasks}
    return [state for state in store.tasks() if state.task.id in listed or state.origin == ADDED]


def _tasks_file(inputs: PlanInputs) -> str | None:
    """The source the tasks read from the plan's tasks.toml carry."""
    return str(Path(inputs.tasks_path)) if inputs.tasks_path else None


def _lost(found: Sequence[Commitment]) -> list[Interval]:
    return [c.span for c in found if c.source == "interruption"]


def less(tasks: Sequence[Task], blocks: Sequence[Block], now: datetime) -> list[Task]:
    """``tasks`` less what ``blocks`` hold for them from ``now`` on (blocks kept elsewhere)."""
    held = held_minutes(blocks, now)
    return [dataclasses.replace(t, estimate_minutes=max(0, t.estimate_minutes - held.get(t.id, 0)))
            for t in tasks]


def _ruled_out(stored: StoredPlan | None) -> tuple[tuple[str, Interval], ...]:
    """The stretches the person ruled out (by deleting blocks), as the last plan kept them."""
    if stored is None:
        return ()
    return tuple((str(key), Interval(datetime.fromisoformat(start), datetime.fromisoformat(end)))
                 for key, start, end in stored.result.get(NOT_THEN, []))


def _by_key(ruled_out: Sequence[tuple[str, Interval]]) -> dict[str, tuple[Interval, ...]]:
    grouped: dict[str, list[Interval]] = {}
    for key, span in ruled_out:
        grouped.setdefault(key, []).append(span)
    return {key: tuple(spans) for key, spans in grouped.items()}


def publish_current(store: Store, *, clock: datetime, dry_run: bool = False,
                    target: str | None = None, progress: Progress | None = None
                    ) -> PublishReport:
    """Publish the current plan to its target (or to ``target``)."""
    stored = current_plan(store)
    return _publish(store, stored, _policy(stored.inputs), clock, dry_run=dry_run,
                    target=target, progress=progress)


def _publish(store: Store, stored: StoredPlan, policy: Policy, clock: datetime, *,
             dry_run: bool = False, target: str | None = None,
             progress: Progress | None = None) -> PublishReport:
    from makertime.publish.journalled import publish_blocks

    name = target or stored.inputs.target
    if not name:
        raise NoPlanError("publish", "the current plan has no target",
                          f"give one: makertime plan … {param('publish')} URL-or-FILE.ics")
    _check_target(store, stored.inputs, name, param("target") if target else "the plan's target")
    return publish_blocks(store, name, stored.blocks, policy.timezone, clock=clock,
                          dry_run=dry_run, progress=progress)


def _reachable(store: Store, inputs: PlanInputs, zone: tzinfo,
               progress: Progress | None) -> None:
    """Check and read the publish target before solving, so a wrong URL, password or file
    fails first."""
    from makertime.calendars import is_url, open_target
    from makertime.publish.retry import Retry

    target = inputs.target
    if not target:
        raise NoPlanError(param("publish"), "no target given", "give a CalDAV URL or a .ics file")
    if is_url(target):
        checked_url(target)
    _check_target(store, inputs, target, param("publish"))
    if progress is not None:
        progress(f"reading {target}…")
    Retry().call(open_target(target, zone).list)  # a passing failure is tried again


def _check_target(store: Store, inputs: PlanInputs, target: str, option: str) -> None:
    """Refuse a calendar file to publish to that the plan reads (a CAL file or a file in a CAL
    folder, tasks.toml, policy.toml), the store, the cache, a link or a device, or a file that
    holds anything makertime did not write (``outputs.safety``)."""
    from makertime.calendars import is_url
    from makertime.outputs.own import Kind
    from makertime.outputs.safety import Output, check_command

    if is_url(target):
        return
    check_command([Output(option, Path(target).expanduser(), Kind.PUBLISHED)],
                  cals=inputs.cals, tasks=inputs.tasks_path, policy=inputs.policy_path,
                  store=store.url)


def _policy(inputs: PlanInputs) -> Policy:
    return load_policy(Path(inputs.policy_path) if inputs.policy_path else None)


def _period(inputs: PlanInputs) -> Period:
    return Period(inputs.first, inputs.last)


def _with_interruptions(store: Store, found: Sequence[Commitment],
                        inputs: PlanInputs) -> list[Commitment]:
    """The commitments read, and the interruptions logged over the plan's period."""
    start = datetime.combine(inputs.first - timedelta(days=1), datetime.min.time(), tzinfo=UTC)
    end = datetime.combine(inputs.last + timedelta(days=2), datetime.min.time(), tzinfo=UTC)
    logged = [as_commitment(i) for i in store.interruptions(start, end)]
    return sorted([*found, *logged], key=lambda c: (c.span.start, c.span.end))


def _carried(blocks: Sequence[Block], inputs: PlanInputs, policy: Policy,
             now: datetime | None, pinned: Collection[str]) -> list[Block]:
    """The earlier plan's blocks a fresh plan keeps: those outside its period (planning next
    week leaves this week's blocks, and their record, where they are), those the person moved
    (pinned where they put them) and, when it plans from ``now``, those already begun (a block
    in progress stays whole, as a repair keeps it)."""
    span = period_span(_period(inputs), policy)
    return [b for b in blocks if not b.span.clip(span) or (b.uid in pinned and b.kind.is_work)
            or (now is not None and b.span.start < now)]


def _save(store: Store, inputs: PlanInputs, result: PlanResult, policy: Policy, *,
          clock: datetime, now: datetime, carried: Sequence[Block] = (),
          ruled_out: Sequence[tuple[str, Interval]] = (),
          pinned: Collection[str] = (), here: Collection[str] = ()) -> StoredPlan:
    """Save the plan (with the earlier blocks it carries, the stretches ruled out and what a
    week view draws) and the audit totals of its weeks."""
    from makertime.outputs.json import calendar_to_dict, plan_to_dict

    data: dict[str, Any] = plan_to_dict(result, policy.timezone)
    data[CALENDAR] = calendar_to_dict(result, policy.timezone)
    data[MOVED_HERE] = sorted(here)
    data[COSTS] = interruption_costs(result, policy)
    data[NOT_THEN] = [[key, span.start.isoformat(), span.end.isoformat()]
                      for key, span in ruled_out]
    data[PINNED] = sorted(pinned)
    blocks = in_time_order({b.uid: b for b in [*carried, *result.blocks]}.values())
    return store.save_plan(clock, now, inputs, blocks, data, weeks=week_totals(result))


def week_totals(result: PlanResult) -> list[tuple[date, dict[str, Any]]]:
    """The audit totals of every ISO week the plan covers, over its commitments (interruptions
    included): the week as it really falls, which is what ``history`` compares. The plan's
    ``before`` is that audit already; its days are summed week by week."""
    return [(days[0].date - timedelta(days=days[0].date.weekday()), asdict(total(days)))
            for days in weeks_of(result.before.days).values()]


__all__ = ["NoPlanError", "Planned", "Replanned", "as_commitment", "current_plan",
           "make_plan", "publish_current", "replan_week", "week_totals"]
