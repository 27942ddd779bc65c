"""The REST API's errors and its document: a person's mistake is a 4xx with the command line's
own line (each parameter named as the API's field), no plan yet a 409, a busy store a 503 with
Retry-After, a fault of makertime's a 500 that says only that; every error body is the one
``{"error", "status"}`` shape the OpenAPI document declares, and the document is valid and
says what each route returns."""

from __future__ import annotations

import copy
import logging
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jsonschema_rs
import pytest
import schemathesis
from starlette.testclient import TestClient
from typer.testing import CliRunner

from makertime.cli import app as cli
from makertime.sample import sample_path
from makertime.web.app import create_app
from tests.support.web_store import (
    SECRET,
    app_for,
    assert_guarded,
    client,
    empty_sqlite,
    settings_for,
)

runner = CliRunner()
NOW = "2026-03-23T08:00"
WEEK = str(sample_path("week.ics"))


@pytest.fixture
def db(tmp_path: Path) -> str:
    return empty_sqlite(tmp_path)


@pytest.fixture
def api(db: str) -> Iterator[TestClient]:
    """The app on loopback over an empty store."""
    with client(app_for(db, secret=SECRET)) as opened:
        yield opened


def cli_line(*args: str) -> str:
    """The one line the command line prints for ``args`` (exit status 2: a person's mistake)."""
    result = runner.invoke(cli, list(args))
    assert result.exit_code == 2, result.output
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1, result.output
    return lines[0].removeprefix("makertime: ")


def problem(answer: Any, status: int) -> str:
    """The error line of an answer, checked to be the one shape every error has."""
    assert answer.status_code == status, answer.text
    assert answer.headers["content-type"] == "application/json"
    body = answer.json()
    assert set(body) == {"error", "status"} and body["status"] == status
    assert isinstance(body["error"], str) and "\n" not in body["error"] and body["error"]
    return str(body["error"])


def test_a_fraction_past_one_is_the_command_lines_line(api: TestClient, db: str) -> None:
    said = cli_line("progress", "pr-42-feedback", "2", "--db", db, "--now", NOW)
    answer = api.post("/api/v1/tasks/pr-42-feedback/progress", json={"fraction": 2})
    assert problem(answer, 400) == said.replace("FRACTION", "fraction")
    assert said.startswith("FRACTION: 2 is not between 0 and 1")


def test_minutes_of_nothing_is_the_command_lines_line(api: TestClient, db: str) -> None:
    said = cli_line("interrupt", "CDN alert", "--minutes", "0", "--db", db, "--now", NOW)
    answer = api.post("/api/v1/interruptions", json={"text": "CDN alert", "minutes": 0})
    assert problem(answer, 400) == said.replace("--minutes", "minutes")


def test_a_period_backwards_names_the_requests_from_and_to(api: TestClient, db: str) -> None:
    said = cli_line("plan", WEEK, "--from", "2026-03-29", "--to", "2026-03-23", "--db", db)
    answer = api.post("/api/v1/plan", json={"cals": [WEEK], "from": "2026-03-29",
                                            "to": "2026-03-23"})
    expected = said.replace("--from", "from").replace("--to", "to")
    assert problem(answer, 400) == expected
    assert expected.startswith("to: 2026-03-23 is before from 2026-03-29")


def test_an_unknown_task_is_404_with_the_command_lines_line(api: TestClient, db: str) -> None:
    said = cli_line("done", "no-such-task", "--db", db, "--now", NOW)
    assert problem(api.post("/api/v1/tasks/no-such-task/done"), 404) == said.replace("--tasks",
                                                                                  "tasks")


def test_an_unknown_source_or_interruption_is_404(api: TestClient) -> None:
    assert "is not a remembered source" in problem(api.delete("/api/v1/sources/work"), 404)
    problem(api.delete("/api/v1/interruptions/7"), 404)
    problem(api.patch("/api/v1/interruptions/7", json={"minutes": 5}), 404)


@pytest.mark.parametrize(("method", "path"), [("GET", "/api/v1/week"), ("GET", "/api/v1/plan"),
                                              ("POST", "/api/v1/replan"),
                                              ("POST", "/api/v1/publish")])
def test_no_plan_yet_is_409_with_the_command_lines_line(api: TestClient, db: str, method: str,
                                                         path: str) -> None:
    said = cli_line("replan", "--db", db, "--now", NOW)
    answer = api.request(method, path, json={} if method == "POST" else None)
    assert problem(answer, 409) == said.replace("--tasks", "tasks")
    assert "there is no plan yet" in said


def test_an_unreadable_request_is_422_naming_the_field(api: TestClient) -> None:
    assert problem(api.post("/api/v1/interruptions", json={"minutes": 5}),
                   422) == "text: Field required"
    assert problem(api.post("/api/v1/interruptions", json={"text": "x", "minutes": "ten"}),
                   422).startswith("minutes: ")
    assert problem(api.post("/api/v1/publish", json={"dry_run": False, "force": True}),
                   422) == "force: Extra inputs are not permitted"
    assert problem(api.post("/api/v1/plan", json=[1]), 422).startswith("request: ")
    assert problem(api.delete("/api/v1/interruptions/0"), 422).startswith("path.number: ")
    too_long = problem(api.post("/api/v1/sources", json={"name": "n" * 300, "url": "/"}), 422)
    assert too_long.startswith("name: ")


def test_a_body_that_is_no_json_is_an_error_of_the_same_shape(api: TestClient) -> None:
    answer = api.post("/api/v1/publish", content=b"{not json",
                      headers={"content-type": "application/json"})
    assert 400 <= answer.status_code < 500
    problem(answer, answer.status_code)


def test_a_nul_in_a_path_is_refused_before_any_file_is_touched(api: TestClient) -> None:
    for body in ({"cals": ["week\x00.ics"]}, {"cals": [WEEK], "policy": "p\x00.toml"},
                 {"cals": [WEEK], "publish": "out\x00.ics"}):
        assert "holds a NUL character" in problem(api.post("/api/v1/plan", json=body), 422)
    assert "NUL" in problem(api.post("/api/v1/team/plan", json={"team": "\x00"}), 422)
    assert "NUL" in problem(api.post("/api/v1/sources", json={"name": "a", "url": "/\x00"}),
                            422)


def test_minutes_no_clock_can_hold_are_refused(api: TestClient) -> None:
    huge = {"text": "CDN alert", "minutes": 2**30}
    assert problem(api.post("/api/v1/interruptions", json=huge), 422).startswith("minutes: ")
    day = problem(api.post("/api/v1/interruptions", json={**huge, "minutes": 5000}), 400)
    assert day.startswith("minutes: 5000 is more than the")


def test_a_search_longer_than_the_servers_is_refused(api: TestClient) -> None:
    body = {"cals": [WEEK], "time_limit": 60}
    line = problem(api.post("/api/v1/plan", json=body), 400)
    assert line.startswith("time_limit: 60 seconds is more than this server's 2")
    zero = problem(api.post("/api/v1/plan", json={**body, "time_limit": 0}), 400)
    assert zero.startswith("time_limit: 0 is not a number of seconds")


def test_another_method_is_405_of_the_same_shape(api: TestClient) -> None:
    problem(api.put("/api/v1/week"), 405)
    problem(api.get("/api/v1/nothing"), 404)


def test_a_busy_store_is_503_with_retry_after(api: TestClient, db: str) -> None:
    holder = sqlite3.connect(db.removeprefix("sqlite:///"), timeout=0)
    try:
        holder.execute("BEGIN EXCLUSIVE")  # another makertime in the middle of a write
        answer = api.post("/api/v1/interruptions", json={"text": "CDN alert", "minutes": 20})
    finally:
        holder.rollback()
        holder.close()
    line = problem(answer, 503)
    assert answer.headers["retry-after"].isdigit()
    assert "database is locked" in line and "try again" in line
    assert api.get("/api/v1/interruptions").json() == []  # and nothing was half-written


def test_a_fault_of_makertimes_is_a_500_that_says_only_that(
        db: str, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> None:
    from makertime import app as ops

    def broken(**_: Any) -> None:
        raise RuntimeError("the detail only the log may hold")

    monkeypatch.setattr(ops, "list_sources", broken)
    with client(app_for(db), raise_server_exceptions=False) as api:
        answer = api.get("/api/v1/sources")
    line = problem(answer, 500)
    assert line == "makertime failed on this request; its log says where (please report it)"
    assert "the detail only the log may hold" in caplog.text
    assert_guarded(answer.headers)  # answered outside the middleware, guarded all the same


def test_forgetting_a_source_is_204_without_a_body(api: TestClient, tmp_path: Path) -> None:
    added = api.post("/api/v1/sources", json={"name": "here", "url": str(tmp_path)})
    assert added.status_code == 201 and added.json()["name"] == "here"
    gone = api.delete("/api/v1/sources/here")
    assert gone.status_code == 204 and gone.content == b""
    assert "content-type" not in gone.headers
    assert api.get("/api/v1/sources").json() == []


def document() -> dict[str, Any]:
    found: dict[str, Any] = create_app(settings_for("sqlite://")).openapi()
    return found


def operations(spec: dict[str, Any]) -> Iterator[tuple[str, str, dict[str, Any]]]:
    for path, methods in spec["paths"].items():
        for method, operation in methods.items():
            yield method.upper(), path, operation


def test_the_served_document_is_the_apps(api: TestClient) -> None:
    assert api.get("/api/v1/openapi.json").json() == document()


def test_the_document_is_valid_openapi() -> None:
    schemathesis.openapi.from_dict(document()).validate()
    broken = copy.deepcopy(document())
    broken["paths"]["/api/v1/week"]["get"]["responses"]["200"] = "nothing"
    with pytest.raises(jsonschema_rs.ValidationError):
        schemathesis.openapi.from_dict(broken).validate()
    for name, schema in document()["components"]["schemas"].items():
        assert jsonschema_rs.meta.is_valid(schema), name


def test_every_operation_says_what_it_does() -> None:
    seen = list(operations(document()))
    assert len(seen) >= 24
    for method, path, operation in seen:
        assert operation.get("summary") and operation.get("description"), f"{method} {path}"
    ids = [operation["operationId"] for _, _, operation in seen]
    assert len(ids) == len(set(ids))


def test_every_error_is_declared_as_the_one_problem_shape() -> None:
    spec = document()
    assert "HTTPValidationError" not in spec["components"]["schemas"]
    problem_ref = {"$ref": "#/components/schemas/Problem"}
    for method, path, operation in operations(spec):
        for status in ("400", "401", "403", "404", "409", "421", "422", "500", "502", "503"):
            content = operation["responses"][status]["content"]["application/json"]
            assert content["schema"] == problem_ref, f"{method} {path} {status}"
    forget = spec["paths"]["/api/v1/sources/{name}"]["delete"]["responses"]
    assert "content" not in forget["204"]
    assert spec["components"]["schemas"]["Problem"]["required"] == ["error", "status"]


def test_no_error_of_the_api_is_logged_as_a_fault(api: TestClient,
                                                  caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO)
    api.post("/api/v1/tasks/pr-42-feedback/progress", json={"fraction": 2})
    api.get("/api/v1/week")
    assert "makertime failed" not in caplog.text
