"""Errors name parameters; the command line shows each as the flag a person typed, in one place
(``cli.app.friendly``), and no module below it names a flag in an error."""

from __future__ import annotations

import ast
import re
from datetime import UTC, date
from pathlib import Path

import pytest
import typer

import makertime
from makertime.cli.app import FLAGS, friendly
from makertime.errors import MakertimeError, OptionError, PeriodError, param
from makertime.model import Period, option_moment

SOURCE = Path(makertime.__file__).parent
FLAG = re.compile(r"(?<![\w-])--[a-z][a-z-]*")


@pytest.mark.parametrize(("parameter", "shown"), sorted(FLAGS.items()))
def test_friendly_shows_each_parameter_as_its_flag(parameter: str, shown: str,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    @friendly
    def command() -> None:
        raise OptionError(parameter, f"cannot go with {param('db')}",
                          f"drop {param(parameter)}")

    with pytest.raises(typer.Exit) as ended:
        command()
    assert ended.value.exit_code == 2
    line = capsys.readouterr().err.strip()
    assert line == f"makertime: {shown}: cannot go with --db (drop {shown})"


def test_without_a_front_end_an_error_names_the_bare_parameter() -> None:
    with pytest.raises(PeriodError) as raised:
        Period.from_options("2026-03-29", "2026-03-23", date(2026, 3, 23))
    error = raised.value
    assert error.parameter == "last"
    assert str(error) == ("last: 2026-03-23 is before first 2026-03-29 "
                          "(give last on or after first)")
    assert error.render(FLAGS.__getitem__) == ("--to: 2026-03-23 is before --from 2026-03-29 "
                                               "(give --to on or after --from)")


def test_now_is_parsed_in_one_place_and_names_its_parameter() -> None:
    with pytest.raises(OptionError) as raised:
        option_moment("noon", UTC)
    assert raised.value.parameter == "now"
    assert raised.value.exit_status == 2


def _error_classes() -> set[str]:
    from makertime import errors

    return {name for name, value in vars(errors).items()
            if isinstance(value, type) and issubclass(value, MakertimeError)}


def _flags_in_errors(tree: ast.AST, classes: set[str]) -> list[tuple[int, str]]:
    """Every flag a string in ``tree`` names inside a raise or an error's construction."""
    found: set[tuple[int, str]] = set()
    for node in ast.walk(tree):
        raised = isinstance(node, ast.Raise) and node.exc is not None
        built = (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
                 and node.func.id in classes)
        if not (raised or built):
            continue
        for part in ast.walk(node):
            if isinstance(part, ast.Constant) and isinstance(part.value, str):
                found.update((part.lineno, flag) for flag in FLAG.findall(part.value))
    return sorted(found)


def test_no_module_below_the_command_line_names_a_flag_in_an_error() -> None:
    classes = _error_classes()
    named = [f"{path.relative_to(SOURCE)}:{line}: {flag}"
             for path in sorted(SOURCE.rglob("*.py")) if path.relative_to(SOURCE).parts[0] != "cli"
             for line, flag in _flags_in_errors(ast.parse(path.read_text()), classes)]
    assert named == []


def test_the_scan_finds_a_flag_in_a_raise() -> None:
    tree = ast.parse('raise OptionError("at", "x", "give --at 14:05")\n'
                     'error = StoreError("db", "y", "or give another --db")\n')
    assert _flags_in_errors(tree, _error_classes()) == [(1, "--at"), (2, "--db")]


def _imports(path: Path) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return found


def test_the_audit_and_the_planner_read_nothing() -> None:
    modules = [SOURCE / "audit.py", *sorted((SOURCE / "plan").glob("*.py"))]
    reading = ("makertime.calendars", "makertime.store", "makertime.app", "makertime.cli",
               "makertime.inputs", "makertime.tasks")
    found = [f"{path.name}: {module}" for path in modules for module in _imports(path)
             if module.startswith(reading)]
    assert found == []
