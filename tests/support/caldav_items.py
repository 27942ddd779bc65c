"""The calendar objects the CalDAV tests read: events in and out of the week, a series, a
VTODO, a VTIMEZONE of the server's own; and a fresh calendar on Radicale holding them."""

from __future__ import annotations

from tests.support.radicale import RadicaleServer


def wrapped(body: str) -> str:
    """``body`` inside a VCALENDAR."""
    header = "BEGIN:VCALENDAR\nVERSION:2.0\nPRODID:-//makertime tests//caldav//EN\n"
    return f"{header}{body}END:VCALENDAR\n"


ZAGREB = """BEGIN:VTIMEZONE
TZID:Europe/Zagreb
BEGIN:STANDARD
DTSTART:19701025T030000
RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU
TZOFFSETFROM:+0200
TZOFFSETTO:+0100
END:STANDARD
BEGIN:DAYLIGHT
DTSTART:19700329T020000
RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU
TZOFFSETFROM:+0100
TZOFFSETTO:+0200
END:DAYLIGHT
END:VTIMEZONE
"""

ITEMS = {
    "standup.ics": wrapped("""BEGIN:VEVENT
UID:standup@example.com
DTSTAMP:20260101T000000Z
SUMMARY:Standup
DTSTART:20260302T090000Z
DTEND:20260302T091500Z
RRULE:FREQ=DAILY;BYDAY=MO,TU,WE,TH,FR
EXDATE:20260325T090000Z
END:VEVENT
"""),
    "review.ics": wrapped(ZAGREB + """BEGIN:VEVENT
UID:review@example.com
DTSTAMP:20260101T000000Z
SUMMARY:Design review
DTSTART;TZID=Europe/Zagreb:20260324T140000
DTEND;TZID=Europe/Zagreb:20260324T153000
END:VEVENT
"""),
    "stream.ics": wrapped("""BEGIN:VEVENT
UID:stream@example.com
DTSTAMP:20260101T000000Z
SUMMARY:Live stream
CATEGORIES:LIVE
DTSTART:20260326T180000Z
DTEND:20260326T220000Z
END:VEVENT
"""),
    "blog.ics": wrapped("""BEGIN:VTODO
UID:blog@example.com
DTSTAMP:20260101T000000Z
SUMMARY:Write the blog post
X-MAKERTIME-ESTIMATE:2h30m
DUE:20260327T160000Z
PRIORITY:2
END:VTODO
"""),
}


def calendar_with_items(server: RadicaleServer) -> str:
    """A fresh calendar on ``server`` holding ITEMS; its URL."""
    url = server.new_calendar()
    for name, text in ITEMS.items():
        server.put(server.item_url(url, name), text)
    return url
