"""Planning: place asynchronous tasks into protected blocks around the commitments (CP-SAT).

The planner is four steps: problem (runs of free time, tasks on a 15-minute grain) → model
(one function per constraint family and per objective term) → solve (CP-SAT, seeded with a greedy
plan) → extract (times, reasons, the unscheduled list).
"""

from makertime.plan.result import Block, BlockKind, PlanResult, SolverStats, Unscheduled
from makertime.plan.solve import PlanOptions, greedy_plan, plan_commitments

__all__ = ["Block", "BlockKind", "PlanOptions", "PlanResult", "SolverStats", "Unscheduled",
           "greedy_plan", "plan_commitments"]
