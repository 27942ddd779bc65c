"""What makertime remembers of a remote (CalDAV) collection between two reads.

The store keeps a ``CollectionState`` per collection URL, so the next read fetches only what
changed (by sync token, else by ETag) and falls back to a full read when neither works.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class RemoteItem:
    """One calendar object resource as last fetched: where it lives, its ETag, its text."""

    href: str
    etag: str
    data: str


@dataclass(frozen=True, slots=True)
class CollectionState:
    """A collection as last fetched: its sync token (when the server gives one) and its items."""

    url: str
    sync_token: str | None = None
    items: Mapping[str, RemoteItem] = field(default_factory=dict)   # keyed by href
