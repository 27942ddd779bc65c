"""Fuzz: any value in tasks.toml or policy.toml is either planned with or refused in one line.

Hypothesis writes TOML files with every kind of value TOML has (text with control characters,
integers far past int64, NaN and infinity, dates of year 1 and 9999, arrays, tables) in every
field, reads them through makertime's loaders and, when they are accepted, audits and plans the
sample week with them and renders the plan. The only error allowed is makertime's one-line
InputError: never a traceback, whatever the file holds.
"""

from __future__ import annotations

import io
import json
import math
import os
from datetime import UTC, date, datetime, time, timedelta, timezone
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from makertime.audit import audit_commitments
from makertime.calendars.files import read_calendar_file
from makertime.classify import commitments
from makertime.defaults import SETTINGS
from makertime.errors import InputError
from makertime.model import Commitment, Task
from makertime.outputs.console import SafeConsole
from makertime.outputs.ics import plan_to_ics
from makertime.outputs.json import plan_to_dict
from makertime.outputs.plan_terminal import render_plan
from makertime.plan.solve import PlanOptions, plan_commitments
from makertime.policy import Policy, load_policy
from makertime.sample import SAMPLE_WEEK, sample_path
from makertime.tasks import load_tasks

# MAKERTIME_FUZZ_EXAMPLES=5000 searches further, with fresh random examples each run
DEEPER = int(os.environ.get("MAKERTIME_FUZZ_EXAMPLES", "0"))
FUZZ = settings(max_examples=DEEPER or 250, deadline=None, derandomize=not DEEPER,
                database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
QUICK = PlanOptions(time_limit=2, workers=1)
TASK_FIELDS = ("title", "estimate", "depth", "deadline", "priority", "min_block", "progress",
               "last_touched", "waiting_on_me")

# --- TOML values of every kind ------------------------------------------------------------------

PLAUSIBLE = st.sampled_from([
    "2h", "1h30m", "90m", "0m", "15m", "1000h", "1001h", "deep", "shallow", "mon", "Sun",
    "09:00", "17:00", "24:00", "9:5", "Europe/Zagreb", "local", "UTC", "Mars/Olympus",
    "(?i)live", "((", "ana@example.com", "mailto:ana@example.com", "full", "partial", "none",
    "", " ", "\x1b[2J", "\x00", "fix [/] parser", "x" * 300])
OFFSETS = st.integers(-23 * 60 - 59, 23 * 60 + 59).map(lambda m: timezone(timedelta(minutes=m)))
SCALARS = st.one_of(
    PLAUSIBLE, st.text(max_size=20),
    st.integers(-(2 ** 70), 2 ** 70), st.integers(-5, 2000),
    st.floats(allow_nan=True, allow_infinity=True), st.booleans(),
    st.dates(), st.datetimes(), st.datetimes(timezones=OFFSETS), st.times(),
)
VALUES = st.recursive(SCALARS, lambda inner: st.lists(inner, max_size=4)
                      | st.dictionaries(st.text(max_size=8), inner, max_size=3), max_leaves=6)


def toml(value: Any) -> str:
    """``value`` as TOML (only what TOML can say; the strategies make nothing else)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return quoted(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return "nan" if math.isnan(value) else ("inf" if value > 0 else "-inf") \
            if math.isinf(value) else repr(value)
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, date | time):
        return value.isoformat()
    if isinstance(value, list):
        return "[" + ", ".join(toml(v) for v in value) + "]"
    return "{" + ", ".join(f"{quoted(k)} = {toml(v)}" for k, v in value.items()) + "}"


def quoted(text: str) -> str:
    """A TOML basic string: JSON's escapes are TOML's, and TOML escapes DEL too."""
    return json.dumps(text, ensure_ascii=False).replace("\x7f", "\\u007f")


def near(kind_values: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    """Mostly (nine in ten) values a field takes, edges included; else anything at all."""
    return st.integers(0, 9).flatmap(lambda n: VALUES if n == 0 else kind_values)


FIELD_VALUES: dict[str, st.SearchStrategy[Any]] = {
    "title": near(st.text(max_size=40)),
    "estimate": near(st.one_of(st.integers(0, 60_000), st.sampled_from(["1000h", "0m", "15m"]))),
    "min_block": near(st.one_of(st.integers(0, 60_000), st.sampled_from(["1000h", "15m", "0m"]))),
    "depth": near(st.sampled_from(["deep", "shallow"])),
    "deadline": near(st.one_of(st.dates(date(2026, 3, 1), date(2026, 4, 30)),
                               st.datetimes(datetime(2026, 3, 20), datetime(2026, 4, 5)),
                               st.datetimes(datetime(2026, 3, 20), datetime(2026, 4, 5),
                                            timezones=OFFSETS))),
    "priority": near(st.integers(1, 5)),
    "progress": near(st.floats(0, 1)),
    "last_touched": near(st.dates(date(1900, 1, 1), date(2199, 12, 31))),
    "waiting_on_me": near(st.booleans()),
}


def setting_values(key: str) -> st.SearchStrategy[Any]:
    """Values of a policy setting: in its range and at its edges, mostly."""
    found = next(s for s in SETTINGS if s.key == key)
    if isinstance(found.default, bool):
        return near(st.booleans())
    if isinstance(found.default, int | float):
        return near(st.one_of(st.integers(0, found.largest), st.just(found.largest),
                              st.floats(0, found.largest)))
    return near(st.just(found.default))


# --- what an accepted file is used for ----------------------------------------------------------

@cache
def sample_week(zone_name: str) -> tuple[Commitment, ...]:
    policy = load_policy(sample_path("policy.toml"))
    read = read_calendar_file(sample_path("week.ics"), SAMPLE_WEEK.first - timedelta(days=8),
                              SAMPLE_WEEK.last + timedelta(days=8))
    del zone_name  # the cache key: commitments follow the policy's zone
    return tuple(commitments([read], policy))


def use(policy: Policy, tasks: list[Task], found: tuple[Commitment, ...]) -> None:
    """Audit and plan the sample week, then render the plan every way makertime does."""
    audit_commitments(found, policy, SAMPLE_WEEK)
    result = plan_commitments(found, tasks, policy, SAMPLE_WEEK, options=QUICK,
                              now=datetime(2026, 3, 23, 7, tzinfo=UTC))
    plan_to_ics(result, policy.timezone)
    json.dumps(plan_to_dict(result, policy.timezone))
    render_plan(result, SafeConsole(file=io.StringIO(), width=100), policy.timezone,
                policy.focus.min_block_minutes)


# --- tasks.toml ---------------------------------------------------------------------------------

@st.composite
def task_files(draw: st.DrawFn) -> str:
    tables = []
    for number in range(draw(st.integers(1, 3))):
        fields = {"id": draw(near(st.just(f"task-{number}")))}
        fields["estimate"] = draw(FIELD_VALUES["estimate"])
        for name in draw(st.lists(st.sampled_from(TASK_FIELDS), max_size=5, unique=True)):
            fields[name] = draw(FIELD_VALUES[name])
        if draw(st.integers(0, 19)) == 0:
            fields[draw(st.text(max_size=8))] = draw(VALUES)  # a field makertime does not know
        tables.append("[[task]]\n" + "".join(f"{quoted(k)} = {toml(v)}\n"
                                             for k, v in fields.items()))
    return "\n".join(tables)


@FUZZ
@given(text=task_files())
def test_any_tasks_toml_is_planned_or_refused_in_one_line(tmp_path_factory: pytest.TempPathFactory,
                                                         text: str) -> None:
    path: Path = tmp_path_factory.mktemp("fuzz") / "tasks.toml"
    path.write_text(text, encoding="utf-8")
    policy = load_policy(sample_path("policy.toml"))
    try:
        tasks = load_tasks(path, policy.timezone)
    except InputError as error:
        assert "\n" not in str(error) and "\x1b" not in str(error)
        event("refused")
        return
    event("planned")
    use(policy, tasks, sample_week(str(policy.timezone)))


# --- policy.toml --------------------------------------------------------------------------------

POLICY_KEYS = [s.key for s in SETTINGS if s.in_policy and s.key != "rule"]


@st.composite
def policy_files(draw: st.DrawFn) -> str:
    sections: dict[str, dict[str, Any]] = {}
    top: dict[str, Any] = {}
    for key in draw(st.lists(st.sampled_from(POLICY_KEYS), max_size=4, unique=True)):
        section, _, name = key.rpartition(".")
        value = draw(setting_values(key))
        (sections.setdefault(section, {}) if section else top)[name] = value
    if draw(st.booleans()):
        top["timezone"] = draw(st.sampled_from(["Europe/Zagreb", "America/St_Johns", "UTC"]))
    lines = [f"{quoted(k)} = {toml(v)}" for k, v in top.items()]
    for section, values in sections.items():
        lines.append(f"[{section}]")
        lines.extend(f"{quoted(k)} = {toml(v)}" for k, v in values.items())
    for _ in range(draw(st.integers(0, 2))):
        rule = {"match": draw(near(st.sampled_from([{"categories": ["LIVE"]},
                                                    {"summary": "(?i)review|sync"}]))),
                "attention": draw(near(st.sampled_from(["full", "partial", "none"])))}
        for name in draw(st.lists(st.sampled_from(["drain_per_hour", "rest_before_minutes",
                                                   "recover_after_minutes"]), unique=True)):
            rule[name] = draw(near(st.integers(0, 10080)))
        lines.append("[[rule]]")
        lines.extend(f"{quoted(k)} = {toml(v)}" for k, v in rule.items())
    return "\n".join(lines) + "\n"


@FUZZ
@given(text=policy_files())
def test_any_policy_toml_is_used_or_refused_in_one_line(
        tmp_path_factory: pytest.TempPathFactory, text: str) -> None:
    path: Path = tmp_path_factory.mktemp("fuzz") / "policy.toml"
    path.write_text(text, encoding="utf-8")
    try:
        policy = load_policy(path)
    except InputError as error:
        assert "\n" not in str(error) and "\x1b" not in str(error)
        event("refused")
        return
    event("planned")
    tasks = load_tasks(sample_path("tasks.toml"), policy.timezone)
    read = read_calendar_file(sample_path("week.ics"), SAMPLE_WEEK.first - timedelta(days=9),
                              SAMPLE_WEEK.last + timedelta(days=9))
    use(policy, tasks, tuple(commitments([read], policy)))
