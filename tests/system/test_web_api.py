"""The REST API fuzzed from its own OpenAPI document (schemathesis), in-process over ASGI, against
a real store holding the sample week: a SQLite file, then a PostgreSQL database. Whatever a
client sends, the answer is no 5xx and matches the document (status, content type, body,
headers); and no answer, nor the server's log, ever holds the token or a CalDAV password.

The app is served as off loopback with a token (every call carries it as a bearer), with a
CalDAV password in the environment and a CalDAV source remembered on a real Radicale whose
password is that one. Names other than loopback do not resolve here, so a URL fuzzed into
POST /sources never reaches out of this machine.
"""

from __future__ import annotations

import importlib.util
import logging
import socket
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis import Case
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)
from schemathesis.schemas import BaseSchema
from starlette.testclient import TestClient

from makertime.app import add_source
from makertime.sample import sample_path
from makertime.web import create_app
from makertime.web.settings import WebSettings
from tests.support import radicale
from tests.support.fault_proxy import running_proxy
from tests.support.postgres import Cluster
from tests.support.radicale import RadicaleServer, running_radicale
from tests.support.web_store import (
    LOCAL,
    app_for,
    client,
    empty_sqlite,
    loopback_only,
    sample_sqlite,
    sample_state,
)

TOKEN = "fuzz-token-" + uuid.uuid4().hex
"""The app's token: every call carries it, and no answer may hold it."""
PASSWORD = "caldav-password-" + uuid.uuid4().hex
"""The CalDAV password in the environment (and the private Radicale's): no answer may hold it."""
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance,
          response_schema_conformance, response_headers_conformance]
EXAMPLES = 30
"""Examples per operation and store: enough to reach each route's checks, few enough that both
stores run in about a minute."""

SECRETS = (TOKEN, PASSWORD)
TASK_EDITS = importlib.util.find_spec("makertime.app.task_edits") is not None
"""Whether adding and changing a task (makertime.app.task_edits) is in this tree yet: until it
is, those two routes fail every call, and are left out of the runs below."""
UNTIL_TASK_EDITS = set() if TASK_EDITS else {("POST", "/api/v1/tasks"),
                                             ("PATCH", "/api/v1/tasks/{task_id}")}
BEARER = {"Authorization": f"Bearer {TOKEN}"}


@pytest.fixture(scope="module")
def caldav() -> Iterator[RadicaleServer]:
    """A Radicale of this module's own whose one user's password is ``PASSWORD``."""
    import tempfile

    with pytest.MonkeyPatch.context() as patch, tempfile.TemporaryDirectory() as folder:
        patch.setattr(radicale, "PASSWORD", PASSWORD)
        with running_radicale(Path(folder)) as server:
            yield server


@pytest.fixture(autouse=True)
def secrets_about(monkeypatch: pytest.MonkeyPatch, caldav: RadicaleServer) -> None:
    """The CalDAV user and password in the environment; names off this machine do not resolve."""
    monkeypatch.setenv("MAKERTIME_CALDAV_USERNAME", radicale.USER)
    monkeypatch.setenv("MAKERTIME_CALDAV_PASSWORD", PASSWORD)
    monkeypatch.setenv("MAKERTIME_TOKEN", TOKEN)
    monkeypatch.setattr(socket, "getaddrinfo", loopback_only)


def remember_caldav(db: str, server: RadicaleServer) -> None:
    """Remember one of ``server``'s calendars as source ``work`` (read once, with PASSWORD)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("MAKERTIME_CALDAV_USERNAME", radicale.USER)
        patch.setenv("MAKERTIME_CALDAV_PASSWORD", PASSWORD)
        add_source("work", server.new_calendar(), db=db)


def api_schema() -> BaseSchema:
    """The API's OpenAPI document (made when the module is collected; no store is opened)."""
    document = create_app(WebSettings(db="sqlite://")).openapi()
    schema = schemathesis.openapi.from_dict(document)
    if not TASK_EDITS:
        # Adding and changing a task need makertime.app.task_edits, which this tree has not
        # got yet: every such call would fail. They are fuzzed as soon as it is there.
        schema = schema.exclude(method=["POST", "PATCH"],
                                path_regex=r"^/api/v1/tasks(/\{[^/]+\})?$")
    return schema


def serving(db: str) -> Iterator[TestClient]:
    """A client of the app over ``db``, served as off loopback with a token, for the module."""
    with client(app_for(db, host="0.0.0.0", token=TOKEN), raise_server_exceptions=False) as opened:
        yield opened


@pytest.fixture(scope="module")
def sqlite_served(tmp_path_factory: pytest.TempPathFactory, caldav: RadicaleServer
                  ) -> Iterator[TestClient]:
    """A SQLite store holding the sample week and a CalDAV source, served."""
    db = sample_sqlite(tmp_path_factory.mktemp("web-sqlite"))
    remember_caldav(db, caldav)
    yield from serving(db)


@pytest.fixture(scope="module")
def postgres_served(tmp_path_factory: pytest.TempPathFactory, postgres_cluster: Cluster,
                    caldav: RadicaleServer) -> Iterator[TestClient]:
    """A PostgreSQL database holding the sample week and a CalDAV source, served."""
    name = f"web_fuzz_{uuid.uuid4().hex[:8]}"
    postgres_cluster.create_database(name)
    try:
        db = sample_state(postgres_cluster.url(name), tmp_path_factory.mktemp("web-postgres"))
        remember_caldav(db, caldav)
        yield from serving(db)
    finally:
        postgres_cluster.drop_database(name)


def called(served: TestClient, case: Case, caplog: pytest.LogCaptureFixture) -> None:
    """Send ``case`` to the served app, check the answer against the document, and find no
    secret in it nor in the log."""
    caplog.set_level(logging.DEBUG)
    request = case.as_transport_kwargs(base_url=LOCAL, headers=BEARER)
    body = {"json": request["json"]} if "json" in request else {}
    if "data" in request:
        body = {"content": request["data"]}
    response = served.request(request["method"], request["url"], headers=request["headers"],
                              params=request["params"], **body)
    case.validate_response(response, checks=CHECKS)
    seen = response.text + repr(response.headers.multi_items())
    for secret in SECRETS:
        assert secret not in seen, f"{case.method} {case.formatted_path} showed a secret"
        assert secret not in caplog.text


FUZZ = settings(max_examples=EXAMPLES, derandomize=True, deadline=None, database=None,
                suppress_health_check=list(HealthCheck))

sqlite_api = postgres_api = api_schema()


@sqlite_api.parametrize()
@FUZZ
def test_the_api_on_sqlite_answers_as_its_document_says(
        case: Case, caplog: pytest.LogCaptureFixture, sqlite_served: TestClient) -> None:
    called(sqlite_served, case, caplog)


@postgres_api.parametrize()
@FUZZ
def test_the_api_on_postgresql_answers_as_its_document_says(
        case: Case, caplog: pytest.LogCaptureFixture, postgres_served: TestClient) -> None:
    called(postgres_served, case, caplog)


# Every route once, with real ids: nothing a route answers holds a secret


@pytest.fixture
def served(tmp_path: Path, caldav: RadicaleServer) -> Iterator[TestClient]:
    """The sample week with a CalDAV source remembered, served off loopback with a token."""
    db = sample_sqlite(tmp_path)
    remember_caldav(db, caldav)
    with client(app_for(db, host="0.0.0.0", token=TOKEN), raise_server_exceptions=False,
                headers=BEARER) as opened:
        yield opened


def every_route(api: TestClient, caldav: RadicaleServer) -> Iterator[tuple[str, str, Any]]:
    """One request to every route of the API (method, route, answer), with ids that exist."""
    week = api.get("/api/v1/week")
    yield "GET", "/api/v1/week", week
    uids = [block["uid"] for block in week.json()["blocks"] if block["editable"]]
    for path in ("/plan", "/tasks", "/interruptions", "/history", "/team", "/sources",
                 "/policy", "/openapi.json"):
        yield "GET", f"/api/v1{path}", api.get(f"/api/v1{path}")
    yield "POST", "/api/v1/plan", api.post("/api/v1/plan", json={
        "cals": [], "tasks": str(sample_path("tasks.toml")),
        "policy": str(sample_path("policy.toml")), "from": "2026-03-23", "to": "2026-03-29",
        "publish": caldav.new_calendar()})
    yield "POST", "/api/v1/replan", api.post("/api/v1/replan", json={"publish": True})
    yield "POST", "/api/v1/publish", api.post("/api/v1/publish", json={"dry_run": True})
    uids = [block["uid"] for block in api.get("/api/v1/week").json()["blocks"]
            if block["editable"]] or uids
    yield "POST", "/api/v1/blocks/{uid}/move", api.post(
        f"/api/v1/blocks/{uids[0]}/move", json={"start": "2026-03-26T14:00"})
    yield "DELETE", "/api/v1/blocks/{uid}", api.delete(f"/api/v1/blocks/{uids[-1]}")
    yield "POST", "/api/v1/tasks/{task_id}/progress", api.post(
        "/api/v1/tasks/pr-42-feedback/progress", json={"fraction": 0.5})
    yield "POST", "/api/v1/tasks/{task_id}/done", api.post("/api/v1/tasks/pr-42-feedback/done")
    if TASK_EDITS:
        yield "POST", "/api/v1/tasks", api.post("/api/v1/tasks", json={
            "id": "new-task", "title": "A new task", "estimate": "2h"})
        yield "PATCH", "/api/v1/tasks/{task_id}", api.patch("/api/v1/tasks/new-task",
                                                            json={"title": "Renamed"})
    logged = api.post("/api/v1/interruptions", json={"text": "CDN alert", "minutes": 20})
    yield "POST", "/api/v1/interruptions", logged
    number = logged.json().get("id", 1)
    yield "PATCH", "/api/v1/interruptions/{number}", api.patch(
        f"/api/v1/interruptions/{number}", json={"minutes": 30})
    yield "DELETE", "/api/v1/interruptions/{number}", api.delete(
        f"/api/v1/interruptions/{number}")
    team = str(sample_path("team/team.toml"))
    yield "POST", "/api/v1/team/plan", api.post("/api/v1/team/plan", json={
        "team": team, "from": "2026-03-23", "to": "2026-03-29", "time_limit": 1})
    yield "POST", "/api/v1/team/swap", api.post("/api/v1/team/swap", json={
        "one": "ana", "other": "ben", "date": "2026-03-24", "team": team})
    yield "POST", "/api/v1/sources", api.post("/api/v1/sources", json={
        "name": "home", "url": caldav.new_calendar()})
    with_password = caldav.new_calendar().replace("://", f"://{radicale.USER}:{PASSWORD}@")
    yield "POST", "/api/v1/sources", api.post("/api/v1/sources", json={
        "name": "typed", "url": with_password})
    yield "DELETE", "/api/v1/sources/{name}", api.delete("/api/v1/sources/home")


def test_no_route_answers_with_the_token_or_the_caldav_password(
        served: TestClient, caldav: RadicaleServer, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    called: set[tuple[str, str]] = set()
    refused: list[str] = []
    for method, route, answer in every_route(served, caldav):
        called.add((method, route))
        assert answer.status_code < 500, f"{method} {route}: {answer.text}"
        if not answer.is_success:
            refused.append(answer.json()["error"])
        seen = answer.text + repr(answer.headers.multi_items())
        for secret in SECRETS:
            assert secret not in seen, f"{method} {route} showed a secret"
    document = served.app.openapi()  # type: ignore[attr-defined]
    routes = {(method.upper(), path) for path, methods in document["paths"].items()
              for method in methods}
    assert len(routes) >= 24
    # each route did its work; only the URL with a password written into it was refused
    assert len(refused) == 1 and "has a user name or password written into it" in refused[0]
    assert routes - UNTIL_TASK_EDITS <= called
    assert served.get("/api/v1/sources").json()[0]["credentials"] == "env"
    for secret in SECRETS:
        assert secret not in caplog.text


def test_a_calendar_server_out_of_reach_is_a_502_saying_what_to_check(
        tmp_path: Path, caldav: RadicaleServer) -> None:
    db = empty_sqlite(tmp_path)
    with client(app_for(db)) as api:
        with running_proxy(caldav.base_url) as proxy:
            made = api.post("/api/v1/plan", json={
                "cals": [str(sample_path("week.ics"))], "tasks": str(sample_path("tasks.toml")),
                "policy": str(sample_path("policy.toml")), "from": "2026-03-23",
                "to": "2026-03-29", "publish": proxy.url(caldav.new_calendar())})
            assert made.status_code == 200, made.text
        # the proxy is gone: its port is closed now
        for answer in (api.post("/api/v1/publish", json={}),
                       api.post("/api/v1/replan", json={"publish": True})):
            assert answer.status_code == 502, answer.text
            assert answer.json()["status"] == 502
            line = answer.json()["error"]
            assert f"127.0.0.1:{proxy.port}" in line and "cannot reach" in line
            assert "check the URL and that the server is running" in line


def test_a_swap_on_a_day_neither_holds_names_the_requests_date(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from makertime.cli import app as cli

    db = sample_sqlite(tmp_path)
    said = CliRunner().invoke(cli, ["team", "swap", "ana", "ben", "2026-03-28", "--db", db,
                                    "--time-limit", "2", "--workers", "1"])
    assert said.exit_code == 2, said.output
    with client(app_for(db)) as api:
        answer = api.post("/api/v1/team/swap", json={"one": "ana", "other": "ben",
                                                     "date": "2026-03-28"})
    assert answer.status_code == 400
    line = said.output.strip().removeprefix("makertime: ")
    assert answer.json()["error"] == line.replace("DATE", "date")
    assert line.startswith("DATE: neither ana nor ben holds a duty on 2026-03-28")
