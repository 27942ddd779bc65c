"""A CalDAV calendar as a backend, through the caldav library: ``CalDavCalendar`` reads and writes
one collection (``backend``), fetching it incrementally (``collection``); every request goes
through makertime's one DAV client (``calendars.dav``)."""

from __future__ import annotations

from makertime.calendars.caldav.backend import CalDavCalendar
from makertime.calendars.caldav.collection import (
    Fetched,
    FetchStats,
    fetch,
    fetch_collection,
    list_collection,
)

__all__ = ["CalDavCalendar", "FetchStats", "Fetched", "fetch", "fetch_collection",
           "list_collection"]
