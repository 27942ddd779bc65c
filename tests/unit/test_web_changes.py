"""One change at a time across the server's processes: the change lock of a store is held by
one process while another waits for it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from makertime.web.changes import MANY_PROCESSES, ChangeLock, lock_path

HOLD = """
import sys, time
from pathlib import Path
from makertime.web.changes import ChangeLock
log = Path(sys.argv[2])
with ChangeLock(sys.argv[1]).held():
    log.write_text("other begins\\n")
    print("held", flush=True)
    time.sleep(0.5)
    with log.open("a") as out:
        out.write("other ends\\n")
"""


@pytest.mark.skipif(not MANY_PROCESSES, reason="one process serves where there is no flock")
def test_a_change_waits_for_the_one_another_process_holds(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'store.db'}"
    log = tmp_path / "log"
    with subprocess.Popen([sys.executable, "-c", HOLD, url, str(log)],
                          stdout=subprocess.PIPE, text=True) as other:
        assert other.stdout is not None and other.stdout.readline().strip() == "held"
        with ChangeLock(url).held(), log.open("a") as out:
            out.write("this one\n")
        assert other.wait(timeout=30) == 0
    assert log.read_text().splitlines() == ["other begins", "other ends", "this one"]


def test_the_lock_lies_beside_a_sqlite_store_and_in_the_data_folder_otherwise(
        tmp_path: Path) -> None:
    assert lock_path(f"sqlite:///{tmp_path / 's.db'}") == tmp_path / "s.db.changes.lock"
    one = lock_path("postgresql+psycopg://me@db.example/makertime")
    assert one.name.startswith("web-") and one.name.endswith(".changes.lock")
    assert one != lock_path("postgresql+psycopg://me@db.example/other")
