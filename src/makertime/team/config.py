"""team.toml → Team: the team, its fairness, its duties and its members, validated.

Pure: the caller reads the file (``makertime.tomlfile.load_toml(path, TeamError, "team.toml",
most=TEAM_FILE_MOST)``) and hands the parsed mapping in with the folder it was read from, against
which relative paths resolve. Any mistake raises TeamError with one line naming the file, where
(``member "ana"``), the key, what was found and what to write instead. Counts are bounded before
anything is walked: a team of thousands is refused before its first member is read.
"""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path
from typing import Any

from makertime.limits import limit
from makertime.policy import RULE_MINUTES
from makertime.team.config_values import PLACE_CHARS, REGEX_CHARS, TEXT_CHARS, Values
from makertime.team.model import Duty, DutyKind, Fairness, Limits, Member, Team
from makertime.text import clean

TEAM_FILE_MOST = limit("team.file_bytes")  # a real team.toml takes a few kilobytes
MOST_MEMBERS = limit("team.members")
MOST_DUTIES = limit("team.duties")
MOST_SEATS = limit("team.seats")  # people on one crew event
MOST_CALENDARS = limit("team.calendars")  # per member, and the team's events calendars
MOST_TURN_DAYS = 28
MOST_HELD = 1000  # a duty's or member's max_per_week and max_per_period
MOST_RELIEVES = 10  # sync windows a day
MOST_WEIGHT = 10.0  # a night, weekend or holiday hour counts at most this many plain hours
MOST_SPREAD_HOURS = 10_000.0
MOST_REST_HOURS = 48

_TOP = ("team", "fairness", "duty", "member")
_TEAM = ("name", "timezone", "holidays", "events")
_FAIRNESS = ("night", "weekend", "holiday", "night_hours", "max_spread_hours",
             "max_on_call_share", "rest_after_night_hours")
_LIMITS = ("max_per_week", "max_per_period")
_COMMON = ("id", "kind", "skills", *_LIMITS)
_BY_KIND = {
    DutyKind.SHIELD: ("days", "relieves"),
    DutyKind.ON_CALL: ("turn", "handoff", "secondary", "back_to_back"),
    DutyKind.CREW: ("match", "seats", "prep_minutes", "teardown_minutes", "rest_before_minutes",
                    "recover_after_minutes"),
}
_MATCH = ("categories", "summary")
_MEMBER = ("id", "name", "me", "calendars", "policy", "skills", "avoid", "prefer", "days_off",
           "limits", "publish")
_TURN = re.compile(r"(\d{1,3})\s*([dw])")
_URL = re.compile(r"(?i)https?://")


def build_team(data: dict[str, Any], *, source: str, base: Path) -> Team:
    """Validate a parsed team.toml mapping (its relative paths against ``base``) into a Team."""
    check = Values(source)
    check.known("", data, _TOP)
    if "team" not in data:
        check.problem("", "has no [team] table", "write [team] with timezone = \"Europe/Zagreb\"")
    head = check.table("", "team", data["team"], "write [team] with its keys below it")
    check.known("", head, _TEAM, "team.")
    if "timezone" not in head:
        check.problem("", "team.timezone is missing",
                      "write e.g. timezone = \"Europe/Zagreb\" under [team]")
    name = check.text("", "team.name", head.get("name", "team"))
    zone = check.zone("", "team.timezone", head["timezone"])
    holidays = check.region("", "team.holidays", head.get("holidays", ""))
    events = tuple(_places(check, "", "team.events", head.get("events", []), base))
    fairness = _fairness(check, check.table("", "fairness", data.get("fairness", {})))
    duty_tables = _tables(check, data, "duty", MOST_DUTIES)
    member_tables = _tables(check, data, "member", MOST_MEMBERS)  # both counted before any is read
    duties = tuple(_duty(check, index, table) for index, table in enumerate(duty_tables, 1))
    _unique(check, "duty", [duty.id for duty in duties])
    for duty in duties:
        if duty.kind is DutyKind.CREW and not events:
            check.problem(f'duty "{duty.id}"', "a crew duty needs the team's events calendars",
                          "write e.g. events = [\"events.ics\"] under [team]")
    members = tuple(_member(check, index, table, duties, base)
                    for index, table in enumerate(member_tables, 1))
    _unique(check, "member", [member.id for member in members])
    return Team(
        name=name, timezone=zone, holidays=holidays, events=events, members=members,
        duties=duties, fairness=fairness, source=source,
    )


def _tables(check: Values, data: dict[str, Any], name: str, most: int) -> list[dict[str, Any]]:
    """The ``[[name]]`` tables: at least one, at most ``most``."""
    found = data.get(name)
    example = "[[duty]] with id and kind" if name == "duty" else "[[member]] with id"
    if found is None or found == []:
        check.problem("", f"has no [[{name}]]", f"write at least one {example}")
    if not isinstance(found, list) or not all(isinstance(t, dict) for t in found):
        check.fail("", name, found, f"must be [[{name}]] tables", f"write {example}")
    if len(found) > most:
        check.problem("", f"holds {len(found):,} [[{name}]] tables, more than the {most:,} "
                      "allowed", "split the team")
    return found


def _unique(check: Values, what: str, ids: list[str]) -> None:
    """Refuse two ``[[what]]`` tables with one id."""
    seen: set[str] = set()
    for found in ids:
        if found in seen:
            check.problem(f'{what} "{found}"', f"id \"{found}\" is used by two [[{what}]]",
                          f"give each {what} its own id")
        seen.add(found)


def _fairness(check: Values, table: dict[str, Any]) -> Fairness:
    """[fairness], every key optional."""
    check.known("", table, _FAIRNESS, "fairness.")
    plain = Fairness()

    def weight(key: str) -> float:
        return check.number("", f"fairness.{key}", table.get(key, getattr(plain, key)), 0.0,
                            MOST_WEIGHT, unit="times a plain hour")

    night = [plain.night_start, plain.night_end]
    if "night_hours" in table:
        pair = check.items("", "fairness.night_hours", table["night_hours"], 2,
                           "[\"22:00\", \"07:00\"]")
        night = [check.clock("", "fairness.night_hours", value) for value in pair]
        if len(night) != 2 or night[0] == night[1]:
            check.fail("", "fairness.night_hours", table["night_hours"],
                       "must be a start and a different end", "write e.g. [\"22:00\", \"07:00\"]")
    spread = table.get("max_spread_hours")
    return Fairness(
        night=weight("night"), weekend=weight("weekend"), holiday=weight("holiday"),
        night_start=night[0], night_end=night[1],
        max_spread=None if spread is None else check.number(
            "", "fairness.max_spread_hours", spread, 0.0, MOST_SPREAD_HOURS, unit="weighted hours"),
        max_on_call_share=check.number(
            "", "fairness.max_on_call_share", table.get("max_on_call_share",
                                                        plain.max_on_call_share),
            0.0, 1.0, unit="a share of the period: 0.25 is a quarter"),
        rest_after_night_hours=check.whole(
            "", "fairness.rest_after_night_hours",
            table.get("rest_after_night_hours", plain.rest_after_night_hours), 0,
            MOST_REST_HOURS, unit="hours"),
    )


def _limits(check: Values, where: str, table: dict[str, Any], prefix: str = "") -> Limits:
    """max_per_week and max_per_period of ``table``, each optional."""
    def held(key: str) -> int | None:
        value = table.get(key)
        return None if value is None else check.whole(where, prefix + key, value, 0, MOST_HELD,
                                                      unit="turns, days or seats")

    return Limits(per_week=held("max_per_week"), per_period=held("max_per_period"))


def _identified(check: Values, what: str, index: int, data: object, example: str) -> str:
    """The id of the ``index``-th ``[[what]]`` table."""
    where = f"{what} #{index}"
    table = check.table("", f"{what} #{index}", data)
    if "id" not in table:
        check.problem(where, "has no id", f"write e.g. id = \"{example}\"")
    return check.word(where, "id", table["id"], example)


def _duty(check: Values, index: int, table: dict[str, Any]) -> Duty:
    """One [[duty]] table: its common keys, then those of its kind."""
    duty_id = _identified(check, "duty", index, table, "shield")
    where = f'duty "{duty_id}"'
    kinds = ", ".join(f'"{kind.value}"' for kind in DutyKind)
    if "kind" not in table:
        check.problem(where, "has no kind", f"write kind = one of {kinds}")
    if not isinstance(table["kind"], str) or table["kind"] not in {k.value for k in DutyKind}:
        check.fail(where, "kind", table["kind"], f"is not a duty (write one of {kinds})")
    kind = DutyKind(table["kind"])
    check.known(where, table, (*_COMMON, *_BY_KIND[kind]))
    duty = Duty(id=duty_id, kind=kind, skills=check.words(where, "skills",
                                                          table.get("skills", []), "audio"),
                limits=_limits(check, where, table))
    if kind is DutyKind.SHIELD:
        return _shield(check, where, table, duty)
    if kind is DutyKind.ON_CALL:
        return _on_call(check, where, table, duty)
    return _crew(check, where, table, duty)


def _shield(check: Values, where: str, table: dict[str, Any], duty: Duty) -> Duty:
    """A shield's days and the sync windows it leaves the others."""
    days = check.weekdays(where, "days", table.get("days", ["mon", "tue", "wed", "thu", "fri"]))
    if not days:
        check.fail(where, "days", table["days"], "must name at least one weekday",
                   "write e.g. days = [\"mon\", \"tue\", \"wed\", \"thu\", \"fri\"]")
    relieves = check.whole(where, "relieves", table.get("relieves", duty.relieves), 0,
                           MOST_RELIEVES, unit="sync windows a day")
    return replace(duty, days=days, relieves=relieves)


def _on_call(check: Values, where: str, table: dict[str, Any], duty: Duty) -> Duty:
    """An on-call duty's turn, handoff and second holder."""
    turn = table.get("turn", "7d")
    found = _TURN.fullmatch(turn.strip().lower()) if isinstance(turn, str) else None
    days = 0 if found is None else int(found[1]) * (7 if found[2] == "w" else 1)
    if not 1 <= days <= MOST_TURN_DAYS:
        check.fail(where, "turn", turn, f"is not a turn of 1 to {MOST_TURN_DAYS} days",
                   "write e.g. turn = \"7d\" or \"1w\"")
    handoff = table.get("handoff", "mon 10:00")
    parts = handoff.split() if isinstance(handoff, str) and len(handoff) <= 40 else []
    if len(parts) != 2:
        check.fail(where, "handoff", handoff, "is not a weekday and a time of day",
                   "write e.g. handoff = \"mon 10:00\"")
    return replace(
        duty, turn_days=days, handoff_weekday=check.weekday(where, "handoff", parts[0]),
        handoff_time=check.clock(where, "handoff", parts[1], "10:00"),
        secondary=check.flag(where, "secondary", table.get("secondary", False)),
        back_to_back=check.flag(where, "back_to_back", table.get("back_to_back", False)))


def _crew(check: Values, where: str, table: dict[str, Any], duty: Duty) -> Duty:
    """A crew's match, its seats, and the time around each event."""
    fix = "write e.g. match = { categories = [\"LIVE\"] } or match = { summary = \"(?i)stream\" }"
    if "match" not in table:
        check.problem(where, "a crew duty needs a match", fix)
    match = check.table(where, "match", table["match"], fix)
    check.known(where, match, _MATCH, "match.")
    if not match:
        check.fail(where, "match", match, "needs categories or a summary", fix)
    categories = check.strings(where, "match.categories", match.get("categories", []), 50,
                               "[\"LIVE\"]", chars=TEXT_CHARS)
    summary = match.get("summary")
    if summary is not None:
        if not isinstance(summary, str) or not 0 < len(summary) <= REGEX_CHARS:
            check.fail(where, "match.summary", summary, "must be a regular expression of 1 to "
                       f"{REGEX_CHARS} characters", "write e.g. summary = \"(?i)stream\"")
        try:
            re.compile(summary)
        except re.error as error:
            check.fail(where, "match.summary", summary, f"is not a regular expression: {error}")
    def minutes(key: str) -> int:
        return check.whole(where, key, table.get(key, 0), 0, RULE_MINUTES, unit="minutes")

    return replace(duty, categories=tuple(categories), summary=summary,
                   seats=_seats(check, where, table), prep_minutes=minutes("prep_minutes"),
                   teardown_minutes=minutes("teardown_minutes"),
                   rest_before_minutes=minutes("rest_before_minutes"),
                   recover_after_minutes=minutes("recover_after_minutes"))


def _seats(check: Values, where: str, table: dict[str, Any]) -> tuple[tuple[str, int], ...]:
    """A crew's seats: skill → people, at least one and at most ``MOST_SEATS`` in all."""
    fix = "write e.g. seats = { audio = 1, video = 1 }"
    if "seats" not in table:
        check.problem(where, "a crew duty needs seats", fix)
    seats = check.table(where, "seats", table["seats"], fix)
    if not seats or len(seats) > MOST_SEATS:
        check.fail(where, "seats", seats, f"must name 1 to {MOST_SEATS} skills", fix)
    found = tuple((check.word(where, "seats", skill, "audio"),
                   check.whole(where, f"seats.{skill}", people, 1, MOST_SEATS,
                               unit="people"))
                  for skill, people in seats.items())
    if sum(people for _, people in found) > MOST_SEATS:
        check.fail(where, "seats", seats, f"add up to more than the {MOST_SEATS} people allowed "
                   "on one event")
    return found


def _member(check: Values, index: int, table: dict[str, Any], duties: tuple[Duty, ...],
            base: Path) -> Member:
    """One [[member]] table."""
    member_id = _identified(check, "member", index, table, "ana")
    where = f'member "{member_id}"'
    check.known(where, table, _MEMBER)
    policy = table.get("policy")
    return Member(
        id=member_id,
        name=check.text(where, "name", table.get("name", member_id)),
        me=check.addresses(where, "me", table.get("me", [])),
        calendars=tuple(_places(check, where, "calendars", table.get("calendars", []), base)),
        policy=None if policy is None else _path(check, where, "policy", policy, base),
        skills=frozenset(check.words(where, "skills", table.get("skills", []), "audio")),
        limits=_member_limits(check, where, table.get("limits", {}), duties),
        avoid=check.weekdays(where, "avoid", table.get("avoid", [])),
        prefer=check.dates(where, "prefer", table.get("prefer", [])),
        days_off=check.dates(where, "days_off", table.get("days_off", [])),
        publish=_target(check, where, table.get("publish"), base),
    )


def _target(check: Values, where: str, value: object, base: Path) -> str:
    """Where a member's duties are published: a CalDAV URL as written, an .ics file made
    absolute against ``base`` ("" when none is given)."""
    if value is None:
        return ""
    found = _places(check, where, "publish", [value] if isinstance(value, str) else value, base)
    if len(found) != 1 or not (_URL.match(found[0]) or found[0].lower().endswith(".ics")):
        check.fail(where, "publish", value, "is not a CalDAV calendar URL or an .ics file (write "
                   'e.g. publish = "https://dav.example.org/ana/duties/" or "ana-duties.ics")')
    return found[0]


def _member_limits(check: Values, where: str, data: object,
                   duties: tuple[Duty, ...]) -> dict[str, Limits]:
    """A member's own limits, per duty id, over the duty's."""
    table = check.table(where, "limits", data, "write [member.limits] with one line per duty")
    known = [duty.id for duty in duties]
    found: dict[str, Limits] = {}
    for duty_id, limits in table.items():
        if duty_id not in known:
            check.problem(where, f"limits name the duty {clean(str(duty_id), chars=60)}, which "
                          "no [[duty]] defines", "the duties are: " + ", ".join(known))
        row = check.table(where, f"limits.{duty_id}", limits,
                          f"write e.g. {duty_id} = {{ max_per_week = 1, max_per_period = 2 }}")
        check.known(where, row, _LIMITS, f"limits.{duty_id}.")
        found[duty_id] = _limits(check, where, row, f"limits.{duty_id}.")
    return found


def _places(check: Values, where: str, key: str, value: object, base: Path) -> list[str]:
    """Calendars as CAL arguments take them: a URL as written, a file or folder made absolute
    against ``base``, anything else a remembered source's name."""
    found = []
    for text in check.strings(where, key, value, MOST_CALENDARS, "[\"ana.ics\"]"):
        if _URL.match(text):
            found.append(text)
        elif "/" in text or text.lower().endswith(".ics") or _exists(base, text):
            found.append(_absolute(check, where, key, text, base))
        else:
            found.append(text)
    return list(dict.fromkeys(found))


def _absolute(check: Values, where: str, key: str, text: str, base: Path) -> str:
    """The absolute path ``text`` names, links and ``..`` resolved."""
    try:
        return str(_path(check, where, key, text, base).resolve())
    except (OSError, RuntimeError) as error:  # a loop of links
        check.fail(where, key, text, f"cannot be resolved: {error}")


def _exists(base: Path, text: str) -> bool:
    """Whether ``text`` names a file or folder in ``base`` (looked at, not opened)."""
    try:
        return (base / text).exists()
    except (OSError, ValueError):
        return False


def _path(check: Values, where: str, key: str, value: object, base: Path) -> Path:
    """A path as written, ``~`` expanded, relative to ``base``."""
    if not isinstance(value, str) or not value.strip() or len(value) > PLACE_CHARS:
        check.fail(where, key, value, f"must be a path of 1 to {PLACE_CHARS:,} characters")
    if clean(value, chars=PLACE_CHARS) != value.strip():
        check.fail(where, key, value, "holds control characters or line breaks")
    try:
        return base / Path(value.strip()).expanduser()
    except RuntimeError as error:  # ~name of nobody, or no home to expand ~ to
        check.fail(where, key, value, f"cannot be expanded: {error}")
