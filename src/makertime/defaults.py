"""Every default of makertime in one schema, with its unit, meaning, source and evidence grade.

Grades: A replicated findings; B a controlled study or a careful field study; C a single study,
an estimate by researchers or a small sample; D a convention, folklore or makertime's own choice.
``policy.py`` validates against this schema and ``makertime defaults`` prints it; docs come from it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, time
from enum import StrEnum
from typing import Any


class Kind(StrEnum):
    """How a setting's value is written in policy.toml, and so how it is validated."""

    ZONE = "time zone"
    ADDRESSES = "list of addresses"
    DAYS = "list of weekdays"
    CLOCK = "time of day"
    CLOCKS = "list of times of day"
    DATES = "list of dates"
    REGION = "ISO 3166 country[-subdivision]"
    MINUTES = "minutes"
    COUNT = "count"
    NUMBER = "number"
    FLAG = "true/false"
    RULES = "[[rule]] tables"


@dataclass(frozen=True, slots=True)
class Setting:
    """One default: where it lives in policy.toml, its value and why it has that value."""

    key: str
    default: Any
    kind: Kind
    unit: str
    meaning: str
    source: str
    grade: str
    in_policy: bool = True  # False: a default of reading, not a key of policy.toml
    most: int | None = None  # the largest value allowed (None: the kind's, see ``largest``)
    where: str = ""  # the file of a key that is not policy.toml's (team.toml)

    @property
    def largest(self) -> int:
        """The largest value policy.toml may give: a day of minutes, 24 of a count, unless the
        setting says otherwise (values are bounded so that no number can make work grow)."""
        if self.most is not None:
            return self.most
        return {Kind.MINUTES: 1440, Kind.COUNT: 24}.get(self.kind, 1_000_000)


_CONVENTION = "convention of calendar tools and office hours; no study behind the exact number"

SETTINGS: tuple[Setting, ...] = (
    Setting("timezone", "local", Kind.ZONE, "IANA zone", "the zone all metrics are measured in",
            "the machine's local zone when not set", "D"),
    Setting("me", [], Kind.ADDRESSES, "addresses",
            "your identities: an event you declined (PARTSTAT=DECLINED) does not block",
            "RFC 5545 PARTSTAT semantics", "D"),
    Setting("work.days", ["mon", "tue", "wed", "thu", "fri"], Kind.DAYS, "weekdays",
            "the days you work", _CONVENTION, "D"),
    Setting("work.start", "09:00", Kind.CLOCK, "HH:MM", "start of the work window", _CONVENTION,
            "D"),
    Setting("work.end", "17:00", Kind.CLOCK, "HH:MM", "end of the work window", _CONVENTION, "D"),
    Setting("work.days_off", [], Kind.DATES, "dates",
            "work days you are away (vacation, a bridge day): nothing is planned there and their "
            "events are not sync", "your own word", "D", most=1000),
    Setting("work.holidays", "", Kind.REGION, "country[-subdivision]",
            "public holidays of this place are days off, e.g. \"DE-BE\" (empty: none)",
            "the holidays library (python-holidays), official calendars", "B"),
    Setting("focus.min_block_minutes", 120, Kind.MINUTES, "minutes",
            "a free gap at least this long is a focus block; shorter ones are fragments",
            "industry convention: Microsoft Graph focusActivityStatistics, Clockwise focus time",
            "D"),
    Setting("focus.ramp_up_minutes", 15, Kind.MINUTES, "minutes",
            "paid again after every interruption before real thinking resumes",
            "Parnin & Rugaber 2011: programmers mostly need 10-15 min before their first edit "
            "after an interruption (B); DeMarco & Lister, Peopleware: ~15 min to lock in (C)",
            "B"),
    Setting("focus.maker_day_minutes", 240, Kind.MINUTES, "minutes",
            "a day whose longest gap reaches this is a maker day (half a work day)",
            "Paul Graham, 'Maker's Schedule, Manager's Schedule' (2009): makers work in half days",
            "D"),
    Setting("focus.max_deep_minutes_per_day", 240, Kind.MINUTES, "minutes",
            "deep work beyond this is not planned in one day",
            "Ericsson, Krampe & Tesch-Römer 1993: experts sustain about 4 h of deliberate practice "
            "a day (observational, musicians)", "C"),
    Setting("energy.enabled", False, Kind.FLAG, "", "track a self-declared energy budget",
            "off by default: the willpower 'budget' failed multi-lab replication (Hagger et al. "
            "2016, Vohs et al. 2021), so the budget is only ever your own declaration", "A"),
    Setting("energy.daily_budget", 100, Kind.NUMBER, "points", "energy you declare for a day",
            "your own declaration", "D"),
    Setting("energy.deep_per_hour", 12, Kind.NUMBER, "points/hour", "drain of deep work",
            "makertime's scale; declare your own", "D"),
    Setting("energy.shallow_per_hour", 6, Kind.NUMBER, "points/hour", "drain of shallow work",
            "makertime's scale; declare your own", "D"),
    Setting("energy.sync_per_hour", 8, Kind.NUMBER, "points/hour",
            "default drain of a commitment", "makertime's scale; declare your own", "D"),
    Setting("energy.switch_cost", 2, Kind.NUMBER, "points", "drain of one context switch",
            "makertime's scale; declare your own", "D"),
    Setting("sync.meeting_free_days", [], Kind.DAYS, "weekdays",
            "days where nothing movable lands", _CONVENTION, "D"),
    Setting("sync.break_every_minutes", 120, Kind.MINUTES, "minutes",
            "inside a run of commitments, a break after this long",
            "Microsoft Human Factors Lab 2021 (EEG, 14 people): stress builds across back-to-back "
            "meetings and breaks reset it", "C"),
    Setting("sync.break_minutes", 10, Kind.MINUTES, "minutes", "length of that break",
            "Microsoft Human Factors Lab 2021 used 10-minute breaks", "C"),
    Setting("sync.buffer_after_minutes", 10, Kind.MINUTES, "minutes",
            "kept free after a commitment before deep work starts", _CONVENTION, "D"),
    Setting("rule", [{"match": {"categories": ["LIVE"], "summary": "(?i)live|stream"},
                      "attention": "full", "drain_per_hour": 25, "rest_before_minutes": 180,
                      "recover_after_minutes": 720}], Kind.RULES, "[[rule]] tables",
            "commitments matching categories LIVE or a summary with 'live'/'stream' get rest "
            "before and recovery after", "makertime's own choice for draining live events", "D"),
    Setting("sync_windows.per_day", 2, Kind.COUNT, "windows",
            "windows a day for batched chat and email",
            "Kushlev & Dunn 2015 (randomised field study, n=124): checking email 3 times a day "
            "instead of at will lowered stress", "B"),
    Setting("sync_windows.minutes", 30, Kind.MINUTES, "minutes", "length of a sync window",
            _CONVENTION, "D"),
    Setting("sync_windows.prefer", ["11:30", "16:30"], Kind.CLOCKS, "HH:MM",
            "preferred starts of the sync windows: before lunch and before the end of the day",
            _CONVENTION, "D"),
    Setting("audit.weekly_focus_warn_hours", 10, Kind.NUMBER, "hours",
            "warn when a full work week has less focus time than this",
            "makertime's threshold: two half days of deep work", "D", most=168),
    Setting("todo.estimate_minutes", 60, Kind.MINUTES, "minutes",
            "estimate of a VTODO that gives none (no DURATION, no X-MAKERTIME-ESTIMATE); "
            "each such task is named in a warning", "makertime's own choice", "D",
            in_policy=False),
    Setting("audit.after_hours_warn_minutes", 120, Kind.MINUTES, "minutes",
            "warn when a week has more sync outside the work window than this",
            "makertime's threshold", "D", most=10080),
)

TEAM_SETTINGS: tuple[Setting, ...] = (
    Setting("fairness.max_on_call_share", 0.25, Kind.NUMBER, "fraction of the period",
            "the most of a rotation's period one member may be on call",
            "Beyer, Jones, Petoff & Murphy (eds.), Site Reliability Engineering (O'Reilly, "
            "2016), ch. 11 \"Being On-Call\": at least 50% of an SRE's time on engineering, of "
            "the rest no more than 25% on call; Google's operating practice, not a study",
            "D", in_policy=False, where="team.toml"),
    Setting("fairness.rest_after_night_hours", 11, Kind.COUNT, "hours",
            "the least time between the end of a crew call or an on-call turn and the start of "
            "the same member's next shield day",
            "EU Working Time Directive 2003/88/EC, art. 3: 11 consecutive hours of daily rest "
            "in every 24; law, drawn from fatigue research", "B", in_policy=False,
            where="team.toml", most=48),
    Setting("fairness.night", 1.5, Kind.NUMBER, "× a plain hour",
            "how much a duty hour between night_hours (22:00–07:00) weighs in the fairness "
            "of duty load", "night-shift premiums of collective agreements (commonly +25% to "
            "+50%); makertime takes the upper end", "D", in_policy=False, where="team.toml"),
    Setting("fairness.weekend", 2.0, Kind.NUMBER, "× a plain hour",
            "how much a duty hour on a Saturday or Sunday weighs",
            "weekend and holiday premiums of collective agreements and on-call pay schemes "
            "(often double time); a convention", "D", in_policy=False, where="team.toml"),
    Setting("fairness.holiday", 2.0, Kind.NUMBER, "× a plain hour",
            "how much a duty hour on one of the team's public holidays weighs",
            "as for weekends: double time is the common convention", "D", in_policy=False,
            where="team.toml"),
    Setting("duty.relieves", 1, Kind.COUNT, "sync windows a day",
            "the sync windows a member keeps on a day someone else holds the shield",
            "makertime's own choice: one window for what only they can answer", "D",
            in_policy=False, where="team.toml", most=10),
)
"""The defaults of team.toml: the fairness of duty load and what the shield relieves."""

SETTINGS = (*SETTINGS, *TEAM_SETTINGS)

BY_KEY: dict[str, Setting] = {setting.key: setting for setting in SETTINGS}
TODO_ESTIMATE = BY_KEY["todo.estimate_minutes"]

NOT_A_REFOCUS_TIME = (
    "'23 minutes to refocus' is a misquote: Mark, González & Harris 2005 measured the time to "
    "return to an interrupted project, with other tasks in between; it is not a refocus time "
    "and makertime does not use it."
)


def _key(key: object) -> str:
    """A TOML key as written: bare when it can be, else quoted (escapes and all)."""
    text = str(key)
    return text if text and all(c.isascii() and (c.isalnum() or c in "-_") for c in text) \
        else json.dumps(text, ensure_ascii=False)


def toml_value(value: object) -> str:
    """A value as a person writes it in TOML, not as Python would print it."""
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)  # a TOML basic string
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{ " + ", ".join(f"{_key(k)} = {toml_value(v)}" for k, v in value.items()) + " }"
    if isinstance(value, datetime | time):
        return value.isoformat()
    return str(value)
