"""The team's kept rotation as a front end shows it: its grid, each member's maker time before
and after, the fairness. The store keeps who holds what; the maker time is measured again from
the members' calendars, with every slot held as kept (nothing is re-assigned)."""

from __future__ import annotations

from pathlib import Path

from makertime.app.options import opened, solver_options
from makertime.app.team_ops import TeamPlanned, with_aways
from makertime.app.team_reading import load_team, read_team
from makertime.errors import NoPlanError
from makertime.model import Period, Progress
from makertime.store import Store


def kept_team(*, time_limit: float = 10.0, db: str | Store | None = None,
              progress: Progress | None = None) -> TeamPlanned:
    """The newest rotation kept in the store, measured as it stands."""
    from makertime.team.rotate import plan_rotation

    options = solver_options(time_limit, 1)
    with opened(db) as store:
        kept = store.newest_rotation()
        if kept is None or not kept.source or kept.id is None:
            raise NoPlanError("team", "no rotation is kept in the store",
                              "make one first: makertime team plan TEAM.toml")
        team = with_aways(load_team(Path(kept.source)), store)
        period = Period(kept.first, kept.last)
        read = read_team(team, period, store=store, progress=progress)
        holders: dict[str, tuple[str, ...]] = {}
        for duty in kept.duties:
            holders[duty.slot] = (*holders.get(duty.slot, ()), duty.member)
        pinned = {slot: members[0] for slot, members in holders.items() if len(members) == 1}
        rotation = plan_rotation(team, read.members, read.events, period, previous=holders,
                                 carried=store.carried_load(team.name, period.first),
                                 pinned=pinned, why="as kept", time_limit=options.time_limit,
                                 workers=1, progress=progress)
        return TeamPlanned(team, rotation, kept.id)


__all__ = ["kept_team"]
