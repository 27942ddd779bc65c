"""The bundled sample week of a live-media engineer (used by ``makertime demo``)."""

from __future__ import annotations

from datetime import date
from importlib.resources import files
from pathlib import Path

from makertime.model import Period

SAMPLE_WEEK = Period(date(2026, 3, 23), date(2026, 3, 29))


def sample_path(name: str) -> Path:
    """Path of a bundled sample file: week.ics, policy.toml or tasks.toml."""
    return Path(str(files("makertime.sample").joinpath(name)))
