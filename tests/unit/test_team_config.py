"""team.toml: the sample team builds, every mistake is one line naming where, the key and the
fix, bounds are checked before the work, and paths resolve against the file's folder."""

from __future__ import annotations

import copy
import tomllib
from collections.abc import Callable
from datetime import date, time
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from makertime.errors import InputError, TeamError
from makertime.sample import sample_path
from makertime.team.config import MOST_MEMBERS, TEAM_FILE_MOST, build_team
from makertime.team.model import DutyKind, Fairness, Limits, Team
from makertime.tomlfile import load_toml

SAMPLE = sample_path("team/team.toml")


def minimal() -> dict[str, Any]:
    """A small valid team.toml, as tomllib gives it."""
    return {
        "team": {"name": "T", "timezone": "Europe/Zagreb", "events": ["events.ics"]},
        "duty": [
            {"id": "shield", "kind": "shield"},
            {"id": "on-call", "kind": "on-call"},
            {"id": "crew", "kind": "crew", "match": {"categories": ["LIVE"]},
             "seats": {"audio": 1, "video": 1}},
        ],
        "member": [{"id": "ana", "skills": ["audio"]}, {"id": "ben"}],
    }


def build(data: dict[str, Any], base: Path = Path("/nowhere")) -> Team:
    return build_team(data, source="team.toml", base=base)


def test_the_sample_team_builds() -> None:
    data = tomllib.loads(SAMPLE.read_text(encoding="utf-8"))
    team = build_team(data, source=str(SAMPLE), base=SAMPLE.parent)
    assert (team.name, team.timezone, team.holidays) == ("Live media", ZoneInfo("Europe/Zagreb"),
                                                         "HR")
    assert [m.id for m in team.members] == ["ana", "ben", "chiara", "dario", "eva", "filip"]
    assert [(d.id, d.kind) for d in team.duties] == [
        ("shield", DutyKind.SHIELD), ("on-call", DutyKind.ON_CALL), ("crew", DutyKind.CREW)]
    shield, on_call, crew = team.duties
    assert (shield.days, shield.relieves, shield.limits) == (frozenset(range(5)), 1,
                                                             Limits(2, 6))
    assert (on_call.turn_days, on_call.handoff_weekday, on_call.handoff_time) == (7, 0,
                                                                                  time(10))
    assert not on_call.secondary and not on_call.back_to_back
    assert crew.seats == (("audio", 1), ("video", 1)) and crew.categories == ("LIVE",)
    assert (crew.prep_minutes, crew.recover_after_minutes) == (120, 720)
    assert team.fairness == Fairness(max_spread=None)
    ana, ben, _, _, eva, filip = team.members
    assert ana.skills == {"audio", "video"} and ana.prefer == {date(2026, 3, 26)}
    assert ben.limits == {"shield": Limits(1, 2)} and ben.skills == {"video"}
    assert filip.avoid == {0} and filip.limits == {"on-call": Limits(None, 1)}
    assert eva.policy == SAMPLE.parent / "eva-policy.toml" and eva.skills == frozenset()
    for member in team.members:  # every calendar and policy named is in the sample
        assert all(Path(c).is_file() for c in member.calendars), member.id
        assert member.policy is None or member.policy.is_file()
    assert [Path(e).name for e in team.events] == ["events.ics"]


def test_the_sample_reads_through_the_bounded_reader() -> None:
    data = load_toml(SAMPLE, TeamError, "team.toml", most=TEAM_FILE_MOST)
    assert build(data, SAMPLE.parent).member("dario").skills == {"audio"}


def test_the_sample_calendars_stay_small() -> None:
    assert [p.name for p in SAMPLE.parent.glob("*.ics") if p.stat().st_size >= 30_000] == []


def _set(path: str, value: object) -> Callable[[dict[str, Any]], None]:
    """A change that sets one value, its place written as "member.0.skills"."""
    def change(data: dict[str, Any]) -> None:
        *parents, last = path.split(".")
        node: Any = data
        for part in parents:
            node = node[int(part)] if part.isdigit() else node[part]
        node[int(last) if last.isdigit() else last] = value
    return change


MISTAKES = [
    (_set("colour", "blue"), "unknown key colour (allowed here: team, fairness, duty, member)"),
    (_set("team.zone", "x"), "unknown key team.zone (allowed here: name, timezone, holidays,"),
    (_set("team.timezone", "Mars/Olympus"),
     'team.timezone = "Mars/Olympus" is not an IANA time zone (write e.g. "Europe/Zagreb")'),
    (_set("team.holidays", "XX"), 'team.holidays = "XX" is not a country'),
    (_set("fairness", {"night": -1}), "fairness.night = -1 must be a number from 0 to 10"),
    (_set("fairness", {"night_hours": ["22:00", "22:00"]}),
     "fairness.night_hours = [\"22:00\", \"22:00\"] must be a start and a different end"),
    (_set("fairness", {"max_on_call_share": float("nan")}),
     "fairness.max_on_call_share = nan must be a number from 0 to 1"),
    (_set("member.0.skills", "audio"),
     'member "ana": skills = "audio" must be a list of words (1 to 40 of a-z, 0-9, - and _, '
     'starting with a letter or digit) (write e.g. skills = ["audio"])'),
    (_set("member.0.skills", ["Audio Engineer"]),
     'member "ana": skills = ["Audio Engineer"] must be a list of words'),
    (_set("member.0.avoid", ["funday"]), 'member "ana": avoid = "funday" is not a weekday'),
    (_set("duty.0.days", ["mon", "fry"]), 'duty "shield": days = "fry" is not a weekday'),
    (_set("duty.0.days", []), 'duty "shield": days = [] must name at least one weekday'),
    (_set("member.1.id", "ana"),
     'member "ana": id "ana" is used by two [[member]] (give each member its own id)'),
    (_set("duty.1.id", "shield"), 'duty "shield": id "shield" is used by two [[duty]]'),
    (_set("member.0.id", "Ana K"), 'member #1: id = "Ana K" is not a word'),
    (_set("duty.1.turn", "5 weeks"), 'duty "on-call": turn = "5 weeks" is not a turn of 1 to 28'),
    (_set("duty.1.turn", "5w"), 'duty "on-call": turn = "5w" is not a turn of 1 to 28 days'),
    (_set("duty.1.handoff", "monday"), 'duty "on-call": handoff = "monday" is not a weekday and'),
    (_set("duty.1.handoff", "mon 25:00"), 'duty "on-call": handoff = "25:00" is not a time'),
    (_set("duty.1.days", ["mon"]), 'duty "on-call": unknown key days (allowed here: id, kind,'),
    (_set("duty.0.kind", "firefighter"), 'duty "shield": kind = "firefighter" is not a duty'),
    (_set("duty.0.kind", ["shield"]), 'duty "shield": kind = ["shield"] is not a duty (write one'),
    (_set("member.0.limits", {"oncall": {"max_per_week": 1}}),
     'member "ana": limits name the duty oncall, which no [[duty]] defines (the duties are: '
     "shield, on-call, crew)"),
    (_set("member.0.limits", {"crew": {"max_per_month": 1}}),
     'member "ana": unknown key limits.crew.max_per_month'),
    (_set("member.0.limits", {"crew": {"max_per_week": -1}}),
     'member "ana": limits.crew.max_per_week = -1 must be a whole number from 0'),
    (_set("duty.2.seats", {"audio": 1.5}),
     'duty "crew": seats.audio = 1.5 must be a whole number from 1 to 50 (people)'),
    (_set("duty.2.seats", {"audio": 30, "video": 30}),
     'duty "crew": seats = { audio = 30, video = 30 } add up to more than the 50 people'),
    (_set("duty.2.seats", {}), 'duty "crew": seats = {  } must name 1 to 50 skills'),
    (lambda data: data["duty"][2].pop("match"), 'duty "crew": a crew duty needs a match'),
    (lambda data: data["duty"][2].pop("seats"), 'duty "crew": a crew duty needs seats'),
    (_set("duty.2.match", {"summary": "(unclosed"}),
     'duty "crew": match.summary = "(unclosed" is not a regular expression'),
    (_set("duty.2.match", {"summary": "a" * 501}),
     ('duty "crew": match.summary = "aaaa', "must be a regular expression of 1 to 500")),
    (_set("team.events", []), 'duty "crew": a crew duty needs the team\'s events calendars'),
    (_set("member.0.prefer", ["2026-02-30"]), 'member "ana": prefer = "2026-02-30" is not a date'),
    (_set("member.0.days_off", ["tomorrow"]),
     'member "ana": days_off = "tomorrow" is not a date (write e.g. "2026-04-03")'),
    (_set("member.0.me", ["ana"]), 'member "ana": me = "ana" is not an address'),
    (_set("member.0.name", "x" * 201),
     ('member "ana": name = "xxx', "… is longer than the 200 characters allowed")),
    (_set("member.0.calendars", ["a.ics"] * 21),
     'member "ana": calendars holds 21 items, more than the 20 allowed'),
    (_set("member.0.policy", 5), 'member "ana": policy = 5 must be a path'),
    (_set("member", []), "has no [[member]] (write at least one [[member]] with id)"),
    (_set("duty", {"id": "x"}), "duty = { id = \"x\" } must be [[duty]] tables"),
    (lambda data: data.pop("team"), "has no [team] table"),
    (lambda data: data["team"].pop("timezone"), "team.timezone is missing"),
    (lambda data: data["duty"][0].pop("kind"), 'duty "shield": has no kind'),
    (_set("duty", [{"id": f"d{n}", "kind": "shield"} for n in range(21)]),
     "holds 21 [[duty]] tables, more than the 20 allowed"),
]


@pytest.mark.parametrize(("change", "line"), MISTAKES)
def test_each_mistake_is_one_line_naming_it(change: Callable[[dict[str, Any]], Any],
                                            line: str | tuple[str, ...]) -> None:
    data = minimal()
    change(data)
    with pytest.raises(TeamError) as raised:
        build(data)
    text = str(raised.value)
    assert text.startswith("team.toml: ") and "\n" not in text
    assert all(part in text for part in ((line,) if isinstance(line, str) else line))
    assert raised.value.exit_status == 2 and isinstance(raised.value, InputError)


def test_too_many_members_are_refused_before_any_is_read() -> None:
    data = minimal()
    data["member"] = [{"id": "NOT AN ID"}] * (MOST_MEMBERS + 1)
    data["duty"][0]["kind"] = "not a duty"  # counted before the first duty is read, too
    with pytest.raises(TeamError, match=r"holds 201 \[\[member\]\] tables, more than the 200"):
        build(data)
    data["member"] = [{"id": f"m{n}"} for n in range(MOST_MEMBERS)]
    data["duty"][0]["kind"] = "shield"
    assert len(build(data).members) == MOST_MEMBERS


def test_defaults_fill_what_is_left_out() -> None:
    team = build(minimal())
    shield, on_call, crew = team.duties
    assert shield.days == frozenset(range(5)) and shield.relieves == 1
    assert (on_call.turn_days, on_call.handoff_weekday, on_call.handoff_time) == (7, 0,
                                                                                  time(10))
    assert crew.summary is None and crew.prep_minutes == 0
    assert team.fairness == Fairness() and team.holidays == ""
    assert team.member("ben").name == "ben" and team.member("ben").policy is None


def test_values_are_read_as_written() -> None:
    data = copy.deepcopy(minimal())
    data["team"]["holidays"] = "de-be"
    data["duty"][0].update(days=["sat", "Sunday"], relieves=0, max_per_week=1)
    data["duty"][1].update(turn="2w", handoff="fri 09:30", secondary=True, back_to_back=True)
    data["duty"][2]["match"] = {"summary": "(?i)stream", "categories": ["LIVE"]}
    data["fairness"] = {"night_hours": [time(23), "06:00"], "max_spread_hours": 12}
    data["member"][0].update(prefer=[date(2026, 4, 1), "2026-04-02"], me=["MAILTO:Ana@X.org"])
    team = build(data)
    shield, on_call, crew = team.duties
    assert team.holidays == "DE-BE"
    assert (shield.days, shield.relieves, shield.limits) == ({5, 6}, 0, Limits(1, None))
    assert (on_call.turn_days, on_call.handoff_weekday, on_call.handoff_time) == (14, 4,
                                                                                  time(9, 30))
    assert on_call.secondary and on_call.back_to_back
    assert crew.summary == "(?i)stream"
    assert (team.fairness.night_start, team.fairness.night_end) == (time(23), time(6))
    assert team.fairness.max_spread == 12.0
    ana = team.member("ana")
    assert ana.prefer == {date(2026, 4, 1), date(2026, 4, 2)} and ana.me == ("ana@x.org",)


def test_calendars_resolve_against_the_folder_of_team_toml(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    base = tmp_path / "team"
    (base / "shared").mkdir(parents=True)
    data = minimal()
    data["team"]["events"] = ["../events.ics"]
    data["member"][0].update(policy="ana-policy.toml", calendars=[
        "ana.ics", "cals/ana-home.ics", "shared", "work", "~/mine.ics",
        "https://dav.example.com/cal/ana/", "Work.ICS"])
    team = build(data, base)
    assert team.events == (str(tmp_path / "events.ics"),)
    ana = team.member("ana")
    assert ana.calendars == (
        str(base / "ana.ics"), str(base / "cals" / "ana-home.ics"), str(base / "shared"),
        "work",  # no such file or folder: a remembered source's name
        str(tmp_path / "home" / "mine.ics"), "https://dav.example.com/cal/ana/",
        str(base / "Work.ICS"))
    assert ana.policy == base / "ana-policy.toml"


def test_a_calendar_with_a_control_character_is_refused() -> None:
    data = minimal()
    data["member"][0]["calendars"] = ["a\x00.ics"]
    with pytest.raises(TeamError, match="holds control characters"):
        build(data)


ODD = st.one_of(
    st.sampled_from(["mon", "7d", "0d", "mon 10:00", "((", "LIVE", "2026-02-29", "HR", "shield",
                     "crew", "on-call", "", "\x00", "x" * 300, "https://x", "~nobody/x"]),
    st.text(max_size=12), st.integers(-(2 ** 70), 2 ** 70), st.booleans(),
    st.floats(allow_nan=True, allow_infinity=True), st.dates(), st.times())
VALUES = st.recursive(ODD, lambda inner: st.lists(inner, max_size=3)
                      | st.dictionaries(st.sampled_from(["audio", "x", "id", "categories"]),
                                        inner, max_size=3), max_leaves=6)
PLACES = st.sampled_from([
    "colour", "team.name", "team.timezone", "team.holidays", "team.events", "fairness",
    "duty.0.days", "duty.0.relieves", "duty.0.max_per_week", "duty.0.skills", "duty.1.turn",
    "duty.1.handoff", "duty.1.secondary", "duty.2.match", "duty.2.seats", "duty.2.kind",
    "duty.2.prep_minutes", "member.0.id", "member.0.me", "member.0.calendars", "member.0.policy",
    "member.0.skills", "member.0.limits", "member.0.avoid", "member.0.prefer", "member", "duty"])


@settings(max_examples=300, deadline=None, derandomize=True, database=None)
@given(st.lists(st.tuples(PLACES, VALUES), min_size=1, max_size=3))
def test_any_value_anywhere_gives_a_team_or_one_line(changes: list[tuple[str, Any]]) -> None:
    data = minimal()
    for place, value in changes:
        try:
            _set(place, value)(data)
        except (KeyError, IndexError, TypeError):
            return  # an earlier change replaced the table this one would go into
    try:
        build(data)
    except TeamError as error:
        assert "\n" not in str(error) and str(error).startswith("team.toml: ")
