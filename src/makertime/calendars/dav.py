"""The caldav library's client as makertime uses it: every request counted, every answer read to
at most ``caldav.answer_bytes``, and what the network and the library raise as one line.

The library sends each request through its session (niquests, or requests) without streaming,
so the session would read an answer whole, whatever its size, before the library sees it; the
sizes a listing gives (``getcontentlength``) are the server's word, which it may omit or get
wrong. A response hook on the session runs before that read: it refuses an answer whose
Content-Length is past the bound without reading it, reads any other one to at most the bound
and one chunk more, and hands the library what it read. Redirects pass through the same hook.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any
from urllib.parse import urlsplit

from caldav.davclient import DAVClient
from caldav.lib import error
from caldav.lib.http_sync import requests
from caldav.response import DAVResponse

from makertime.calendars.credentials import Credentials, public_url
from makertime.calendars.files import size_text
from makertime.errors import AnswerTooLarge, ServerError, SourceError
from makertime.limits import MIB, limit

TIMEOUT_SECONDS = 30
CREDENTIALS_FIX = "set MAKERTIME_CALDAV_USERNAME/PASSWORD or add the host to ~/.netrc"
REACH_FIX = "check the URL and that the server is running"
CALENDAR_FIX = "give the URL of one calendar collection, as your calendar app shows it"
_CHUNK = MIB // 4  # bytes of an answer read at a time


class DavClient(DAVClient):
    """The caldav library's client, counting the requests it sends and bounding its answers."""

    sent = 0

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.session.hooks["response"].append(read_bounded_answer)

    def request(self, *args: Any, **kwargs: Any) -> DAVResponse:
        """Send one request through the caldav library, and count it."""
        self.sent += 1
        response: DAVResponse = super().request(*args, **kwargs)
        return response


def connect(url: str, credentials: Credentials | None) -> DavClient:
    """A client for the server holding ``url``, logged in with ``credentials`` when given."""
    return DavClient(url=url, username=credentials.username if credentials else None,
                     password=credentials.password if credentials else None,
                     timeout=TIMEOUT_SECONDS, enable_rfc6764=False)


def read_bounded_answer(response: Any, **_: Any) -> Any:
    """A session response hook: the answer's body read to at most ``caldav.answer_bytes``, or
    AnswerTooLarge (the connection closed, the rest never read)."""
    if response.raw is None or not response.status_code:
        return response
    most = limit("caldav.answer_bytes")
    declared = str(response.headers.get("Content-Length", "")).strip()
    if declared.isdigit() and int(declared) > most:
        _refuse(response, most)
    chunks: list[bytes] = []
    size = 0
    for chunk in response.iter_content(_CHUNK):
        chunks.append(chunk)
        size += len(chunk)
        if size > most:
            _refuse(response, most)
    response._content = b"".join(chunks)  # what the session would have read, bounded
    return response


def _refuse(response: Any, most: int) -> None:
    response.close()
    raise AnswerTooLarge(public_url(str(response.url or "")),
                         f"the CalDAV server's answer is larger than {size_text(most)}, more "
                         "than makertime reads of one answer (caldav.answer_bytes)",
                         "check that the URL names a calendar collection and that the server "
                         "is one you trust")


@contextmanager
def dav_errors(url: str, *, logged_in: bool) -> Iterator[None]:
    """Turn what the network and the caldav library raise into one-line SourceErrors."""
    where = public_url(url)
    try:
        yield
    except error.AuthorizationError as refusal:
        if refusal.status == 403:
            problem = "the CalDAV server refused access to this collection"
        elif logged_in:
            problem = "the CalDAV server refused the credentials"
        else:
            problem = "the CalDAV server asks for credentials and none are set"
        raise SourceError(where, problem, CREDENTIALS_FIX) from None
    except error.DAVError as failure:
        raise ServerError(where, f"the CalDAV server failed: {failure.reason}",
                          "try again later") from None
    except NotImplementedError:  # the server offers no authentication the library knows
        raise SourceError(where, "the server asks for an authentication makertime cannot use",
                          CREDENTIALS_FIX) from None
    except SyntaxError:  # lxml's XMLSyntaxError: not a WebDAV answer
        raise SourceError(where, "the server's answer is not CalDAV", CALENDAR_FIX) from None
    except requests.exceptions.SSLError:  # a certificate to fix, not a server to wait for
        raise SourceError(where, f"TLS with {_server(url)} failed: its certificate is not "
                          "trusted, or it speaks no TLS", "check the URL's host and "
                          "scheme (https or http), or the server's certificate") from None
    except (requests.exceptions.RequestException, OSError) as failure:
        raise ServerError(where, f"cannot reach the CalDAV server at {_server(url)}"
                          f"{_why(failure)}", REACH_FIX) from None


def _server(url: str) -> str:
    return urlsplit(public_url(url)).netloc


def _why(failure: BaseException) -> str:
    """A few words on why a connection failed, from the library's long message."""
    text = str(failure).lower()
    for clue, words in (("resolve", "the host name is unknown"), ("refused", "connection refused"),
                        ("timed out", "no answer in time"), ("ssl", "TLS failed"),
                        ("certificate", "TLS failed")):
        if clue in text:
            return f": {words}"
    return ""
