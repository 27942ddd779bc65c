"""What several operations take, checked once: the store they work on, the moment they act as
of, and how hard the planner searches. Errors name the parameter (``now``, ``time_limit``);
a front end shows it as it asks for it."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, tzinfo
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from makertime.errors import OptionError, param
from makertime.limits import limit
from makertime.model import option_moment

if TYPE_CHECKING:
    from makertime.plan.solve import PlanOptions
    from makertime.store import Store, StoredPlan


@contextmanager
def opened(db: str | Store | None) -> Iterator[Store]:
    """The store the URL ``db`` names (None: ``$MAKERTIME_DB``, else the default file), closed
    afterwards; or ``db`` itself when it is a store already open (a long-running front end
    keeps one), left open."""
    from makertime.store import Store, open_store

    if isinstance(db, Store):
        yield db
        return
    store = open_store(db)
    try:
        yield store
    finally:
        store.close()


def zone_of(store: Store) -> tzinfo:
    """The zone of the current plan's policy, else the machine's."""
    return plan_zone(store) or datetime.now().astimezone().tzinfo or UTC


def plan_zone(store: Store) -> tzinfo | None:
    """The zone of the current plan (see ``stored_zone``); None before any plan."""
    stored = store.current_plan()
    return None if stored is None else stored_zone(stored)


def stored_zone(stored: StoredPlan) -> tzinfo:
    """The zone of a saved plan: as it saved it, else its policy's."""
    from pathlib import Path

    from makertime.policy import load_policy

    policy = stored.inputs.policy_path
    return saved_zone(stored) or load_policy(Path(policy) if policy else None).timezone


def saved_zone(stored: StoredPlan) -> tzinfo | None:
    """The zone the plan was made in, as it saved it (no policy file is read)."""
    name = stored.result.get("timezone")
    try:
        return ZoneInfo(name) if isinstance(name, str) and name else None
    except (ZoneInfoNotFoundError, ValueError):
        return None


def moment(now: str, zone: tzinfo) -> datetime:
    """``now`` (YYYY-MM-DDTHH:MM, naive meaning wall time in ``zone``) as an aware moment."""
    return option_moment(now, zone, "now")


def clock_and_now(now: str | None, zone: tzinfo) -> tuple[datetime, datetime]:
    """The clock, and the moment to act as of (``now`` or the clock)."""
    clock = datetime.now(zone)
    return clock, moment(now, zone) if now else clock


def solver_options(time_limit: float, workers: int | None, gap: float = 0.005) -> PlanOptions:
    """``time_limit``, ``workers`` and ``gap`` as PlanOptions, each within its limit."""
    from makertime.plan.solve import PlanOptions

    longest, most = limit("plan.time_limit_seconds"), limit("plan.workers")
    if not 0 < time_limit <= longest:  # also refuses nan; inf is past the limit
        raise OptionError("time_limit", f"{time_limit:g} is not a number of seconds from "
                          f"more than 0 to {longest:,}", f"e.g. {param('time_limit')} 10")
    if not 0 <= gap < 1:
        raise OptionError("gap", f"{gap:g} is not a fraction in [0, 1)",
                          "e.g. 0.005 for half a percent")
    if workers is not None and not 1 <= workers <= most:
        raise OptionError("workers", f"{workers} is not a number of threads from 1 to {most}",
                          "leave it out to use every core")
    return PlanOptions(time_limit=time_limit, gap=gap, workers=workers)
