"""What makertime remembers of a remote (CalDAV) collection between two reads.

The store keeps a ``CollectionState`` per collection URL, so the next read fetches only what
changed (by sync token, else by ETag) and falls back to a full read when neither works.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class RemoteItem:
    """One calendar object resource as last fetched: where it lives, its ETag, its text.

    An item larger than ``calendar.file_bytes`` is kept without its text (``not_kept``): its
    ETag says it need not be downloaded again until it changes, and every read of the
    collection, even one that lists only what changed, still warns that it was left out.
    """

    href: str
    etag: str
    data: str

    @classmethod
    def not_kept(cls, href: str, etag: str) -> RemoteItem:
        """The item at ``href`` remembered by its ETag alone: too large to keep."""
        return cls(href, etag, "")

    @property
    def kept(self) -> bool:
        """Whether the item's text was kept (a server never sends an item of no text)."""
        return bool(self.data)


@dataclass(frozen=True, slots=True)
class CollectionState:
    """A collection as last fetched: its sync token (when the server gives one) and its items."""

    url: str
    sync_token: str | None = None
    items: Mapping[str, RemoteItem] = field(default_factory=dict)   # keyed by href
