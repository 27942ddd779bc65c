"""A CalDAV collection fetched incrementally: its items as they are now, downloading only what
changed since the state last fetched.

A fetch lists the collection, then downloads only what changed since the state it was given:

- with a sync token, an RFC 6578 sync-collection REPORT names the items changed and removed;
- without one, or when the server refuses it, a PROPFIND lists every item's ETag and only the
  items whose ETag differs are downloaded;
- with no state at all, every item is downloaded.

Downloads are calendar-multiget REPORTs, a batch at a time. What the caldav library or the
network raises becomes a one-line SourceError naming the URL (``dav.dav_errors``); no message ever
holds a password.

Like a folder, a collection is bounded: more than ``calendar.files`` items and it is refused
before any is downloaded; an item the listing says is larger than ``calendar.file_bytes`` is not
downloaded, and one that turns out larger is not kept (each skipped with a warning naming its
href); a multiget asks for at most ``caldav.batch_bytes`` by the sizes the listing gives. The
sizes are the server's word: whatever it says, no answer is read past ``caldav.answer_bytes``
(``dav.read_bounded_answer``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal
from urllib.parse import urljoin

from caldav.elements import cdav, dav
from caldav.elements.base import ValuedBaseElement
from caldav.lib import error
from caldav.response import PropfindResult

from makertime.calendars.credentials import Credentials, public_url
from makertime.calendars.dav import (
    CALENDAR_FIX,
    DavClient,
    connect,
    dav_errors,
    expect,
    get_item,
    resource_types,
    same_path,
    xml,
)
from makertime.calendars.remote import CollectionState, RemoteItem
from makertime.errors import SourceError
from makertime.limits import limit
from makertime.model import Progress

MULTIGET_BATCH = 100  # hrefs per calendar-multiget REPORT
SYNC_PAGES = 50  # truncated sync-collection answers followed before falling back to ETags
GETETAG, SYNC_TOKEN = dav.GetEtag.tag, dav.SyncToken.tag
GETCONTENTLENGTH = "{DAV:}getcontentlength"
UNLISTED_BYTES = 64 * 1024  # what an item counts for in a batch when its size is not listed

Mode = Literal["full", "sync", "etag"]


class GetContentLength(ValuedBaseElement):
    """DAV:getcontentlength, which the caldav library has no element for."""

    tag = GETCONTENTLENGTH


@dataclass(frozen=True, slots=True)
class FetchStats:
    """What one fetch cost: how it listed the collection, its requests, what it downloaded."""

    mode: Mode
    requests: int
    fetched: tuple[str, ...]  # hrefs whose data was downloaded
    removed: tuple[str, ...]  # hrefs dropped because the server no longer has them
    oversize: tuple[str, ...] = ()  # hrefs of items past calendar.file_bytes, not kept


@dataclass(frozen=True, slots=True)
class Fetched:
    """A collection's new state and what fetching it cost."""

    state: CollectionState
    stats: FetchStats


@dataclass(frozen=True, slots=True)
class _Listing:
    """Hrefs and ETags: of every item, or (``delta``) only of the items changed since a token."""

    token: str | None
    etags: dict[str, str]
    removed: frozenset[str] = frozenset()
    delta: bool = False
    sizes: dict[str, int] | None = None  # bytes of each item, where the server lists them


def fetch_collection(url: str, *, credentials: Credentials | None,
                     state: CollectionState | None,
                     progress: Progress | None = None) -> CollectionState:
    """The collection at ``url`` as it is now, downloading only what changed since ``state``."""
    return fetch(url, credentials=credentials, state=state, progress=progress).state


def fetch(url: str, *, credentials: Credentials | None, state: CollectionState | None = None,
          progress: Progress | None = None, client: DavClient | None = None) -> Fetched:
    """Like ``fetch_collection``, also saying how the fetch went (mode, requests, downloads).
    A client made here is closed here; one given is left open."""
    previous = state if state is not None and state.url == url else None
    with dav_errors(url, logged_in=credentials is not None):
        used = client if client is not None else connect(url, credentials)
        try:
            return _fetch(used, url, previous, progress)
        finally:
            if client is None:  # made here: its connections are closed here
                used.close()


def _fetch(client: DavClient, url: str, previous: CollectionState | None,
           progress: Progress | None) -> Fetched:
    """List what changed since ``previous``, download it, and keep what is not too large."""
    before = client.sent
    mode: Mode = "full" if previous is None else "etag"
    listing = None
    if previous is not None and previous.sync_token:
        listing = _list_changes(client, url, previous.sync_token)
        mode = "sync" if listing is not None else "etag"
    if listing is None:
        listing = list_collection(client, url)
    items = dict(previous.items) if previous is not None else {}
    gone = listing.removed if listing.delta else frozenset(items) - set(listing.etags)
    removed = sorted(href for href in gone if items.pop(href, None) is not None)
    _refuse_past_files(url, len(set(items) | set(listing.etags)))
    wanted = [href for href, etag in listing.etags.items()
              if href not in items or not etag or items[href].etag != etag]
    most = limit("calendar.file_bytes")
    oversize = [href for href in wanted if (listing.sizes or {}).get(href, 0) > most]
    downloaded = _download(client, url, [h for h in wanted if h not in oversize], listing,
                           progress)
    for href in wanted:
        items.pop(href, None)
    oversize += [href for href, item in downloaded.items() if len(item.data.encode()) > most]
    items.update((href, item) for href, item in downloaded.items() if href not in oversize)
    for href in oversize:  # kept without its data, so that every later read still names it
        etag = downloaded[href].etag if href in downloaded else listing.etags.get(href, "")
        items[href] = RemoteItem.not_kept(href, etag)
    stats = FetchStats(mode, client.sent - before, tuple(sorted(downloaded)), tuple(removed),
                       tuple(sorted(oversize)))
    return Fetched(CollectionState(url, listing.token, items), stats)


def _refuse_past_files(url: str, count: int) -> None:
    most = limit("calendar.files")
    if count > most:
        raise SourceError(public_url(url), f"this collection holds {count:,} items, more than "
                          f"{most:,} (calendar.files)", "give the URL of a smaller calendar")


def list_collection(client: DavClient, url: str) -> _Listing:
    """Every item's href and ETag, and the sync token, by one PROPFIND of depth 1."""
    body = xml(dav.Propfind(), xml(dav.Prop(), dav.GetEtag(), dav.SyncToken(),
                                   dav.ResourceType(), GetContentLength()))
    response = client.propfind(url, props=str(body), depth=1)
    expect(response, url, "PROPFIND")
    results = [found for found in response.results or [] if isinstance(found, PropfindResult)]
    own, members = _split_own(results, url)
    if own is None or cdav.Calendar.tag not in resource_types(own):
        raise SourceError(public_url(url), "is not a calendar collection", CALENDAR_FIX)
    items = [member for member in members if dav.Collection.tag not in resource_types(member)]
    etags = {member.href: str(member.properties.get(GETETAG) or "") for member in items}
    sizes = {member.href: size for member in items
             if (size := _size(member.properties.get(GETCONTENTLENGTH))) is not None}
    token = own.properties.get(SYNC_TOKEN)
    return _Listing(str(token) if token else None, etags, sizes=sizes)


def _size(value: Any) -> int | None:
    """A listed getcontentlength in bytes; None when the server gave none it could mean."""
    text = str(value).strip() if value is not None else ""
    return int(text) if text.isdigit() and len(text) < 19 else None


def _split_own(results: Sequence[PropfindResult],
               url: str) -> tuple[PropfindResult | None, list[PropfindResult]]:
    """The collection's own entry of a depth-1 PROPFIND, and its members'."""
    own = next((result for result in results if same_path(result.href, url)), None)
    return own, [result for result in results if result is not own]


def _list_changes(client: DavClient, url: str, token: str) -> _Listing | None:
    """Items changed and removed since ``token``; None when the server will not say."""
    etags: dict[str, str] = {}
    removed: set[str] = set()
    for _page in range(SYNC_PAGES):
        body = xml(dav.SyncCollection(), dav.SyncToken(value=token), dav.SyncLevel(value="1"),
                   xml(dav.Prop(), dav.GetEtag()))
        try:
            response = client.report(url, str(body), depth=0)
        except error.AuthorizationError as refusal:
            if dav.ValidSyncToken.tag in refusal.preconditions:
                return None  # RFC 6578: the token is too old or unknown; ETags decide
            raise
        if response.status not in (200, 207):
            return None  # no sync-collection here: ETags decide
        result = response.parse_sync_collection()
        for change in result.changed:
            if not same_path(change.href, url):
                etags[change.href] = change.etag or ""
                removed.discard(change.href)
        for href in result.deleted:
            etags.pop(href, None)
            removed.add(href)
        if not result.sync_token:
            return None
        if not result.truncated:
            return _Listing(result.sync_token, etags, frozenset(removed), delta=True)
        if result.sync_token == token:
            return None  # truncated without a way on: a full listing is the safe answer
        token = result.sync_token
    return None


def batches(hrefs: Sequence[str], sizes: dict[str, int]) -> list[list[str]]:
    """``hrefs`` in multiget batches of at most MULTIGET_BATCH items and ``caldav.batch_bytes``
    by their listed sizes (an item of unlisted size counts as UNLISTED_BYTES)."""
    most = limit("caldav.batch_bytes")
    found: list[list[str]] = []
    size = 0
    for href in hrefs:
        item = sizes.get(href, UNLISTED_BYTES)
        if not found or len(found[-1]) >= MULTIGET_BATCH or (size + item > most and found[-1]):
            found.append([])
            size = 0
        found[-1].append(href)
        size += item
    return found


def _download(client: DavClient, url: str, hrefs: Sequence[str], listing: _Listing,
              progress: Progress | None) -> dict[str, RemoteItem]:
    """The data and ETags of ``hrefs``, by calendar-multiget; items gone meanwhile are left out."""
    found: dict[str, RemoteItem] = {}
    done = 0
    for batch in batches(hrefs, listing.sizes or {}):
        done += len(batch)
        if progress is not None and len(hrefs) > MULTIGET_BATCH:
            progress(f"{public_url(url)}: {done} of {len(hrefs)} items")
        body = xml(cdav.CalendarMultiGet(), xml(dav.Prop(), dav.GetEtag(), cdav.CalendarData()),
                   *(dav.Href(value=href) for href in batch))
        try:
            # RFC 4791 section 7.9: a multiget is sent without a Depth header
            response = client.report(url, str(body), depth=None)
            expect(response, url, "calendar-multiget")
            results = response.parse_calendar_query()
        except SyntaxError:
            # lxml refuses a text of more than 10 MB in one answer: one large item would cost
            # the whole batch, so the batch is fetched item by item, as plain iCalendar
            found.update(_get_each(client, url, batch, listing))
            continue
        for result in results:
            if result.status == 200 and result.calendar_data is not None:
                etag = result.etag or listing.etags.get(result.href, "")
                found[result.href] = RemoteItem(result.href, etag, result.calendar_data)
    return found


def _get_each(client: DavClient, url: str, hrefs: Sequence[str],
              listing: _Listing) -> dict[str, RemoteItem]:
    """Each of ``hrefs`` by a GET of its own (bounded like every answer); gone ones left out."""
    found: dict[str, RemoteItem] = {}
    for href in hrefs:
        got = get_item(client, urljoin(url, href), url)
        if got is not None:
            found[href] = RemoteItem(href, got.etag or listing.etags.get(href, ""), got.data)
    return found
