"""Reading CalDAV collections from a real Radicale: events, recurrence, zones, tasks,
credentials, incremental fetches and one-line errors."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from makertime.calendars import IcsFolder, open_source, read_calendars
from makertime.calendars.caldav import CalDavCalendar, collection, fetch, fetch_collection
from makertime.calendars.credentials import (
    Credentials,
    credentials_for,
    credentials_reference,
    public_url,
)
from makertime.calendars.remote import CollectionState
from makertime.errors import MakertimeError, ServerError, SourceError
from makertime.model import CalendarRead
from tests.support.caldav_items import ITEMS, calendar_with_items, wrapped
from tests.support.radicale import PASSWORD, USER, RadicaleServer, free_port

FIRST, LAST = date(2026, 3, 23), date(2026, 3, 29)


@pytest.fixture
def calendar(server: RadicaleServer) -> str:
    """A fresh calendar holding ITEMS."""
    return calendar_with_items(server)


@pytest.fixture
def logged_in(monkeypatch: pytest.MonkeyPatch) -> None:
    """Credentials in the environment."""
    monkeypatch.setenv("MAKERTIME_CALDAV_USERNAME", USER)
    monkeypatch.setenv("MAKERTIME_CALDAV_PASSWORD", PASSWORD)


def _summary(read: CalendarRead) -> tuple[object, ...]:
    """What a read says, without where it came from (URL or path)."""
    instances = sorted((i.uid, i.summary, i.start, i.end, i.kind, i.categories)
                       for i in read.instances)
    tasks = sorted((t.id, t.title, t.estimate_minutes, t.deadline, t.priority) for t in read.tasks)
    return tuple(instances), tuple(tasks), tuple(sorted(w.message for w in read.warnings))


def _as_folder(tmp_path: Path, items: dict[str, str]) -> CalendarRead:
    """The same items read as a folder of .ics files, merged into one read."""
    for name, text in items.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    reads = IcsFolder(tmp_path).read(FIRST, LAST)
    return CalendarRead(source="folder",
                        instances=tuple(i for r in reads for i in r.instances),
                        tasks=tuple(t for r in reads for t in r.tasks),
                        warnings=tuple(w for r in reads for w in r.warnings))


@pytest.mark.usefixtures("logged_in")
def test_events_recurrence_zones_and_tasks_read_as_from_files(calendar: str,
                                                              tmp_path: Path) -> None:
    reads = read_calendars([calendar], FIRST, LAST)
    assert len(reads) == 1
    read = reads[0]
    assert read.source == calendar
    standups = [i for i in read.instances
                if i.uid == "standup@example.com" and i.start.date() <= LAST]
    assert [i.start.day for i in standups] == [23, 24, 26, 27]  # the 25th is an EXDATE
    review = next(i for i in read.instances if i.uid == "review@example.com")
    assert (review.start, review.end) == (datetime(2026, 3, 24, 13, 0, tzinfo=UTC),
                                          datetime(2026, 3, 24, 14, 30, tzinfo=UTC))
    stream = next(i for i in read.instances if i.uid == "stream@example.com")
    assert stream.categories == ("LIVE",)
    assert [(t.id, t.estimate_minutes) for t in read.tasks] == [("blog@example.com", 150)]
    assert read.components == {"VEVENT": 3, "VTODO": 1, "VTIMEZONE": 1}
    assert _summary(read) == _summary(_as_folder(tmp_path, ITEMS))


def test_credentials_from_a_netrc_file(calendar: str, tmp_path: Path,
                                       monkeypatch: pytest.MonkeyPatch) -> None:
    netrc = tmp_path / "netrc"
    netrc.write_text(f"machine 127.0.0.1 login {USER} password {PASSWORD}\n", encoding="utf-8")
    monkeypatch.setenv("NETRC", str(netrc))
    assert credentials_reference(calendar) == "netrc"
    assert credentials_for(calendar) == Credentials(USER, PASSWORD, "netrc")
    [read] = read_calendars([calendar], FIRST, LAST)
    assert {i.uid for i in read.instances} == {"standup@example.com", "review@example.com",
                                               "stream@example.com"}


def test_the_environment_wins_over_netrc(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    netrc = tmp_path / "netrc"
    netrc.write_text("machine example.com login bob password hunter2\n", encoding="utf-8")
    monkeypatch.setenv("NETRC", str(netrc))
    url = "https://example.com/dav/work/"
    assert credentials_reference(url) == "netrc"
    monkeypatch.setenv("MAKERTIME_CALDAV_USERNAME", "ana")
    monkeypatch.setenv("MAKERTIME_CALDAV_PASSWORD", "s3cret")
    assert credentials_for(url) == Credentials("ana", "s3cret", "env")
    assert credentials_reference(url) == "env"
    assert "s3cret" not in repr(credentials_for(url))
    assert credentials_reference("https://elsewhere.example.org/") == "env"


def test_no_credentials_anywhere(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    netrc = tmp_path / "netrc"
    netrc.write_text("machine example.com login bob password hunter2\n", encoding="utf-8")
    monkeypatch.setenv("NETRC", str(netrc))
    assert credentials_for("https://other.example.org/cal/") is None
    assert credentials_reference("https://other.example.org/cal/") == "none"


def test_a_malformed_netrc_is_one_line_without_the_password(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    netrc = tmp_path / "netrc"
    # the parser would quote the stray token, here the password
    netrc.write_text("machine example.com login bob\nhunter2\n", encoding="utf-8")
    monkeypatch.setenv("NETRC", str(netrc))
    with pytest.raises(SourceError) as caught:
        credentials_for("https://example.com/cal/")
    message = str(caught.value)
    assert message.startswith(f"{netrc} line ")
    assert ": is not a valid netrc file (write entries as: machine HOST" in message
    assert "hunter2" not in message and "\n" not in message


def test_public_url_drops_a_password_written_into_the_url() -> None:
    assert public_url("https://ana:hunter2@cal.example.com:8443/dav/") == (
        "https://cal.example.com:8443/dav/")
    assert public_url("https://cal.example.com/dav/") == "https://cal.example.com/dav/"


def _change_delete_add(server: RadicaleServer, calendar: str) -> None:
    moved = ITEMS["stream.ics"].replace("T180000Z", "T190000Z").replace("T220000Z", "T230000Z")
    server.put(server.item_url(calendar, "stream.ics"), moved)
    server.delete(server.item_url(calendar, "review.ics"))
    server.put(server.item_url(calendar, "extra.ics"), wrapped("""BEGIN:VEVENT
UID:extra@example.com
DTSTAMP:20260101T000000Z
SUMMARY:Extra call
DTSTART:20260327T100000Z
DTEND:20260327T103000Z
END:VEVENT
"""))


def _full_read(server: RadicaleServer, calendar: str) -> CalendarRead:
    [read] = CalDavCalendar(calendar, credentials=server.credentials).read(FIRST, LAST)
    return read


def test_a_second_read_fetches_only_what_changed_by_sync_token(server: RadicaleServer,
                                                               calendar: str) -> None:
    source = CalDavCalendar(calendar, credentials=server.credentials)
    source.read(FIRST, LAST)
    assert source.stats is not None and source.stats.mode == "full"
    assert len(source.stats.fetched) == 4
    assert source.state is not None and source.state.sync_token

    _change_delete_add(server, calendar)
    again = CalDavCalendar(calendar, credentials=server.credentials, state=source.state)
    [read] = again.read(FIRST, LAST)
    assert again.stats is not None and again.stats.mode == "sync"
    names = sorted(href.rsplit("/", 1)[1] for href in again.stats.fetched)
    assert names == ["extra.ics", "stream.ics"]
    assert [href.rsplit("/", 1)[1] for href in again.stats.removed] == ["review.ics"]
    assert again.stats.requests == 2  # one sync-collection REPORT, one calendar-multiget
    assert _summary(read) == _summary(_full_read(server, calendar))
    assert "review@example.com" not in {i.uid for i in read.instances}

    unchanged = CalDavCalendar(calendar, credentials=server.credentials, state=again.state)
    unchanged.read(FIRST, LAST)
    assert unchanged.stats is not None
    assert (unchanged.stats.fetched, unchanged.stats.removed) == ((), ())
    assert unchanged.stats.requests == 1


@pytest.mark.parametrize("token", ["http://radicale.org/ns/sync/" + "0" * 64, "bogus", None])
def test_a_refused_or_missing_token_falls_back_to_etags(server: RadicaleServer, calendar: str,
                                                        token: str | None) -> None:
    first = fetch_collection(calendar, credentials=server.credentials, state=None)
    _change_delete_add(server, calendar)
    stale = replace(first, sync_token=token)
    fetched = fetch(calendar, credentials=server.credentials, state=stale)
    assert fetched.stats.mode == "etag"
    assert sorted(h.rsplit("/", 1)[1] for h in fetched.stats.fetched) == ["extra.ics",
                                                                           "stream.ics"]
    assert fetched.state.sync_token  # the listing brought a fresh token
    full = fetch_collection(calendar, credentials=server.credentials, state=None)
    assert {h: i.data for h, i in fetched.state.items.items()} == {
        h: i.data for h, i in full.items.items()}


def test_a_state_of_another_collection_is_not_used(server: RadicaleServer, calendar: str) -> None:
    other = CollectionState(url=server.new_calendar(), sync_token=None)
    fetched = fetch(calendar, credentials=server.credentials, state=other)
    assert fetched.stats.mode == "full" and len(fetched.stats.fetched) == 4


def test_big_collections_download_in_batches_with_progress(
        server: RadicaleServer, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(collection, "MULTIGET_BATCH", 2)
    calendar = server.new_calendar()
    for n in range(5):
        server.put(server.item_url(calendar, f"e{n}.ics"), wrapped(f"""BEGIN:VEVENT
UID:e{n}@example.com
DTSTAMP:20260101T000000Z
SUMMARY:Event {n}
DTSTART:2026032{3 + n}T100000Z
DTEND:2026032{3 + n}T110000Z
END:VEVENT
"""))
    messages: list[str] = []
    source = CalDavCalendar(calendar, credentials=server.credentials)
    [read] = source.read(FIRST, LAST, progress=messages.append)
    assert len(read.instances) == 5
    assert messages == [calendar, f"{calendar}: 2 of 5 items", f"{calendar}: 4 of 5 items",
                        f"{calendar}: 5 of 5 items"]
    assert source.stats is not None and source.stats.requests == 1 + 3


def _one_line_error(url: str, credentials: Credentials | None = None,
                    kind: type[MakertimeError] = SourceError) -> str:
    with pytest.raises(kind) as caught:
        CalDavCalendar(url, credentials=credentials).read(FIRST, LAST)
    message = str(caught.value)
    assert "\n" not in message and "Traceback" not in message
    assert message.startswith(public_url(url))
    return message


def test_a_wrong_password_is_one_line_and_never_shown(server: RadicaleServer,
                                                      calendar: str) -> None:
    message = _one_line_error(calendar, Credentials(USER, "not-the-password"))
    assert "refused the credentials" in message
    assert "MAKERTIME_CALDAV_USERNAME" in message and "~/.netrc" in message
    assert "not-the-password" not in message


def test_no_credentials_for_a_server_that_asks(calendar: str) -> None:
    assert "asks for credentials and none are set" in _one_line_error(calendar)


def test_a_collection_of_another_user_is_refused(server: RadicaleServer) -> None:
    message = _one_line_error(f"{server.base_url}bob/work/", server.credentials)
    assert "refused access" in message


def test_an_unreachable_server_is_one_line() -> None:
    port = free_port()
    message = _one_line_error(f"http://127.0.0.1:{port}/ana/work/", Credentials(USER, PASSWORD),
                              ServerError)
    assert f"cannot reach the CalDAV server at 127.0.0.1:{port}: connection refused" in message
    assert "connection refused" in message
    assert "check the URL and that the server is running" in message


def test_an_unknown_host_is_one_line() -> None:
    message = _one_line_error("http://makertime-no-such-host.invalid/dav/", kind=ServerError)
    assert "cannot reach the CalDAV server at makertime-no-such-host.invalid" in message


def test_a_missing_collection_is_one_line(server: RadicaleServer) -> None:
    message = _one_line_error(server.unused_calendar_url(), server.credentials)
    assert "no CalDAV collection here" in message and "404" in message


def test_a_collection_that_is_not_a_calendar_is_one_line(server: RadicaleServer) -> None:
    assert "is not a calendar collection" in _one_line_error(server.home(), server.credentials)


@pytest.mark.usefixtures("logged_in")
def test_open_source_routes_urls_to_caldav(calendar: str) -> None:
    source = open_source(calendar)
    assert isinstance(source, CalDavCalendar)
    assert source.credentials == Credentials(USER, PASSWORD, "env")
    with pytest.raises(SourceError, match="is a CalDAV collection, not a file"):
        source.files()


@pytest.mark.usefixtures("logged_in")
def test_reads_go_through_the_instance_cache(calendar: str) -> None:
    from makertime.calendars.cache import InstanceCache

    cache = InstanceCache()
    first = read_calendars([calendar], FIRST, LAST, cache=cache)
    entries = sorted(p.name for p in cache.directory.glob("*.json"))
    assert len(entries) == 4  # one per item
    assert _summary(read_calendars([calendar], FIRST, LAST, cache=cache)[0]) == _summary(first[0])


def test_tls_that_fails_is_a_setting_to_fix_not_a_server_to_wait_for(
        server: RadicaleServer) -> None:
    # https to a server that speaks plain http: the handshake fails at once
    plain = urlsplit(server.base_url)
    message = _one_line_error(f"https://{plain.netloc}/ana/work/", server.credentials)
    assert f"TLS with {plain.netloc} failed" in message and "https or http" in message
