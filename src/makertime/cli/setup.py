"""``init``, ``defaults`` and ``demo``: starting out."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Annotated

import typer

from makertime.cli.app import (
    app,
    err,
    friendly,
    out,
)


@app.command()
@friendly
def init(
    folder: Annotated[Path, typer.Argument(
        metavar="DIR", help="Where to write them (made if missing; default: here).",
        show_default=False)] = Path(),
) -> None:
    """Write a starter policy.toml and tasks.toml, every key commented, your time zone filled in.

    Existing files are never replaced. Then: `makertime audit YOUR.ics --policy policy.toml`.
    """
    from makertime.starter import local_zone_name, write_starter

    zone = local_zone_name()
    today = datetime.now().astimezone().date()
    policy, tasks = write_starter(folder, today=today, zone=zone)
    out.print(f"wrote {policy} (time zone {zone or 'UTC: set yours in it'}) and {tasks}",
              markup=False, highlight=False, soft_wrap=True)
    out.print(f"next: makertime audit YOUR.ics --policy {policy}\n"
              f"      makertime plan YOUR.ics --tasks {tasks} --policy {policy}",
              markup=False, highlight=False, soft_wrap=True)


@app.command()
def defaults() -> None:
    """Every default, with its unit, meaning, source and evidence grade (A best … D convention)."""
    from makertime.outputs.defaults import render_defaults

    render_defaults(out)


@app.command()
@friendly
def demo(team: Annotated[bool, typer.Option(
        "--team", help="Rotate the sample team's duties instead: six people of a live-media "
        "team, a Thursday stream and its crew, over four weeks.")] = False,
        serve: Annotated[bool, typer.Option(
            "--serve", help="Serve the sample week and team in the browser instead "
            "(http://127.0.0.1:8765), from a throwaway store, as of Monday 08:00 of that "
            "week.")] = False,
        port: Annotated[int, typer.Option("--port", metavar="P",
                                          help="The port --serve listens on.")] = 8765,
        ) -> None:
    """Audit and plan a bundled sample week of a live-media engineer, and print both."""
    if serve:
        _serve_demo(port)
        return
    if team:
        _team_demo()
        return
    from makertime.app import sample_demo
    from makertime.outputs.plan_terminal import render_plan
    from makertime.outputs.terminal import render_audit, task_table
    from makertime.plan.solve import PlanOptions
    from makertime.sample import SAMPLE_WEEK, sample_path

    with err.status("auditing and planning the sample week…"):
        result = sample_demo(PlanOptions(gap=0.0, workers=1))  # the same plan on every run
    zone = result.policy.timezone
    min_block = result.policy.focus.min_block_minutes
    out.rule("makertime demo: a week of a live-media engineer")
    out.print(f"calendar {sample_path('week.ics')}\npolicy   {sample_path('policy.toml')}\n"
              f"tasks    {sample_path('tasks.toml')}\n")
    render_audit(result.report, out, zone, min_block)
    out.print(task_table(result.tasks, SAMPLE_WEEK.first, zone))
    out.rule("The plan: async work in protected blocks")
    render_plan(result.plan, out, zone, min_block)
    out.print("Your own week: makertime init (a commented policy.toml and tasks.toml), then "
              "makertime audit YOUR.ics --policy policy.toml and makertime plan YOUR.ics "
              "--tasks tasks.toml --policy policy.toml --html week.html",
              style="dim", soft_wrap=True)


def _team_demo() -> None:
    """The sample team's rotation, printed."""
    from makertime.app.demo import sample_team_demo
    from makertime.outputs.console import status_line
    from makertime.outputs.team_terminal import render_rotation

    with err.status("reading six calendars and rotating the duties…") as status:
        result = sample_team_demo(progress=status_line(status))
    out.rule("makertime demo --team: a live-media team's sync duties, rotated")
    out.print(f"team {result.path}\n", markup=False, highlight=False)
    render_rotation(result.rotation, result.team, out)
    out.print("Your own team: write a team.toml (see docs/team.md), then makertime team check "
              "team.toml and makertime team plan team.toml --html team.html --out duties/",
              style="dim", soft_wrap=True)


def _serve_demo(port: int) -> None:
    """The sample week and team, planned into a throwaway store and served on loopback."""
    import tempfile

    from makertime.app.demo import sample_store
    from makertime.cli.serve import run
    from makertime.outputs.console import status_line
    from makertime.web.settings import WebSettings

    with tempfile.TemporaryDirectory(prefix="makertime-demo-") as folder:
        with err.status("planning the sample week and rotating the sample team…") as status:
            sample = sample_store(Path(folder), progress=status_line(status))
        note = (f"Demo: the sample week of a live-media engineer, as of Mon 23 Mar 2026 08:00, "
                f"in a throwaway store (publishing writes {sample.target}). Your own: "
                "makertime plan … --db URL, then makertime serve --db URL.")
        run(WebSettings(db=sample.db, now=sample.now, port=port, workers=1, note=note))
