"""The caldav library's client as makertime uses it, for reading and writing alike: every request
counted, every answer read to at most ``caldav.answer_bytes``, what the network and the library
raise as one line, and the pieces every request shares (request bodies, answers checked, an item
fetched by GET).

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
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote, urlsplit

from caldav.davclient import DAVClient
from caldav.elements import dav
from caldav.elements.base import BaseElement
from caldav.lib import error
from caldav.lib.http_sync import requests
from caldav.response import DAVResponse, PropfindResult

from makertime.calendars.credentials import Credentials, public_url
from makertime.errors import AnswerTooLarge, MissingCollection, ServerError, SourceError
from makertime.files import size_text
from makertime.limits import MIB, limit

TIMEOUT_SECONDS = 30
CREDENTIALS_FIX = "set MAKERTIME_CALDAV_USERNAME/PASSWORD or add the host to ~/.netrc"
REACH_FIX = "check the URL and that the server is running"
CALENDAR_FIX = "give the URL of one calendar collection, as your calendar app shows it"
_CHUNK = MIB // 4  # bytes of an answer read at a time


@dataclass(frozen=True, slots=True)
class ItemText:
    """One item as a GET gave it: its ETag (empty when the server sent none) and its text."""

    etag: str
    data: str


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


def expect(response: DAVResponse, url: str, what: str) -> None:
    """Raise a SourceError unless ``response`` is a success (MissingCollection for a 404)."""
    if response.status == 404:
        raise MissingCollection(public_url(url), "no CalDAV collection here (the server "
                                "answered 404)", CALENDAR_FIX)
    if response.status not in (200, 207):
        raise answered(url, response.status, f"{response.reason} to {what}")


def answered(url: str, status: int, what: str) -> SourceError | ServerError:
    """The error for an unexpected answer: a server failing (5xx) is a ServerError, to try
    again later; anything else says the request does not fit this server (SourceError)."""
    problem = f"the CalDAV server answered {status} {what}".replace("  ", " ").rstrip()
    if status >= 500:
        return ServerError(public_url(url), problem, "try again later")
    return SourceError(public_url(url), problem)


def get_item(client: DavClient, url: str, where: str) -> ItemText | None:
    """The item at ``url`` by one GET; None when it is gone (404, 410). Any other failure raises
    as ``expect`` does, naming ``where``."""
    response = client.request(url, "GET")
    if response.status in (404, 410):
        return None
    expect(response, where, "GET")
    return ItemText(str(response.headers.get("ETag", "")), str(response.raw))


def xml(parent: BaseElement, *children: BaseElement) -> BaseElement:
    """``parent`` holding ``children``: a request body built from the caldav library's elements."""
    return parent + list(children)


def resource_types(result: PropfindResult) -> list[str]:
    """The resource types a PROPFIND gave for one resource (collection, calendar, …)."""
    found = result.properties.get(dav.ResourceType.tag)
    return [str(tag) for tag in found] if isinstance(found, list) else []


def same_path(href: str, url: str) -> bool:
    """Whether ``href`` (a path or a URL) names the same resource as ``url``."""
    return unquote(urlsplit(href).path).rstrip("/") == unquote(urlsplit(url).path).rstrip("/")


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
