"""The operations of living with the week, each one call taking plain values (the store's URL
``db``, ids, ``now`` as YYYY-MM-DDTHH:MM) and returning what a front end shows: ``publish``,
``replan``, ``done``, ``progress``, ``tasks``, ``history``, ``interrupt``, ``interruptions``
and the remembered sources (``add_source``, ``list_sources``, ``remove_source``).

Each acts as of ``now`` (default: the clock) in the zone of the current plan's policy (else the
machine's), and returns that zone with its result, for showing times.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, tzinfo
from pathlib import Path
from typing import TYPE_CHECKING

from makertime.app.kept_tasks import TaskRow
from makertime.app.options import clock_and_now, opened, solver_options, stored_zone, zone_of
from makertime.app.past_weeks import Costly, History
from makertime.app.week import Replanned
from makertime.errors import OptionError, UnknownItem, param
from makertime.model import Progress
from makertime.policy import Policy
from makertime.store import Interruption, Source, Store, TaskState

if TYPE_CHECKING:
    from makertime.publish.report import PublishReport


@dataclass(frozen=True, slots=True)
class Published:
    """What a publish did (or, for a dry run, would do)."""

    report: PublishReport
    zone: tzinfo


def publish(*, dry_run: bool = False, target: str | None = None, db: str | Store | None = None,
            progress: Progress | None = None) -> Published:
    """Publish the current plan to its target, or to ``target`` (see ``app.week``)."""
    from makertime.app.planning import target_name
    from makertime.app.week import publish_current

    with opened(db) as store:
        zone = zone_of(store)
        report = publish_current(store, clock=datetime.now(zone), dry_run=dry_run,
                                 target=target_name(target), progress=progress)
    return Published(report, zone)


@dataclass(frozen=True, slots=True)
class Repaired:
    """A replan, and the policy of the plan (for drawing it)."""

    replanned: Replanned
    zone: tzinfo
    policy: Policy


def replan(*, publish: bool = False, dry_run: bool = False, now: str | None = None,
           time_limit: float = 10.0, workers: int | None = None, html: Path | None = None,
           force: bool = False, db: str | Store | None = None,
           progress: Progress | None = None) -> Repaired:
    """Repair the current plan as of ``now``; ``html``, a file a front end writes afterwards,
    is checked first (see ``outputs.safety``)."""
    from makertime.app.week import current_plan, replan_week
    from makertime.policy import load_policy

    options = solver_options(time_limit, workers)
    if dry_run and publish:
        raise OptionError("dry_run", f"cannot go with {param('publish')}",
                          "a dry run saves and publishes nothing; drop one of the two")
    with opened(db) as store:
        zone = zone_of(store)
        if html is not None:
            from makertime.outputs.safety import check_options

            inputs = current_plan(store).inputs
            check_options(html=html, cals=inputs.cals, tasks=inputs.tasks_path,
                          policy=inputs.policy_path, store=store.url, force=force)
        clock, moment = clock_and_now(now, zone)
        done = replan_week(store, now=moment, clock=clock, publish=publish, dry_run=dry_run,
                           options=options, progress=progress)
        inputs = current_plan(store).inputs  # the plan's inputs stay those of the plan repaired
    policy = load_policy(Path(inputs.policy_path) if inputs.policy_path else None)
    return Repaired(done, zone, policy)


def done(task: str, *, now: str | None = None, db: str | Store | None = None) -> TaskState:
    """Mark ``task`` done: its future blocks go at the next replan."""
    with opened(db) as store:
        _, moment = clock_and_now(now, zone_of(store))
        return store.mark_done(task, moment)


def progress(task: str, fraction: float, *, now: str | None = None,
             db: str | Store | None = None) -> TaskState:
    """Log how near done ``task`` is (0 to 1); what is left of its estimate shrinks to match."""
    if not 0 <= fraction <= 1:
        raise OptionError("fraction", f"{fraction:g} is not between 0 and 1",
                          "give how near done the whole task is, e.g. 0.6; 1 marks it done")
    with opened(db) as store:
        _, moment = clock_and_now(now, zone_of(store))
        return store.set_progress(task, fraction, moment)


def tasks(*, include_done: bool = False, now: str | None = None,
          db: str | Store | None = None) -> list[TaskRow]:
    """Every task as of ``now``, against the current plan (see ``app.kept_tasks``)."""
    return list(task_list(include_done=include_done, now=now, db=db).rows)


@dataclass(frozen=True, slots=True)
class Listed:
    """Every task as of ``now`` (aware, in the plan's zone)."""

    rows: tuple[TaskRow, ...]
    now: datetime


def task_list(*, include_done: bool = False, now: str | None = None,
              db: str | Store | None = None) -> Listed:
    """``tasks``, with the moment they are as of."""
    from makertime.app.kept_tasks import tasks_as_of

    with opened(db) as store, store.snapshot():
        stored = store.current_plan()
        zone = stored_zone(stored) if stored is not None else zone_of(store)
        _, moment = clock_and_now(now, zone)
        return Listed(tuple(tasks_as_of(store, moment, zone, include_done=include_done,
                                        stored=stored)), moment)


@dataclass(frozen=True, slots=True)
class Recorded:
    """Maker time week by week, and the costliest interruptions."""

    history: History
    zone: tzinfo


def history(*, db: str | Store | None = None) -> Recorded:
    """The weekly totals every plan and replan recorded, and the costliest interruptions."""
    from makertime.app.past_weeks import history as read_history

    with opened(db) as store:
        found = read_history(store)
        return Recorded(found, zone_of(store))


@dataclass(frozen=True, slots=True)
class Logged:
    """An interruption logged."""

    item: Interruption
    zone: tzinfo


@dataclass(frozen=True, slots=True)
class Edited:
    """Interruption ``number`` corrected: before and after, with the focus each cost."""

    number: int
    was: Costly
    after: Costly
    zone: tzinfo


@dataclass(frozen=True, slots=True)
class Removed:
    """Interruption ``number`` forgotten; ``gone`` is what it was."""

    number: int
    gone: Interruption
    zone: tzinfo


def interrupt(text: str | None = None, *, minutes: int | None = None, at: str | None = None,
              edit: int | None = None, remove: int | None = None, now: str | None = None,
              db: str | Store | None = None) -> Logged | Edited | Removed:
    """Log an interruption (``text``, ``minutes``, begun ``at``), correct how long one lasted
    (``edit`` with ``minutes``) or forget one (``remove``)."""
    from makertime.app.log import edit_interruption, log_interruption, remove_interruption

    _together(text, edit, remove, minutes, at)
    with opened(db) as store:
        zone = zone_of(store)
        if remove is not None:
            return Removed(remove, remove_interruption(store, remove), zone)
        if edit is not None:
            was, after = edit_interruption(store, edit, _needed(minutes), zone)
            return Edited(edit, was, after, zone)
        if text is None:
            raise OptionError("text", "missing: what the interruption was",
                              f'e.g. makertime interrupt "CDN alert" {param("minutes")} 40')
        _, moment = clock_and_now(now, zone)
        item = log_interruption(store, text, _needed(minutes), at=at, now=moment, zone=zone)
        return Logged(item, zone)


def _together(text: str | None, edit: int | None, remove: int | None, minutes: int | None,
              at: str | None) -> None:
    """Refuse what cannot go together: ``text`` with ``edit`` or ``remove``, the two of them,
    ``at`` with either, ``minutes`` with ``remove``."""
    if edit is not None and remove is not None:
        raise OptionError("edit", f"cannot go with {param('remove')}",
                          "correct an interruption or forget it, one at a time")
    option = "edit" if edit is not None else "remove" if remove is not None else None
    if option is None:
        return
    if text is not None:
        raise OptionError("text", f"{text!r} cannot go with {param(option)}",
                          f"{param(option)} ID names the interruption: drop the text")
    if at is not None:
        raise OptionError("at", f"cannot go with {param(option)}",
                          f"to move an interruption, remove it and log it again with "
                          f"{param('at')}")
    if remove is not None and minutes is not None:
        raise OptionError("minutes", f"cannot go with {param('remove')}",
                          f"{param('edit')} ID {param('minutes')} N corrects how long one "
                          "lasted")


def _needed(minutes: int | None) -> int:
    if minutes is None:
        raise OptionError("minutes", "missing: how long it took", f"e.g. {param('minutes')} 40")
    return minutes


@dataclass(frozen=True, slots=True)
class Interruptions:
    """Every logged interruption by start, with the focus each cost."""

    rows: tuple[Costly, ...]
    zone: tzinfo


def interruptions(*, db: str | Store | None = None) -> Interruptions:
    """Every logged interruption, with its id and the focus it cost."""
    from makertime.app.log import logged_interruptions

    with opened(db) as store:
        zone = zone_of(store)
        return Interruptions(tuple(logged_interruptions(store)), zone)


def add_source(name: str, url: str, *, db: str | Store | None = None) -> tuple[Source, int]:
    """Remember a calendar as ``name``: a CalDAV collection URL (read once now), an .ics file or
    a folder; returns the source and how many calendar objects it holds (0 for files)."""
    from makertime.app.log import add_source as remember

    with opened(db) as store:
        return remember(store, name, url, clock=datetime.now().astimezone())


def list_sources(*, db: str | Store | None = None) -> list[Source]:
    """The remembered sources, by name."""
    with opened(db) as store:
        return store.sources()


def remove_source(name: str, *, db: str | Store | None = None) -> None:
    """Forget the source ``name`` (its calendar is not touched)."""
    with opened(db) as store:
        if not store.remove_source(name):
            raise UnknownItem(name, "is not a remembered source", "see `makertime source list`")
