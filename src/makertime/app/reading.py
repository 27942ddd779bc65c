"""Reading a person's calendars: ``audit`` (how their time really falls) and ``check`` (whether
the calendars can be read at all), and ``audit_calendars``, the audit of a policy and period."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from makertime.audit import AuditReport, audit_commitments
from makertime.errors import OptionError
from makertime.inputs import named_sources, read_inputs
from makertime.model import Period, Progress
from makertime.policy import Policy, load_policy

if TYPE_CHECKING:
    from makertime.calendars.cache import InstanceCache
    from makertime.calendars.check import CheckResult

BY = ("day", "week", "auto")


def audit_calendars(cals: Sequence[str], policy: Policy, period: Period, *,
                    cache: InstanceCache | None = None,
                    progress: Progress | None = None) -> AuditReport:
    """Read the calendars named by ``cals`` (files, folders, CalDAV URLs) and measure
    ``period``."""
    read = read_inputs(cals, policy, period, cache=cache, progress=progress)
    return audit_commitments(read.commitments, policy, period, read.read_warnings, read.hints)


@dataclass(frozen=True, slots=True)
class Audited:
    """An audit, with the policy it was measured by (its zone and focus block size draw it)."""

    report: AuditReport
    policy: Policy


def audit(cals: Sequence[str], *, policy: Path | None = None, first: str | None = None,
          last: str | None = None, by: str = "auto", html: Path | None = None,
          force: bool = False, db: str | None = None, cache: bool = True,
          progress: Progress | None = None) -> Audited:
    """Audit the calendars ``cals`` (remembered sources by name, in the store ``db``) over the
    dates ``first``..``last`` (YYYY-MM-DD; default: this week); ``html``, a report to write
    afterwards, is checked first (see ``outputs.safety``)."""
    from makertime.calendars.cache import InstanceCache

    if by not in BY:
        raise OptionError("by", f"{by!r} is not day, week or auto")
    cals = named_sources(cals, db)
    if html is not None:  # the check costs imports a warm audit need not pay
        from makertime.outputs.safety import check_options

        check_options(html=html, cals=cals, policy=policy, store=db, force=force)
    chosen = load_policy(policy)
    period = Period.from_options(first, last, datetime.now(chosen.timezone).date())
    report = audit_calendars(cals, chosen, period, cache=InstanceCache() if cache else None,
                             progress=progress)
    return Audited(report, chosen)


def check(cals: Sequence[str], *, first: str | None = None, policy: Path | None = None,
          db: str | None = None, progress: Progress | None = None) -> list[CheckResult]:
    """Can the calendars ``cals`` be read? Each one's components, instances over a year from
    ``first`` (default: today), its repairs, and the closure hints ``policy`` gives."""
    from makertime.calendars.check import check_calendars
    from makertime.closures import closures

    chosen = load_policy(policy)
    today = datetime.now(chosen.timezone).date()
    period = Period.from_options(first, None, today, default_days=365)
    cals = named_sources(cals, db)
    return check_calendars(
        cals, period, progress=progress,
        examine=lambda read: [c.warning() for c in closures(read.instances, chosen, period)])
