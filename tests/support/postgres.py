"""A real PostgreSQL for the store's tests: Debian's binaries, a throwaway cluster on loopback.

``postgres_cluster`` starts one cluster per test session (trust authentication, fsync off, a
free port, its socket in its own folder) and stops and removes it when the session ends;
``postgres_url`` is its URL. ``fresh_postgres_url`` gives a test an empty database of its own
(an empty schema, first on the search path: creating a whole database takes a quarter second);
``empty_database`` gives a test module's fixture, parametrized over ``BACKENDS``, an empty
SQLite or PostgreSQL database, so that one suite runs against both. Where PostgreSQL is not
installed its tests skip, except under CI, where that is a failure: ``make test`` installs it
when run as root.
"""

from __future__ import annotations

import itertools
import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import LiteralString

import pytest

BACKENDS = ["sqlite", "postgresql"]
USER = "postgres"
DATABASE = "makertime_test"
START_TIMEOUT_SECONDS = 60
_numbers = itertools.count(1)


def binaries() -> Path | None:
    """The newest ``/usr/lib/postgresql/*/bin`` that holds ``pg_ctl``, if any."""
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"),
                   key=lambda path: int(path.parent.parent.name)
                   if path.parent.parent.name.isdigit() else 0)
    return found[-1].parent if found else None


def free_port() -> int:
    """A TCP port on loopback that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def run(command: list[str], *, as_postgres: bool) -> subprocess.CompletedProcess[str]:
    """Run a PostgreSQL binary (as the ``postgres`` user when we are root, which it refuses)."""
    if as_postgres:
        command = ["runuser", "-u", USER, "--", *command]
    return subprocess.run(command, capture_output=True, text=True, check=False,
                          timeout=START_TIMEOUT_SECONDS)


class Cluster:
    """A PostgreSQL cluster of the test session in its own temporary folder."""

    def __init__(self, bin_dir: Path) -> None:
        self.bin_dir = bin_dir
        self.as_postgres = os.geteuid() == 0
        # Not under pytest's tmp_path: its folders are private to root, and the server is not.
        self.root = Path(tempfile.mkdtemp(prefix="makertime-pg-"))
        self.data = self.root / "data"
        self.log = self.root / "server.log"
        self.port = free_port()
        if self.as_postgres:
            shutil.chown(self.root, USER, USER)

    def must(self, *args: str) -> None:
        """Run a binary of the cluster and fail the session with its output if it fails."""
        done = run([str(self.bin_dir / args[0]), *args[1:]], as_postgres=self.as_postgres)
        if done.returncode != 0:
            log = self.log.read_text(errors="replace")[-2000:] if self.log.exists() else ""
            pytest.fail(f"{args[0]} failed: {done.stdout}{done.stderr}{log}")

    def start(self) -> None:
        """initdb and start the server on loopback only."""
        self.must("initdb", "-D", str(self.data), "-U", USER, "-A", "trust", "--no-sync",
                  "-E", "UTF8", "--locale=C")
        options = (f"-c listen_addresses=127.0.0.1 -p {self.port} -k {self.root} -c fsync=off "
                   "-c full_page_writes=off -c synchronous_commit=off")
        self.must("pg_ctl", "-D", str(self.data), "-l", str(self.log), "-w",
                  "-t", str(START_TIMEOUT_SECONDS), "-o", options, "start")

    def stop(self) -> None:
        """Stop the server and remove its folder."""
        run([str(self.bin_dir / "pg_ctl"), "-D", str(self.data), "-m", "fast", "stop"],
            as_postgres=self.as_postgres)
        shutil.rmtree(self.root, ignore_errors=True)

    def url(self, database: str, search_path: str | None = None) -> str:
        """The URL of ``database`` on this cluster, optionally looking in one schema only."""
        url = f"postgresql://{USER}@127.0.0.1:{self.port}/{database}"
        return f"{url}?options=-csearch_path%3D{search_path}" if search_path else url

    def create_database(self, name: str) -> None:
        """Create an empty database ``name``."""
        self.run_sql("CREATE DATABASE {} TEMPLATE template0", name)

    def drop_database(self, name: str) -> None:
        """Drop database ``name``, closing what is still connected to it."""
        self.run_sql("DROP DATABASE {} WITH (FORCE)", name)

    def run_sql(self, template: LiteralString, name: str, database: str = "postgres") -> None:
        """Run a statement about ``name`` (a database or schema) outside a transaction."""
        import psycopg
        from psycopg import sql

        with psycopg.connect(host="127.0.0.1", port=self.port, user=USER, dbname=database,
                             autocommit=True) as connection:
            connection.execute(sql.SQL(template).format(sql.Identifier(name)))


_RUNNING = pytest.StashKey[Cluster]()


@pytest.fixture(scope="session")
def postgres_cluster(request: pytest.FixtureRequest) -> Cluster:
    """A running PostgreSQL cluster, one for the whole session: each test module imports this
    fixture, and every import shares the cluster kept in the session's stash."""
    config = request.config
    cluster = config.stash.get(_RUNNING, None)
    if cluster is not None:
        return cluster
    bin_dir = binaries()
    if bin_dir is None:
        if os.environ.get("CI"):
            pytest.fail("PostgreSQL is not installed (make test installs it as root)")
        pytest.skip("PostgreSQL is not installed: apt-get install postgresql")
    cluster = Cluster(bin_dir)
    config.add_cleanup(cluster.stop)
    cluster.start()
    cluster.create_database(DATABASE)
    config.stash[_RUNNING] = cluster
    return cluster


@pytest.fixture(scope="session")
def postgres_url(postgres_cluster: Cluster) -> str:
    """``postgresql://postgres@127.0.0.1:PORT/makertime_test`` on the session's cluster."""
    return postgres_cluster.url(DATABASE)


@pytest.fixture
def fresh_postgres_url(postgres_cluster: Cluster) -> Iterator[str]:
    """The URL of an empty database that only this test uses; removed after it."""
    schema = f"t_{next(_numbers)}"
    postgres_cluster.run_sql("CREATE SCHEMA {}", schema, database=DATABASE)
    try:
        yield postgres_cluster.url(DATABASE, search_path=schema)
    finally:
        postgres_cluster.run_sql("DROP SCHEMA {} CASCADE", schema, database=DATABASE)


def empty_database(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """The URL of an empty database on the backend ``request.param`` names (one of BACKENDS):
    for a test module's fixture parametrized over BACKENDS, so one suite runs on both."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'makertime.db'}"
    url: str = request.getfixturevalue("fresh_postgres_url")
    return url
