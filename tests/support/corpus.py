"""The shared corpus of real-world calendars, where the development checkout has it beside the
repository (the tests that use it are skipped elsewhere)."""

from __future__ import annotations

from pathlib import Path

CORPUS = Path(__file__).resolve().parents[3] / "shared" / "corpus" / "ics"
FILES = sorted(CORPUS.glob("*/*.ics")) if CORPUS.is_dir() else []
