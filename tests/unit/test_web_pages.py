"""The pages through starlette's TestClient: each renders on a planned store and, with a
helpful message, on an empty one; forms without the CSRF token are refused; calendar text is
shown as text."""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from makertime.web import create_app
from makertime.web.settings import WebSettings
from tests.support.web_server import HOSTILE, planned_store

PAGES = ["/week", "/tasks", "/interruptions", "/audit", "/team", "/sources"]
HTML = {"accept": "text/html"}


@pytest.fixture(scope="module")
def planned(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A store with the plan of the sample week (and its hostile commitment) and the team."""
    return planned_store(tmp_path_factory.mktemp("planned"))


def _client(db: str) -> Iterator[TestClient]:
    app = create_app(WebSettings(db=db, now="2026-03-23T08:00", note="a test store",
                                 workers=1))
    with TestClient(app, base_url="http://127.0.0.1:8765") as client:
        yield client


@pytest.fixture
def client(planned: str, tmp_path: Path) -> Iterator[TestClient]:
    """A client of the app over a copy of the planned store (each test may change it)."""
    source = Path(planned.removeprefix("sqlite:///"))
    shutil.copy(source, tmp_path / "makertime.db")
    yield from _client(f"sqlite:///{tmp_path / 'makertime.db'}")


@pytest.fixture
def empty(tmp_path: Path) -> Iterator[TestClient]:
    """A client of the app over a store holding nothing."""
    yield from _client(f"sqlite:///{tmp_path / 'empty.db'}")


def _csrf(client: TestClient, page: str = "/week") -> str:
    found = re.search(r'name="csrf-token" content="([^"]+)"', client.get(page, headers=HTML).text)
    assert found is not None
    return found.group(1)


@pytest.mark.parametrize("page", PAGES)
def test_each_page_renders_the_planned_store(client: TestClient, page: str) -> None:
    answer = client.get(page, headers=HTML)
    assert answer.status_code == 200
    assert "a test store" in answer.text and "<h1>" in answer.text
    assert f'href="{page}" aria-current="page"' in answer.text


def test_the_week_shows_blocks_with_their_reasons_and_the_totals(client: TestClient) -> None:
    text = client.get("/week", headers=HTML).text
    assert "Ship the open-source stream overlay" in text
    assert "next to “Daily standup”" in text  # a reason, readable without scripts
    assert "Totals before and with the plan" in text and "/week/replan" in text
    assert text.count('action="/week/blocks/') > 5


@pytest.mark.parametrize(("page", "helpful"), [
    ("/week", "makertime plan CAL --tasks T"), ("/tasks", "No open tasks"),
    ("/interruptions", "Nothing logged yet"), ("/audit", "No week recorded yet"),
    ("/team", "makertime team plan TEAM.toml"), ("/sources", "None remembered")])
def test_each_page_says_what_to_do_on_an_empty_store(empty: TestClient, page: str,
                                                     helpful: str) -> None:
    answer = empty.get(page, headers=HTML)
    assert answer.status_code == 200 and helpful in answer.text


@pytest.mark.parametrize(("path", "data"), [
    ("/week/replan", {}), ("/tasks/pr-42-feedback/done", {}),
    ("/interruptions", {"minutes": "5"}), ("/sources", {"name": "x", "url": "/tmp/x.ics"}),
    ("/team/swap", {"one": "ana", "other": "ben", "date": "2026-03-23"})])
def test_a_form_without_the_csrf_token_is_refused(client: TestClient, path: str,
                                                  data: dict[str, str]) -> None:
    client.get("/week", headers=HTML)
    answer = client.post(path, data=data, headers=HTML, follow_redirects=False)
    assert answer.status_code == 403 and "CSRF" in answer.text


def test_calendar_text_is_shown_as_text(client: TestClient) -> None:
    text = client.get("/week", headers=HTML).text
    assert HOSTILE not in text
    assert "&lt;script&gt;window.pwned=1&lt;/script&gt;" in text


def test_one_tap_logs_an_interruption(client: TestClient) -> None:
    token = _csrf(client, "/interruptions")
    answer = client.post("/interruptions", data={"csrf": token, "minutes": "15", "other": "",
                                                 "text": "CDN alert"}, headers=HTML)
    assert answer.status_code == 200 and "CDN alert" in answer.text
    assert re.search(r"<td>15</td><td>CDN alert</td>", answer.text)


def test_done_and_progress_forms_change_the_task(client: TestClient) -> None:
    token = _csrf(client, "/tasks")
    client.post("/tasks/pr-42-feedback/progress", data={"csrf": token, "percent": "60"},
                headers=HTML)
    assert 'aria-valuenow="60"' in client.get("/tasks", headers=HTML).text
    answer = client.post("/tasks/pr-42-feedback/done", data={"csrf": token}, headers=HTML)
    assert answer.status_code == 200 and 'id="task-pr-42-feedback"' not in answer.text
    assert "badge ok" in client.get("/tasks?all=true", headers=HTML).text


def test_deleting_a_block_by_form_shows_what_changed(client: TestClient) -> None:
    token = _csrf(client)
    uid = client.get("/api/v1/week").json()["blocks"][0]["uid"]
    answer = client.post(f"/week/blocks/{uid}/delete", data={"csrf": token}, headers=HTML)
    assert answer.status_code == 200 and "What changed" in answer.text
    assert "you deleted it" in answer.text


def test_an_error_is_its_one_line(client: TestClient) -> None:
    token = _csrf(client)
    answer = client.post("/week/blocks/nope/delete", data={"csrf": token}, headers=HTML)
    assert answer.status_code == 404 and "block &#34;nope&#34;" in answer.text


def test_a_task_added_on_the_page_is_kept_and_can_be_edited(client: TestClient) -> None:
    token = _csrf(client, "/tasks")
    answer = client.post("/tasks/add", headers=HTML, data={
        "csrf": token, "id": "blog-post", "title": "Blog post on low-latency ingest",
        "estimate": "2h", "depth": "deep", "deadline": "2026-03-27T16:00", "priority": "2",
        "min_block": "", "waiting_on_me": "true"})
    assert answer.status_code == 200 and 'id="task-blog-post"' in answer.text
    row = next(t for t in client.get("/api/v1/tasks").json() if t["id"] == "blog-post")
    assert (row["origin"], row["estimate_minutes"], row["priority"]) == ("makertime", 120, 2)
    assert row["deadline"] == "2026-03-27T16:00:00+01:00" and row["waiting_on_me"]
    client.post("/tasks/blog-post/edit", headers=HTML, data={
        "csrf": token, "title": "Blog post, shorter", "estimate": "1h30m", "depth": "shallow",
        "deadline": "", "priority": "4", "min_block": ""})
    row = next(t for t in client.get("/api/v1/tasks").json() if t["id"] == "blog-post")
    assert (row["title"], row["estimate_minutes"], row["depth"], row["priority"]) == (
        "Blog post, shorter", 90, "shallow", 4)
    assert not row["waiting_on_me"]  # an unticked box is "no"


def test_a_task_of_tasks_toml_is_not_edited_here(client: TestClient) -> None:
    token = _csrf(client, "/tasks")
    page = client.get("/tasks", headers=HTML).text
    assert 'action="/tasks/pr-42-feedback/edit"' not in page and "edit it there" in page
    answer = client.post("/tasks/pr-42-feedback/edit", headers=HTML, data={
        "csrf": token, "title": "x", "estimate": "1h"})
    assert answer.status_code == 400 and "makertime never writes its inputs" in answer.text


def test_a_bad_estimate_is_the_line_tasks_toml_gives(client: TestClient) -> None:
    token = _csrf(client, "/tasks")
    answer = client.post("/tasks/add", headers=HTML, data={
        "csrf": token, "id": "blog-post", "title": "Blog", "estimate": "2 hours"})
    assert answer.status_code == 400
    assert "estimate &#39;2 hours&#39; is not a duration" in answer.text
