"""Living with the week: plans kept in the store, published to the person's calendar, repaired
as the week changes (``plan``, ``publish``, ``replan``, ``interrupt``, ``done``, ``progress``,
``tasks``, ``history``). The CLI's thin commands call these functions; so can a library user.
"""

from makertime.app.history import Costly, History, history
from makertime.app.log import log_interruption
from makertime.app.tasks import TaskRow, task_rows, tasks_as_of
from makertime.app.week import (
    NoPlanError,
    Planned,
    Replanned,
    current_plan,
    make_plan,
    publish_current,
    replan_week,
)

__all__ = ["Costly", "History", "NoPlanError", "Planned", "Replanned", "TaskRow",
           "current_plan", "history", "log_interruption", "make_plan", "publish_current",
           "replan_week", "task_rows", "tasks_as_of"]
