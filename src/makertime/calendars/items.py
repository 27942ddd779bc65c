"""The items of a CalDAV collection, each read like an .ics file and merged into one read."""

from __future__ import annotations

from collections import Counter
from datetime import date
from urllib.parse import urljoin

from makertime.calendars.cache import InstanceCache
from makertime.calendars.files import size_text
from makertime.calendars.remote import CollectionState
from makertime.errors import SourceError
from makertime.limits import limit
from makertime.model import CalendarRead, EventInstance, ReadWarning, Task
from makertime.text import clean


def read_items(source: str, state: CollectionState, first: date, last: date,
               cache: InstanceCache | None = None) -> CalendarRead:
    """Every item of ``state`` read like an .ics file, merged into one CalendarRead.

    An item that cannot be read at all costs only that item: it becomes a warning, and so does
    an item too large to have been kept, on every read.
    """
    instances: list[EventInstance] = []
    tasks: list[Task] = []
    warnings: list[ReadWarning] = []
    components: Counter[str] = Counter()
    for href in sorted(state.items):
        item_source = clean(urljoin(source, href), chars=2000)  # hrefs come from the server
        if not state.items[href].kept:
            warnings.append(ReadWarning(item_source, "skipped: larger than the "
                                        f"{size_text(limit('calendar.file_bytes'))} a calendar "
                                        "item may hold (calendar.file_bytes)"))
            continue
        try:
            read = _read_item(state.items[href].data.encode(), item_source, first, last, cache)
        except SourceError as failure:
            warnings.append(ReadWarning(item_source, f"skipped: {failure.detail}"))
            continue
        instances.extend(read.instances)
        tasks.extend(read.tasks)
        warnings.extend(read.warnings)
        components.update(read.components)
    instances.sort(key=lambda i: (i.start.replace(tzinfo=None), i.end.replace(tzinfo=None), i.uid))
    return CalendarRead(source=source, instances=tuple(instances), tasks=tuple(tasks),
                        warnings=tuple(warnings), components=dict(components))


def _read_item(data: bytes, source: str, first: date, last: date,
               cache: InstanceCache | None) -> CalendarRead:
    """One item's events and tasks, from the cache when its content was read before."""
    key = cache.key(data, first, last) if cache is not None else ""
    if cache is not None and (hit := cache.get(key, source)) is not None:
        return hit
    from makertime.calendars.ics import read_ics_bytes  # heavy: only on a miss

    read = read_ics_bytes(data, source, first, last)
    if cache is not None:
        cache.put(key, read)
    return read
