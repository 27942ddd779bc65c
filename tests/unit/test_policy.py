"""policy.toml: defaults, every key, and messages that name key, value and what is allowed."""

from __future__ import annotations

from datetime import time
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from makertime.defaults import BY_KEY, SETTINGS
from makertime.errors import PolicyError
from makertime.model import Attention
from makertime.policy import build_policy, load_policy
from makertime.sample import sample_path


def test_defaults_match_the_documented_policy() -> None:
    policy = build_policy({"timezone": "Europe/Zagreb"})
    assert policy.timezone == ZoneInfo("Europe/Zagreb")
    assert policy.work.days == frozenset(range(5))
    assert (policy.work.start, policy.work.end) == (time(9), time(17))
    assert policy.focus.min_block_minutes == 120
    assert policy.focus.ramp_up_minutes == 15
    assert policy.focus.maker_day_minutes == 240
    assert policy.focus.max_deep_minutes_per_day == 240
    assert policy.energy.enabled is False
    assert policy.sync.buffer_after_minutes == 10
    assert policy.sync_windows.prefer == (time(11, 30), time(16, 30))
    [live] = policy.rules
    assert live.matches("Thursday stream", ()) and live.matches("x", ("live",))
    assert (live.rest_before_minutes, live.recover_after_minutes) == (180, 720)


def test_every_default_has_unit_source_and_grade() -> None:
    for setting in SETTINGS:
        assert setting.meaning and setting.source, setting.key
        assert setting.grade in {"A", "B", "C", "D"}, setting.key
    assert BY_KEY["focus.ramp_up_minutes"].grade == "B"


def test_without_a_file_the_local_zone_is_used(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TZ", "America/Santiago")
    assert load_policy(None).timezone == ZoneInfo("America/Santiago")
    assert build_policy({"timezone": "local"}).timezone == ZoneInfo("America/Santiago")


def test_a_policy_file_with_a_byte_order_mark_loads(tmp_path: Path) -> None:
    path = tmp_path / "policy.toml"
    path.write_text('\ufefftimezone = "Asia/Tokyo"\n', encoding="utf-8")
    assert load_policy(path).timezone == ZoneInfo("Asia/Tokyo")


def test_the_sample_policy_loads() -> None:
    policy = load_policy(sample_path("policy.toml"))
    assert policy.me == ("ana@example.com",)
    assert [r.attention for r in policy.rules] == [Attention.FULL, Attention.PARTIAL]


@pytest.mark.parametrize(("data", "needle"), [
    ({"timezone": "Mars/Olympus"}, "timezone = \"Mars/Olympus\" is not an IANA time zone"),
    ({"work": {"start": "9am"}}, "work.start = \"9am\" is not a time of day"),
    ({"work": {"start": "18:00"}}, "work.end = \"17:00\" must be later than work.start"),
    ({"work": {"days": ["monday", "funday"]}}, "work.days = \"funday\" is not a weekday"),
    ({"focus": {"min_block_minutes": -5}}, "focus.min_block_minutes = -5 must be a whole number"),
    ({"focus": {"min_block_minutes": "2h"}}, "focus.min_block_minutes = \"2h\""),
    ({"focus": {"min_blok_minutes": 90}}, "unknown key focus.min_blok_minutes"),
    ({"energy": {"enabled": "yes"}}, "energy.enabled = \"yes\" must be true or false"),
    ({"me": ["ana"]}, "me = \"ana\" is not an address"),
    ({"colour": "blue"}, "unknown key colour"),
    ({"rule": [{"match": {"summary": "(unclosed"}}]}, "rule #1 match.summary"),
    ({"rule": [{"match": {}}]}, "needs categories"),
    ({"rule": [{"match": {"summary": "x"}, "attention": "some"}]},
     "must be full, partial, none or off"),
    ({"rule": [{"match": {"summary": 5}}]}, "rule #1 match.summary = 5 must be a regex string"),
    ({"timezone": "Europe"}, 'timezone = "Europe" is not an IANA time zone'),
    ({"audit": {"weekly_focus_warn_hours": float("inf")}}, "weekly_focus_warn_hours = inf must be"),
    ({"energy": {"daily_budget": float("nan")}}, "energy.daily_budget = nan must be a number"),
    ({"work": {"start": time(9, 0, 30)}}, "work.start = 09:00:30 is not a time of day in whole"),
    ({"rule": [{"match": {"summary": "x"}, "drain_per_hour": -1}]},
     "rule #1 drain_per_hour = -1 must be a number from 0"),
])
def test_bad_values_are_named_with_what_is_allowed(data: dict[str, object], needle: str) -> None:
    with pytest.raises(PolicyError) as caught:
        build_policy(data, source="policy.toml")
    assert str(caught.value).startswith("policy.toml: ")
    assert needle in str(caught.value)


def test_a_broken_file_is_one_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "policy.toml"
    path.write_text("[work\nstart = 9", encoding="utf-8")
    with pytest.raises(PolicyError, match="is not valid TOML"):
        load_policy(path)
    with pytest.raises(PolicyError, match="no such file"):
        load_policy(tmp_path / "missing.toml")


def test_me_is_normalised_for_matching_attendees() -> None:
    policy = build_policy({"timezone": "UTC", "me": ["MAILTO:Ana@Example.COM"]})
    assert policy.me == ("ana@example.com",)
