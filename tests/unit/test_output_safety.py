"""Outputs never overwrite inputs: every refused case is one line, exit status 2, before any
calendar is read or any plan solved, with every file of the person's byte for byte unchanged."""

from __future__ import annotations

import errno
import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner, Result

from makertime import files
from makertime.cli import app
from makertime.errors import OutputError
from makertime.outputs.own import Kind, is_own
from makertime.sample import sample_path

runner = CliRunner()
PERIOD = ["--from", "2026-03-23", "--to", "2026-03-29"]
SOLVE = ["--workers", "1", "--time-limit", "5"]
OWN_PLAN = (b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//makertime//makertime 0.0.9//EN\r\n"
            b"BEGIN:VEVENT\r\nUID:abc@makertime\r\nDTSTAMP:20260323T000000Z\r\n"
            b"DTSTART:20260323T090000Z\r\nDTEND:20260323T100000Z\r\nSUMMARY:Deep: x\r\n"
            b"X-MAKERTIME-KIND:deep\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n")
THEIR_EVENT = (b"BEGIN:VEVENT\r\nUID:dentist-1\r\nDTSTAMP:20260323T000000Z\r\n"
               b"DTSTART:20260324T090000Z\r\nDTEND:20260324T100000Z\r\nSUMMARY:Dentist\r\n"
               b"END:VEVENT\r\n")
THEIRS = (b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Someone//Calendar//EN\r\n"
          + THEIR_EVENT + b"END:VCALENDAR\r\n")

# a report of this version written before its marker named the version
OWN_PAGE = ('<!doctype html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
            '<meta name="generator" content="makertime">\n</head>\n<body>\n'
            '<footer>Made by makertime. The metrics follow the definitions.</footer>\n'
            '</body>\n</html>\n')


@pytest.fixture
def home(tmp_path: Path) -> Path:
    """A folder with the sample week, tasks and policy, as a person keeps them."""
    for name in ("week.ics", "tasks.toml", "policy.toml"):
        shutil.copyfile(sample_path(name), tmp_path / name)
    return tmp_path


@pytest.fixture
def no_work(monkeypatch: pytest.MonkeyPatch) -> None:
    """Reading calendars or solving fails the test: a refusal must come before either."""
    import makertime.app.planning
    import makertime.app.reading

    def forbidden(*_args: Any, **_kwargs: Any) -> Any:
        raise AssertionError("calendars were read or a plan solved before the outputs' check")

    monkeypatch.setattr(makertime.app.reading, "audit_calendars", forbidden)
    monkeypatch.setattr(makertime.app.planning, "make_plan", forbidden)


def plan_args(home: Path, *more: str) -> list[str]:
    return ["plan", str(home / "week.ics"), "--tasks", str(home / "tasks.toml"),
            "--policy", str(home / "policy.toml"), *PERIOD, *more]


def snapshot(folder: Path) -> dict[str, bytes | str]:
    """Every entry below ``folder``: a file's bytes, a link's target, a folder's mark."""
    found: dict[str, bytes | str] = {}
    for path in sorted(folder.rglob("*")):
        name = str(path.relative_to(folder))
        if path.is_symlink():
            found[name] = f"-> {path.readlink()}"
        elif path.is_file():
            found[name] = path.read_bytes()
        else:
            found[name] = "folder"
    return found


def one_line(result: Result) -> str:
    """Exit status 2, no traceback, and exactly one line on stderr."""
    assert result.exit_code == 2, (result.exit_code, result.output)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    text = result.stderr
    assert "Traceback" not in text and "Traceback" not in result.stdout
    lines = [line for line in text.splitlines() if line.strip()]
    assert len(lines) == 1, text
    return lines[0]


def refused(args: list[str], folder: Path, *others: Path) -> str:
    """Run ``args``: one line, exit 2, and nothing below ``folder`` nor in ``others`` changed."""
    before = snapshot(folder), {path: path.read_bytes() for path in others}
    line = one_line(runner.invoke(app, args, env={"COLUMNS": "10000"}))
    assert (snapshot(folder), {path: path.read_bytes() for path in others}) == before
    return line


@pytest.mark.usefixtures("no_work")
def test_out_onto_the_calendar_it_reads_is_refused(home: Path) -> None:
    line = refused(plan_args(home, "--out", str(home / "week.ics")), home)
    assert "--out" in line and "week.ics" in line and "the calendar CAL" in line
    assert "never replaces an input" in line and "plan.ics" in line
    line = refused(["audit", str(home / "week.ics"), "--html", str(home / "week.ics")], home)
    assert "--html" in line and "the calendar CAL" in line


@pytest.mark.usefixtures("no_work")
def test_html_onto_tasks_and_out_onto_policy_are_refused(home: Path) -> None:
    line = refused(plan_args(home, "--html", str(home / "tasks.toml")), home)
    assert "--html" in line and "--tasks" in line and "which this command reads" in line
    line = refused(plan_args(home, "--out", str(home / "policy.toml")), home)
    assert "--out" in line and "--policy" in line
    audit = ["audit", str(home / "week.ics"), "--policy", str(home / "policy.toml")]
    assert "--policy" in refused([*audit, "--html", str(home / "policy.toml")], home)


@pytest.mark.usefixtures("no_work")
def test_force_never_allows_overwriting_an_input(home: Path) -> None:
    for option, name in (("--out", "week.ics"), ("--html", "tasks.toml"),
                         ("--out", "policy.toml")):
        line = refused(plan_args(home, option, str(home / name), "--force"), home)
        assert "never replaces an input" in line


def test_out_onto_the_store_is_refused(home: Path, tmp_path_factory: pytest.TempPathFactory,
                                       monkeypatch: pytest.MonkeyPatch) -> None:
    data = tmp_path_factory.mktemp("data")
    store = data / "kept.db"
    # a store with something in it: a remembered source
    source = runner.invoke(app, ["source", "add", "week", str(home / "week.ics"),
                                 "--db", f"sqlite:///{store}"])
    assert source.exit_code == 0, source.output
    import makertime.app

    monkeypatch.setattr(makertime.app, "make_plan", lambda *_a, **_k: pytest.fail("solved"))
    for name in ("kept.db", "kept.db-wal", "kept.db-shm", "kept.db-journal"):  # and its journals
        line = refused(plan_args(home, "--db", f"sqlite:///{store}", "--out", str(data / name),
                                 "--force"), data)
        assert "makertime's store" in line and "--out" in line
    # the default store (under XDG_DATA_HOME) and the one MAKERTIME_DB names, for audit too
    default = Path(os.environ["XDG_DATA_HOME"]) / "makertime" / "makertime.db"
    assert runner.invoke(app, ["source", "list"]).exit_code == 0 and default.exists()
    line = refused(plan_args(home, "--html", str(default)), default.parent)
    assert "makertime's store" in line
    line = refused(["audit", str(home / "week.ics"), "--html", str(default)], default.parent)
    assert "makertime's store" in line
    monkeypatch.setenv("MAKERTIME_DB", f"sqlite:///{store}")
    line = refused(["audit", str(home / "week.ics"), "--html", str(store), "--force"], data)
    assert "makertime's store" in line


@pytest.mark.usefixtures("no_work")
def test_two_outputs_never_share_a_file(home: Path) -> None:
    shared = home / "plan.ics"
    line = refused(plan_args(home, "--out", str(shared), "--html", str(shared)), home)
    assert "--html" in line and "also the file of --out" in line
    assert not shared.exists()
    # the same file under another name, and --publish with --out
    line = refused(plan_args(home, "--out", str(shared), "--html",
                             str(home / "sub" / ".." / "plan.ics")), home)
    assert "also the file of --out" in line
    line = refused(plan_args(home, "--out", str(shared), "--publish", str(shared), "--force"),
                   home)
    assert "--publish" in line and "also the file of --out" in line


@pytest.mark.usefixtures("no_work")
def test_a_symbolic_link_is_refused_and_its_target_left_alone(home: Path) -> None:
    target = home / "plan.ics"
    target.write_bytes(OWN_PLAN)  # even a link to makertime's own file
    link = home / "link.ics"
    link.symlink_to(target)
    line = refused(plan_args(home, "--out", str(link)), home)
    assert "link.ics" in line and "is a symbolic link" in line
    line = refused(plan_args(home, "--out", str(link), "--force"), home)
    assert "is a symbolic link" in line
    page = home / "link.html"
    page.symlink_to(home / "elsewhere.html")  # a dangling link is not written through either
    line = refused(["audit", str(home / "week.ics"), "--html", str(page)], home)
    assert "is a symbolic link" in line and not (home / "elsewhere.html").exists()
    # a link to an input is named as the input it leads to
    (home / "cal-link.ics").symlink_to(home / "week.ics")
    line = refused(plan_args(home, "--out", str(home / "cal-link.ics"), "--force"), home)
    assert "the calendar CAL" in line


@pytest.mark.usefixtures("no_work")
@pytest.mark.parametrize("device", ["/dev/full", "/dev/null"])
def test_a_device_is_refused(home: Path, device: str) -> None:
    if not Path(device).exists():
        pytest.skip(f"no {device} here")
    line = refused(plan_args(home, "--out", device, "--force"), home)
    assert device in line and "character device, not a regular file" in line
    line = refused(["audit", str(home / "week.ics"), "--html", device], home)
    assert "not a regular file" in line


@pytest.mark.usefixtures("no_work")
def test_a_named_pipe_is_refused(home: Path) -> None:
    pipe = home / "pipe.ics"
    os.mkfifo(pipe)
    line = refused(plan_args(home, "--out", str(pipe), "--force"), home)
    assert "named pipe" in line


@pytest.mark.usefixtures("no_work")
def test_nothing_is_written_inside_an_input_folder(home: Path) -> None:
    folder = home / "calendars"
    (folder / "work").mkdir(parents=True)
    shutil.move(home / "week.ics", folder / "work" / "week.ics")
    args = ["plan", str(folder), "--tasks", str(home / "tasks.toml"), *PERIOD]
    for name in ("plan.ics", "work/plan.ics", "work/week.ics"):
        line = refused([*args, "--out", str(folder / name), "--force"], home)
        assert "the calendar CAL" in line
    line = refused([*args, "--html", str(folder / "week.html")], home)
    assert "writes nothing into an input folder" in line
    line = refused(["audit", str(folder), "--html", str(folder / "work" / "w.html")], home)
    assert "input folder" in line


@pytest.mark.usefixtures("no_work")
def test_the_cache_folder_is_refused(home: Path) -> None:
    cache = Path(os.environ["XDG_CACHE_HOME"]) / "makertime" / "instances"
    cache.mkdir(parents=True)
    (cache / "entry.json").write_text("{}")
    for name in ("entry.json", "report.html"):
        line = refused(["audit", str(home / "week.ics"), "--html", str(cache / name),
                        "--force"], cache.parent)
        assert "makertime's cache folder" in line
    line = refused(plan_args(home, "--out", str(cache.parent / "plan.ics")), cache.parent)
    assert "makertime's cache folder" in line


@pytest.mark.usefixtures("no_work")
def test_a_hard_link_to_an_input_is_refused(home: Path) -> None:
    os.link(home / "tasks.toml", home / "copy.ics")
    line = refused(plan_args(home, "--out", str(home / "copy.ics"), "--force"), home)
    assert "same file as the file --tasks" in line
    # a hard link to a calendar file inside a CAL folder
    folder = home / "calendars"
    folder.mkdir()
    shutil.move(home / "week.ics", folder / "week.ics")
    os.link(folder / "week.ics", home / "week-link.ics")
    line = refused(["plan", str(folder), "--tasks", str(home / "tasks.toml"), *PERIOD,
                    "--out", str(home / "week-link.ics"), "--force"], home)
    assert "same file as" in line and "calendars" in line


@pytest.mark.usefixtures("no_work")
def test_a_file_makertime_did_not_write_is_refused_without_force(home: Path) -> None:
    theirs = home / "theirs.ics"
    theirs.write_bytes(THEIRS)
    line = refused(plan_args(home, "--out", str(theirs)), home)
    assert "exists and is not a plan (iCalendar) makertime wrote" in line
    assert "--force" in line
    notes = home / "notes.html"
    notes.write_text("<!doctype html><p>my notes</p>")
    line = refused(["audit", str(home / "week.ics"), "--html", str(notes)], home)
    assert "exists and is not an HTML report makertime wrote" in line
    # makertime's plan is not makertime's HTML report, nor the other way round
    own = home / "own.ics"
    own.write_bytes(OWN_PLAN)
    assert "--force" in refused(plan_args(home, "--html", str(own)), home)


def test_with_force_a_file_makertime_did_not_write_is_replaced(home: Path) -> None:
    theirs = home / "theirs.ics"
    theirs.write_bytes(THEIRS)
    result = runner.invoke(app, plan_args(home, "--out", str(theirs), "--force", *SOLVE))
    assert result.exit_code == 0, result.output
    assert theirs.read_bytes() != THEIRS and is_own(theirs, Kind.PLAN)
    assert {p.name for p in home.iterdir()} == {"week.ics", "tasks.toml", "policy.toml",
                                                "theirs.ics"}


def test_makertime_replaces_its_own_earlier_output_keeping_its_mode(home: Path) -> None:
    out, page = home / "plan.ics", home / "week.html"
    out.write_bytes(OWN_PLAN)  # an earlier plan, by an earlier makertime
    page.write_text(OWN_PAGE)
    out.chmod(0o600)
    page.chmod(0o640)
    before = {name: (home / name).read_bytes() for name in ("week.ics", "tasks.toml")}
    for _ in range(2):  # and the second run replaces the first run's files
        result = runner.invoke(app, plan_args(home, "--out", str(out), "--html", str(page),
                                              *SOLVE))
        assert result.exit_code == 0, result.output
        assert is_own(out, Kind.PLAN) and is_own(page, Kind.HTML)
        assert (out.stat().st_mode & 0o777, page.stat().st_mode & 0o777) == (0o600, 0o640)
    assert b'<meta name="generator" content="makertime 0.' in page.read_bytes()
    assert {name: (home / name).read_bytes() for name in before} == before
    assert not [p for p in home.iterdir() if p.name.endswith(".tmp")]


def test_an_empty_file_is_replaced_without_force(home: Path) -> None:
    (home / "week.html").touch()
    result = runner.invoke(app, ["audit", str(home / "week.ics"), *PERIOD,
                                 "--policy", str(home / "policy.toml"),
                                 "--html", str(home / "week.html")])
    assert result.exit_code == 0, result.output
    assert is_own(home / "week.html", Kind.HTML)


@pytest.fixture
def stored_plan(home: Path) -> Iterator[str]:
    """A plan kept in a store of the test's own; yields its --db URL."""
    db = f"sqlite:///{home.parent / (home.name + '-store.db')}"
    result = runner.invoke(app, plan_args(home, "--db", db, *SOLVE))
    assert result.exit_code == 0, result.output
    yield db


def test_publish_to_a_file_the_plan_reads_is_refused(home: Path, stored_plan: str) -> None:
    for name, what in (("week.ics", "the calendar CAL"), ("tasks.toml", "--tasks"),
                       ("policy.toml", "--policy")):
        line = refused(["publish", "--to", str(home / name), "--db", stored_plan], home)
        assert "--to" in line and what in line and "never replaces an input" in line
    for dry in ([], ["--dry-run"]):
        line = refused(["publish", "--to", str(home / "week.ics"), "--db", stored_plan, *dry],
                       home)
        assert "the calendar CAL" in line
    store = Path(stored_plan.removeprefix("sqlite:///"))
    line = refused(["publish", "--to", str(store), "--db", stored_plan], home, store)
    assert "makertime's store" in line


def test_publish_to_a_link_a_device_or_someone_elses_calendar_is_refused(
        home: Path, stored_plan: str) -> None:
    (home / "theirs.ics").write_bytes(THEIRS)
    line = refused(["publish", "--to", str(home / "theirs.ics"), "--db", stored_plan], home)
    assert "makertime did not write" in line
    (home / "link.ics").symlink_to(home / "theirs.ics")
    line = refused(["publish", "--to", str(home / "link.ics"), "--db", stored_plan], home)
    assert "is a symbolic link" in line
    os.mkfifo(home / "pipe.ics")
    assert "named pipe" in refused(["publish", "--to", str(home / "pipe.ics"),
                                    "--db", stored_plan], home)
    # and a publish to a file of makertime's own works, and may be done again
    for _ in range(2):
        result = runner.invoke(app, ["publish", "--to", str(home / "mine.ics"),
                                     "--db", stored_plan])
        assert result.exit_code == 0, result.output
    assert is_own(home / "mine.ics", Kind.PUBLISHED)


@pytest.mark.usefixtures("no_work")
def test_plan_publish_is_checked_before_solving(home: Path) -> None:
    (home / "theirs.ics").write_bytes(THEIRS)
    for target, what in (("week.ics", "the calendar CAL"), ("theirs.ics", "did not write")):
        line = refused(plan_args(home, "--publish", str(home / target), "--force"), home)
        assert "--publish" in line and what in line


@pytest.mark.usefixtures("no_work")
def test_a_line_break_in_a_path_keeps_the_message_on_one_line(home: Path) -> None:
    line = refused(plan_args(home, "--out", str(home / "a\nb" / "plan.ics")), home)
    assert "no folder" in line and "a\\nb" in line


def test_help_says_what_force_allows_and_never_allows() -> None:
    for command in ("plan", "audit"):
        shown = runner.invoke(app, [command, "--help"], env={"COLUMNS": "200"}).output
        text = " ".join(shown.replace("│", " ").split())
        assert "--force" in text and "did not write" in text
        assert "Never an input of this command" in text and "the store, the cache" in text


# writing: whole or not at all


@pytest.fixture
def tiny_disk(tmp_path: Path) -> Iterator[Path]:
    """A 64 kB file system of its own (a tmpfs), where mounting one is permitted."""
    mount = shutil.which("mount")
    folder = tmp_path / "tiny"
    folder.mkdir()
    if mount is None:
        pytest.skip("no mount command")
    done = subprocess.run([mount, "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(folder)],
                          capture_output=True, check=False)
    if done.returncode != 0:
        pytest.skip("mounting a small file system is not permitted here")
    try:
        yield folder
    finally:
        subprocess.run(["umount", str(folder)], check=False)


def test_a_full_disk_is_one_line_and_leaves_the_old_file(home: Path, tiny_disk: Path) -> None:
    page = tiny_disk / "week.html"
    page.write_text(OWN_PAGE)  # an earlier report, small
    filler = tiny_disk / "filler"
    with filler.open("wb", buffering=0) as handle:  # fill the disk up to the last blocks
        try:
            while True:
                handle.write(b"x" * 4096)
        except OSError as error:
            assert error.errno == errno.ENOSPC
    filler.write_bytes(filler.read_bytes()[: -6 * 4096])  # room for 24 kB, less than the page
    before = snapshot(tiny_disk)
    line = one_line(runner.invoke(app, plan_args(home, "--html", str(page), *SOLVE)))
    assert "week.html: cannot be written: No space left on device" in line
    assert "nothing was written" in line and "free some space" in line
    assert snapshot(tiny_disk) == before  # the old report as it was, and no temporary file


def test_an_error_while_writing_leaves_no_temporary_and_the_old_file(
        home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    old = home / "plan.ics"
    old.write_bytes(OWN_PLAN)
    real_fsync = os.fsync

    def full(descriptor: int) -> None:
        real_fsync(descriptor)
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "fsync", full)
    before = snapshot(home)
    line = one_line(runner.invoke(app, plan_args(home, "--out", str(old), *SOLVE)))
    assert "plan.ics: cannot be written: No space left on device" in line
    assert snapshot(home) == before


def test_a_path_that_becomes_a_link_while_writing_is_refused(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path, elsewhere = tmp_path / "plan.ics", tmp_path / "precious.txt"
    path.write_bytes(OWN_PLAN)
    elsewhere.write_bytes(b"keep me")
    real = files._write_temporary

    def swap(temporary: Path, data: bytes, status: os.stat_result | None) -> None:
        real(temporary, data, status)
        path.unlink()
        path.symlink_to(elsewhere)  # someone replaces the file by a link meanwhile

    monkeypatch.setattr(files, "_write_temporary", swap)
    with pytest.raises(OutputError, match="is a symbolic link"):
        files.write_atomically(path, b"new")
    assert path.is_symlink() and elsewhere.read_bytes() == b"keep me"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["plan.ics", "precious.txt"]


def test_recognising_makertimes_own_files(tmp_path: Path) -> None:
    path = tmp_path / "file"
    path.write_bytes(OWN_PLAN)
    assert is_own(path, Kind.PLAN) and is_own(path, Kind.PUBLISHED)
    assert not is_own(path, Kind.HTML)
    # one event of someone else's among makertime's: not makertime's file any more
    path.write_bytes(OWN_PLAN.replace(b"END:VCALENDAR", THEIR_EVENT + b"END:VCALENDAR"))
    assert not is_own(path, Kind.PLAN)
    # makertime's events under another program's PRODID: a publish target, not a plan
    path.write_bytes(OWN_PLAN.replace(b"makertime//makertime 0.0.9", b"Other//App 1"))
    assert is_own(path, Kind.PUBLISHED) and not is_own(path, Kind.PLAN)
    # a page that opens as makertime's but lost its footer (cut short, or edited)
    path.write_text('<!doctype html>\n<html>\n<head>\n<meta name="generator" '
                    'content="makertime 0.1.0">\n</head>\n<body><p>mine</p></body>\n</html>\n')
    assert not is_own(path, Kind.HTML)
    # blank: nothing to lose
    path.write_bytes(b"\n")
    assert is_own(path, Kind.PLAN) and is_own(path, Kind.HTML)
    path.write_bytes(b" " * 5000 + b"text")
    assert not is_own(path, Kind.PLAN)
