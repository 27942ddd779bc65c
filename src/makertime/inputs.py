"""What an audit or a plan is made from, read in one place: the calendars (files, folders,
CalDAV collections, remembered sources by name), the tasks (tasks.toml, then VTODO) and the
commitments the policy makes of them, over a period.

``read_inputs`` is the one pipeline: it reads every calendar through the instance cache (and,
given a store, fetches CalDAV collections incrementally from the state the store keeps),
classifies the events by the policy, merges the tasks and gathers every warning, closure hints
included, into one ``Inputs``. The audit and the planner then compute on it and read nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from makertime.closures import Closure
from makertime.errors import SourceError
from makertime.limits import limit
from makertime.marks import OWN_UID, is_duty
from makertime.model import CalendarRead, Commitment, Period, Progress, ReadWarning, Task
from makertime.policy import Policy

if TYPE_CHECKING:
    from makertime.calendars.cache import InstanceCache
    from makertime.store import Store


@dataclass(frozen=True, slots=True)
class Inputs:
    """The commitments (classified by ``policy``) and tasks read for ``period``, what had to be
    repaired or skipped (``read_warnings``) and the closure hints of the calendars."""

    period: Period
    policy: Policy
    commitments: tuple[Commitment, ...]
    tasks: tuple[Task, ...] = ()
    read_warnings: tuple[ReadWarning, ...] = ()
    hints: tuple[Closure, ...] = ()

    @property
    def warnings(self) -> tuple[ReadWarning, ...]:
        """Every warning of the reading, the closure hints last (as a plan lists them)."""
        return (*self.read_warnings, *(hint.warning() for hint in self.hints))


def read_inputs(cals: Sequence[str], policy: Policy, period: Period, *,
                tasks: Path | None = None, planning: bool = False, store: Store | None = None,
                cache: InstanceCache | None = None,
                progress: Progress | None = None) -> Inputs:
    """Read ``cals`` (and ``tasks``) for ``period``.

    ``planning`` reads ``reach(policy)`` around the period too (rest and recovery reach across
    its ends) and leaves out makertime's own published blocks, which are the plan, not
    commitments around it. With a ``store``, remembered sources' names stand for their URLs and
    CalDAV collections resume from, and save, the state it keeps.
    """
    from makertime.classify import commitments
    from makertime.closures import closures
    from makertime.tasks import load_tasks

    if store is not None:
        cals = resolve(store, cals)
    margin = reach(policy) if planning else timedelta()
    reads = _read(cals, period.first - margin, period.last + margin, store=store, cache=cache,
                  progress=progress)
    found = commitments(reads, policy)
    if planning:
        found = [c for c in found if not c.uid.endswith(OWN_UID) or is_duty(c.categories)]
    listed = load_tasks(tasks, policy.timezone) if tasks is not None else []
    merged, dropped = merge_tasks(listed, [t for read in reads for t in read.tasks])
    hints = closures((i for read in reads for i in read.instances), policy, period)
    return Inputs(period, policy, tuple(found), tuple(merged),
                  (*(w for read in reads for w in read.warnings), *dropped), tuple(hints))


def _read(cals: Sequence[str], first: date, last: date, *, store: Store | None,
          cache: InstanceCache | None, progress: Progress | None) -> list[CalendarRead]:
    """Every calendar of ``cals`` over ``first``..``last``; with a store, CalDAV collections
    resume from, and save, the state it keeps."""
    from makertime.calendars import is_url, open_source

    reads: list[CalendarRead] = []
    for cal in cals:
        if store is None or not is_url(cal):
            reads.extend(open_source(cal).read(first, last, cache=cache, progress=progress))
            continue
        from makertime.calendars.caldav import CalDavCalendar  # the caldav library is slow

        collection = CalDavCalendar.open(cal, state=store.collection_state(cal))
        reads.extend(collection.read(first, last, cache=cache, progress=progress))
        if collection.state is not None:
            store.save_collection_state(collection.state)
    return reads


def reach(policy: Policy) -> timedelta:
    """How far rest and recovery reach: commitments this far outside the period still count."""
    longest = max((max(r.rest_before_minutes, r.recover_after_minutes) for r in policy.rules),
                  default=0)
    return timedelta(days=1 + -(-longest // 1440))


def merge_tasks(listed: Sequence[Task],
                todos: Sequence[Task]) -> tuple[list[Task], list[ReadWarning]]:
    """tasks.toml first; a VTODO with the same id as a listed task is the same task. Past the
    ``tasks.count`` limit, the most urgent VTODOs are kept (earliest deadline, then priority)
    and a warning says how many were left out, naming the first few."""
    ids = {task.id for task in listed}
    extra = [t for t in todos if t.id not in ids]
    room = max(0, limit("tasks.count") - len(listed))
    if len(extra) <= room:
        return [*listed, *extra], []
    extra.sort(key=_urgency)
    left = extra[room:]
    names = ", ".join(t.id for t in left[:3]) + (", …" if len(left) > 3 else "")
    warning = ReadWarning(left[0].source, f"{len(left):,} open VTODOs past the "
                          f"{limit('tasks.count'):,} tasks one plan takes were left out, the "
                          f"least urgent: {names}")
    return [*listed, *extra[:room]], [warning]


def _urgency(task: Task) -> tuple[bool, datetime, int]:
    """Earliest deadline first (a naive deadline is wall time: read as UTC, close enough to
    order by), then priority; no deadline last."""
    deadline = task.deadline
    if deadline is None:
        return True, datetime.max.replace(tzinfo=UTC), task.priority
    return False, deadline if deadline.tzinfo else deadline.replace(tzinfo=UTC), task.priority


def checked_url(url: str) -> str:
    """``url``, refused when it cannot be read or has a user name or password written into it
    (those would be kept in the store: credentials come from the environment or netrc)."""
    from makertime.calendars.credentials import public_url

    if public_url(url) != url:
        raise SourceError(public_url(url), "has a user name or password written into it",
                          "give the URL alone; set MAKERTIME_CALDAV_USERNAME and "
                          "MAKERTIME_CALDAV_PASSWORD or add the host to ~/.netrc")
    return url


def resolve(store: Store, cals: Sequence[str]) -> tuple[str, ...]:
    """Each CAL as an absolute path or a URL: a remembered source's name stands for its URL; no
    CAL at all means every remembered source."""
    from makertime.calendars import is_url, may_name_a_source

    if not cals:
        sources = store.sources()
        if not sources:
            raise SourceError("CAL", "no calendar given and no source remembered",
                              "give an .ics file, a folder or a CalDAV URL, or run "
                              "`makertime source add NAME URL`")
        return tuple(source.url for source in sources)
    found: list[str] = []
    for cal in cals:
        if is_url(cal):
            found.append(checked_url(cal))
        elif may_name_a_source(cal):
            found.append(source_url(store, cal))
        else:
            found.append(str(Path(cal).expanduser().resolve()))
    return tuple(found)


def source_url(store: Store, name: str) -> str:
    """The URL (or path) of the source remembered as ``name``; a name the store does not know
    is one clear line, since it names no file, folder or URL either."""
    source = store.source(name)
    if source is None:
        known = ", ".join(s.name for s in store.sources()[:10]) or "none yet"
        raise SourceError(name, "is no file, folder or CalDAV URL, nor a remembered source "
                          f"(remembered: {known})", "give an .ics file, a folder or a URL, or "
                          f"remember it with `makertime source add {name} URL`")
    return source.url


def named_sources(cals: Sequence[str], db: str | None) -> list[str]:
    """Each CAL as given, except that a remembered source's name (in the store ``db`` names)
    stands for its URL or path; the store is opened only when a CAL may name one."""
    from makertime.calendars import may_name_a_source

    if not any(may_name_a_source(cal) for cal in cals):  # no store, no imports it costs
        return list(cals)
    from makertime.store import open_store

    with open_store(db) as store:
        return [source_url(store, cal) if may_name_a_source(cal) else cal for cal in cals]
