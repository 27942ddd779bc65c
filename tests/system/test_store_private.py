"""The store is private and says when it is busy: its SQLite file is made readable by its owner
only, and a store another process holds, or a database server out of reach, ends a command with
its own exit status (4), apart from bad input (2)."""

from __future__ import annotations

import os
import sqlite3
import stat
from pathlib import Path

from typer.testing import CliRunner

from makertime.cli import app
from makertime.store import open_store
from tests.support.postgres import free_port

runner = CliRunner()


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_the_default_store_is_made_for_its_owner_only(tmp_path: Path) -> None:
    old = os.umask(0o022)  # the usual umask would give 0644
    try:
        with open_store() as store:
            store.decline("plan.ics", ["a@makertime"])
            folder = Path(store.url.removeprefix("sqlite:///")).parent
    finally:
        os.umask(old)
    assert mode(folder / "makertime.db") == 0o600
    assert mode(folder) == 0o700


def test_a_store_file_made_with_wider_permissions_is_narrowed(tmp_path: Path) -> None:
    path = tmp_path / "store.db"
    path.touch(mode=0o644)
    path.chmod(0o644)
    with open_store(f"sqlite:///{path}") as store:
        store.decline("plan.ics", ["a@makertime"])
    assert mode(path) == 0o600


def test_a_store_locked_by_another_process_exits_4(tmp_path: Path) -> None:
    path = tmp_path / "store.db"
    with open_store(f"sqlite:///{path}") as store:
        store.decline("plan.ics", ["a@makertime"])
    holder = sqlite3.connect(path, timeout=0)
    try:
        holder.execute("BEGIN EXCLUSIVE")  # another makertime in the middle of a write
        result = runner.invoke(app, ["source", "add", "work", str(tmp_path), "--db",
                                     f"sqlite:///{path}"])
    finally:
        holder.rollback()
        holder.close()
    assert result.exit_code == 4, result.output
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1 and "database is locked" in lines[0] and "try again" in lines[0]


def test_a_database_server_out_of_reach_exits_4_and_a_wrong_url_2() -> None:
    down = runner.invoke(app, ["tasks", "--db", f"postgresql://ana@127.0.0.1:{free_port()}/mt"])
    assert down.exit_code == 4, down.output
    assert "cannot connect" in down.output
    wrong = runner.invoke(app, ["tasks", "--db", "mysql://ana@127.0.0.1/mt"])
    assert wrong.exit_code == 2, wrong.output
