"""Every command's --help shows each option with the value it takes, and a flag with none."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
import typer.main
from typer.testing import CliRunner

from makertime.cli import app

runner = CliRunner()
PYTHON_TYPE = re.compile(r"<(bool|str|int|float|text|path|list\[[a-z]+\])>")


def _commands(command: Any, path: tuple[str, ...] = ()) -> Iterator[tuple[tuple[str, ...], Any]]:
    yield path, command
    for name, sub in sorted(getattr(command, "commands", {}).items()):
        yield from _commands(sub, (*path, name))


COMMANDS = list(_commands(typer.main.get_command(app)))


def test_every_command_is_walked() -> None:
    names = {" ".join(path) for path, _ in COMMANDS}
    assert {"", "audit", "check", "plan", "replan", "init", "source add"} <= names


@pytest.mark.parametrize("path", [path for path, _ in COMMANDS], ids=lambda p: " ".join(p) or "-")
def test_help_shows_no_python_type_and_no_value_after_a_flag(path: tuple[str, ...]) -> None:
    result = runner.invoke(app, [*path, "--help"], env={"COLUMNS": "120", "NO_COLOR": "1"})
    assert result.exit_code == 0, result.output
    assert PYTHON_TYPE.findall(result.output) == []
    command = dict(COMMANDS)[path]
    flags = [opt for param in command.params if getattr(param, "is_flag", False)
             for opt in param.opts if opt.startswith("--")]
    for flag in [*flags, "--help"]:
        rows = [line for line in result.output.splitlines()
                if re.search(rf"│\s+(\*\s+)?{re.escape(flag)}\b", line)]
        assert rows, f"{flag} not in the help of {' '.join(path)}"
        # the flag, then at least two spaces, then its help: no metavar between them
        after = rows[0].split(flag, 1)[1]
        assert re.match(r"\s+(-\w\s+)?[A-Z][a-z]", after), rows[0]


def test_an_option_that_takes_a_value_still_shows_it() -> None:
    result = runner.invoke(app, ["plan", "--help"], env={"COLUMNS": "120", "NO_COLOR": "1"})
    assert re.search(r"--time-limit\s+S\s", result.output)
    assert re.search(r"--db\s+URL\s", result.output)
