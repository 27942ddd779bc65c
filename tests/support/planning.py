"""What the planner's tests share: a plain policy and tasks, and options for a quick, exact
solve."""

from __future__ import annotations

from typing import Any

from makertime.model import Depth, Task
from makertime.plan import PlanOptions
from makertime.policy import Policy, build_policy

FAST = PlanOptions(time_limit=5, workers=1, gap=0.0)
"""One worker, no gap: the same plan on every run, proven optimal on a tiny instance."""


def policy(**sections: Any) -> Policy:
    """Zagreb, 09-17 Mon-Fri, no sync windows and no buffer unless a test asks for them."""
    data: dict[str, Any] = {"timezone": "Europe/Zagreb", "sync": {"buffer_after_minutes": 0},
                            "sync_windows": {"per_day": 0}}
    data.update(sections)
    return build_policy(data)


def task(name: str, minutes: int, depth: Depth = Depth.DEEP, **fields: Any) -> Task:
    """A task named ``name`` of ``minutes``, deep unless said."""
    return Task(id=name, title=name, estimate_minutes=minutes, depth=depth, **fields)
