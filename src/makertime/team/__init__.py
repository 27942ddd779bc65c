"""Duty rotation across a team: the shield, on-call turns and event crews assigned so that every
slot is covered by an eligible member, within each member's limits and away time, fairly, and
with as much of the team's maker time kept as the audit can measure. No I/O: ``makertime.app``
reads the team's calendars and hands their commitments in."""
