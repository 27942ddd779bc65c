"""Every test gets its own XDG cache and data directories; browser tests get a real headless
Chromium.

The browser is Debian's ``chromium``, driven by Playwright through ``executable_path`` (nothing
is downloaded). Where it is missing the browser tests skip, except under CI, where a missing
browser is a failure: ``make test`` installs it when run as root.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

# The PostgreSQL fixtures: a throwaway cluster per session, a fresh schema per test.
from tests.support.postgres import (  # noqa: F401  (fixtures, made visible to every test module)
    BACKENDS,
    empty_database,
    fresh_postgres_url,
    postgres_cluster,
    postgres_url,
)
from tests.support.publish import Place, open_place
from tests.support.radicale import RadicaleServer, running_radicale


@pytest.fixture(autouse=True)
def isolated_cache(tmp_path_factory: pytest.TempPathFactory,
                   monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Every test gets its own XDG cache and data, so no test sees another's cache or store."""
    directory = tmp_path_factory.mktemp("xdg-cache")
    monkeypatch.setenv("XDG_CACHE_HOME", str(directory))
    # Nor does any test touch the person's own store, credentials or .netrc.
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path_factory.mktemp("xdg-data")))
    monkeypatch.setenv("NETRC", str(directory / "no-netrc"))
    for name in ("MAKERTIME_DB", "MAKERTIME_CALDAV_USERNAME", "MAKERTIME_CALDAV_PASSWORD"):
        monkeypatch.delenv(name, raising=False)
    yield directory


FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync"]


def chromium_path() -> str | None:
    """The system Chromium, if there is one."""
    return os.environ.get("MAKERTIME_CHROMIUM") or shutil.which("chromium")


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """A persistent context on a fresh profile directory; closed after the module."""
    executable = chromium_path()
    if executable is None:
        if os.environ.get("CI"):
            pytest.fail("chromium is not installed (make test installs it as root)")
        pytest.skip("chromium is not installed: apt-get install chromium")
    sync_api = pytest.importorskip("playwright.sync_api")
    profile: Path = tmp_path_factory.mktemp("chromium-profile")
    with sync_api.sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            str(profile), executable_path=executable, args=FLAGS, headless=True)
        try:
            yield context
        finally:
            context.close()


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RadicaleServer]:
    """One real Radicale on loopback for the session; each test makes its own calendars."""
    with running_radicale(tmp_path_factory.mktemp("radicale")) as running:
        yield running


@pytest.fixture(params=BACKENDS)
def db(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """The store's URL: a SQLite file, then a database on a real PostgreSQL."""
    return empty_database(request, tmp_path)


@pytest.fixture(params=["ics", "caldav"])
def place(request: pytest.FixtureRequest, tmp_path: Path) -> Place:
    """A publish target: each test that asks for one runs once per kind of target."""
    return open_place(request, tmp_path)
