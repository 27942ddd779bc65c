"""Read what a plan is made from: the calendars (remembered sources by name, files, CalDAV
collections — fetched incrementally from the state the store keeps) and the tasks."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from makertime.errors import SourceError
from makertime.marks import OWN_UID
from makertime.model import CalendarRead, Commitment, Period, ReadWarning, Task
from makertime.policy import Policy
from makertime.store import PlanInputs, Store

Progress = Callable[[str], None]


@dataclass(frozen=True, slots=True)
class Reading:
    """The commitments and tasks read for a plan, and what had to be repaired or skipped."""

    commitments: tuple[Commitment, ...]
    tasks: tuple[Task, ...]
    warnings: tuple[ReadWarning, ...]


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
    stands for its URL or path."""
    from makertime.calendars import may_name_a_source
    from makertime.store import open_store

    with open_store(db) as store:
        return [source_url(store, cal) if may_name_a_source(cal) else cal for cal in cals]


def read_calendars_kept(store: Store, cals: Sequence[str], inputs: PlanInputs, margin: timedelta,
                        *, cache: bool = True,
                        progress: Progress | None = None) -> list[CalendarRead]:
    """Every calendar over the plan's period (and ``margin`` around it); CalDAV collections
    resume from, and save, the state the store keeps."""
    from makertime.calendars import is_url, open_source
    from makertime.calendars.cache import InstanceCache

    cached = InstanceCache() if cache else None
    reads: list[CalendarRead] = []
    for cal in cals:
        if not is_url(cal):
            reads.extend(open_source(cal).read(inputs.first - margin, inputs.last + margin,
                                               cache=cached, progress=progress))
            continue
        from makertime.calendars.caldav import CalDavCalendar  # the caldav library is slow

        collection = CalDavCalendar.open(cal, state=store.collection_state(cal))
        reads.extend(collection.read(inputs.first - margin, inputs.last + margin, cache=cached,
                                     progress=progress))
        if collection.state is not None:
            store.save_collection_state(collection.state)
    return reads


def read_inputs(store: Store, inputs: PlanInputs, policy: Policy, *, cache: bool = True,
                progress: Progress | None = None) -> Reading:
    """The commitments (classified by ``policy``) and the tasks (tasks.toml, then VTODO)."""
    from makertime.classify import commitments
    from makertime.closures import closures
    from makertime.plan.solve import merge_tasks, reach
    from makertime.tasks import load_tasks

    reads = read_calendars_kept(store, inputs.cals, inputs, reach(policy), cache=cache,
                                progress=progress)
    listed = load_tasks(Path(inputs.tasks_path), policy.timezone) if inputs.tasks_path else []
    tasks, dropped = merge_tasks(listed, [t for read in reads for t in read.tasks])
    # makertime's own published blocks, where a calendar read also holds them, are the plan,
    # not commitments around it
    found = [c for c in commitments(reads, policy) if not c.uid.endswith(OWN_UID)]
    hints = closures((i for read in reads for i in read.instances), policy,
                     Period(inputs.first, inputs.last))
    return Reading(tuple(found), tuple(tasks),
                   (*(w for read in reads for w in read.warnings), *dropped,
                    *(hint.warning() for hint in hints)))
