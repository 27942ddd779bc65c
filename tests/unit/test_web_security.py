"""Who may use a running makertime, and how a browser is kept from being used against it: a
token off loopback (a bearer for the API, a session cookie from the login form for pages), no
cross-site writes, no DNS rebinding on loopback, and the security headers on every answer."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from makertime.errors import OptionError
from makertime.web.security import SESSION_COOKIE
from tests.support.web_store import (
    SECRET,
    app_for,
    assert_guarded,
    client,
    empty_sqlite,
    session_cookie,
)

TOKEN = "a-token-of-at-least-16-characters"
CSRF = "the-session-csrf-token"
A_WRITE = ("/api/v1/interruptions", {"text": "CDN alert", "minutes": 20})


@pytest.fixture
def remote(tmp_path: Path) -> Iterator[TestClient]:
    """The app served off loopback with a token (plain HTTP)."""
    app = app_for(empty_sqlite(tmp_path), host="0.0.0.0", token=TOKEN, secret=SECRET)
    with client(app, base_url="http://makertime.example:8765") as opened:
        yield opened


@pytest.fixture
def local(tmp_path: Path) -> Iterator[TestClient]:
    """The app on loopback, with no token."""
    with client(app_for(empty_sqlite(tmp_path), secret=SECRET),
                base_url="http://127.0.0.1:8765") as opened:
        yield opened


def bearer(token: str = TOKEN) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


@pytest.mark.parametrize("host", ["0.0.0.0", "::", "192.0.2.7", "makertime.example"])
def test_an_app_off_loopback_without_a_token_is_refused(tmp_path: Path, host: str) -> None:
    with pytest.raises(OptionError) as refused:
        app_for(empty_sqlite(tmp_path), host=host)
    assert str(refused.value).startswith(f"token: missing: {host} is not loopback")
    assert app_for(empty_sqlite(tmp_path), host=host, token=TOKEN) is not None


def test_without_the_token_the_api_answers_401_with_www_authenticate(remote: TestClient
                                                                        ) -> None:
    answer = remote.get("/api/v1/sources")
    assert answer.status_code == 401
    assert answer.headers["www-authenticate"] == 'Bearer realm="makertime"'
    assert answer.json() == {"status": 401, "error": answer.json()["error"]}
    assert "Authorization: Bearer" in answer.json()["error"]


def test_a_wrong_token_is_401_and_the_right_one_200(remote: TestClient) -> None:
    assert remote.get("/api/v1/sources", headers=bearer("x" * 33)).status_code == 401
    assert remote.get("/api/v1/sources", headers={"Authorization": TOKEN}).status_code == 401
    answer = remote.get("/api/v1/sources", headers=bearer())
    assert answer.status_code == 200 and answer.json() == []


def test_the_openapi_document_is_behind_the_token_too(remote: TestClient) -> None:
    assert remote.get("/api/v1/openapi.json").status_code == 401
    assert remote.get("/api/v1/openapi.json", headers=bearer()).status_code == 200


def test_a_page_without_a_session_redirects_to_the_login(remote: TestClient) -> None:
    answer = remote.get("/week", follow_redirects=False)
    assert answer.status_code == 303
    assert answer.headers["location"] == "/login?next=/week"


def login(app: TestClient, token: str) -> object:
    """Post the login form as a browser that opened it (its session holds the CSRF token)."""
    app.cookies.set(SESSION_COOKIE, session_cookie({"csrf": CSRF}))
    return app.post("/login", data={"token": token, "csrf": CSRF, "next": "/week"},
                    follow_redirects=False)


def test_the_right_token_logs_in_with_an_httponly_strict_cookie(remote: TestClient) -> None:
    answer = login(remote, TOKEN)
    assert answer.status_code == 303 and answer.headers["location"] == "/week"
    cookie = answer.headers["set-cookie"].lower()
    assert cookie.startswith(f"{SESSION_COOKIE}=")
    assert "httponly" in cookie and "samesite=strict" in cookie
    assert "secure" not in cookie.replace("samesite", "")  # plain HTTP: no Secure flag
    # the session now opens the API to this browser (with its CSRF token for writes)
    assert remote.get("/api/v1/sources").status_code == 200


def test_over_https_the_session_cookie_is_secure(tmp_path: Path) -> None:
    app = app_for(empty_sqlite(tmp_path), host="0.0.0.0", token=TOKEN, secret=SECRET,
                  https=True)
    with client(app, base_url="https://makertime.example") as browser:
        answer = login(browser, TOKEN)
    assert answer.status_code == 303
    flags = [flag.strip() for flag in answer.headers["set-cookie"].lower().split(";")]
    assert "secure" in flags and "httponly" in flags and "samesite=strict" in flags


def test_the_login_forms_own_csrf_token_logs_in(remote: TestClient) -> None:
    page = remote.get("/login?next=/tasks")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    given = re.search(r'name="csrf" value="([^"]+)"', page.text)
    assert given is not None
    without = remote.post("/login", data={"token": TOKEN, "next": "/tasks"},
                          follow_redirects=False)
    assert without.status_code == 403
    answer = remote.post("/login", data={"token": TOKEN, "csrf": given[1], "next": "/tasks"},
                         follow_redirects=False)
    assert answer.status_code == 303 and answer.headers["location"] == "/tasks"
    assert remote.get("/api/v1/sources").status_code == 200


def test_a_wrong_token_at_the_login_is_401_and_no_session(remote: TestClient) -> None:
    answer = login(remote, "not-the-token-at-all")
    assert answer.status_code == 401
    assert remote.get("/api/v1/sources").status_code == 401


def test_a_write_from_another_sites_page_is_refused(local: TestClient) -> None:
    path, body = A_WRITE
    for headers in ({"Origin": "http://evil.example"}, {"Sec-Fetch-Site": "cross-site"},
                    {"Origin": "http://127.0.0.1:9999"}, {"Sec-Fetch-Site": "same-site"}):
        answer = local.post(path, json=body, headers=headers)
        assert answer.status_code == 403, headers
        assert "another site" in answer.json()["error"]
    assert local.get("/api/v1/interruptions").json() == []  # nothing was logged


def test_a_cross_site_write_is_refused_even_with_the_bearer(remote: TestClient) -> None:
    path, body = A_WRITE
    answer = remote.post(path, json=body, headers={**bearer(), "Origin": "http://evil.example"})
    assert answer.status_code == 403


def test_a_browsers_write_needs_the_sessions_csrf_token(local: TestClient) -> None:
    path, body = A_WRITE
    local.cookies.set(SESSION_COOKIE, session_cookie({"csrf": CSRF}))
    same = {"Origin": "http://127.0.0.1:8765", "Sec-Fetch-Site": "same-origin"}
    missing = local.post(path, json=body, headers=same)
    assert missing.status_code == 403 and "CSRF" in missing.json()["error"]
    wrong = local.post(path, json=body, headers={**same, "X-CSRF-Token": "guessed"})
    assert wrong.status_code == 403
    right = local.post(path, json=body, headers={**same, "X-CSRF-Token": CSRF})
    assert right.status_code == 201, right.text
    assert [row["text"] for row in local.get("/api/v1/interruptions").json()] == ["CDN alert"]


def test_a_logged_in_browsers_write_needs_the_csrf_token_too(remote: TestClient) -> None:
    path, body = A_WRITE
    remote.cookies.set(SESSION_COOKIE, session_cookie({"csrf": CSRF, "auth": True}))
    assert remote.post(path, json=body).status_code == 403
    assert remote.post(path, json=body, headers={"X-CSRF-Token": CSRF}).status_code == 201


def test_a_script_with_the_bearer_needs_no_csrf_token(remote: TestClient) -> None:
    path, body = A_WRITE
    assert remote.post(path, json=body, headers=bearer()).status_code == 201


@pytest.mark.parametrize("host", ["evil.example", "evil.example:8765", "10.0.0.7:8765",
                                  "127.0.0.1.evil.example"])
def test_on_loopback_another_hosts_name_is_421(local: TestClient, host: str) -> None:
    answer = local.get("/api/v1/sources", headers={"Host": host})
    assert answer.status_code == 421
    assert "127.0.0.1 or localhost" in answer.json()["error"]


@pytest.mark.parametrize("host", ["127.0.0.1:8765", "localhost:8765", "[::1]:8765",
                                  "localhost"])
def test_on_loopback_this_machines_names_are_served(local: TestClient, host: str) -> None:
    assert local.get("/api/v1/sources", headers={"Host": host}).status_code == 200


def test_every_answer_carries_the_security_headers(local: TestClient, remote: TestClient
                                                   ) -> None:
    answers = [local.get("/api/v1/sources"), local.get("/api/v1/openapi.json"),
               local.get("/api/v1/nothing-here"), local.post("/api/v1/publish", json={}),
               local.post("/api/v1/interruptions", json={"minutes": "x"}),
               local.get("/static/makertime.css"), local.get("/", follow_redirects=False),
               local.get("/api/v1/sources", headers={"Host": "evil.example"}),
               local.post(A_WRITE[0], json=A_WRITE[1], headers={"Origin": "http://evil.example"}),
               remote.get("/api/v1/sources"), remote.get("/week", follow_redirects=False),
               local.get("/week"), remote.get("/login"),
               local.get("/nothing-here", headers={"Accept": "text/html"})]
    assert {answer.status_code for answer in answers} == {200, 303, 401, 403, 404, 409, 421,
                                                          422}
    for answer in answers:
        assert_guarded(answer.headers)
