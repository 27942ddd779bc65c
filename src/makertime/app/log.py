"""What a person tells makertime as the week goes: interruptions (logged, corrected, listed)
and remembered sources."""

from __future__ import annotations

import re
from datetime import datetime, time, timedelta, tzinfo
from pathlib import Path

from makertime.app.past_weeks import Costly, costs
from makertime.errors import OptionError, SourceError, param
from makertime.model import Interval, option_moment, to_utc
from makertime.store import Interruption, Source, Store
from makertime.text import clean

_CLOCK = re.compile(r"^\s*(\d{1,2}):(\d{2})\s*$")
_TEXT_CHARS = 200  # what it was, in a few words: cut there, ending in …


LONGEST_DAY = 25 * 60
"""Minutes of the longest local day (the one a clock goes back on)."""


def interruption_start(at: str | None, minutes: int, now: datetime, zone: tzinfo) -> datetime:
    """When an interruption began: ``at`` as HH:MM today (or a full date and time), else
    ``minutes`` before ``now`` (it has just ended)."""
    if at is None:
        # real minutes, across a DST change too; past a day's worth (which check_minutes then
        # refuses) no further back, so that no number of minutes runs off the calendar
        back = max(-LONGEST_DAY, min(minutes, LONGEST_DAY))
        return to_utc(now) - timedelta(minutes=back)
    found = _CLOCK.match(at)
    if found:
        hour, minute = int(found[1]), int(found[2])
        if hour > 23 or minute > 59:
            raise OptionError("at", f"{at!r} is not a time of day", "write e.g. 14:05")
        day = now.astimezone(zone).date()
        return datetime.combine(day, time(hour, minute), tzinfo=zone)
    return option_moment(at, zone, "at", "14:05 or 2026-03-25T14:05")


def day_of(moment: datetime, zone: tzinfo) -> Interval:
    """The local calendar day ``moment`` falls on, midnight to midnight (23 to 25 hours)."""
    day = moment.astimezone(zone).date()
    return Interval(to_utc(datetime.combine(day, time(), tzinfo=zone)),
                    to_utc(datetime.combine(day + timedelta(days=1), time(), tzinfo=zone)))


def check_minutes(minutes: int, start: datetime, zone: tzinfo) -> None:
    """Refuse ``minutes`` outside 1..the length of the day the interruption began on, or
    running past that day's midnight: an interruption lies within one day, as the day's focus
    it cost is measured (one that ran past midnight is logged as two)."""
    day = day_of(start, zone)
    if minutes < 1:
        raise OptionError("minutes", f"{minutes} is not how long something took",
                          f"give the minutes it took, from 1 to {day.minutes}")
    name = f"{day.start.astimezone(zone):%a %d %b}"
    if minutes > day.minutes:
        raise OptionError("minutes", f"{minutes} is more than the {day.minutes} minutes of "
                          f"{name}", f"an interruption lies within one day: give at most "
                          f"{day.minutes}, and log each day's part as its own interruption")
    if to_utc(start) + timedelta(minutes=minutes) > day.end:
        before = Interval(to_utc(start), day.end).minutes
        begun = start.astimezone(zone)
        minutes_, at = param("minutes"), param("at")
        raise OptionError("minutes", f"{minutes} from {begun:%a %d %b %H:%M} runs past "
                          f"midnight", f"an interruption lies within one day: log "
                          f"{minutes_} {before} {at} {begun:%Y-%m-%dT%H:%M}, then "
                          f"{minutes_} {minutes - before} {at} "
                          f"{day.end.astimezone(zone):%Y-%m-%dT%H:%M}")


def log_interruption(store: Store, text: str, minutes: int, *, at: str | None, now: datetime,
                     zone: tzinfo) -> Interruption:
    """Log unplanned sync work; the next ``replan`` plans around it."""
    text = clean(text, chars=_TEXT_CHARS)
    if not text:
        raise OptionError("text", "an interruption needs a few words saying what it was",
                          f'e.g. makertime interrupt "CDN alert" {param("minutes")} 40')
    if minutes < 1:  # refused before a start is worked out from it (its day: --at's, or now's)
        check_minutes(minutes, interruption_start(at, 0, now, zone), zone)
    start = interruption_start(at, minutes, now, zone)
    if start > now:
        when = start.astimezone(zone).strftime("%a %d %b %H:%M")
        raise OptionError("at", f"{at} ({when}) is later than now",
                          f"log an interruption once it has begun; {param('now')} sets another "
                          "moment")
    check_minutes(minutes, start, zone)
    return store.log_interruption(text, start, minutes, now)


def edit_interruption(store: Store, number: int, minutes: int,
                      zone: tzinfo) -> tuple[Costly, Costly]:
    """Set how long interruption ``number`` lasted (from the same start); returns it, with
    the focus it cost, before and after."""
    check_minutes(minutes, store.interruption(number).start, zone)
    before, after = store.edit_interruption(number, minutes)
    was, becomes = costs(store, [before, after])
    return was, becomes


def remove_interruption(store: Store, number: int) -> Interruption:
    """Forget interruption ``number`` (logged by mistake); returns what it was."""
    return store.remove_interruption(number)


def logged_interruptions(store: Store) -> list[Costly]:
    """``makertime interruptions``: every logged interruption by start, with its focus cost."""
    return costs(store, store.interruptions())


def add_source(store: Store, name: str, url: str, *, clock: datetime) -> tuple[Source, int]:
    """Remember a calendar by name: a CalDAV collection URL (credentials by reference only) or
    an .ics file or folder. A collection is read once first, so a wrong URL or password is
    found now; returns the source and how many calendar objects it holds (0 for files)."""
    from makertime.calendars import is_url
    from makertime.calendars.caldav import fetch
    from makertime.calendars.credentials import credentials_for, credentials_reference
    from makertime.inputs import checked_url

    if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9_.-]*", name):
        raise SourceError(name, "is not a source name",
                          "use letters, digits, '-', '_' or '.', e.g. work")
    if is_url(url):
        checked_url(url)
        fetched = fetch(url, credentials=credentials_for(url), state=store.collection_state(url))
        source = store.add_source(name, url, credentials_reference(url), clock)
        store.save_collection_state(fetched.state)
        return source, len(fetched.state.items)
    path = Path(url).expanduser()
    if not path.exists():
        raise SourceError(url, "no such file or folder",
                          "give a CalDAV collection URL, an .ics file or a folder of them")
    return store.add_source(name, str(path.resolve()), "none", clock), 0
