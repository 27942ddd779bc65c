"""Plans that follow one another in the store, published to an .ics file of makertime's own: a
fresh plan keeps what is already over and what lies outside its period, so the record of the
week stays whole and the work it held still counts."""

from __future__ import annotations

import json
from pathlib import Path

import icalendar

from makertime.plan.result import Block, BlockKind
from makertime.store import open_store
from tests.support.week import SAMPLE, local, ok, run

WEEK_ONE = ["--from", "2026-03-23", "--to", "2026-03-29"]
WEEK_TWO = ["--from", "2026-03-30", "--to", "2026-04-05"]
FAST = ["--workers", "1", "--gap", "0"]


def calendar_uids(path: Path) -> set[str]:
    """The UIDs of the events in an .ics file."""
    found = icalendar.Calendar.from_ical(path.read_bytes())
    return {str(event["UID"]) for event in found.walk("VEVENT")}


def test_planning_next_week_leaves_this_weeks_blocks_where_they_are(tmp_path: Path) -> None:
    db, target = f"sqlite:///{tmp_path / 'store.db'}", tmp_path / "plan.ics"
    cal = str(Path(SAMPLE[1]).with_name("week.ics"))
    ok("plan", cal, *SAMPLE, *WEEK_ONE, "--now", "2026-03-23T08:00", *FAST,
       "--publish", str(target), "--db", db)
    first = calendar_uids(target)
    ok("plan", cal, *SAMPLE, *WEEK_TWO, "--now", "2026-03-27T18:00", *FAST,
       "--publish", str(target), "--db", db)
    assert first <= calendar_uids(target)  # week one's blocks are still in the calendar
    with open_store(db) as store:
        plan = store.current_plan()
        assert plan is not None
        assert first <= {b.uid for b in plan.blocks}
    replanned = ok("replan", "--now", "2026-03-31T10:00", *FAST[:2], "--db", db)
    assert "Repaired as of Tue 31 Mar 10:00" in replanned
    assert first <= calendar_uids(target)
    assert "0 created, 0 moved, 0 removed" in ok("publish", "--db", db)


def test_a_fresh_plan_midweek_keeps_the_past_and_counts_its_work(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'store.db'}"
    cal = str(Path(SAMPLE[1]).with_name("week.ics"))
    ok("plan", cal, *SAMPLE, *WEEK_ONE, "--now", "2026-03-23T08:00", *FAST, "--db", db)
    with open_store(db) as store:
        monday = store.current_plan()
        assert monday is not None
    ok("plan", cal, *SAMPLE, *WEEK_ONE, "--now", "2026-03-25T10:15", *FAST, "--db", db)
    ok("plan", cal, *SAMPLE, *WEEK_ONE, "--now", "2026-03-26T08:00", *FAST, "--db", db)
    with open_store(db) as store:
        thursday = store.current_plan()
        assert thursday is not None
    over = [b for b in monday.blocks if b.kind.is_work and b.span.end <= local("2026-03-25T10:15")]
    assert over and {b.uid for b in over} <= {b.uid for b in thursday.blocks}
    # the side project's Tuesday block is over, so it is not planned again on Thursday
    assert any(b.task == "overlay-side-project" for b in over)
    assert not [b for b in thursday.blocks if b.task == "overlay-side-project"
                and b.kind is BlockKind.DEEP and b.span.start >= local("2026-03-26T08:00")]
    tasks = ok("tasks", "--now", "2026-03-26T08:00", "--db", db)
    assert "overlay-side-project deep 95% done? 0m" in tasks


def without_event(path: Path, uid: str) -> None:
    """Delete the event ``uid`` from an .ics file, as the person would in their program."""
    calendar = icalendar.Calendar.from_ical(path.read_bytes())
    calendar.subcomponents = [c for c in calendar.subcomponents
                              if not (c.name == "VEVENT" and str(c["UID"]) == uid)]
    path.write_bytes(calendar.to_ical())


def published_then_deleted(tmp_path: Path) -> tuple[str, Path, str, Block]:
    """The sample week planned Monday 08:00 and published to an .ics file, whose
    pr-42-feedback block the person then deletes: the store, the file, the calendar and the
    block."""
    db, target = f"sqlite:///{tmp_path / 'store.db'}", tmp_path / "plan.ics"
    cal = str(Path(SAMPLE[1]).with_name("week.ics"))
    ok("plan", cal, *SAMPLE, *WEEK_ONE, "--now", "2026-03-23T08:00", *FAST,
       "--publish", str(target), "--db", db)
    with open_store(db) as store:
        plan = store.current_plan()
        assert plan is not None
    gone = next(b for b in plan.blocks if b.task == "pr-42-feedback")
    without_event(target, gone.uid)
    return db, target, cal, gone


def test_a_deleted_block_stays_ruled_out_replan_after_replan(tmp_path: Path) -> None:
    db, target, cal, gone = published_then_deleted(tmp_path)
    for moment in ("2026-03-23T09:05", "2026-03-23T09:20", "2026-03-23T10:00"):
        ok("replan", "--now", moment, *FAST[:2], "--publish", "--db", db)
        with open_store(db) as store:
            plan = store.current_plan()
            assert plan is not None
        assert not [b for b in plan.blocks if b.task == gone.task and b.span.clip(gone.span)]
        assert gone.uid not in calendar_uids(target)
    # a fresh plan, where nothing else holds the task elsewhere, keeps the stretch ruled out too
    ok("plan", cal, *SAMPLE, *WEEK_ONE, "--now", "2026-03-23T10:00", *FAST,
       "--publish", str(target), "--db", db)
    with open_store(db) as store:
        plan = store.current_plan()
        assert plan is not None
    assert not [b for b in plan.blocks if b.task == gone.task and b.span.clip(gone.span)]
    assert any(b.task == gone.task for b in plan.blocks)


def test_a_task_taken_out_of_tasks_toml_is_no_longer_planned(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'store.db'}"
    cal = str(Path(SAMPLE[1]).with_name("week.ics"))
    tasks = tmp_path / "tasks.toml"
    text = Path(SAMPLE[1]).read_text(encoding="utf-8")
    tasks.write_text(text, encoding="utf-8")
    mine = ["--tasks", str(tasks), *SAMPLE[2:]]
    ok("plan", cal, *mine, *WEEK_ONE, "--now", "2026-03-23T08:00", *FAST, "--db", db)
    entries = text.split("[[task]]")
    kept = "[[task]]".join(e for e in entries if 'id = "design-doc-ingest"' not in e)
    tasks.write_text(kept, encoding="utf-8")
    ok("replan", "--now", "2026-03-23T09:00", *FAST[:2], "--db", db)
    with open_store(db) as store:
        plan = store.current_plan()
        assert plan is not None
    assert not [b for b in plan.blocks if b.task == "design-doc-ingest"
                and b.span.start >= local("2026-03-23T09:00")]
    assert any(b.task == "pr-42-feedback" for b in plan.blocks)


def test_urls_with_passwords_and_future_interruptions_are_refused(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'store.db'}"
    cal = str(Path(SAMPLE[1]).with_name("week.ics"))
    for args in (["plan", "https://ana:secret@dav.example.org/work/"],
                 ["plan", cal, "--publish", "https://ana:secret@dav.example.org/mine/"],
                 ["plan", "https://dav.example.org:port/work/"],
                 ["interrupt", "pager", "--minutes", "10", "--at", "23:59",
                  "--now", "2026-03-25T10:15"]):
        result = run(*args, "--db", db)
        assert result.exit_code == 2, result.output
        assert "Traceback" not in result.output and "secret" not in result.output
        assert len([line for line in result.output.splitlines() if line.strip()]) <= 3
    with open_store(db) as store:
        assert store.current_plan() is None and not store.interruptions()


def test_a_dry_replan_is_a_what_if_that_changes_nothing(tmp_path: Path) -> None:
    db, target = f"sqlite:///{tmp_path / 'store.db'}", tmp_path / "plan.ics"
    cal = str(Path(SAMPLE[1]).with_name("week.ics"))
    ok("plan", cal, *SAMPLE, *WEEK_ONE, "--now", "2026-03-23T08:00", *FAST,
       "--publish", str(target), "--db", db)
    before = target.read_bytes()
    with open_store(db) as store:
        plan = store.current_plan()
        assert plan is not None
    ok("interrupt", "all-hands overrun", "--minutes", "60", "--at", "2026-03-25T09:00",
       "--now", "2026-03-25T10:15", "--db", db)
    what_if = ok("replan", "--dry-run", "--now", "2026-03-25T10:15", *FAST[:2], "--db", db)
    assert "Would repair (nothing saved) as of Wed 25 Mar 10:15" in what_if
    with open_store(db) as store:
        again = store.current_plan()
        assert again is not None and again.id == plan.id
    assert target.read_bytes() == before
    result = run("replan", "--dry-run", "--publish", "--db", db)
    assert result.exit_code == 2 and "cannot go with --publish" in result.output


def test_a_target_removed_whole_is_published_afresh_and_nothing_is_declined(
        tmp_path: Path) -> None:
    db, target = f"sqlite:///{tmp_path / 'store.db'}", tmp_path / "plan.ics"
    cal = str(Path(SAMPLE[1]).with_name("week.ics"))
    ok("plan", cal, *SAMPLE, *WEEK_ONE, "--now", "2026-03-23T08:00", *FAST,
       "--publish", str(target), "--db", db)
    first = calendar_uids(target)
    target.unlink()
    replanned = ok("replan", "--publish", "--now", "2026-03-23T08:30", *FAST[:2], "--db", db)
    assert "deleted by you" not in replanned and " 0 changed (0%)" in replanned
    assert calendar_uids(target) == first
    with open_store(db) as store:
        assert not store.declined(str(target))


def test_a_replan_gives_its_ledger_and_changes_as_json_and_html(tmp_path: Path) -> None:
    db, _, _, gone = published_then_deleted(tmp_path)
    page = tmp_path / "replan.html"
    text = ok("replan", "--now", "2026-03-23T09:05", *FAST[:2], "--json", "--html", str(page),
              "--db", db)
    data = json.loads(text)
    (deleted,) = [c for c in data["changes"] if c["kind"] == "deleted"]
    assert deleted["task"] == "pr-42-feedback" and deleted["before"]["uid"] == gone.uid
    assert deleted["after"] is None and "you deleted it" in deleted["why"]
    assert data["now"].startswith("2026-03-23T09:05")
    ledger = {entry["id"]: entry for entry in data["tasks"]}
    assert set(ledger) == {"pr-42-feedback", "overlay-side-project", "design-doc-ingest",
                           "postmortem-cdn"}
    for entry in ledger.values():
        assert entry["needed"] == entry["placed"] + entry["held"] + entry["unscheduled"]
    html = page.read_text(encoding="utf-8")
    assert "Every task" in html and "pr-42-feedback" in html
    terminal = ok("replan", "--now", "2026-03-23T09:10", *FAST[:2], "--dry-run", "--db", db)
    assert "needed = placed here + held earlier + not placed" in " ".join(terminal.split())
    # the HTML may not replace an input of the plan
    refused = run("replan", "--now", "2026-03-23T09:10", "--dry-run", "--html",
                  str(Path(SAMPLE[3])), "--db", db)
    assert refused.exit_code == 2 and "--html" in refused.stderr
