"""The publish lock: one publish at a time per store and target.

A publish takes the lock of its target before it reads it and gives it back when it ends, also
when it fails. The lock says who holds it (a process on a host) and since when, and is refreshed
with every change the publish records. A lock is taken over, instead of refused, when its
holder is a process of this host that is gone (killed, say), or when it has not been refreshed
for ``stale_after`` (a holder on another host that stopped). A holder whose lock was taken over
notices at its next record and stops.

It works the same on SQLite (a write transaction holds the whole database) and PostgreSQL (the
row is inserted if missing, then locked with ``SELECT … FOR UPDATE``).
"""

from __future__ import annotations

import os
import socket
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from makertime.errors import StoreBusyError
from makertime.store import mapping
from makertime.store.records import Holder, PublishLock
from makertime.store.sql import upsert
from makertime.store.tables import PublishLockRow


def this_host() -> str:
    """The name of this machine, as a lock records it."""
    return socket.gethostname()


def alive(holder: Holder) -> bool:
    """Whether ``holder``'s process may still run: always for another host (it cannot be
    asked), else whether this host has a process with its id."""
    if holder.host != this_host() or os.name != "posix":
        return True
    if holder.pid <= 0:
        return False
    try:
        os.kill(holder.pid, 0)  # signal 0: only asks whether the process exists
    except ProcessLookupError:
        return False
    except OSError:
        return True  # it exists, and belongs to someone else
    return True


def take(session: Session, target: str, holder: Holder, now: datetime,
         stale_after: timedelta) -> PublishLock | None:
    """Take the lock of ``target`` for ``holder``: None when it is theirs now (free, gone
    stale or left by a process that is gone), else the lock someone else holds."""
    upsert(session, PublishLockRow, [{"target": target, "token": holder.token,
                                      "pid": holder.pid, "host": holder.host, "since": now,
                                      "refreshed": now}])
    query = select(PublishLockRow).where(PublishLockRow.target == target).with_for_update()
    row = session.scalars(query).one()
    if row.token == holder.token:
        return None
    held = mapping.publish_lock(row)
    if alive(held.holder) and held.refreshed > now - stale_after:
        return held
    row.token, row.pid, row.host = holder.token, holder.pid, holder.host
    row.since = row.refreshed = now
    return None


def refresh(session: Session, target: str, holder: Holder, now: datetime) -> None:
    """Mark ``holder``'s lock of ``target`` as alive at ``now``; StoreBusyError (and the
    transaction undone) when it is no longer theirs."""
    done = session.execute(update(PublishLockRow)
                           .where(PublishLockRow.target == target,
                                  PublishLockRow.token == holder.token)
                           .values(refreshed=now))
    if getattr(done, "rowcount", 0) != 1:
        raise taken_over(target, current(session, target))


def taken_over(target: str, lock: PublishLock | None) -> StoreBusyError:
    """The error of a publish whose lock another makertime took over (or that lost it)."""
    who = ("another makertime" if lock is None else
           f"another makertime (process {lock.holder.pid} on {lock.holder.host})")
    return StoreBusyError(target, f"{who} took over publishing here: this publish stopped",
                          "run the command again when the other is done")


def release(session: Session, target: str, holder: Holder) -> None:
    """Give back ``holder``'s lock of ``target`` (nothing when it is no longer theirs)."""
    session.execute(delete(PublishLockRow).where(PublishLockRow.target == target,
                                                 PublishLockRow.token == holder.token))


def current(session: Session, target: str) -> PublishLock | None:
    """The lock of ``target``, if a publish holds it."""
    row = session.get(PublishLockRow, target)
    return None if row is None else mapping.publish_lock(row)


@dataclass(frozen=True, slots=True)
class Hold:
    """A publish lock to refresh with a record: whose, and the moment to mark it alive."""

    holder: Holder
    at: datetime


def refresh_hold(session: Session, target: str, hold: Hold | None) -> None:
    """Mark the publish lock ``hold`` names alive, with a record written in ``session``."""
    if hold is not None:
        refresh(session, target, hold.holder, hold.at)
