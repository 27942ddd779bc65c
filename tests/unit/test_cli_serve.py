"""``makertime serve``: a mistake in how it is started is one line and exit status 2 before
anything listens; off loopback without ``MAKERTIME_TOKEN`` a token is made and printed once, to
stderr only; and a real start answers the API and the pages, then stops cleanly on Ctrl-C."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import uvicorn
from typer.testing import CliRunner, Result

from makertime.cli import app
from makertime.web.settings import SHORTEST_TOKEN
from tests.support.web_store import closed_port

runner = CliRunner()
MAKERTIME = Path(sys.executable).parent / "makertime"
START_SECONDS = 30


@pytest.fixture
def served(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    """Every call to ``uvicorn.run`` (which is not made: nothing is served)."""
    calls: list[dict[str, Any]] = []

    def run(application: Any, **options: Any) -> None:
        calls.append({"app": application, **options})

    monkeypatch.setattr(uvicorn, "run", run)
    monkeypatch.delenv("MAKERTIME_TOKEN", raising=False)
    return calls


def serve(tmp_path: Path, *args: str) -> Result:
    """``makertime serve`` in one process (its app is then an object to look into)."""
    return runner.invoke(app, ["serve", "--db", f"sqlite:///{tmp_path / 'store.db'}",
                               *(args if "--processes" in args else (*args, "--processes", "1"))])


def one_line(result: Result) -> str:
    """The one line a refused start prints (exit status 2)."""
    assert result.exit_code == 2, result.output
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1, result.output
    return lines[0]


@pytest.fixture
def taken() -> Iterator[int]:
    """A loopback port something else listens on."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as holder:
        holder.bind(("127.0.0.1", 0))
        holder.listen()
        yield holder.getsockname()[1]


def test_a_taken_port_is_one_line_naming_port(tmp_path: Path, served: list[Any],
                                              taken: int) -> None:
    line = one_line(serve(tmp_path, "--port", str(taken)))
    assert line.startswith(f"makertime: --port: cannot listen on 127.0.0.1:{taken}")
    assert "give another --port or --host" in line
    assert served == []


def test_a_taken_port_off_loopback_is_one_line_and_no_token(
        tmp_path: Path, served: list[Any]) -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as everywhere:
        everywhere.bind(("0.0.0.0", 0))
        everywhere.listen()
        port = everywhere.getsockname()[1]
        line = one_line(serve(tmp_path, "--host", "0.0.0.0", "--port", str(port)))
    assert line.startswith(f"makertime: --port: cannot listen on 0.0.0.0:{port}")
    assert served == []


@pytest.mark.parametrize("port", ["0", "70000"])
def test_a_port_out_of_range_is_one_line(tmp_path: Path, served: list[Any], port: str) -> None:
    assert one_line(serve(tmp_path, "--port", port)).startswith(
        f"makertime: --port: {port} is not a port")
    assert served == []


def test_a_short_token_is_one_line(tmp_path: Path, served: list[Any],
                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MAKERTIME_TOKEN", "x" * (SHORTEST_TOKEN - 1))
    line = one_line(serve(tmp_path, "--host", "0.0.0.0", "--port", str(closed_port())))
    assert line.startswith("makertime: MAKERTIME_TOKEN: is 15 characters")
    assert f"give at least {SHORTEST_TOKEN} printable characters" in line
    assert "x" * (SHORTEST_TOKEN - 1) not in line
    assert served == []


@pytest.mark.parametrize(("given", "missing"), [("--cert", "--key"), ("--key", "--cert")])
def test_a_certificate_without_its_key_is_one_line(tmp_path: Path, served: list[Any],
                                                   given: str, missing: str) -> None:
    pem = tmp_path / "file.pem"
    pem.write_text("-----BEGIN CERTIFICATE-----\n", encoding="utf-8")
    line = one_line(serve(tmp_path, given, str(pem), "--port", str(closed_port())))
    assert line == f"makertime: {missing}: missing (give both --cert and --key, or neither)"
    assert served == []


def test_off_loopback_without_a_token_one_is_printed_once(
        tmp_path: Path, served: list[dict[str, Any]], caplog: pytest.LogCaptureFixture) -> None:
    port = closed_port()
    result = serve(tmp_path, "--host", "0.0.0.0", "--port", str(port))
    assert result.exit_code == 0, result.output
    [call] = served
    token = call["app"].state.settings.token
    assert isinstance(token, str) and len(token) >= 40
    assert result.output.count(token) == 1 and result.stderr.count(token) == 1
    assert token not in result.stdout
    assert token not in caplog.text
    assert (call["host"], call["port"]) == ("0.0.0.0", port)
    assert f"serving on http://0.0.0.0:{port}" in result.stderr


def test_off_loopback_makertime_token_is_the_token_and_is_not_printed(
        tmp_path: Path, served: list[dict[str, Any]], monkeypatch: pytest.MonkeyPatch) -> None:
    chosen = "a-chosen-token-of-enough-length"
    monkeypatch.setenv("MAKERTIME_TOKEN", chosen)
    result = serve(tmp_path, "--host", "0.0.0.0", "--port", str(closed_port()))
    assert result.exit_code == 0, result.output
    assert served[0]["app"].state.settings.token == chosen
    assert chosen not in result.output


def test_on_loopback_no_token_is_made(tmp_path: Path, served: list[dict[str, Any]]) -> None:
    result = serve(tmp_path, "--port", str(closed_port()), "--time-limit", "3")
    assert result.exit_code == 0, result.output
    settings = served[0]["app"].state.settings
    assert settings.token is None and settings.time_limit == 3
    assert result.output.count("\n") == 1  # only where it serves


def get(url: str) -> tuple[int, dict[str, str], bytes]:
    """Status, headers and body of a GET (a redirect is not followed)."""

    class Keep(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args: Any, **kwargs: Any) -> None:
            return None

    opener = urllib.request.build_opener(Keep)
    try:
        with opener.open(url, timeout=5) as answer:
            return answer.status, dict(answer.headers), answer.read()
    except urllib.error.HTTPError as answer:
        return answer.code, dict(answer.headers), answer.read()


def wait_until_answering(url: str, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + START_SECONDS
    while time.monotonic() < deadline:
        assert process.poll() is None, process.communicate()
        try:
            get(url)
            return
        except (urllib.error.URLError, ConnectionError):
            time.sleep(0.1)
    pytest.fail(f"makertime serve did not answer at {url} within {START_SECONDS}s")


def test_a_real_start_answers_and_stops_cleanly_on_ctrl_c(tmp_path: Path) -> None:
    port = closed_port()
    env = {key: value for key, value in os.environ.items() if key != "MAKERTIME_TOKEN"}
    process = subprocess.Popen(
        [str(MAKERTIME), "serve", "--port", str(port), "--db",
         f"sqlite:///{tmp_path / 'store.db'}"], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        env=env)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_answering(f"{base}/api/v1/openapi.json", process)
        status, headers, body = get(f"{base}/api/v1/week")
        said = runner.invoke(app, ["replan", "--db", f"sqlite:///{tmp_path / 'store.db'}"])
        assert status == 409 and headers["content-type"] == "application/json"
        assert json.loads(body) == {"status": 409, "error": said.output.strip().removeprefix(
            "makertime: ").replace("--tasks", "tasks")}
        status, headers, _ = get(f"{base}/")
        assert status == 303 and headers["location"] == "/week"
        status, headers, body = get(f"{base}/week")
        assert status == 200 and headers["content-type"].startswith("text/html")
        assert body.lstrip().lower().startswith(b"<!doctype html>")
        status, headers, _ = get(f"{base}/static/makertime.css")
        assert status == 200 and headers["content-type"].startswith("text/css")
        assert "frame-ancestors 'none'" in headers["content-security-policy"]
    finally:
        process.send_signal(signal.SIGINT)
        try:
            out, err = process.communicate(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            out, err = process.communicate()
    assert process.returncode == 0, err.decode()
    assert b"Traceback" not in err
    assert err.decode().startswith(f"makertime: serving on http://127.0.0.1:{port}")
    assert out == b""


def test_more_processes_share_the_settings_and_the_session_secret(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import json

    from makertime.web.app import SETTINGS_VARIABLE, from_environment

    seen: list[dict[str, Any]] = []

    def run(application: Any, **options: Any) -> None:
        given = json.loads(os.environ[SETTINGS_VARIABLE])
        seen.append({"app": application, "settings": given, **options})
        made = from_environment()  # what each process makes of them
        assert made.state.settings.secret == given["secret"] != ""

    monkeypatch.setattr(uvicorn, "run", run)
    monkeypatch.setenv("MAKERTIME_TOKEN", "a-chosen-token-of-enough-length")
    result = serve(tmp_path, "--host", "0.0.0.0", "--port", str(closed_port()),
                   "--processes", "2")
    assert result.exit_code == 0, result.output
    [call] = seen
    assert (call["app"], call["factory"], call["workers"]) == (
        "makertime.web.app:from_environment", True, 2)
    assert call["settings"]["token"] == "a-chosen-token-of-enough-length"
    assert SETTINGS_VARIABLE not in os.environ  # the token is not left behind


@pytest.mark.parametrize("count", ["0", "17"])
def test_a_number_of_processes_out_of_range_is_one_line(tmp_path: Path, served: list[Any],
                                                        count: str) -> None:
    line = one_line(serve(tmp_path, "--port", str(closed_port()), "--processes", count))
    assert line == (f"makertime: --processes: {count} is not from 1 to 16 (leave it out for "
                    "one per core)")
    assert served == []
