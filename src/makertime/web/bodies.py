"""What a request to the REST API may carry (Pydantic, at the edge only): each body's fields,
bounded before any work is done, and no field the route does not know; the application layer
checks the rest and says what is wrong in the command line's own words."""

from __future__ import annotations

from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

# Bounds on what a request may carry, checked before any work (the app layer checks the rest)
TEXT = 500
ID = 255
WHEN = 40
MINUTES = 1_000_000
"""Far past any day's minutes, so the application's own line says what is allowed; a number
beyond it (one no clock or database column can hold) is refused here."""
PATH = 4096


def _no_nul(text: str) -> str:
    if "\x00" in text:
        raise ValueError("holds a NUL character, which no file name or URL can")
    return text


Where = Annotated[str, Field(max_length=PATH, json_schema_extra={"pattern": "^[^\\u0000]*$"}),
                  AfterValidator(_no_nul)]
"""A file, folder or URL on the server's side (no NUL: the system refuses such a name)."""
Seconds = Annotated[float | None, Field(
    description="How long the search may take, in seconds: at most the "
    "server's own time limit (makertime serve --time-limit), which is the default.")]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class PlanRequest(Strict):
    cals: list[Where] = Field(default_factory=list, max_length=50)
    tasks: Where | None = None
    policy: Where | None = None
    first: str | None = Field(default=None, alias="from", max_length=WHEN)
    last: str | None = Field(default=None, alias="to", max_length=WHEN)
    now: str | None = Field(default=None, max_length=WHEN)
    publish: Where | None = None
    time_limit: Seconds = None


class ReplanRequest(Strict):
    now: str | None = Field(default=None, max_length=WHEN)
    publish: bool = False
    dry_run: bool = False
    time_limit: Seconds = None


class MoveRequest(Strict):
    start: str = Field(max_length=WHEN, description="New start, ISO 8601 (no offset: the "
                       "plan's zone); the block keeps its length.")
    now: str | None = Field(default=None, max_length=WHEN)


class PublishRequest(Strict):
    dry_run: bool = False


class ProgressRequest(Strict):
    fraction: float


class TaskFields(Strict):
    """A task's fields as tasks.toml writes them."""

    id: str | None = Field(default=None, max_length=ID)
    title: str | None = Field(default=None, max_length=TEXT)
    estimate: str | None = Field(default=None, max_length=WHEN)
    depth: str | None = Field(default=None, max_length=WHEN)
    deadline: str | None = Field(default=None, max_length=WHEN)
    priority: int | None = None
    min_block: str | None = Field(default=None, max_length=WHEN)
    waiting_on_me: bool | None = None


class InterruptionRequest(Strict):
    text: str = Field(max_length=TEXT)
    minutes: int = Field(ge=-MINUTES, le=MINUTES, description="How long it took, in minutes.")
    at: str | None = Field(default=None, max_length=WHEN)
    now: str | None = Field(default=None, max_length=WHEN)


class MinutesRequest(Strict):
    minutes: int = Field(ge=-MINUTES, le=MINUTES, description="How long it took, in minutes.")


class SourceRequest(Strict):
    name: str = Field(max_length=ID)
    url: Where


class TeamPlanRequest(Strict):
    team: Where
    first: str | None = Field(default=None, alias="from", max_length=WHEN)
    last: str | None = Field(default=None, alias="to", max_length=WHEN)
    time_limit: Seconds = None


class SwapRequest(Strict):
    one: str = Field(max_length=ID)
    other: str = Field(max_length=ID)
    date: str = Field(max_length=WHEN)
    team: Where | None = None
