"""Which database the store opens, and one clear line when it cannot be used."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy.exc import OperationalError

from makertime.cli.app import flag
from makertime.errors import InputError, StoreBusyError, StoreError
from makertime.store import Store, database_url, open_store
from makertime.store.errors import unavailable
from tests.support.postgres import Cluster, free_port


def test_the_default_is_a_sqlite_file_under_xdg_data(tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    assert database_url(None) == f"sqlite:///{tmp_path}/data/makertime/makertime.db"
    assert (tmp_path / "data" / "makertime").is_dir()
    with open_store() as store:
        store.decline("plan.ics", ["a@makertime"])
    assert (tmp_path / "data" / "makertime" / "makertime.db").is_file()


def test_a_relative_xdg_data_home_is_ignored(tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("XDG_DATA_HOME", "relative/data")
    assert database_url(None) == f"sqlite:///{tmp_path}/.local/share/makertime/makertime.db"


def test_db_beats_the_environment_which_beats_the_default(tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MAKERTIME_DB", f"sqlite:///{tmp_path}/env.db")
    assert database_url(None) == f"sqlite:///{tmp_path}/env.db"
    assert database_url(f"sqlite:///{tmp_path}/db.db") == f"sqlite:///{tmp_path}/db.db"
    assert database_url("  ") == f"sqlite:///{tmp_path}/env.db"


@pytest.mark.parametrize(("given", "opened"), [
    ("postgresql://ana@db.example.com/makertime",
     "postgresql+psycopg://ana@db.example.com/makertime"),
    ("postgres://ana:s3cret@db.example.com:5433/makertime",
     "postgresql+psycopg://ana:s3cret@db.example.com:5433/makertime"),
    ("postgresql+psycopg://ana@localhost/mt", "postgresql+psycopg://ana@localhost/mt"),
    ("sqlite:////var/lib/makertime.db", "sqlite:////var/lib/makertime.db"),
    ("sqlite:///relative.db", "sqlite:///relative.db"),
    ("sqlite://", "sqlite://"),
], ids=["postgresql", "postgres", "psycopg", "sqlite-absolute", "sqlite-relative", "memory"])
def test_urls_makertime_can_use(given: str, opened: str) -> None:
    assert database_url(given) == opened


def test_a_home_relative_sqlite_path_is_expanded(tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))
    assert database_url("sqlite:///~/mt.db") == f"sqlite:///{tmp_path}/mt.db"


@pytest.mark.parametrize(("given", "line"), [
    ("mysql://x", '--db "mysql://x": not a database makertime can use (give sqlite:///PATH or '
                  "postgresql://USER@HOST/DB)"),
    ("makertime.db", '--db "makertime.db": not a database URL (give sqlite:///PATH or '
                     "postgresql://USER@HOST/DB)"),
    ("postgresql://ana:s3cret@db.example.com", '--db "postgresql://ana:***@db.example.com": '
                                               "names no database (end the URL with /DATABASE)"),
    ("sqlite://host/x.db", '--db "sqlite://host/x.db": a SQLite URL has no host '
                           "(write sqlite:///PATH, with three slashes)"),
], ids=["mysql", "no-scheme", "no-database", "sqlite-host"])
def test_a_url_makertime_cannot_use_is_one_line(given: str, line: str) -> None:
    with pytest.raises(StoreError) as raised:
        database_url(given)
    assert raised.value.render(flag) == line  # as the command line shows it
    assert isinstance(raised.value, InputError)


def test_a_bad_url_in_the_environment_names_the_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MAKERTIME_DB", "mongodb://x/y")
    with pytest.raises(StoreError, match=r'^MAKERTIME_DB "mongodb://x/y": not a database'):
        open_store()


def test_an_unwritable_sqlite_path_is_one_line(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path}/missing/folder/makertime.db"
    with pytest.raises(StoreError) as raised:
        open_store(url)
    assert raised.value.render(flag) == (
        f'database "{url}": unable to open database file (check that the file\'s folder exists '
        "and is writable, or give another --db)")


def test_a_server_that_is_not_there_is_one_line_without_the_password() -> None:
    port = free_port()
    with pytest.raises(StoreBusyError) as raised:
        open_store(f"postgresql://ana:s3cret@127.0.0.1:{port}/makertime")
    line = str(raised.value)
    assert line.startswith(f'database "postgresql+psycopg://ana:***@127.0.0.1:{port}/makertime": ')
    assert "cannot connect: Connection refused" in line
    assert "s3cret" not in line and "\n" not in line


def test_a_missing_database_is_one_line(postgres_cluster: Cluster) -> None:
    with pytest.raises(StoreError) as raised:
        open_store(postgres_cluster.url("no_such_db"))
    assert 'database "no_such_db" does not exist' in str(raised.value)
    assert "\n" not in str(raised.value)


def test_a_database_that_goes_away_is_one_line(postgres_cluster: Cluster) -> None:
    postgres_cluster.create_database("going_away")
    store: Store = open_store(postgres_cluster.url("going_away"))
    try:
        store.decline("plan.ics", ["a@makertime"])
        postgres_cluster.drop_database("going_away")
        with pytest.raises(StoreError) as raised:
            store.declined("plan.ics")
        assert str(raised.value).startswith('database "postgresql+psycopg://postgres@127.0.0.1')
        assert "\n" not in str(raised.value)
    finally:
        store.close()


@pytest.mark.parametrize(("answer", "busy"), [
    ("Connection refused", True),
    ("timeout expired", True),
    ('FATAL:  password authentication failed for user "ana"', False),
    ('FATAL:  no pg_hba.conf entry for host "10.0.0.9", user "ana"', False),
    ("SSL error: certificate verify failed", False),
])
def test_a_server_out_of_reach_is_busy_and_a_wrong_connection_is_input(answer: str,
                                                                       busy: bool) -> None:
    # out of reach: the same command may work later (exit 4); refused as given: fix it (exit 2)
    failure = OperationalError("connect", {}, Exception(
        f'connection failed: connection to server at "127.0.0.1", port 5432 failed: {answer}'))
    found = unavailable("postgresql+psycopg://ana@127.0.0.1/mt", failure)
    assert isinstance(found, StoreBusyError if busy else StoreError)
    assert found.exit_status == (4 if busy else 2)
    assert "FATAL" not in str(found) and "\n" not in str(found)


@pytest.mark.parametrize("url", ["sqlite:///store.db", "sqlite:////tmp/x/store.db",
                                 "sqlite+pysqlite:////tmp/s.db?timeout=5", "sqlite:///~/s.db",
                                 "sqlite://", "sqlite:///:memory:", "postgresql://a@h/db"])
def test_the_store_file_is_found_without_the_database_library_as_it_opens(url: str) -> None:
    from sqlalchemy.engine import make_url

    from makertime.places import sqlite_file

    opened = make_url(database_url(url))
    file = opened.database if opened.drivername == "sqlite" else None
    expected = None if not file or file == ":memory:" else Path(file)
    assert sqlite_file(url) == expected
