"""A team rotation's outputs: JSON, the ICS files (read back by icalendar), the PagerDuty
overrides, the HTML page, the terminal, and the folder of files that never replaces a stranger's."""

from __future__ import annotations

import io
import json
import re
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path

import pytest
from icalendar import Calendar, Event
from rich.console import Console

from makertime.errors import OutputError
from makertime.marks import KIND_PROPERTY, PRODID
from makertime.model import Interval
from makertime.outputs.own import Kind, is_own
from makertime.outputs.team_files import team_files, write_team_files
from makertime.outputs.team_html import render_team_html, write_team_html
from makertime.outputs.team_ics import (
    DUTY_PROPERTY,
    RELIEVES_PROPERTY,
    duty_feed_ics,
    member_ics,
    pagerduty_overrides,
)
from makertime.outputs.team_json import rotation_json
from makertime.outputs.team_rows import cell_text, grid_rows
from makertime.outputs.team_terminal import render_rotation
from makertime.team.duties import duty_uid
from makertime.team.model import Assignment, DutyKind, Rotation
from tests.support.team_rotation import (
    LIVE_TITLE,
    SHIELD_HOLDERS,
    sample_rotation,
    sample_team,
    with_reason,
)

HOSTILE = "<script>alert('x')</script> & [bold]not markup[/bold]"
EXTERNAL = re.compile(r"""\b(?:src|href|action|poster)\s*=\s*["']?\s*(?:[a-z]+:|//)"""
                      r"""|url\(\s*["']?\s*(?!#)|@import""", re.IGNORECASE)


def events(data: bytes) -> list[Event]:
    return list(Calendar.from_ical(data).walk("VEVENT"))


def terminal_text(rotation: Rotation, name: str = "Ben Okafor") -> str:
    console = Console(file=io.StringIO(), width=100, color_system=None)
    render_rotation(rotation, sample_team(name), console)
    output = console.file.getvalue()  # type: ignore[attr-defined]
    assert isinstance(output, str)
    return " ".join(output.split())


# JSON


def test_the_json_has_the_schema_s_keys_in_a_stable_order() -> None:
    data = rotation_json(sample_rotation(), sample_team())
    assert list(data) == ["team", "from", "to", "assignments", "uncovered", "members",
                          "fairness", "team_focus_minutes", "focus_only_minutes", "changes",
                          "solver"]
    assert list(data["assignments"][0]) == [
        "slot", "duty", "kind", "seat", "event", "start", "end", "member", "focus_cost_minutes",
        "reason", "weighted_hours"]
    assert list(data["members"][0]) == ["id", "name", "focus_before_minutes",
                                        "focus_after_minutes", "hours", "weighted_hours",
                                        "carried"]
    assert list(data["solver"]) == ["status", "objective", "bound", "gap", "seconds"]
    assert json.loads(json.dumps(data)) == data


def test_the_json_holds_the_rotation_s_values() -> None:
    data = rotation_json(sample_rotation(), sample_team())
    assert (data["team"], data["from"], data["to"]) == ("Stream Team", "2026-12-07", "2026-12-13")
    crew = next(a for a in data["assignments"] if a["kind"] == "crew")
    assert crew == {"slot": "crew/2026-12-10T19:00/audio#1", "duty": "crew", "kind": "crew",
                    "seat": "audio", "event": LIVE_TITLE, "start": "2026-12-10T18:30:00+01:00",
                    "end": "2026-12-10T21:30:00+01:00", "member": "ben",
                    "focus_cost_minutes": 120,
                    "reason": "only Ben has audio and is free that evening",
                    "weighted_hours": 3.0}
    starts = [a["start"] for a in data["assignments"]]
    assert starts == sorted(starts) and len(starts) == 7
    assert data["uncovered"] == [{
        "slot": "crew/2026-12-10T19:00/video#1", "duty": "crew",
        "start": "2026-12-10T18:30:00+01:00", "end": "2026-12-10T21:30:00+01:00",
        "blocked": [{"member": "ana", "why": "holds the shield that day and must rest before "
                     "the event"}, {"member": "ben", "why": "lacks the skill video"},
                    {"member": "cid", "why": "on call: rest after the night of Wednesday"}]}]
    assert data["members"][1] == {"id": "ben", "name": "Ben Okafor", "focus_before_minutes": 1700,
                                  "focus_after_minutes": 1400, "hours": 19.0,
                                  "weighted_hours": 19.0, "carried": 2.5}
    # spread over weighted + carried: cid 38 − ana 16; price: 3000 − 2910
    assert data["fairness"] == {"spread_weighted_hours": 22.0, "price_of_fairness_minutes": 90}
    assert (data["team_focus_minutes"], data["focus_only_minutes"]) == (2910, 3000)
    assert data["solver"] == {"status": "optimal", "objective": 4210, "bound": 4100,
                              "gap": pytest.approx(110 / 4210), "seconds": 2.345}
    assert data["changes"] == list(sample_rotation().changes)


def test_the_json_says_null_where_the_price_and_the_bound_are_unknown() -> None:
    rotation = replace(sample_rotation(focus_only=None), bound=None)
    data = rotation_json(rotation, sample_team())
    assert data["fairness"]["price_of_fairness_minutes"] is None
    assert data["focus_only_minutes"] is None
    assert (data["solver"]["bound"], data["solver"]["gap"]) == (None, None)


# ICS


def test_a_member_file_holds_exactly_their_duties_and_the_relief_of_others_shields() -> None:
    rotation, team = sample_rotation(), sample_team()
    found = events(member_ics(rotation, team, "ben"))
    duties = [e for e in found if str(e[DUTY_PROPERTY]) != "relief"]
    reliefs = [e for e in found if str(e[DUTY_PROPERTY]) == "relief"]
    assert sorted(str(e["SUMMARY"]) for e in duties) == [f"Crew: audio — {LIVE_TITLE}",
                                                       "Shield", "Shield"]
    assert {str(e[DUTY_PROPERTY]) for e in duties} == {"shield", "crew"}
    assert all(str(e[KIND_PROPERTY]) == "duty" for e in found)
    others = [n for n, who in enumerate(SHIELD_HOLDERS) if who != "ben"]
    assert len(reliefs) == len(others) == 3
    assert {str(e["SUMMARY"]) for e in reliefs} == {"Shield: Ana Horvat", "Shield: Cid Marin"}
    assert all(str(e[RELIEVES_PROPERTY]) == "2" and str(e["TRANSP"]) == "TRANSPARENT"
               for e in reliefs)
    crew = next(e for e in duties if str(e[DUTY_PROPERTY]) == "crew")
    assert "LIVE" in [str(c) for c in crew["CATEGORIES"].cats]
    assert str(crew["DESCRIPTION"]) == "only Ben has audio and is free that evening"


def test_an_on_call_member_gets_the_turn_in_the_team_zone_with_its_vtimezone() -> None:
    data = member_ics(sample_rotation(), sample_team(), "cid")
    calendar = Calendar.from_ical(data)
    assert str(calendar["PRODID"]) == PRODID
    assert [str(z["TZID"]) for z in calendar.walk("VTIMEZONE")] == ["Europe/Zagreb"]
    turn = next(e for e in calendar.walk("VEVENT") if str(e[DUTY_PROPERTY]) == "on-call")
    assert str(turn["SUMMARY"]) == "On-call (primary)"
    assert turn.decoded("DTSTART").isoformat() == "2026-12-07T10:00:00+01:00"
    assert turn.decoded("DTEND").isoformat() == "2026-12-14T10:00:00+01:00"
    assert b"DTSTAMP:20261207T000000Z" in data


def test_uids_are_stable_across_renders_and_distinct_per_slot() -> None:
    team = sample_team()
    first = member_ics(sample_rotation(), team, "ana")
    later = member_ics(with_reason(sample_rotation(), "another reason"), team, "ana")
    assert [str(e["UID"]) for e in events(first)] == [str(e["UID"]) for e in events(later)]
    assert first != later  # the reason changed, and with it the description only
    uids = [str(e["UID"]) for member in ("ana", "ben", "cid")
            for e in events(member_ics(sample_rotation(), team, member))]
    assert len(uids) == len(set(uids)) == 7 + 3 * 5 - 5  # duties, and reliefs for others
    assert duty_uid(team, "shield/2026-12-07") in uids  # the UID a publish gives it too
    assert member_ics(sample_rotation(), team, "ana") == first


def test_a_duty_feed_names_each_holder() -> None:
    team = sample_team()
    shield = events(duty_feed_ics(sample_rotation(), team, "shield"))
    names = {m.id: m.name for m in team.members}
    assert [str(e["SUMMARY"]) for e in shield] == [names[who] for who in SHIELD_HOLDERS]
    crew = events(duty_feed_ics(sample_rotation(), team, "crew"))
    assert [str(e["SUMMARY"]) for e in crew] == ["Ben Okafor"]
    assert all(str(e["TRANSP"]) == "TRANSPARENT" for e in shield + crew)
    with pytest.raises(KeyError):
        duty_feed_ics(sample_rotation(), team, "nope")


def test_hostile_text_cannot_add_a_property_to_an_event() -> None:
    rotation = with_reason(sample_rotation(), "fine\r\nX-INJECTED:1\r\nEND:VEVENT")
    data = member_ics(rotation, sample_team("Ben\r\nATTENDEE:mailto:x@example.com"), "ana")
    assert b"\r\nX-INJECTED" not in data and b"\r\nATTENDEE" not in data
    assert len(events(data)) == 5


def test_pagerduty_overrides_are_one_per_assignment_with_offset_times() -> None:
    data = pagerduty_overrides(sample_rotation(), sample_team(), "oncall")
    assert data["generator"].startswith("makertime ")
    assert data["overrides"] == [{"override": {"start": "2026-12-07T10:00:00+01:00",
                                               "end": "2026-12-14T10:00:00+01:00",
                                               "user": {"id": "cid", "summary": "Cid Marin",
                                                        "type": "user_reference"}}}]
    shield = pagerduty_overrides(sample_rotation(), sample_team(), "shield")
    assert [o["override"]["user"]["id"] for o in shield["overrides"]] == list(SHIELD_HOLDERS)


# HTML


def test_the_page_shows_a_hostile_name_as_text_and_fetches_nothing() -> None:
    page = render_team_html(with_reason(sample_rotation(), HOSTILE), sample_team(HOSTILE))
    assert "<script>" not in page
    assert "&lt;script&gt;alert(" in page
    assert EXTERNAL.search(page) is None
    assert page.startswith("<!doctype html>") and page.rstrip().endswith("</html>")


def test_the_page_is_the_same_bytes_for_the_same_rotation(tmp_path: Path) -> None:
    page = render_team_html(sample_rotation(), sample_team())
    assert render_team_html(sample_rotation(), sample_team()) == page
    write_team_html(sample_rotation(), sample_team(), tmp_path / "team.html")
    assert (tmp_path / "team.html").read_text("utf-8") == page


def test_the_page_shows_the_grid_the_loads_the_holes_and_the_price() -> None:
    page = render_team_html(sample_rotation(), sample_team())
    assert 'class="weekend"' in page and page.count('<tr class="weekend">') == 2
    assert "audio: Ben Okafor, video: uncovered" in page
    assert "lacks the skill video" in page
    assert "fairness costs the team 1h30m of focus" in page
    assert 'class="carried" style="width: 6.6%"' in page  # 2.5 of ben's 21.5, over cid's 38
    unproven = render_team_html(sample_rotation(focus_only=None), sample_team())
    assert "not proven" in unproven


# terminal


def test_the_terminal_names_every_member_and_why_the_hole_is_one() -> None:
    text = terminal_text(sample_rotation())
    for name in ("Ana Horvat", "Ben Okafor", "Cid Marin"):
        assert name in text
    assert "audio: Ben Okafor, video: uncovered" in text
    assert "Ben Okafor: lacks the skill video" in text
    assert "Cid Marin: on call: rest after the night of Wednesday" in text
    assert "fairness costs the team 1h30m of focus against the focus-only optimum" in text
    assert "solver optimal · objective 4210 · bound 4100 · gap 2.61%" in text
    assert "Ben asked for Monday off" in text


def test_the_terminal_claims_no_optimum_the_solver_did_not_prove() -> None:
    text = terminal_text(sample_rotation(focus_only=None, status="feasible"))
    assert "optimal" not in text.replace("optimum", "")
    assert "not proven" in text
    assert "solver feasible" in text


def test_the_terminal_shows_markup_in_a_name_as_it_is() -> None:
    assert "[bold]not markup[/bold]" in terminal_text(sample_rotation(), HOSTILE)


# the folder of files


def test_the_files_are_one_per_member_and_two_per_duty() -> None:
    files = team_files(sample_rotation(), sample_team())
    assert sorted(files) == ["duties/crew.ics", "duties/oncall.ics", "duties/shield.ics",
                             "members/ana.ics", "members/ben.ics", "members/cid.ics",
                             "pagerduty/crew.json", "pagerduty/oncall.json",
                             "pagerduty/shield.json"]
    assert json.loads(files["pagerduty/oncall.json"])["overrides"][0]["override"]["user"][
        "id"] == "cid"


def test_an_id_that_would_leave_the_folder_is_refused() -> None:
    team = sample_team()
    team = replace(team, members=(replace(team.members[0], id="../ana"), *team.members[1:]))
    with pytest.raises(OutputError, match="cannot be a file name"):
        team_files(sample_rotation(), team)


def test_write_team_files_rewrites_its_own(tmp_path: Path) -> None:
    written = write_team_files(sample_rotation(), sample_team(), tmp_path)
    assert len(written) == 9 and all(path.is_file() for path in written)
    (tmp_path / "members" / "ana.ics").write_bytes(b"")  # empty: nothing to lose
    later = with_reason(sample_rotation(), "a new reason")
    assert write_team_files(later, sample_team(), tmp_path) == written
    assert b"a new reason" in (tmp_path / "members" / "ana.ics").read_bytes()


@pytest.mark.parametrize(("name", "foreign"), [
    ("duties/shield.ics", b"BEGIN:VCALENDAR\r\nPRODID:-//Someone//Else//EN\r\nEND:VCALENDAR\r\n"),
    ("pagerduty/oncall.json", b'{"overrides": []}'),
    ("pagerduty/crew.json", b'{"generator": "someone else"}'),
    ("members/ben.ics", b"my notes"),
])
def test_write_team_files_refuses_a_file_makertime_did_not_write(
        tmp_path: Path, name: str, foreign: bytes) -> None:
    target = tmp_path / name
    target.parent.mkdir()
    target.write_bytes(foreign)
    with pytest.raises(OutputError) as raised:
        write_team_files(sample_rotation(), sample_team(), tmp_path)
    message = str(raised.value)
    assert str(target) in message and "\n" not in message
    assert "move it away" in message
    assert target.read_bytes() == foreign
    assert sorted(p.name for p in tmp_path.rglob("*") if p.is_file()) == [target.name]


def test_the_page_is_one_makertime_may_replace(tmp_path: Path) -> None:
    path = tmp_path / "team.html"
    write_team_html(sample_rotation(), sample_team(), path)
    assert is_own(path, Kind.HTML)


def test_a_zone_icalendar_cannot_describe_is_written_in_utc() -> None:
    team = replace(sample_team(), timezone=timezone(timedelta(hours=1)))
    calendar = Calendar.from_ical(member_ics(sample_rotation(), team, "cid"))
    assert calendar.walk("VTIMEZONE") == []
    turn = next(e for e in calendar.walk("VEVENT") if str(e[DUTY_PROPERTY]) == "on-call")
    assert turn.decoded("DTSTART") == datetime(2026, 12, 7, 9, 0, tzinfo=UTC)


def test_the_grid_shows_a_handover_and_a_secondary() -> None:
    rotation = sample_rotation()
    turn = next(a for a in rotation.assignments if a.slot.duty == "oncall")
    later = replace(turn.slot, id="oncall/2026-12-14T10:00/primary",
                    span=Interval(turn.slot.span.end, turn.slot.span.end + timedelta(days=7)),
                    dates=(turn.slot.dates[-1],))
    second = replace(turn.slot, id="oncall/2026-12-07T10:00/secondary", seat="secondary")
    extra = (Assignment(later, "ana", 0, "next"), Assignment(second, "ben", 0, "backup"))
    rows = grid_rows(replace(rotation, last=date(2026, 12, 14),
                             assignments=rotation.assignments + extra), sample_team())
    oncall = [cell_text(row.cells[1], DutyKind.ON_CALL) for row in rows]
    assert oncall[0] == "Cid Marin, 2nd: Ben Okafor"
    assert oncall[-1] == "Cid Marin → Ana Horvat, 2nd: Ben Okafor"
    assert [row.weekend for row in rows] == [False] * 5 + [True, True, False]


def test_the_terminal_shows_no_escape_sequence_from_a_name() -> None:
    text = terminal_text(with_reason(sample_rotation(), "\x1b]0;pwned\x07why"), "\x1b[2JBen")
    assert "\x1b" not in text and "\x07" not in text
    assert "Ben: lacks the skill video" in text


def test_write_team_files_refuses_a_link_in_place_of_a_file(tmp_path: Path) -> None:
    (tmp_path / "duties").mkdir()
    mine = tmp_path / "elsewhere.ics"
    mine.write_bytes(b"keep")
    (tmp_path / "duties" / "crew.ics").symlink_to(mine)
    with pytest.raises(OutputError, match="symbolic link"):
        write_team_files(sample_rotation(), sample_team(), tmp_path)
    assert mine.read_bytes() == b"keep"
    assert not (tmp_path / "members").exists()
