"""policy.toml → Policy, validated against the schema in ``defaults.py``.

Every key is optional. A wrong key or value raises PolicyError naming the key, the value found
and what is allowed, so a person can fix the file from the message alone.
"""

from __future__ import annotations

import contextlib
import os
import re
from dataclasses import dataclass, field
from datetime import date, datetime, time, tzinfo
from pathlib import Path
from typing import Any, NoReturn
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from makertime.defaults import BY_KEY, SETTINGS, Kind, toml_value
from makertime.errors import PolicyError, UnknownRegion
from makertime.holiday import public_holiday, resolve_region
from makertime.limits import limit
from makertime.model import OUTSIDE_YEARS, YEARS, Attention
from makertime.text import clean
from makertime.tomlfile import load_toml

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_WEEKDAY_NAMES = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


def _policy_sections() -> dict[str, tuple[str, ...]]:
    """The [section] tables of policy.toml and their keys, in the schema's order."""
    sections: dict[str, tuple[str, ...]] = {}
    for setting in SETTINGS:
        if setting.in_policy and "." in setting.key:
            section, _, name = setting.key.partition(".")
            sections[section] = (*sections.get(section, ()), name)
    return sections


_SECTIONS = _policy_sections()
_TOP = ("timezone", "me", "rule", *_SECTIONS)
_RULE_KEYS = ("match", "attention", "drain_per_hour", "rest_before_minutes",
              "recover_after_minutes")
_MATCH_KEYS = ("categories", "summary")
RULE_MINUTES = 10080  # rest before or recovery after one event: at most a week


@dataclass(frozen=True, slots=True)
class WorkWindow:
    """The hours a person works, on which weekdays (0 = Monday), and the dates they do not:
    ``days_off`` of their own and the public holidays of ``holidays`` (``"DE-BE"``, or empty)."""

    days: frozenset[int]
    start: time
    end: time
    days_off: frozenset[date] = frozenset()
    holidays: str = ""

    def day_off(self, day: date) -> str | None:
        """Why ``day`` is a day off (``"day off"`` or the holiday's name), or None."""
        if day in self.days_off:
            return "day off"
        return public_holiday(self.holidays, day) if self.holidays else None


@dataclass(frozen=True, slots=True)
class Focus:
    """What counts as focus time."""

    min_block_minutes: int
    ramp_up_minutes: int
    maker_day_minutes: int
    max_deep_minutes_per_day: int


@dataclass(frozen=True, slots=True)
class Energy:
    """A self-declared energy budget, off unless enabled."""

    enabled: bool
    daily_budget: float
    deep_per_hour: float
    shallow_per_hour: float
    sync_per_hour: float
    switch_cost: float


@dataclass(frozen=True, slots=True)
class Sync:
    """How synchronous work is kept in check."""

    meeting_free_days: frozenset[int]
    break_every_minutes: int
    break_minutes: int
    buffer_after_minutes: int


@dataclass(frozen=True, slots=True)
class SyncWindows:
    """Windows into which interrupt streams are batched."""

    per_day: int
    minutes: int
    prefer: tuple[time, ...]


@dataclass(frozen=True, slots=True)
class AuditThresholds:
    """When the audit warns."""

    weekly_focus_warn_hours: float
    after_hours_warn_minutes: int


@dataclass(frozen=True, slots=True)
class Rule:
    """Settings for the commitments a matcher hits (any matcher may hit)."""

    categories: tuple[str, ...] = ()
    summary: re.Pattern[str] | None = None
    attention: Attention = Attention.FULL
    drain_per_hour: float | None = None
    rest_before_minutes: int = 0
    recover_after_minutes: int = 0

    def matches(self, summary: str, categories: tuple[str, ...]) -> bool:
        """True when the commitment's categories or summary hit this rule."""
        wanted = {c.casefold() for c in self.categories}
        if wanted and any(c.casefold() in wanted for c in categories):
            return True
        return self.summary is not None and self.summary.search(summary) is not None


@dataclass(frozen=True, slots=True)
class Policy:
    """A person's settings."""

    timezone: tzinfo
    me: tuple[str, ...]
    work: WorkWindow
    focus: Focus
    energy: Energy
    sync: Sync
    sync_windows: SyncWindows
    audit: AuditThresholds
    rules: tuple[Rule, ...] = field(default_factory=tuple)
    source: str = "defaults"


def weekday_of(value: object) -> int | None:
    """A weekday name ("mon" or "monday", any case) as 0 (Monday) … 6, or None."""
    name = value.strip().lower() if isinstance(value, str) else ""
    if name in _WEEKDAY_NAMES:
        return _WEEKDAY_NAMES.index(name)
    return WEEKDAYS.index(name) if name in WEEKDAYS else None


def clock_of(value: object) -> time | None:
    """A time of day in whole minutes ("HH:MM" or a TOML local time), or None."""
    if isinstance(value, time) and not (value.second or value.microsecond):
        return value.replace(tzinfo=None)
    if isinstance(value, str) and re.fullmatch(r"\d{1,2}:\d{2}", value.strip()):
        hours, minutes = (int(part) for part in value.strip().split(":"))
        if hours < 24 and minutes < 60:
            return time(hours, minutes)
    return None


def local_zone() -> tzinfo:
    """The machine's local time zone: $TZ, else /etc/localtime, as an IANA zone if possible."""
    named = os.environ.get("TZ", "").lstrip(":")
    if named:
        try:
            return ZoneInfo(named)
        except (ZoneInfoNotFoundError, ValueError, OSError):
            pass
    link = Path("/etc/localtime")
    if link.is_symlink() and "zoneinfo/" in str(link.resolve()):
        return ZoneInfo(str(link.resolve()).split("zoneinfo/", 1)[1])
    zone = datetime.now().astimezone().tzinfo
    assert zone is not None
    return zone


def load_policy(path: Path | None = None) -> Policy:
    """Read ``path`` (or nothing: the defaults, in the local zone) into a validated Policy."""
    if path is None:
        return build_policy({}, source="defaults")
    data = load_toml(path, PolicyError, "policy.toml", most=limit("policy.file_bytes"))
    return build_policy(data, source=str(path))


def build_policy(data: dict[str, Any], *, source: str = "policy") -> Policy:
    """Validate a parsed policy.toml mapping and fill in every default."""
    check = _Checker(source)
    check.known(data, _TOP, "")
    for section, keys in _SECTIONS.items():
        if section in data:
            check.known(check.table(data[section], section), keys, f"{section}.")

    def get(key: str) -> Any:
        section, _, name = key.rpartition(".")
        table = data.get(section, {}) if section else data
        value = table.get(name, BY_KEY[key].default)
        return check.value(key, value)

    def group(name: str) -> dict[str, Any]:
        return {key: get(f"{name}.{key}") for key in _SECTIONS[name]}

    work = WorkWindow(frozenset(get("work.days")), get("work.start"), get("work.end"),
                      frozenset(get("work.days_off")), get("work.holidays"))
    if work.end <= work.start:
        check.fail("work.end", data.get("work", {}).get("end", BY_KEY["work.end"].default),
                   "must be later than work.start (a work window within one day)")
    rules_data = data.get("rule", BY_KEY["rule"].default)
    if not isinstance(rules_data, list):
        check.fail("rule", rules_data, "must be [[rule]] tables")
    if len(rules_data) > limit("policy.rules"):
        raise PolicyError(source, f"holds {len(rules_data):,} [[rule]] tables, more than the "
                          f"{limit('policy.rules')} makertime matches every event against",
                          "merge rules with one regex, e.g. summary = \"(?i)live|stream\"")
    sync = group("sync")
    return Policy(
        timezone=get("timezone"),
        me=tuple(get("me")),
        work=work,
        focus=Focus(**group("focus")),
        energy=Energy(**group("energy")),
        sync=Sync(**{**sync, "meeting_free_days": frozenset(sync["meeting_free_days"])}),
        sync_windows=SyncWindows(**group("sync_windows")),
        audit=AuditThresholds(**group("audit")),
        rules=tuple(check.rule(i, r) for i, r in enumerate(rules_data, start=1)),
        source=source,
    )


class _Checker:
    """Turns raw TOML values into typed ones, or raises PolicyError naming key and value."""

    def __init__(self, source: str) -> None:
        self.source = source

    def fail(self, key: str, value: object, allowed: str) -> NoReturn:
        # strings as JSON: control characters come out escaped; cut, in case of a long one
        raise PolicyError(self.source, f"{key} = {clean(toml_value(value), chars=80)} {allowed}")

    def table(self, value: object, key: str) -> dict[str, Any]:
        if not isinstance(value, dict):
            self.fail(key, value, "must be a table ([" + key + "])")
        return value

    def known(self, table: dict[str, Any], allowed: tuple[str, ...], prefix: str) -> None:
        for key in table:
            if key not in allowed:
                raise PolicyError(self.source, f"unknown key {prefix}{clean(str(key), chars=60)}",
                                  "allowed here: " + ", ".join(allowed))

    def value(self, key: str, value: object) -> Any:
        kind = BY_KEY[key].kind
        if kind is Kind.ZONE:
            return self.zone(key, value)
        if kind is Kind.ADDRESSES:
            return [self.address(key, v) for v in self.strings(key, value)]
        if kind is Kind.DAYS:
            return [self.weekday(key, v) for v in self.strings(key, value)]
        if kind is Kind.CLOCK:
            return self.clock(key, value)
        if kind is Kind.CLOCKS:
            return tuple(self.clock(key, v) for v in self.strings(key, value))
        if kind is Kind.DATES:
            return self.dates(key, value)
        if kind is Kind.REGION:
            return self.region(key, value)
        if kind is Kind.FLAG:
            if not isinstance(value, bool):
                self.fail(key, value, "must be true or false")
            return value
        return self.number(key, value, whole=kind in (Kind.MINUTES, Kind.COUNT))

    def zone(self, key: str, value: object) -> tzinfo:
        if value == "local":
            return local_zone()
        try:
            return ZoneInfo(str(value))
        except (ZoneInfoNotFoundError, ValueError, OSError):
            self.fail(key, value, "is not an IANA time zone (write e.g. \"Europe/Zagreb\")")

    def strings(self, key: str, value: object) -> list[str]:
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            self.fail(key, value, "must be a list of strings")
        return value

    def dates(self, key: str, value: object) -> list[date]:
        most = BY_KEY[key].largest
        if not isinstance(value, list):
            self.fail(key, value, "must be a list of dates (write e.g. [2026-12-24, 2026-12-31])")
        if len(value) > most:
            self.fail(key, f"{len(value):,} dates", f"are more than the {most:,} allowed "
                      "(give a rule with attention = \"off\" for long absences)")
        found: list[date] = []
        for item in value:
            if isinstance(item, str):
                with contextlib.suppress(ValueError):
                    item = date.fromisoformat(item.strip())
            if isinstance(item, datetime) or not isinstance(item, date):
                self.fail(key, item, "is not a date (write e.g. 2026-12-24)")
            if item.year not in YEARS:
                self.fail(key, item, OUTSIDE_YEARS)
            found.append(item)
        return found

    def region(self, key: str, value: object) -> str:
        if not isinstance(value, str):
            self.fail(key, value, "must be a string such as \"DE\" or \"DE-BE\"")
        try:
            return resolve_region(value)
        except UnknownRegion as unknown:
            fix = f" ({unknown.fix})" if unknown.fix else ""
            self.fail(key, value, unknown.problem + fix)

    def address(self, key: str, value: str) -> str:
        address = value.strip().lower().removeprefix("mailto:")
        if "@" not in address:
            self.fail(key, value, "is not an address (write e.g. \"ana@example.com\")")
        return address

    def weekday(self, key: str, value: str) -> int:
        found = weekday_of(value)
        if found is None:
            self.fail(key, value, "is not a weekday (use mon, tue, wed, thu, fri, sat, sun)")
        return found

    def clock(self, key: str, value: object) -> time:
        found = clock_of(value)
        if found is None:
            self.fail(key, value, "is not a time of day in whole minutes (write e.g. \"09:00\")")
        return found

    def number(self, key: str, value: object, *, whole: bool, unit: str = "",
               most: int | None = None) -> Any:
        largest = BY_KEY[key].largest if most is None else most
        ok = isinstance(value, int) if whole else isinstance(value, int | float)
        # a comparison with NaN is false, so NaN is refused here too, and so is infinity
        if (isinstance(value, bool) or not isinstance(value, int | float) or not ok
                or not 0 <= value <= largest):
            what = "a whole number" if whole else "a number"
            self.fail(key, value, f"must be {what} from 0 to {largest:,} "
                      f"({unit or BY_KEY[key].unit})")
        return value

    def rule(self, index: int, data: object) -> Rule:
        key = f"rule #{index}"
        table = self.table(data, key)
        self.known(table, _RULE_KEYS, f"{key}: ")
        match = self.table(table.get("match", {}), f"{key} match")
        self.known(match, _MATCH_KEYS, f"{key} match.")
        if not match:
            self.fail(f"{key} match", match, "needs categories = [...] or summary = \"regex\"")
        pattern = None
        if "summary" in match:
            if not isinstance(match["summary"], str):
                self.fail(f"{key} match.summary", match["summary"], "must be a regex string")
            try:
                pattern = re.compile(str(match["summary"]))
            except re.error as error:
                self.fail(f"{key} match.summary", match["summary"], f"is not a regex: {error}")
        attention = str(table.get("attention", "full"))
        if attention not in {a.value for a in Attention}:
            self.fail(f"{key} attention", attention, "must be full, partial, none or off")
        drain = table.get("drain_per_hour")
        if drain is not None:
            self.number(f"{key} drain_per_hour", drain, whole=False, unit="points/hour",
                        most=1_000_000)
        return Rule(
            categories=tuple(self.strings(f"{key} match.categories", match.get("categories", []))),
            summary=pattern,
            attention=Attention(attention),
            drain_per_hour=None if drain is None else float(drain),
            rest_before_minutes=self.whole(key, "rest_before_minutes", table),
            recover_after_minutes=self.whole(key, "recover_after_minutes", table),
        )

    def whole(self, key: str, name: str, table: dict[str, Any]) -> int:
        return int(self.number(f"{key} {name}", table.get(name, 0), whole=True, unit="minutes",
                               most=RULE_MINUTES))
