"""Planning: place asynchronous tasks into protected blocks around the commitments (CP-SAT).

The planner is four steps: problem (runs of free time, tasks on a 15-minute grain) → model
(one function per constraint) → solve (CP-SAT, seeded with a greedy plan) → extract (times,
reasons, the unscheduled list).
"""
