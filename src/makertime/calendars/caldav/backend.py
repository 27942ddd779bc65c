"""A CalDAV calendar collection as a calendar backend: read incrementally, written by conditional
PUT and DELETE requests.

Reading and listing both go through the incremental fetch (``collection.fetch``: sync token, else
ETags), so a second read in one run costs one request. Writes are plain PUT and DELETE requests
sent by the library's client with the exact precondition headers: ``If-None-Match: *`` to create,
``If-Match`` to replace or remove. The calendar is created with MKCALENDAR before the first write
when it does not exist; a dry run never creates it.

A server that fails (5xx), says "not now" (408, 423, 425, 429) or cannot be reached raises a
``ServerError``, which a publish tries again a few times before it stops with exit status 3; a
refused precondition (412), or an event no longer there (404, 410), raises ``Conflict``. What
goes wrong while reading raises a ``SourceError``; while listing or writing, the same words as an
``OutputError``.
"""

from __future__ import annotations

import builtins
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, tzinfo
from pathlib import Path
from urllib.parse import quote, urljoin, urlsplit

from caldav.elements import cdav, dav
from caldav.lib import error
from caldav.response import PropfindResult

from makertime.calendars.base import RemoteEvent, Stored, TargetState, output_errors
from makertime.calendars.cache import InstanceCache
from makertime.calendars.caldav.collection import FetchStats, fetch
from makertime.calendars.credentials import Credentials, credentials_for, public_url
from makertime.calendars.dav import (
    DavClient,
    connect,
    dav_errors,
    expect,
    get_item,
    resource_types,
    xml,
)
from makertime.calendars.items import read_items
from makertime.calendars.own import events_in, target_state
from makertime.calendars.remote import CollectionState
from makertime.errors import Conflict, MissingCollection, OutputError, ServerError, SourceError
from makertime.marks import CALENDAR_NAME
from makertime.model import CalendarRead, Progress

CALENDAR_TYPE = "text/calendar; charset=utf-8"
PARENT_FIX = "give a URL inside your calendar home, e.g. https://host/dav/ana/makertime/"
_GONE = (404, 410, 412)  # a precondition that failed, or an event that is no longer there
# answers that say "not now" rather than "not this": a timeout, a WebDAV lock, too many requests
_PASSING = (408, 423, 425, 429)


class CalDavCalendar:
    """A CalDAV calendar collection; created when makertime first writes to it.

    After a read or a listing, ``state`` is what the next one resumes from, and ``stats`` says
    what it cost (how it listed, requests sent, items downloaded).
    """

    def __init__(self, url: str, credentials: Credentials | None = None, *,
                 zone: tzinfo = UTC, state: CollectionState | None = None) -> None:
        self.url = url
        self.credentials = credentials
        self.zone = zone
        self.state = state
        self.stats: FetchStats | None = None
        self._client: DavClient | None = None
        self._exists = False

    @classmethod
    def open(cls, url: str, state: CollectionState | None = None, *,
             zone: tzinfo = UTC) -> CalDavCalendar:
        """The collection at ``url``, with the credentials the environment or netrc give."""
        return cls(url, credentials_for(url), zone=zone, state=state)

    @property
    def name(self) -> str:
        """The collection's URL, without any password written into it."""
        return public_url(self.url)

    @property
    def collection(self) -> str:
        """The collection's URL, ending with a slash: what its items' hrefs are made from."""
        return self.url if self.url.endswith("/") else f"{self.url}/"

    @property
    def client(self) -> DavClient:
        """The caldav client for listing and writing, made on first use and kept for the run."""
        if self._client is None:
            self._client = connect(self.url, self.credentials)
        return self._client

    def files(self) -> builtins.list[Path]:
        """A collection has no files; this says so the way an unreadable source does."""
        raise SourceError(self.name, "is a CalDAV collection, not a file",
                          "read it with audit or plan; to check it, export it as .ics")

    def read(self, first: date, last: date, *, cache: InstanceCache | None = None,
             progress: Progress | None = None) -> builtins.list[CalendarRead]:
        """The collection's events and tasks over ``first``..``last``, as one CalendarRead."""
        if progress is not None:
            progress(self.name)
        fetched = fetch(self.url, credentials=self.credentials, state=self.state,
                        progress=progress)
        self.state, self.stats = fetched.state, fetched.stats
        return [read_items(self.name, fetched.state.items, first, last, cache)]

    def list(self) -> TargetState:
        """makertime's events in the calendar; none when it does not exist yet."""
        with output_errors():
            try:
                fetched = fetch(self.url, credentials=self.credentials, state=self.state,
                                client=self.client)
            except MissingCollection:
                self._check_parent()
                self.state, self._exists = None, False
                return TargetState(exists=False)
        self.state, self.stats, self._exists = fetched.state, fetched.stats, True
        return target_state(((item.href, item.etag, item.data)
                             for item in fetched.state.items.values()), self.zone)

    def get(self, href: str) -> RemoteEvent | None:
        """makertime's event at ``href`` as it is now (one GET); None when gone or not ours."""
        with self._errors():
            found = get_item(self.client, self._url(href), self._url(href))
        if found is None:
            return None
        ours, _others = events_in(found.data, href, found.etag, self.zone)
        return ours[0] if ours else None

    def create(self, uid: str, data: str) -> Stored:
        """PUT the event with If-None-Match: * at ``<uid>.ics``; Conflict when it is there."""
        self._ensure_calendar()
        href = urlsplit(self.collection).path + quote(uid, safe="@") + ".ics"
        etag = self._put(href, data, {"If-None-Match": "*"})
        return Stored(href, etag)

    def update(self, href: str, etag: str, data: str) -> str:
        """PUT the event with If-Match: ``etag``; its new ETag, or Conflict."""
        return self._put(href, data, {"If-Match": etag})

    def delete(self, href: str, etag: str) -> None:
        """DELETE the event with If-Match: ``etag``; Conflict when it changed or went."""
        with self._errors():
            response = self.client.delete(self._url(href), {"If-Match": etag})
        if response.status in _GONE:
            raise Conflict(self.name, href)
        self._check(response.status, (200, 204), "DELETE")

    @contextmanager
    def _errors(self) -> Iterator[None]:
        with output_errors(), dav_errors(self.url, logged_in=self.credentials is not None):
            yield

    def _put(self, href: str, data: str, condition: dict[str, str]) -> str:
        with self._errors():
            response = self.client.put(self._url(href), data,
                                       {"Content-Type": CALENDAR_TYPE, **condition})
        if response.status in _GONE:
            raise Conflict(self.name, href)
        self._check(response.status, (200, 201, 204), "PUT")
        etag = response.headers.get("ETag")
        if etag:
            return str(etag)
        # the server changed the data as it stored it, so it gives no ETag: ask for it
        found = self.get(href)
        return found.etag if found is not None else ""

    def _check(self, status: int, expected: tuple[int, ...], what: str) -> None:
        if status >= 500 or status in _PASSING:
            raise ServerError(self.name, f"the CalDAV server answered {status} to {what}",
                              "try again later; the next publish completes this one")
        if status not in expected:
            raise OutputError(self.name, f"the CalDAV server answered {status} to {what}")

    def _url(self, href: str) -> str:
        return urljoin(self.collection, href)

    def _ensure_calendar(self) -> None:
        """Create the calendar with MKCALENDAR unless a listing found it."""
        if self._exists:
            return
        properties = xml(dav.Prop(), dav.DisplayName(CALENDAR_NAME),
                         xml(cdav.SupportedCalendarComponentSet(), cdav.Comp("VEVENT")))
        body = xml(cdav.Mkcalendar(), xml(dav.Set(), properties))
        with self._errors():
            try:
                response = self.client.mkcalendar(self.url, str(body))
            except error.AuthorizationError as refusal:
                if refusal.status != 403:
                    raise
                raise self._cannot_create() from None
        if response.status in (200, 201):
            self._exists = True
            return
        if response.status >= 500:
            self._check(response.status, (200, 201), "MKCALENDAR")
        # something is there already (made meanwhile?): fine only if it is a calendar
        self.list()
        if not self._exists:
            raise self._cannot_create()

    def _cannot_create(self) -> OutputError:
        return OutputError(self.name, "the server will not create a calendar here", PARENT_FIX)

    def _check_parent(self) -> None:
        """Raise OutputError unless the parent of the missing calendar could hold it."""
        parent = urljoin(self.collection, "..")
        with self._errors():
            response = self.client.propfind(parent, props=[dav.ResourceType.tag], depth=0)
        if response.status == 404:
            raise OutputError(self.name, f"cannot create the calendar: there is no collection "
                              f"{public_url(parent)} to hold it", PARENT_FIX)
        with self._errors():
            expect(response, parent, "PROPFIND")
        own = next((r for r in response.results or [] if isinstance(r, PropfindResult)), None)
        if own is not None and cdav.Calendar.tag in resource_types(own):
            raise OutputError(self.name, f"cannot create the calendar inside the calendar "
                              f"{public_url(parent)}: calendars do not nest", PARENT_FIX)
