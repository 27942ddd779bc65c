"""The items of a collection (CalDAV, or a calendar in memory), each read like an .ics file and
merged into one read."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Mapping
from datetime import date
from urllib.parse import urljoin

from makertime.calendars.cache import InstanceCache
from makertime.calendars.files import read_calendar_data
from makertime.calendars.remote import RemoteItem
from makertime.errors import SourceError
from makertime.files import size_text
from makertime.limits import limit
from makertime.model import CalendarRead, EventInstance, ReadWarning, Task
from makertime.text import clean


def read_items(source: str, items: Mapping[str, RemoteItem], first: date, last: date,
               cache: InstanceCache | None = None, *,
               where: Callable[[str], str] | None = None) -> CalendarRead:
    """Every item of ``items`` (by href) read like an .ics file, merged into one CalendarRead.

    ``where`` names an item by its href (by default its URL, the href joined to ``source``). An
    item that cannot be read at all costs only that item: it becomes a warning, and so does an
    item too large to have been kept, on every read.
    """
    instances: list[EventInstance] = []
    tasks: list[Task] = []
    warnings: list[ReadWarning] = []
    components: Counter[str] = Counter()
    for href in sorted(items):
        named = where(href) if where is not None else urljoin(source, href)
        item_source = clean(named, chars=2000)  # hrefs come from outside (a server)
        if not items[href].kept:
            warnings.append(ReadWarning(item_source, "skipped: larger than the "
                                        f"{size_text(limit('calendar.file_bytes'))} a calendar "
                                        "item may hold (calendar.file_bytes)"))
            continue
        try:
            read = read_calendar_data(items[href].data.encode(), item_source, first, last, cache)
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
