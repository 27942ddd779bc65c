"""What the unit tests share: publishing goes to a calendar in memory."""

from __future__ import annotations

import pytest

from tests.support.publish import MemoryPlace


@pytest.fixture
def place() -> MemoryPlace:
    """A calendar in memory, the same one for every run of a test (as a server would be)."""
    return MemoryPlace()
