"""Event instance → commitment with its attention, decided in one place (docs/metrics.md):

1. cancelled, or declined by one of the person's identities: ignored;
2. the first ``[[rule]]`` that matches decides, whatever the event's TRANSP or length says — a
   rule is the person's own word;
2b. an event makertime wrote for a team duty (its UID and ``MAKERTIME-DUTY`` category): the
   attention, rest and recovery its categories name; a relief marker takes nothing;
3. an Outlook busy status of OOF, or an all-day (DATE) event that blocks (TRANSP:OPAQUE or an
   Outlook BUSY): ``off``, the person is away;
4. transparent, or any other all-day event: ``none`` (nothing);
5. anything else: ``full``.

Floating times are read in the person's zone.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import tzinfo

from makertime.marks import (
    OWN_UID,
    RECOVER_CATEGORY,
    RELIEVES_CATEGORY,
    REST_CATEGORY,
    marked_attention,
    marked_number,
)
from makertime.model import (
    Attention,
    CalendarRead,
    Commitment,
    EventInstance,
    Interval,
    TimeKind,
    ceil_minute,
    floor_minute,
    utc_span,
)
from makertime.policy import RULE_MINUTES, Policy


def is_ignored(instance: EventInstance, me: tuple[str, ...]) -> bool:
    """Whether ``instance`` is cancelled or declined by one of the identities ``me``."""
    if instance.status == "CANCELLED":
        return True
    return any(a.partstat == "DECLINED" and a.address in me for a in instance.attendees)


def calendar_attention(instance: EventInstance) -> Attention:
    """What the calendar itself says ``instance`` takes, when no rule matches (steps 3–5)."""
    if instance.busystatus == "OOF":
        return Attention.OFF
    if instance.kind is TimeKind.DATE:
        if instance.transp == "OPAQUE" or instance.busystatus == "BUSY":
            return Attention.OFF
        return Attention.NONE
    return Attention.NONE if instance.transp == "TRANSPARENT" else Attention.FULL


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
    """The commitment ``instance`` is under ``policy``, or None when it takes nothing (ignored,
    or transparent with no rule)."""
    if is_ignored(instance, policy.me):
        return None
    rule = next((r for r in policy.rules if r.matches(instance.summary, instance.categories)),
                None)
    if rule is None and instance.uid.endswith(OWN_UID):
        duty = duty_commitment(instance, policy)
        if duty is not None:
            return duty
    attention = calendar_attention(instance) if rule is None else rule.attention
    if rule is None and attention is Attention.NONE:
        return None
    span = span_of(instance, policy.timezone)
    if span is None:
        return None
    drain = 0.0 if attention is Attention.OFF else policy.energy.sync_per_hour
    if rule is None:
        return Commitment(summary=instance.summary, span=span, uid=instance.uid,
                          source=instance.source, attention=attention, drain_per_hour=drain,
                          categories=instance.categories)
    return Commitment(
        summary=instance.summary, span=span, uid=instance.uid, source=instance.source,
        attention=rule.attention,
        drain_per_hour=drain if rule.drain_per_hour is None else rule.drain_per_hour,
        rest_before_minutes=rule.rest_before_minutes,
        recover_after_minutes=rule.recover_after_minutes, categories=instance.categories,
    )


def duty_commitment(instance: EventInstance, policy: Policy) -> Commitment | None:
    """A team duty makertime wrote (step 2b: after the person's rules, before the calendar's
    word): the attention, rest and recovery its categories name; a relief marker (another
    member holds the shield) as a commitment that takes nothing but caps the sync windows of
    its date. None for any other event."""
    relieves = marked_number(instance.categories, RELIEVES_CATEGORY)
    attention = marked_attention(instance.categories)
    if attention is None and relieves is None:
        return None
    span = span_of(instance, policy.timezone)
    if span is None:
        return None
    if attention is None:
        return Commitment(summary=instance.summary, span=span, uid=instance.uid,
                          source=instance.source, attention=Attention.NONE, drain_per_hour=0.0,
                          categories=instance.categories)
    chosen = Attention.PARTIAL if attention == Attention.PARTIAL.value else Attention.FULL
    return Commitment(
        summary=instance.summary, span=span, uid=instance.uid, source=instance.source,
        attention=chosen, drain_per_hour=policy.energy.sync_per_hour,
        rest_before_minutes=min(RULE_MINUTES, marked_number(instance.categories,
                                                            REST_CATEGORY) or 0),
        recover_after_minutes=min(RULE_MINUTES, marked_number(instance.categories,
                                                              RECOVER_CATEGORY) or 0),
        categories=instance.categories)


def commitments(reads: Iterable[CalendarRead], policy: Policy) -> list[Commitment]:
    """Every blocking instance of ``reads`` as a commitment, sorted by start."""
    found = [c for read in reads for i in read.instances if (c := classify(i, policy))]
    return sorted(found, key=lambda c: (c.span.start, c.span.end, c.uid))
