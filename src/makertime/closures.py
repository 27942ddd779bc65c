"""All-day events marked free whose title says the person is away: a hint to add a rule.

A Google calendar exports public holidays and "office closed" days as transparent all-day events,
so by the calendar alone they take nothing and makertime would plan work there. makertime does
not guess from titles — a rule is the person's word — but it says, once per date, which rule to
add.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from makertime.classify import calendar_attention, is_ignored
from makertime.defaults import toml_value
from makertime.model import Attention, EventInstance, Period, ReadWarning, TimeKind
from makertime.policy import Policy
from makertime.text import clean

# words in a title that say nobody works: English first, then common European ones
CLOSURE = re.compile(
    r"\b(holidays?|closed|closure|shut ?down|vacation|out of (?:the )?office|ooo|pto|leave|"
    r"day off|christmas|xmas|new year'?s?|thanksgiving|easter|feiertag|urlaub|"
    r"betriebsurlaub|vacances|f[ée]ri[ée]|festivo|vacaciones|praznik|blagdan|godišnji)\b",
    re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Closure:
    """A free all-day event on a work day whose title reads as a closure or holiday."""

    day: date
    summary: str
    word: str
    source: str
    uid: str

    @property
    def rule(self) -> str:
        """The [[rule]] that would make such days away time."""
        # the words CLOSURE finds hold no regex syntax; toml_value quotes them for TOML
        pattern = toml_value("(?i)" + " ".join(self.word.lower().split()))
        return f'[[rule]] match = {{ summary = {pattern} }} attention = "off"'

    def message(self) -> str:
        """One line: what was seen, why it matters, the rule to add."""
        title = clean(self.summary, chars=80)
        return (f"{self.day}: the all-day event “{title}” is marked free, so work may be "
                f"planned then; if you are away, add to policy.toml: {self.rule}")

    def warning(self) -> ReadWarning:
        """The hint as a reading warning of its calendar."""
        return ReadWarning(self.source, self.message(), self.uid)


def closures(instances: Iterable[EventInstance], policy: Policy,
             period: Period) -> list[Closure]:
    """Free all-day closure-like events on work days of ``period`` that no rule matches, one
    per date (work stays within the period, however long an event claims to be)."""
    seen: dict[date, Closure] = {}
    for instance in instances:
        if instance.kind is not TimeKind.DATE or is_ignored(instance, policy.me):
            continue
        if calendar_attention(instance) is not Attention.NONE:
            continue
        found = CLOSURE.search(instance.summary)
        if found is None or any(r.matches(instance.summary, instance.categories)
                                for r in policy.rules):
            continue
        day = max(instance.start.date(), period.first)
        last = min(max(instance.end.date() - timedelta(days=1), instance.start.date()),
                   period.last)
        while day <= last:
            if (day not in seen and day.weekday() in policy.work.days
                    and not policy.work.day_off(day)):
                seen[day] = Closure(day, instance.summary, found.group(0), instance.source,
                                    instance.uid)
            day += timedelta(days=1)
    return [seen[day] for day in sorted(seen)]
