"""Living with the week in a terminal: what a publish did, what a replan moved and why, the
task list and the history of maker time week by week (rendered here, after the store, because
it shows what the store keeps)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta, tzinfo
from typing import TYPE_CHECKING

from rich import box
from rich.console import Console
from rich.table import Table
from rich.text import Text

from makertime.app.kept_tasks import TaskRow, spent_advice
from makertime.app.past_weeks import Costly, History
from makertime.app.week import Replanned
from makertime.model import format_minutes
from makertime.outputs.plan_rows import KIND_NAMES, solver_line
from makertime.outputs.plan_terminal import ledger_table
from makertime.plan.replan import Change, ChangeKind
from makertime.plan.result import Block, BlockKind

if TYPE_CHECKING:
    from makertime.calendars.base import RemoteEvent
    from makertime.publish.report import Failed, PublishReport

_LISTED = 8  # created blocks listed one by one after a real publish, at most

_VERBS = {ChangeKind.PINNED: "kept where you put it", ChangeKind.DELETED: "deleted by you",
          ChangeKind.MOVED: "moved", ChangeKind.SHORTENED: "shortened",
          ChangeKind.REMOVED: "removed", ChangeKind.ADDED: "added"}


def when(moment: datetime, zone: tzinfo) -> str:
    """``Wed 25 Mar 14:05`` in ``zone``."""
    return moment.astimezone(zone).strftime("%a %d %b %H:%M")


def block_text(block: Block, zone: tzinfo) -> str:
    """``deep design-doc 2h, Wed 25 Mar 09:00–11:00``."""
    what = KIND_NAMES.get(block.kind, block.kind.value)
    task = f" {block.task}" if block.task else ""
    end = block.span.end.astimezone(zone).strftime("%H:%M")
    return (f"{what}{task} {format_minutes(block.minutes)}, "
            f"{when(block.span.start, zone)}–{end}")


def change_line(change: Change, zone: tzinfo) -> Text:
    """One change: what, from where to where, and why."""
    line = Text(f"{_VERBS[change.kind]:>22}  ", style="bold")
    if change.before is not None and change.after is not None:
        after = change.after.span
        # a block shrunk in place shows its new end; a moved one its new day and times
        to = (f"{after.end.astimezone(zone):%H:%M}" if change.kind is ChangeKind.SHORTENED
              else f"{after.start.astimezone(zone):%a %H:%M}–{after.end.astimezone(zone):%H:%M}")
        line.append(f"{block_text(change.before, zone)} → {to}")
    else:
        shown = change.after if change.after is not None else change.before
        assert shown is not None
        line.append(block_text(shown, zone))
    line.append(f"\n{'':>24}{change.why}", style="dim")
    return line


def render_replan(done: Replanned, console: Console, zone: tzinfo) -> None:
    """What the repair kept, what moved and why, what is left unplaced, and the publish."""
    repair = done.repair
    moved = repair.future - repair.unchanged
    head = "Repaired" if done.stored is not None else "Would repair (nothing saved)"
    console.print(f"{head} as of {when(done.now, zone)}: {repair.unchanged} of "
                  f"{repair.future} future blocks unchanged, {moved} changed "
                  f"({repair.moved_share:.0%}).", highlight=False)
    for change in repair.changes:
        console.print(change_line(change, zone), highlight=False)
    for item in repair.plan.unscheduled:
        console.print(f"{'unplaced':>22}  {item.task} {format_minutes(item.minutes)}\n"
                      f"{'':>24}{item.reason}", highlight=False, markup=False)
    if repair.plan.ledger:
        console.print(ledger_table(repair.plan, zone))
    console.print(solver_line(repair.plan.solver), style="dim", highlight=False)
    if done.published is not None:
        render_publish(done.published, console, zone)


def render_publish(report: PublishReport, console: Console, zone: tzinfo, *,
                   dry_run: bool = False) -> None:
    """The counts, then each change a publish made (or would make), in local time."""
    head = "would publish" if dry_run else "published"
    console.print(f"{head} to {report.target}: {report.summary()}", highlight=False,
                  markup=False)
    if report.foreign:
        console.print(f"  {report.foreign} events not made by makertime: not touched",
                      style="dim", highlight=False)
    moves = report.moves()
    created = [b for b in report.created if all(b is not after for _, after in moves)]
    removed = [e for e in report.removed if all(e is not before for before, _ in moves)]
    # a first publish creates the whole week: list it only when asked (--dry-run) or short
    shown = created if dry_run or len(created) <= _LISTED else ()
    lines = [("create", block_text(b, zone)) for b in shown]
    lines += [("move", f"{block_text(_as_block(e), zone)} → {when(b.span.start, zone)}")
              for e, b in [*report.updated, *moves]]
    lines += [("remove", block_text(_as_block(e), zone)) for e in removed]
    lines += [("keep", f"{block_text(_as_block(e), zone)}: you moved or changed it")
              for e in report.kept_theirs]
    lines += [("skip", f"{block_text(b, zone)}: you deleted it") for b in report.declined]
    lines += [("retry", f"{block_text(_failed_block(f), zone)}: the server refused to "
               f"{f.action.value} it; the next publish tries again") for f in report.failed]
    for verb, text in lines:
        console.print(f"  {verb:>6}  {text}", style="dim", highlight=False, markup=False)


def _failed_block(failed: Failed) -> Block:
    """A write the server refused, as the block it was for (for printing)."""
    return Block(BlockKind(failed.kind), failed.span, "", failed.task, key=failed.uid)


def _as_block(event: RemoteEvent) -> Block:
    """A published event as the block it stands for (for printing)."""
    return Block(BlockKind(event.kind), event.span, "", event.task, key=event.uid)


def render_tasks(rows: Sequence[TaskRow], console: Console) -> None:
    """The task list: progress, time left, planned from now on, staleness, waiting on you;
    an open task whose estimate is spent says "done?" and what to do."""
    if not rows:
        console.print("no tasks yet: makertime plan CAL --tasks tasks.toml reads them")
        return
    table = Table(box=box.SIMPLE_HEAD, padding=(0, 0, 0, 1), pad_edge=False)
    for header in ("task", "depth", "done", "left", "planned", "untouched", "waiting"):
        table.add_column(header, justify="left" if header == "task" else "right")
    for row in rows:
        task = row.state.task
        table.add_row(f"{task.id}\n{task.title}" if task.title != task.id else task.id,
                      task.depth.value,
                      "✓" if row.state.done else f"{task.progress:.0%}",
                      "done?" if row.estimate_spent else format_minutes(row.left_minutes),
                      format_minutes(row.planned_minutes),
                      f"{row.stale_days} d" if row.stale_days is not None else "·",
                      "on you" if task.waiting_on_me else "·",
                      style="bold" if task.waiting_on_me and not row.state.done else None)
    console.print(table)
    for row in rows:
        if row.estimate_spent:
            task = row.state.task
            console.print(f"done? {task.id}: its blocks held all of its estimate, yet it is "
                          f"logged {task.progress:.0%} done: {spent_advice(task.id)}.",
                          highlight=False, markup=False)


def render_history(found: History, console: Console, zone: tzinfo) -> None:
    """Maker time week by week, then the costliest interruptions."""
    if not found.weeks:
        console.print("no weeks recorded yet: every plan and replan records its weeks")
        return
    table = Table(title="Maker time, week by week (focus: effective focus minutes)",
                  box=box.SIMPLE_HEAD,
                  padding=(0, 0, 0, 1), pad_edge=False)
    for header in ("week", "focus", "in blocks", "fragments", "sync", "after hrs",
                   "maker days", "switches"):
        table.add_column(header, justify="left" if header == "week" else "right")
    for week in found.weeks:
        t = week.totals
        table.add_row(f"{week.week:%G-W%V}",
                      format_minutes(int(t["effective_focus_minutes"])),
                      format_minutes(int(t["focus_minutes"])),
                      format_minutes(int(t["fragmented_minutes"])),
                      format_minutes(int(t["sync_minutes"])),
                      format_minutes(int(t["after_hours_sync_minutes"])),
                      str(t["maker_days"]), str(t["switches"]))
    console.print(table)
    if found.costly:
        console.print("Interruptions that cost the most focus (makertime interruptions lists "
                      "them all):", highlight=False)
    for item in found.costly:
        console.print(f"  {when(item.start, zone)}  {item.text}: {item.minutes} min, "
                      f"{lost_text(item)} of focus lost", highlight=False, markup=False)


def lost_text(item: Costly) -> str:
    """The focus an interruption cost, or ``·`` when no plan covers its day."""
    return "·" if item.focus_lost is None else format_minutes(item.focus_lost)


def render_interruptions(rows: Sequence[Costly], console: Console, zone: tzinfo) -> None:
    """``makertime interruptions``: id, when, minutes, what and the focus each cost."""
    if not rows:
        console.print('no interruptions logged: makertime interrupt "CDN alert" --minutes 40 '
                      "logs one", highlight=False, markup=False)
        return
    table = Table(box=box.SIMPLE_HEAD, padding=(0, 0, 0, 1), pad_edge=False)
    for header in ("id", "when", "minutes", "what", "focus lost"):
        table.add_column(header, justify="left" if header in ("when", "what") else "right")
    for item in rows:
        end = item.start + timedelta(minutes=item.minutes)
        table.add_row(str(item.id), f"{when(item.start, zone)}–{end.astimezone(zone):%H:%M}",
                      str(item.minutes), Text(item.text), lost_text(item))
    console.print(table)
    if any(item.focus_lost is None for item in rows):
        console.print("· no plan covers that day: its cost is measured once one does",
                      style="dim", highlight=False, markup=False)


def interruption_dict(item: Costly, zone: tzinfo) -> dict[str, object]:
    """One interruption as ``makertime interruptions --json`` prints it (local times)."""
    end = item.start + timedelta(minutes=item.minutes)
    return {"id": item.id, "start": item.start.astimezone(zone).isoformat(),
            "end": end.astimezone(zone).isoformat(), "minutes": item.minutes,
            "text": item.text, "focus_lost": item.focus_lost}
