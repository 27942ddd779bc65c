"""The values of team.toml one by one: each raw TOML value turned into a typed one, or one line
naming where it is (``member "ana"``), the key, what was found and what to write instead.

Every list is measured before it is walked and every string before it is parsed, so a hostile
file costs no more than a plain one.
"""

from __future__ import annotations

import contextlib
import json
import re
from collections.abc import Iterable
from datetime import date, datetime, time, tzinfo
from typing import Any, NoReturn
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from makertime.errors import TeamError, UnknownRegion
from makertime.holiday import resolve_region
from makertime.model import OUTSIDE_YEARS, YEARS
from makertime.policy import clock_of, weekday_of
from makertime.text import clean

WORD = re.compile(r"[a-z0-9][a-z0-9_-]{0,39}")
WORD_RULE = "1 to 40 of a-z, 0-9, - and _, starting with a letter or digit"
TEXT_CHARS = 200  # a team's or a member's name
PLACE_CHARS = 2000  # a calendar's path or URL, a policy file's path
REGEX_CHARS = 500  # a crew match's summary expression
MOST_WORDS = 50  # skills of a member or duty, categories of a match
MOST_IDENTITIES = 20
MOST_DATES = 366  # prefer or days_off of one member
SHOWN_CHARS = 80  # of a wrong value, in its message


def shown(value: object) -> str:
    """A value as a person writes it in TOML, cut short for a message."""
    return clean(_toml(value), chars=SHOWN_CHARS)


def _toml(value: object, depth: int = 0) -> str:
    if isinstance(value, str):
        return json.dumps(value[: SHOWN_CHARS * 2], ensure_ascii=False)
    if isinstance(value, bool):
        return "true" if value else "false"
    if depth > 2 and isinstance(value, list | dict):
        return "…"
    if isinstance(value, list):
        return "[" + ", ".join(_toml(v, depth + 1) for v in value[:8]) + "]"
    if isinstance(value, dict):
        pairs = list(value.items())[:8]
        return "{ " + ", ".join(f"{k} = {_toml(v, depth + 1)}" for k, v in pairs) + " }"
    if isinstance(value, datetime | time | date):
        return value.isoformat()
    return str(value)


class Values:
    """Checks the values of one team.toml (``source``), raising TeamError at the first mistake."""

    def __init__(self, source: str) -> None:
        self.source = source

    def problem(self, where: str, text: str, fix: str = "") -> NoReturn:
        """Raise the one line: ``where`` (empty at the top), the problem and its fix."""
        raise TeamError(self.source, f"{where}: {text}" if where else text, fix)

    def fail(self, where: str, key: str, value: object, allowed: str, fix: str = "") -> NoReturn:
        """Raise the one line naming ``key``, the ``value`` found and what is ``allowed``."""
        self.problem(where, f"{key} = {shown(value)} {allowed}", fix)

    def table(self, where: str, key: str, value: object, fix: str = "") -> dict[str, Any]:
        """``value`` when it is a TOML table."""
        if not isinstance(value, dict):
            self.fail(where, key, value, "must be a table", fix)
        return value

    def known(self, where: str, table: dict[str, Any], allowed: Iterable[str],
              prefix: str = "") -> None:
        """Refuse any key of ``table`` not in ``allowed``, naming those that are."""
        names = tuple(allowed)
        for key in table:
            if key not in names:
                self.problem(where, f"unknown key {prefix}{clean(str(key), chars=60)}",
                             "allowed here: " + ", ".join(names))

    def items(self, where: str, key: str, value: object, most: int, example: str) -> list[Any]:
        """``value`` when it is a list of at most ``most`` items."""
        if not isinstance(value, list):
            self.fail(where, key, value, "must be a list", f"write e.g. {key} = {example}")
        if len(value) > most:
            self.problem(where, f"{key} holds {len(value):,} items, more than the {most:,} "
                         "allowed")
        return value

    def text(self, where: str, key: str, value: object, most: int = TEXT_CHARS) -> str:
        """A non-empty string of at most ``most`` characters, control characters removed."""
        if not isinstance(value, str) or not value.strip():
            self.fail(where, key, value, "must be a non-empty string")
        if len(value) > most:
            self.fail(where, key, value, f"is longer than the {most:,} characters allowed")
        return clean(value, chars=most)

    def word(self, where: str, key: str, value: object, example: str) -> str:
        """An id or skill: ``WORD_RULE``."""
        if not isinstance(value, str) or WORD.fullmatch(value) is None:
            self.fail(where, key, value, f"is not a word ({WORD_RULE})",
                      f"write e.g. {key} = \"{example}\"")
        return value

    def words(self, where: str, key: str, value: object, example: str) -> tuple[str, ...]:
        """A list of words, each once."""
        fix = f"write e.g. {key} = [\"{example}\"]"
        if not isinstance(value, list):
            self.fail(where, key, value, f"must be a list of words ({WORD_RULE})", fix)
        items = self.items(where, key, value, MOST_WORDS, f"[\"{example}\"]")
        if not all(isinstance(v, str) and WORD.fullmatch(v) for v in items):
            self.fail(where, key, value, f"must be a list of words ({WORD_RULE})", fix)
        return tuple(dict.fromkeys(items))

    def strings(self, where: str, key: str, value: object, most: int, example: str, *,
                chars: int = PLACE_CHARS) -> list[str]:
        """A list of at most ``most`` non-empty strings of at most ``chars`` characters."""
        items = self.items(where, key, value, most, example)
        for item in items:
            if not isinstance(item, str) or not item.strip():
                self.fail(where, key, item, "is not a non-empty string",
                          f"write e.g. {key} = {example}")
            if len(item) > chars:
                self.fail(where, key, item, f"is longer than the {chars:,} characters allowed")
        return [item.strip() for item in items]

    def whole(self, where: str, key: str, value: object, least: int, most: int, *,
              unit: str) -> int:
        """A whole number from ``least`` to ``most``."""
        if isinstance(value, bool) or not isinstance(value, int) or not least <= value <= most:
            self.fail(where, key, value, f"must be a whole number from {least:,} to {most:,} "
                      f"({unit})")
        return value

    def number(self, where: str, key: str, value: object, least: float, most: float, *,
               unit: str) -> float:
        """A number from ``least`` to ``most`` (NaN and infinity refused)."""
        # a comparison with NaN is false, so NaN fails the range too
        if (isinstance(value, bool) or not isinstance(value, int | float)
                or not least <= value <= most):
            self.fail(where, key, value, f"must be a number from {least:g} to {most:g} ({unit})")
        return float(value)

    def flag(self, where: str, key: str, value: object) -> bool:
        """true or false."""
        if not isinstance(value, bool):
            self.fail(where, key, value, "must be true or false")
        return value

    def weekdays(self, where: str, key: str, value: object) -> frozenset[int]:
        """Weekday names ("mon" … "sun") as 0 … 6."""
        items = self.items(where, key, value, 7, '["mon"]')
        return frozenset(self.weekday(where, key, item) for item in items)

    def weekday(self, where: str, key: str, value: object) -> int:
        """One weekday name as 0 (Monday) … 6."""
        found = weekday_of(value)
        if found is None:
            self.fail(where, key, value, "is not a weekday (use mon, tue, wed, thu, fri, sat, "
                      "sun)")
        return found

    def clock(self, where: str, key: str, value: object, example: str = "07:00") -> time:
        """A time of day in whole minutes: "HH:MM" or a TOML local time."""
        found = clock_of(value)
        if found is None:
            self.fail(where, key, value, "is not a time of day in whole minutes",
                      f"write e.g. \"{example}\"")
        return found

    def dates(self, where: str, key: str, value: object) -> frozenset[date]:
        """Dates, as TOML dates or "YYYY-MM-DD" strings."""
        items = self.items(where, key, value, MOST_DATES, "[\"2026-04-03\"]")
        found: set[date] = set()
        for item in items:
            if isinstance(item, str) and len(item) <= 20:
                with contextlib.suppress(ValueError):
                    item = date.fromisoformat(item.strip())
            if isinstance(item, datetime) or not isinstance(item, date):
                self.fail(where, key, item, "is not a date", "write e.g. \"2026-04-03\"")
            if item.year not in YEARS:
                self.fail(where, key, item, OUTSIDE_YEARS)
            found.add(item)
        return frozenset(found)

    def zone(self, where: str, key: str, value: object) -> tzinfo:
        """An IANA time zone."""
        if isinstance(value, str) and 0 < len(value) <= 100:
            with contextlib.suppress(ZoneInfoNotFoundError, ValueError, OSError):
                return ZoneInfo(value.strip())
        self.fail(where, key, value, "is not an IANA time zone", "write e.g. \"Europe/Zagreb\"")

    def region(self, where: str, key: str, value: object) -> str:
        """A country or country-subdivision code whose public holidays are known, or ""."""
        if not isinstance(value, str) or len(value) > 20:
            self.fail(where, key, value, "must be a string such as \"HR\" or \"DE-BE\"")
        try:
            return resolve_region(value)
        except UnknownRegion as unknown:
            self.fail(where, key, value, unknown.problem, unknown.fix)

    def addresses(self, where: str, key: str, value: object) -> tuple[str, ...]:
        """Identities as policy.toml's ``me``: addresses, lower case, without ``mailto:``."""
        found = []
        for item in self.strings(where, key, value, MOST_IDENTITIES, "[\"ana@example.com\"]",
                                 chars=TEXT_CHARS):
            address = item.lower().removeprefix("mailto:")
            if "@" not in address:
                self.fail(where, key, item, "is not an address",
                          "write e.g. me = [\"ana@example.com\"]")
            found.append(address)
        return tuple(dict.fromkeys(found))

