"""The plan's outputs: ICS (read back by icalendar and recurring-ical-events), JSON, text, HTML."""

from __future__ import annotations

import io
import json
import math
import re
from collections import Counter
from dataclasses import asdict, replace
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
import recurring_ical_events
from icalendar import Calendar, Event
from rich.console import Console

from makertime.audit import audit_commitments
from makertime.errors import OutputError
from makertime.model import Commitment, Interval, Period, ReadWarning, Task
from makertime.outputs.ics import plan_to_ics, write_plan_ics
from makertime.outputs.json import plan_to_dict
from makertime.outputs.plan_html import render_plan_html, write_plan_html
from makertime.outputs.plan_rows import block_summary
from makertime.outputs.plan_terminal import render_plan
from makertime.plan.result import Block, BlockKind, PlanResult, SolverStats, Unscheduled
from makertime.policy import build_policy
from tests.support.helpers import ZAGREB, commitment, span

POLICY = build_policy({"timezone": "Europe/Zagreb"})
WEEK = Period(date(2026, 3, 23), date(2026, 3, 29))  # clocks go forward on Sunday the 29th
HOSTILE = "<script>alert('x')</script> & [bold]not markup[/bold]; a, b\nsecond line"
# An attribute or CSS value that makes a browser fetch something from elsewhere.
EXTERNAL = re.compile(r"""\b(?:src|href|action|poster)\s*=\s*["']?\s*(?:[a-z]+:|//)"""
                      r"""|url\(\s*["']?\s*(?!#)|@import""", re.IGNORECASE)


def week_commitments() -> list[Commitment]:
    return [
        commitment("2026-03-23 09:30", "2026-03-23 09:45", "standup"),
        commitment("2026-03-23 15:00", "2026-03-23 16:00", "1:1"),
        commitment("2026-03-24 10:00", "2026-03-24 11:00", "review"),
        commitment("2026-03-26 19:00", "2026-03-26 21:30", "LIVE stream"),
        commitment("2026-03-28 19:00", "2026-03-28 21:00", "LIVE stream"),
    ]


def week_blocks() -> tuple[Block, ...]:
    return (
        Block(BlockKind.DEEP, span("2026-03-23 10:00", "2026-03-23 12:00"),
              "Due Fri 17:00; the first 2h run of the week", "design-doc",
              "Design doc: multi-region ingest"),
        Block(BlockKind.SYNC_WINDOW, span("2026-03-23 12:00", "2026-03-23 12:30"),
              "Chat and email batched near 11:30", None, "Chat and email"),
        Block(BlockKind.SHALLOW, span("2026-03-23 13:00", "2026-03-23 14:30"),
              "Someone waits on you; due Thu 12:00", "pr-42", "Address review feedback on PR #42"),
        Block(BlockKind.DEEP, span("2026-03-24 11:00", "2026-03-24 15:00"),
              "Due Fri 17:00; rest of the estimate", "design-doc",
              "Design doc: multi-region ingest"),
        Block(BlockKind.REST, span("2026-03-26 16:00", "2026-03-26 17:00"),
              "No deep work in the 3h before LIVE stream", None, "LIVE stream"),
        Block(BlockKind.RECOVERY, span("2026-03-26 21:30", "2026-03-27 09:30"),
              "LIVE stream drains: 12h to recover", None, "LIVE stream"),
        Block(BlockKind.SHALLOW, span("2026-03-27 09:00", "2026-03-27 09:45"),
              "Shallow work is fine while recovering", "postmortem", "Post-mortem: CDN failover"),
        # across the night the clocks go forward: 15 wall-clock hours, 14 real ones
        Block(BlockKind.RECOVERY, span("2026-03-28 21:00", "2026-03-29 12:00"),
              "LIVE stream drains: 12h to recover", None, "LIVE stream"),
    )


def plan_of(blocks: tuple[Block, ...], period: Period = WEEK,
            found: list[Commitment] | None = None, **changes: Any) -> PlanResult:
    """A plan as the planner returns one: the week before, and after with the work blocks."""
    found = week_commitments() if found is None else found
    busy = [Commitment(summary=b.title, span=b.span, uid=b.uid, source="makertime")
            for b in blocks if b.kind in (BlockKind.SHALLOW, BlockKind.SYNC_WINDOW)]
    fields: dict[str, Any] = {
        "period": period, "timezone": "Europe/Zagreb", "blocks": blocks,
        "unscheduled": (Unscheduled("overlay", 120, "no 2h run left outside recovery"),),
        "before": audit_commitments(found, POLICY, period),
        "after": audit_commitments([*found, *busy], POLICY, period),
        "solver": SolverStats("OPTIMAL", 2010.0, 2000.0, 0.314, workers=2),
        "tasks": (Task("overlay", "Ship the stream overlay", 120),),
        "capacity": ("deep work 10h asks for more than the 8h of deep-allowed time",),
        "commitments": tuple(found),
    }
    fields.update(changes)
    return PlanResult(**fields)


PLAN = plan_of(week_blocks())


def events_of(data: bytes) -> list[Event]:
    return [e for e in Calendar.from_ical(data).walk("VEVENT") if isinstance(e, Event)]


def moment(value: date) -> datetime:
    """An event's DTSTART/DTEND, which a plan always writes as a date-time."""
    assert isinstance(value, datetime)
    return value


# ICS ---------------------------------------------------------------------------------------------


def test_ics_has_one_event_per_block_with_its_markers() -> None:
    data = plan_to_ics(PLAN, ZAGREB)
    calendar = Calendar.from_ical(data)
    assert str(calendar["PRODID"]).startswith("-//makertime//makertime ")
    assert str(calendar["VERSION"]) == "2.0"
    assert str(calendar["X-WR-CALNAME"]) == "makertime plan"
    events = events_of(data)
    assert len(events) == len(PLAN.blocks)
    by_uid = {block.uid: block for block in PLAN.blocks}
    assert {str(e["UID"]) for e in events} == set(by_uid)
    for event in events:
        block = by_uid[str(event["UID"])]
        assert str(event["X-MAKERTIME-KIND"]) == block.kind.value
        if block.task:
            assert str(event["X-MAKERTIME-TASK"]) == block.task
        else:
            assert "X-MAKERTIME-TASK" not in event
        assert str(event["DESCRIPTION"]) == block.reason
        assert str(event["SUMMARY"]) == block_summary(block)
        assert event.categories == ["makertime"]
        assert str(event["TRANSP"]) == ("OPAQUE" if block.kind.is_work else "TRANSPARENT")


def test_ics_summaries_name_the_kind() -> None:
    summaries = {str(e["SUMMARY"]) for e in events_of(plan_to_ics(PLAN, ZAGREB))}
    assert summaries == {"Deep: Design doc: multi-region ingest", "Sync window: Chat and email",
                         "Shallow: Address review feedback on PR #42", "Rest before LIVE stream",
                         "Recovery after LIVE stream", "Shallow: Post-mortem: CDN failover"}


def test_ics_times_round_trip_exactly_in_the_zone_across_daylight_saving() -> None:
    data = plan_to_ics(PLAN, ZAGREB)
    calendar = Calendar.from_ical(data)
    assert [str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")] == ["Europe/Zagreb"]
    by_uid = {block.uid: block for block in PLAN.blocks}
    for event in events_of(data):
        block = by_uid[str(event["UID"])]
        assert event.start == block.span.start
        assert event.end == block.span.end
        assert event["DTSTART"].params["TZID"] == "Europe/Zagreb"
        assert moment(event.start).astimezone(ZAGREB).replace(tzinfo=None) == (
            block.span.start.astimezone(ZAGREB).replace(tzinfo=None))
    across = next(b for b in PLAN.blocks if b.span.end.date() == date(2026, 3, 29))
    assert across.minutes == 14 * 60
    assert b"DTEND;TZID=Europe/Zagreb:20260329T120000" in data


def test_ics_bytes_and_uids_are_the_same_on_every_render() -> None:
    first, second = plan_to_ics(PLAN, ZAGREB), plan_to_ics(plan_of(week_blocks()), ZAGREB)
    assert first == second
    assert [str(e["UID"]) for e in events_of(first)] == [str(e["UID"]) for e in events_of(second)]
    assert all(str(e["UID"]).endswith("@makertime") for e in events_of(first))


def test_ics_stamps_are_utc_and_come_from_the_period() -> None:
    for event in events_of(plan_to_ics(PLAN, ZAGREB)):
        stamp = event.DTSTAMP
        assert stamp == datetime(2026, 3, 23, tzinfo=UTC)
        assert stamp.utcoffset() == timedelta(0)


def test_ics_reads_back_through_recurring_ical_events() -> None:
    calendar = Calendar.from_ical(plan_to_ics(PLAN, ZAGREB))
    found = recurring_ical_events.of(calendar).between(datetime(2026, 3, 23, tzinfo=ZAGREB),
                                                       datetime(2026, 3, 31, tzinfo=ZAGREB))
    assert sorted((e.start, e.end) for e in found) == sorted(
        (b.span.start, b.span.end) for b in PLAN.blocks)


def test_ics_keeps_text_from_calendars_exactly() -> None:
    block = Block(BlockKind.REST, span("2026-03-26 16:00", "2026-03-26 17:00"), HOSTILE, None,
                  "LIVE; stream, <b>")
    event = events_of(plan_to_ics(plan_of((block,)), ZAGREB))[0]
    assert str(event["DESCRIPTION"]) == HOSTILE
    assert str(event["SUMMARY"]) == "Rest before LIVE; stream, <b>"


def test_ics_without_a_named_zone_writes_utc_times() -> None:
    data = plan_to_ics(PLAN, timezone(timedelta(hours=1)))
    assert b"BEGIN:VTIMEZONE" not in data
    assert b"TZID" not in data
    for event, block in zip(events_of(data), sorted(PLAN.blocks, key=lambda b: b.span),
                            strict=True):
        assert event.start == block.span.start
        assert moment(event.start).utcoffset() == timedelta(0)


def test_ics_block_in_the_repeated_hour_keeps_its_moment() -> None:
    # 25 Oct 2026, Zagreb: 03:00 CEST becomes 02:00 CET, so 02:30 happens twice
    autumn = Period(date(2026, 10, 19), date(2026, 10, 25))
    second = Interval(datetime(2026, 10, 25, 1, 30, tzinfo=UTC),
                      datetime(2026, 10, 25, 2, 0, tzinfo=UTC))
    first = Interval(datetime(2026, 10, 25, 0, 30, tzinfo=UTC), second.start)
    blocks = (Block(BlockKind.RECOVERY, first, "first 02:30", None, "night event"),
              Block(BlockKind.RECOVERY, second, "second 02:30", None, "night event"))
    result = plan_of(blocks, autumn, found=[])
    events = {str(e["DESCRIPTION"]): e for e in events_of(plan_to_ics(result, ZAGREB))}
    # compared in UTC: Python never calls a time in the fold equal to one in another zone
    assert moment(events["first 02:30"].start).astimezone(UTC) == first.start
    assert moment(events["first 02:30"].end).astimezone(UTC) == first.end
    assert moment(events["second 02:30"].start).astimezone(UTC) == second.start
    assert moment(events["second 02:30"].end).astimezone(UTC) == second.end


def test_write_plan_ics_writes_the_whole_file_and_nothing_else(tmp_path: Path) -> None:
    path = tmp_path / "plan.ics"
    path.write_text("an older plan")
    write_plan_ics(PLAN, ZAGREB, path)
    assert path.read_bytes() == plan_to_ics(PLAN, ZAGREB)
    assert [p.name for p in tmp_path.iterdir()] == ["plan.ics"]


def test_write_plan_ics_refuses_a_folder_and_a_missing_folder(tmp_path: Path) -> None:
    with pytest.raises(OutputError, match="is a folder") as folder:
        write_plan_ics(PLAN, ZAGREB, tmp_path)
    assert folder.value.where == str(tmp_path)
    missing = tmp_path / "nowhere" / "plan.ics"
    with pytest.raises(OutputError, match="no folder") as error:
        write_plan_ics(PLAN, ZAGREB, missing)
    assert error.value.where == str(missing)
    assert error.value.fix
    assert list(tmp_path.iterdir()) == []


# JSON --------------------------------------------------------------------------------------------


def test_json_follows_the_contract() -> None:
    data = plan_to_dict(PLAN, ZAGREB)
    assert {"blocks", "unscheduled", "before", "after", "solver"} <= set(data)
    assert len(data["blocks"]) == len(PLAN.blocks)
    for item in data["blocks"]:
        assert {"task", "kind", "start", "end", "reason"} <= set(item)
    first = data["blocks"][0]
    assert first == {**first, "task": "design-doc", "kind": "deep",
                     "start": "2026-03-23T10:00:00+01:00", "end": "2026-03-23T12:00:00+01:00",
                     "reason": "Due Fri 17:00; the first 2h run of the week"}
    sync = data["blocks"][1]
    assert sync["kind"] == "sync-window"
    assert sync["task"] is None
    last = data["blocks"][-1]
    assert (last["start"], last["end"]) == ("2026-03-28T21:00:00+01:00",
                                            "2026-03-29T12:00:00+02:00")
    assert data["unscheduled"] == [{"task": "overlay", "minutes": 120,
                                    "reason": "no 2h run left outside recovery"}]
    assert data["before"] == asdict(PLAN.before.totals)
    assert data["after"] == asdict(PLAN.after.totals)
    assert data["before"] != data["after"]
    solver = data["solver"]
    assert {k: solver[k] for k in ("status", "objective", "bound", "seconds")} == {
        "status": "OPTIMAL", "objective": 2010.0, "bound": 2000.0, "seconds": 0.314}
    assert math.isclose(solver["gap"], 10 / 2010)
    assert data["period"] == {"from": "2026-03-23", "to": "2026-03-29"}
    assert data["capacity"] == list(PLAN.capacity)


def test_json_is_strict_json_even_without_an_objective() -> None:
    stats = SolverStats("INFEASIBLE", math.nan, math.inf, 1.0)
    data = plan_to_dict(plan_of(week_blocks(), solver=stats), ZAGREB)
    text = json.dumps(data, allow_nan=False)
    assert json.loads(text)["solver"]["objective"] is None


# Terminal ----------------------------------------------------------------------------------------


def render_text(result: PlanResult) -> str:
    console = Console(record=True, width=120, file=io.StringIO())
    render_plan(result, console, ZAGREB, POLICY.focus.min_block_minutes)
    return console.export_text()


def test_terminal_shows_the_week_the_blocks_and_what_is_left() -> None:
    text = render_text(PLAN)
    assert "The week with the plan" in text
    for glyph in ("▓", "▒", "≡", "~", "█"):
        assert glyph in text
    for task in ("design-doc", "pr-42", "postmortem"):
        assert task in text
    flat = " ".join(text.split())
    for block in PLAN.work_blocks:  # rest and recovery are drawn in the week, not listed
        assert " ".join(block.reason.split()) in flat
    assert re.search(r"≡ sync window\s+Chat and email", text)
    assert "Totals before and after the plan" in text
    assert re.search(r"maker days\s+\d+\s+\d+", text)
    assert "deep work 10h asks for more than the 8h of deep-allowed time" in text
    assert re.search(r"overlay\s+2h\s+no 2h run left outside recovery", text)
    assert "solver OPTIMAL · objective 2010 · bound 2000 · gap 0.50% · 0.3 s" in text


def test_terminal_says_when_everything_is_placed() -> None:
    text = render_text(plan_of(week_blocks(), unscheduled=(), capacity=()))
    assert "✓ Everything placed: 2 deep blocks (6h)" in text
    assert "Not placed" not in text


def test_terminal_prints_calendar_text_literally() -> None:
    block = Block(BlockKind.DEEP, span("2026-03-25 09:00", "2026-03-25 11:00"), HOSTILE, "x",
                  "[red]t[/red]")
    warning = ReadWarning("cal.ics", "[bold]w[/bold]", "ev-1")
    text = render_text(plan_of((block,), read_warnings=(warning,)))
    assert "[bold]not markup[/bold]" in text
    assert "[bold]w[/bold]" in text


def test_terminal_summarises_a_long_period_by_week() -> None:
    period = Period(date(2026, 3, 23), date(2026, 5, 3))  # six ISO weeks
    text = render_text(plan_of(week_blocks(), period))
    assert "by ISO week" in text
    assert "The week with the plan" not in text
    assert re.search(r"23 Mar 2026\s+6h\s+2h15m\s+1\b", text)
    assert len(re.findall(r"^ *\d\d \w{3} 2026 ", text, re.MULTILINE)) == 6


# HTML --------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def page() -> str:
    block = Block(BlockKind.SHALLOW, span("2026-03-31 09:00", "2026-03-31 10:00"), HOSTILE,
                  "hostile", "<img src=x onerror=alert(1)>")
    result = plan_of((*week_blocks(), block), Period(date(2026, 3, 23), date(2026, 4, 5)),
                     read_warnings=(ReadWarning("cal <b>.ics", HOSTILE, "ev-1"),),
                     unscheduled=(Unscheduled("overlay", 120, HOSTILE),))
    return render_plan_html(result, POLICY)


def test_html_draws_each_week_before_and_after(page: str) -> None:
    assert page.startswith("<!doctype html>")
    assert page.count("<svg") == 4  # two ISO weeks
    assert page.count('aria-label="2026-W13 before the plan"') == 1
    assert page.count('aria-label="2026-W14 with the plan"') == 1
    assert "<?xml" not in page
    # every in-page reference (clip paths) finds exactly one target, whichever SVG it is in
    ids = Counter(re.findall(r'\bid="([^"]+)"', page))
    targets = re.findall(r'url\(#([^)]+)\)|href="#([^"]+)"', page)
    assert targets
    for target in targets:
        assert ids["".join(target)] == 1


def test_html_fetches_nothing_from_elsewhere(page: str) -> None:
    assert EXTERNAL.search(page) is None
    uris = set(re.findall(r"https?://[^\s\"'<>)]+", page))
    assert uris <= {"http://www.w3.org/2000/svg", "http://www.w3.org/1999/xlink"}
    assert "<script" not in page.lower()
    assert "<img" not in page.lower()
    assert "<link" not in page.lower()


def test_html_escapes_text_from_calendars_and_tasks(page: str) -> None:
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; [bold]" in page
    assert "Shallow: &lt;img src=x onerror=alert(1)&gt;" in page
    assert "cal &lt;b&gt;.ics" in page


def test_html_shows_totals_blocks_unplaced_and_solver(page: str) -> None:
    for label in ("focus", "fragmented", "switches", "maker days"):
        assert f"<td>{label}</td>" in page
    assert "Deep: Design doc: multi-region ingest" in page
    assert "Due Fri 17:00; the first 2h run of the week" in page
    assert "21:30–Fri 09:30" in page
    assert "<td>overlay</td><td>Ship the stream overlay</td><td class=\"num\">2h</td>" in page
    assert "deep work 10h asks for more than the 8h of deep-allowed time" in page
    assert "solver OPTIMAL · objective 2010 · bound 2000 · gap 0.50%" in page


def test_html_is_the_same_bytes_on_every_render(page: str, tmp_path: Path) -> None:
    result = plan_of(week_blocks(), unscheduled=())
    first = render_plan_html(result, POLICY)
    assert first == render_plan_html(result, POLICY)
    assert "Everything placed." in first
    path = tmp_path / "plan.html"
    write_plan_html(result, POLICY, path)
    assert path.read_text(encoding="utf-8") == first


def test_write_plan_html_refuses_a_bad_path(tmp_path: Path) -> None:
    with pytest.raises(OutputError, match="is a folder"):
        write_plan_html(PLAN, POLICY, tmp_path)
    with pytest.raises(OutputError, match="no folder"):
        write_plan_html(PLAN, POLICY, tmp_path / "missing" / "plan.html")


def test_same_block_same_uid_in_every_output() -> None:
    moved = replace(PLAN.blocks[0], reason="another reason")
    assert moved.uid == PLAN.blocks[0].uid
    uids = {item["uid"] for item in plan_to_dict(PLAN, ZAGREB)["blocks"]}
    assert uids == {str(e["UID"]) for e in events_of(plan_to_ics(PLAN, ZAGREB))}


def test_an_empty_plan_renders_everywhere() -> None:
    empty = plan_of((), unscheduled=(), capacity=())
    assert events_of(plan_to_ics(empty, ZAGREB)) == []
    assert plan_to_dict(empty, ZAGREB)["blocks"] == []
    assert "Everything placed: no blocks" in render_text(empty)
    page = render_plan_html(empty, POLICY)
    assert "The plan places no blocks." in page
    assert page.count("<svg") == 2
