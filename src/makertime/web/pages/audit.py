"""The audit page: the week's totals before and with the plan, day by day, and maker time week
over week as charts (inline SVG drawn from ``outputs.web_charts``) with tables beside them."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from makertime import app as ops
from makertime.app.week_view import week_view
from makertime.errors import NoPlanError
from makertime.outputs.web_charts import history_charts, interruptions_per_week
from makertime.web.deps import Kept, Settings
from makertime.web.pages.common import missing, render
from makertime.web.pages.week import TOTALS
from makertime.web.shapes import history_json, week_json

router = APIRouter()

DAY_METRICS = (("focus_minutes", "Focus"), ("fragmented_minutes", "Fragmented"),
               ("effective_focus_minutes", "Effective focus"), ("sync_minutes", "Sync"),
               ("after_hours_sync_minutes", "After hours"), ("switches", "Switches"))


@router.get("/audit")
def audit(request: Request, store: Kept, settings: Settings) -> Response:
    """The current week's metrics and the history of past weeks."""
    found = ops.history(db=store)
    history = history_json(found.history, found.zone)
    logged = ops.interruptions(db=store)
    counted = interruptions_per_week(c.start.astimezone(logged.zone).isoformat()
                                     for c in logged.rows)
    try:
        week = week_json(week_view(now=settings.now, db=store))
        note = None
    except NoPlanError as error:
        week, note = None, missing(error)
    return render(request, "audit.html", {
        "week": week, "missing": note, "totals": TOTALS, "metrics": DAY_METRICS,
        "history": history, "charts": history_charts(history["weeks"], counted)})
