"""The week's measures and their history: the totals before and after the plan, each day's
metrics, and maker time week by week with the costliest interruptions."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from makertime import app as ops
from makertime.web.deps import Kept
from makertime.web.schemas import History
from makertime.web.shapes import history_json

router = APIRouter(tags=["audit"])


@router.get("/history", response_model=History)
def history(store: Kept) -> dict[str, Any]:
    """Maker time week by week (every plan and replan records it), and the interruptions that
    cost the most focus."""
    found = ops.history(db=store)
    return history_json(found.history, found.zone)
