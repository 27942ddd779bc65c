"""Starter files for ``makertime init``: a policy.toml and a tasks.toml with every key commented.

The policy is generated from the defaults schema (``defaults.SETTINGS``), so a key, its meaning
and its default cannot drift from what the loader reads. A line ``#key = value`` is a setting
left at its default (uncomment it to change it); a line ``# text`` says what the next one means.
Files are created, never replaced.
"""

from __future__ import annotations

import os
import textwrap
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from makertime.defaults import SETTINGS, Kind, Setting, toml_value
from makertime.errors import OutputError
from makertime.policy import local_zone

WIDTH = 99
FALLBACK_ZONE = "UTC"

_SECTIONS = {
    "work": "The work window: the days and hours you work.",
    "focus": "What counts as focus time.",
    "energy": "A self-declared energy budget, off unless enabled.",
    "sync": "How synchronous work is kept in check.",
    "sync_windows": "Windows into which chat, email and other interrupt streams are batched.",
    "audit": "When the audit warns.",
}
# Values that say more than the default would as an example; the default is still named.
_EXAMPLES: dict[str, object] = {
    "me": ["you@example.com"],
    "sync.meeting_free_days": ["wed"],
    "work.days_off": [date(2026, 12, 24), date(2026, 12, 31)],
    "work.holidays": "DE-BE",
}
@dataclass(frozen=True, slots=True)
class TaskField:
    """One field of a [[task]] in tasks.toml: an example value, what it means, its default."""

    name: str
    example: object
    meaning: str
    default: str


def local_zone_name() -> str | None:
    """The machine's zone as an IANA name ($TZ, else /etc/localtime), or None when it has none."""
    zone = local_zone()
    return zone.key if isinstance(zone, ZoneInfo) else None


def policy_text(zone: str | None) -> str:
    """A commented policy.toml: ``zone`` filled in (None: UTC, with a line saying so)."""
    lines = [
        "# makertime policy: how your time is measured and planned.",
        "# Every key is optional. A line `#key = value` is left at its default, shown there:",
        "# remove the `#` to change it. `makertime defaults` gives each default's source and",
        "# evidence grade. A wrong key or value is named, with what is allowed.",
        "",
    ]
    keys = list(_keys(zone))
    for section in ("", *_SECTIONS):
        if section:
            lines += ["", f"[{section}]", *_comment(_SECTIONS[section])]
        lines += [line for key, written in keys if key.rpartition(".")[0] == section
                  for line in written]
    lines += ["", *_rule_lines()]
    return "\n".join(lines) + "\n"


def _keys(zone: str | None) -> Iterator[tuple[str, list[str]]]:
    """Each key of policy.toml outside [[rule]] with its lines, in the schema's order."""
    for setting in SETTINGS:
        if setting.in_policy and setting.kind is not Kind.RULES:
            yield setting.key, _setting_lines(setting, zone)


def _setting_lines(setting: Setting, zone: str | None) -> list[str]:
    if setting.key == "timezone":
        meaning = (f"{_sentence(setting.meaning)}: an IANA zone. Default: the machine's local "
                   "zone, filled in here.")
        if zone is None:
            return [*_comment(f"{meaning} This machine's zone has no IANA name, so "
                              f"{FALLBACK_ZONE} is written: write yours, e.g. \"Europe/Zagreb\"."),
                    f"timezone = {toml_value(FALLBACK_ZONE)}"]
        return [*_comment(meaning), f"timezone = {toml_value(zone)}"]
    counted = setting.kind in (Kind.MINUTES, Kind.NUMBER, Kind.COUNT) and setting.unit
    return _lines(setting.key, setting.meaning, setting.default,
                  _EXAMPLES.get(setting.key, setting.default),
                  f" {setting.unit}" if counted else "")


def _lines(key: str, meaning: str, default: object, example: object, unit: str = "") -> list[str]:
    """What ``key`` means and its default, then the key commented out, holding ``example``."""
    return [*_comment(f"{_sentence(meaning)}. Default: {_toml(default)}{unit}."),
            f"#{key.rpartition('.')[2]} = {_toml(example)}"]


def _rule_lines() -> list[str]:
    """Commented [[rule]] tables: the default one, an on-call feed and a vacation calendar."""
    default = next(s for s in SETTINGS if s.kind is Kind.RULES)
    lines = _comment(
        "[[rule]]: commitments a rule matches get its settings. `match` names categories "
        "and/or a summary regex (any may hit). `attention` is what the commitment takes: "
        "\"full\" (a meeting, hosting: nothing else then; the default), \"partial\" "
        "(monitoring, quiet on-call: shallow work only), \"none\" (transparent: blocks "
        "nothing) or \"off\" (away: vacation, holiday, leave; no work that day). "
        "`drain_per_hour`: energy it costs (default: energy.sync_per_hour); "
        "`rest_before_minutes` and `recover_after_minutes`: no deep work that long before it "
        "starts and after it ends (default 0). Writing any [[rule]] replaces the default "
        f"rule, which is: {_sentence(default.meaning)}.")
    examples: list[tuple[str, dict[str, object]]] = [
        ("The default rule, for draining live events:", default.default[0]),
        ("An on-call feed: shallow work may go on beside it.",
         {"match": {"summary": "(?i)on-call|pager"}, "attention": "partial",
          "drain_per_hour": 4}),
        ("A vacation calendar: away, no work those days.",
         {"match": {"categories": ["VACATION"], "summary": "(?i)vacation|holiday|leave"},
          "attention": "off"}),
    ]
    for title, rule in examples:
        lines += ["", f"# {title}", "#[[rule]]",
                  *(f"#{key} = {_toml(value)}" for key, value in rule.items())]
    return lines


TASK_FIELDS = (
    TaskField("id", "pr-42-feedback", "a short name of your own, unique in the file", "required"),
    TaskField("title", "Address review feedback on PR #42", "what the task is", "the id"),
    TaskField("estimate", "1h30m", "the time still needed: \"2h\", \"90m\", \"1h30m\"",
              "required"),
    TaskField("depth", "shallow", "\"deep\" needs an unbroken block; \"shallow\" fits in "
              "fragments and beside a partial-attention commitment", "\"deep\""),
    TaskField("deadline", None, "when it is due, local time of the policy's zone", "none"),
    TaskField("priority", 2, "1 highest … 5 lowest", "3"),
    TaskField("min_block", "30m", "the shortest block worth placing", "deep: "
              "focus.min_block_minutes; shallow: 15m"),
    TaskField("progress", 0.0, "how near done the whole is, 0 to 1", "0"),
    TaskField("last_touched", None, "the day you last worked on it", "none"),
    TaskField("waiting_on_me", True, "someone is blocked on this: it goes first", "false"),
)


def tasks_text(today: date) -> str:
    """A commented tasks.toml: every field of a [[task]], in two examples dated near ``today``."""
    friday = today + timedelta(days=(4 - today.weekday()) % 7 or 7)
    dated = {"deadline": datetime.combine(friday, time(17)), "last_touched": today}
    lines = ["# makertime tasks: the asynchronous work to plan into protected blocks.",
             "# One [[task]] table per task; remove the `#` of the lines below and make them",
             "# yours. Open VTODOs in your calendars count as tasks too.", "",
             "#[[task]]"]
    for field in TASK_FIELDS:
        value = dated.get(field.name, field.example)
        default = "Required" if field.default == "required" else f"Default: {field.default}"
        lines += [*_comment(f"{_sentence(field.meaning)}. {default}."),
                  f"#{field.name} = {_toml(value)}"]
    lines += ["", "# A deep task: only id and estimate are needed.", "#[[task]]",
              "#id = \"design-doc\"", "#title = \"Design doc: multi-region ingest\"",
              "#estimate = \"6h\""]
    return "\n".join(lines) + "\n"


def write_starter(folder: Path, *, today: date, zone: str | None) -> tuple[Path, Path]:
    """Create ``folder``/policy.toml and ``folder``/tasks.toml; neither may exist already."""
    files = ((folder / "policy.toml", policy_text(zone)),
             (folder / "tasks.toml", tasks_text(today)))
    for path, _ in files:
        if path.exists() or path.is_symlink():
            raise OutputError(str(path), "exists already", "makertime init never replaces a "
                              "file: move it away, or give another folder")
    if folder.exists() and not folder.is_dir():
        raise OutputError(str(folder), "is not a folder", "give a folder (made if missing)")
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise OutputError(str(folder), f"cannot be made ({error.strerror})",
                          "give a folder you may write") from None
    for path, text in files:
        _create(path, text)
    return files[0][0], files[1][0]


def _create(path: Path, text: str) -> None:
    """Write a new file; one that appeared meanwhile (or a link) is left alone."""
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
    except FileExistsError:
        raise OutputError(str(path), "exists already", "makertime init never replaces a "
                          "file: move it away, or give another folder") from None
    except OSError as error:
        raise OutputError(str(path), f"cannot be written ({error.strerror})",
                          "give a folder you may write") from None
    with os.fdopen(descriptor, "w", encoding="utf-8") as file:
        file.write(text)


def _sentence(text: str) -> str:
    return text[:1].upper() + text[1:]


def _comment(text: str) -> list[str]:
    return textwrap.wrap(text, WIDTH, initial_indent="# ", subsequent_indent="# ",
                         break_on_hyphens=False)


def _toml(value: object) -> str:
    """``toml_value``, with dates and date-times as TOML writes them."""
    if isinstance(value, list):
        return "[" + ", ".join(_toml(v) for v in value) + "]"
    if isinstance(value, date):
        return value.isoformat()
    return toml_value(value)



def markdown() -> str:
    """docs/files.md: what ``makertime init`` writes, as it writes it (zone Europe/Zagreb)."""
    return "\n".join([
        "# policy.toml and tasks.toml",
        "",
        "<!-- generated by `python -m makertime.starter > docs/files.md`; do not edit -->",
        "",
        "`makertime init [DIR]` writes both files into DIR (default: the current folder), with",
        "your machine's time zone filled in (UTC, with a line saying so, when the machine has",
        "no IANA zone). It never replaces a file: if either exists, it says so and writes",
        "nothing. A line `#key = value` is a setting left at its default; remove the `#` to",
        "change it. Both files below are exactly what it writes (here for Europe/Zagreb).",
        "How each number of the audit is measured is in [metrics.md](metrics.md); the range",
        "every value may take is in [limits.md](limits.md).",
        "",
        "## policy.toml",
        "",
        "```toml",
        policy_text("Europe/Zagreb").rstrip("\n"),
        "```",
        "",
        "## tasks.toml",
        "",
        "```toml",
        tasks_text(date(2026, 3, 18)).rstrip("\n"),
        "```",
        "",
        "## Tasks added through makertime",
        "",
        "A task can also be added, and later changed, through makertime itself",
        "(`makertime.app.add_task` and `makertime.app.edit_task`, given the fields of one",
        "[[task]] table above; a deadline or last_touched may also be ISO 8601 text, such as",
        '`"2026-03-20T17:00:00"`). Such a task is kept in makertime\'s store, never written to',
        "tasks.toml; its fields are checked as tasks.toml's are, with the same messages and",
        "bounds, and it is planned like any other. `done` and `progress` work on it too.",
        "",
        "makertime never writes an input: a task of tasks.toml, or a VTODO of a calendar, is",
        "changed there, and makertime refuses to change it. An id is unique across all three:",
        "adding a task whose id exists is refused. If tasks.toml (or a VTODO) later lists the",
        "id of an added task, the file wins: the task is taken as the file gives it, and comes",
        "from the file from then on. Each task the store keeps says where it comes from:",
        '"tasks.toml", "calendar" or "makertime".',
        "",
    ])


if __name__ == "__main__":
    print(markdown(), end="")  # regenerates docs/files.md
