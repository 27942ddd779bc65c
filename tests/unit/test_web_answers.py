"""Answers kept while they stay true: rendered once per key, bounded, and a new plan's week is
a new key (a replan or a move shows at once)."""

from __future__ import annotations

import json
from pathlib import Path

from fastapi.testclient import TestClient

from makertime.app.demo import sample_store
from makertime.web import WebSettings, create_app
from makertime.web.answers import KEPT, Answers


def test_an_answer_is_rendered_once_per_key_and_the_oldest_go_first() -> None:
    answers, built = Answers(), []

    def build(value: int) -> dict[str, int]:
        built.append(value)
        return {"value": value}

    first = answers.json(("week", 1), lambda: build(1))
    again = answers.json(("week", 1), lambda: build(99))
    assert json.loads(first.body) == json.loads(again.body) == {"value": 1} and built == [1]
    assert first.media_type == "application/json"
    for key in range(2, KEPT + 2):
        answers.json(("week", key), lambda key=key: build(key))  # type: ignore[misc]
    assert json.loads(answers.json(("week", 1), lambda: build(100)).body) == {"value": 100}


def test_the_week_after_a_move_is_the_new_plans(tmp_path: Path) -> None:
    store = sample_store(tmp_path)
    app = create_app(WebSettings(db=store.db, now=store.now, workers=1))
    with TestClient(app, base_url="http://127.0.0.1:8765") as client:
        week = client.get("/api/v1/week").json()
        block = next(b for b in week["blocks"] if b["editable"] and b["kind"] == "deep")
        start = block["start"]
        moved = start[:8] + f"{int(start[8:10]) + 1:02d}" + start[10:]
        assert client.post(f"/api/v1/blocks/{block['uid']}/move",
                           json={"start": moved}).status_code == 200
        after = client.get("/api/v1/week").json()
        assert after["plan_id"] > week["plan_id"]
        [now] = [b for b in after["blocks"] if b["uid"] == block["uid"]]
        assert now["start"] == moved and now["pinned"] and now["moved_here"]
