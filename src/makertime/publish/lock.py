"""One publish at a time per store and target: the target's publish lock, held in the store.

A publish (and a replan reading what the person did) holds the target's lock from before it
reads the target until it has recorded the outcome, and gives it back also when it fails. A
second one fails at once with a StoreBusyError (exit status 4) naming the holder. A lock whose
process is gone (on this host), or that has not been refreshed for ``STALE_AFTER``, is taken
over; every record the journal makes refreshes it. A dry run writes nothing to the target or
the store, so it takes no lock and waits for none.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext, suppress
from datetime import UTC, datetime, timedelta, tzinfo

from makertime.errors import MakertimeError, StoreBusyError
from makertime.store import Holder, PublishLock, Store, this_host

Clock = Callable[[], datetime]
STALE_AFTER = timedelta(minutes=10)
"""A publish lock not refreshed for this long is taken over (its holder stopped elsewhere)."""


def wall_clock() -> datetime:
    """The time now, for the publish lock (which must follow real time across processes)."""
    return datetime.now(UTC)


@contextmanager
def holding(store: Store, target: str, zone: tzinfo, clock: Clock = wall_clock
            ) -> Iterator[Holder]:
    """Hold the publish lock of ``target`` for this process while the block runs; a
    StoreBusyError at once when another makertime holds it."""
    holder = Holder(pid=os.getpid(), host=this_host(), token=secrets.token_hex(8))
    held = store.lock_target(target, holder, clock(), stale_after=STALE_AFTER)
    if held is not None:
        raise busy(held, zone)
    try:
        yield holder
    except BaseException:
        with suppress(MakertimeError):  # the error worth reporting is the first one
            store.unlock_target(target, holder)
        raise
    store.unlock_target(target, holder)


def held(store: Store, target: str, zone: tzinfo, clock: Clock = wall_clock, *,
         dry_run: bool = False) -> AbstractContextManager[Holder | None]:
    """``holding`` the lock of ``target`` — except for a dry run, which writes nothing and so
    neither takes the lock nor waits for it (its holder is None)."""
    return nullcontext(None) if dry_run else holding(store, target, zone, clock)


def busy(lock: PublishLock, zone: tzinfo) -> StoreBusyError:
    """The one line for a target another makertime is publishing to."""
    since = lock.since.astimezone(zone)
    minutes = int(STALE_AFTER.total_seconds() // 60)
    return StoreBusyError(
        lock.target, f"another makertime (process {lock.holder.pid} on {lock.holder.host}) "
        f"is publishing here since {since:%Y-%m-%d %H:%M:%S %Z}".rstrip(),
        f"run the command again when it is done; a lock whose process is gone, or that is "
        f"not refreshed for {minutes} minutes, is taken over")
