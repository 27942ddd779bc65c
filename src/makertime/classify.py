"""Event instance → commitment (with its rule's attention and drain), or not blocking at all.

The blocking rules are those of docs/metrics.md, exactly: cancelled, transparent and declined
instances never block; all-day (DATE) events block only when they say TRANSP:OPAQUE or an Outlook
busy status of BUSY or OOF; floating times are read in the person's zone.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import tzinfo

from makertime.model import (
    CalendarRead,
    Commitment,
    EventInstance,
    Interval,
    TimeKind,
    ceil_minute,
    floor_minute,
    utc_span,
)
from makertime.policy import Policy

_ALL_DAY_BUSY = ("BUSY", "OOF")


def is_blocking(instance: EventInstance, me: tuple[str, ...]) -> bool:
    """Whether ``instance`` makes its time busy for a person with identities ``me``."""
    if instance.status == "CANCELLED" or instance.transp == "TRANSPARENT":
        return False
    if any(a.partstat == "DECLINED" and a.address in me for a in instance.attendees):
        return False
    if instance.kind is TimeKind.DATE:
        return instance.transp == "OPAQUE" or instance.busystatus in _ALL_DAY_BUSY
    return True


def span_of(instance: EventInstance, zone: tzinfo) -> Interval | None:
    """The instance's time as a minute-aligned UTC interval (busy rounds outwards), or None
    when it takes no time at all."""
    start, end = instance.start, instance.end
    if instance.kind is not TimeKind.UTC:
        start, end = utc_span(start.replace(tzinfo=zone), end.replace(tzinfo=zone))
    if end <= start:
        return None
    return Interval(floor_minute(start), ceil_minute(end))


def classify(instance: EventInstance, policy: Policy) -> Commitment | None:
    """The commitment ``instance`` is under ``policy``, or None when it does not block."""
    if not is_blocking(instance, policy.me):
        return None
    span = span_of(instance, policy.timezone)
    if span is None:
        return None
    rule = next((r for r in policy.rules if r.matches(instance.summary, instance.categories)),
                None)
    drain = policy.energy.sync_per_hour
    if rule is None:
        return Commitment(summary=instance.summary, span=span, uid=instance.uid,
                          source=instance.source, drain_per_hour=drain,
                          categories=instance.categories)
    return Commitment(
        summary=instance.summary, span=span, uid=instance.uid, source=instance.source,
        attention=rule.attention,
        drain_per_hour=drain if rule.drain_per_hour is None else rule.drain_per_hour,
        rest_before_minutes=rule.rest_before_minutes,
        recover_after_minutes=rule.recover_after_minutes, categories=instance.categories,
    )


def commitments(reads: Iterable[CalendarRead], policy: Policy) -> list[Commitment]:
    """Every blocking instance of ``reads`` as a commitment, sorted by start."""
    found = [c for read in reads for i in read.instances if (c := classify(i, policy))]
    return sorted(found, key=lambda c: (c.span.start, c.span.end, c.uid))
