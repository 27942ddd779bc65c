"""The layout keeps its promises: data flows one way between makertime's packages, the store and
the pure computations stay below what they must not know, and no module outgrows a read.

Imports are read from the source (every ``import`` and ``from … import``, also those inside
functions and under ``TYPE_CHECKING``: a lazy import is still a dependency).
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from functools import cache
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[2] / "src"
PACKAGE = SRC / "makertime"
LONGEST = 400  # lines a module may have

# The layers, lowest first: each imports only from those before it and from the foundation (the
# top-level modules: errors, limits, text, files, marks, model, policy, tasks, classify, …).
LAYERS = ("makertime.calendars", "makertime.audit", "makertime.plan", "makertime.team",
          "makertime.store",
          "makertime.inputs", "makertime.outputs", "makertime.publish", "makertime.app",
          "makertime.web", "makertime.cli")

# What a room may not import: a room is a package (makertime.plan) or a top-level module.
FORBIDDEN = {
    # the store keeps records; it knows nothing of rendering, publishing or the operations
    "makertime.store": {"makertime.outputs", "makertime.publish", "makertime.app",
                        "makertime.cli"},
    # the pure computations read no file and no network
    "makertime.audit": {"makertime.calendars", "makertime.store", "makertime.tasks",
                        "makertime.tomlfile", "makertime.places", "makertime.publish",
                        "makertime.outputs", "makertime.app", "makertime.cli"},
    "makertime.plan": {"makertime.calendars", "makertime.store", "makertime.tasks",
                       "makertime.tomlfile", "makertime.places", "makertime.publish",
                       "makertime.outputs", "makertime.app", "makertime.cli"},
    "makertime.team": {"makertime.calendars", "makertime.store", "makertime.tasks",
                       "makertime.tomlfile", "makertime.places", "makertime.publish",
                       "makertime.outputs", "makertime.app", "makertime.cli"},
    # backends are below everything that uses them
    "makertime.calendars": {"makertime.outputs", "makertime.publish", "makertime.plan",
                            "makertime.store", "makertime.app", "makertime.cli"},
    # rendering shows results; it runs no operation
    "makertime.outputs": {"makertime.publish", "makertime.app", "makertime.cli",
                          "makertime.store"},
    "makertime.publish": {"makertime.app", "makertime.cli"},
    "makertime.app": {"makertime.cli", "makertime.web"},
    # the web is a front end beside the command line: neither calls the other's commands
    "makertime.web": {"makertime.cli"},
}


def modules() -> dict[str, Path]:
    """Every module of makertime by dotted name (the store's migrations are scripts, not code
    makertime imports)."""
    found: dict[str, Path] = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        if "migrations" in path.parts:
            continue
        name = ".".join(path.relative_to(SRC).with_suffix("").parts)
        found[name.removesuffix(".__init__")] = path
    return found


MODULES = modules()


def room(module: str) -> str:
    """The package (or top-level module) a module belongs to."""
    return ".".join(module.split(".")[:2])


@cache
def imported(path: Path) -> tuple[str, ...]:
    """The makertime modules one file imports."""
    return tuple(_imports(path))


def _imports(path: Path) -> Iterator[str]:
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            if node.module.split(".")[0] != "makertime":
                continue
            for alias in node.names:
                whole = f"{node.module}.{alias.name}"
                yield whole if whole in MODULES else node.module
        elif isinstance(node, ast.Import):
            yield from (a.name for a in node.names if a.name.split(".")[0] == "makertime")


def room_edges() -> dict[str, set[str]]:
    """Which rooms each room imports (the package's own ``__init__`` left out: it only names
    the version)."""
    edges: dict[str, set[str]] = {}
    for name, path in MODULES.items():
        for target in imported(path):
            if room(target) not in (room(name), "makertime"):
                edges.setdefault(room(name), set()).add(room(target))
    return edges


def cycle_through(edges: dict[str, set[str]], start: str) -> list[str] | None:
    """A path of imports from ``start`` back to itself, or None."""
    stack: list[tuple[str, list[str]]] = [(start, [start])]
    seen: set[str] = set()
    while stack:
        node, path = stack.pop()
        for nxt in sorted(edges.get(node, ())):
            if nxt == start:
                return [*path, start]
            if nxt not in seen:
                seen.add(nxt)
                stack.append((nxt, [*path, nxt]))
    return None


def test_the_rooms_import_each_other_one_way_only() -> None:
    edges = room_edges()
    cycles = [" -> ".join(found) for start in sorted(edges)
              if (found := cycle_through(edges, start)) is not None]
    assert cycles == []


def test_the_modules_import_each_other_one_way_only() -> None:
    edges = {name: {t for t in imported(path) if t in MODULES and t != name}
             for name, path in MODULES.items()}
    # a package's __init__ may gather what its modules define; a module importing its own
    # package's __init__ back is the cycle that matters
    cycles = [" -> ".join(found) for start in sorted(edges)
              if (found := cycle_through(edges, start)) is not None
              and not any(MODULES[n].name == "__init__.py" for n in found[1:-1])]
    assert cycles == []


@pytest.mark.parametrize("source", sorted(FORBIDDEN))
def test_a_room_imports_nothing_above_it(source: str) -> None:
    wrong = sorted(f"{name} imports {target}" for name, path in MODULES.items()
                   if room(name) == source for target in imported(path)
                   if room(target) in FORBIDDEN[source])
    assert wrong == []


def test_each_layer_imports_only_the_layers_before_it() -> None:
    edges = room_edges()
    foundation = set(edges) - set(LAYERS)
    wrong = sorted(f"{source} imports {target}" for source in [*LAYERS, *foundation]
                   for target in edges.get(source, ())
                   if target in LAYERS and (source in foundation
                                            or LAYERS.index(target) > LAYERS.index(source)))
    assert wrong == []


def test_no_module_outgrows_a_read() -> None:
    long = {name: n for name, path in MODULES.items()
            if (n := len(path.read_text(encoding="utf-8").splitlines())) > LONGEST}
    assert long == {}


def test_the_checks_see_the_whole_package() -> None:
    # the scan reads real imports: a module known to import another is seen doing so
    assert "makertime.model" in set(imported(MODULES["makertime.policy"]))
    assert room("makertime.plan.cpsat") == "makertime.plan"
    assert cycle_through({"a": {"b"}, "b": {"a"}}, "a") == ["a", "b", "a"]
    assert cycle_through({"a": {"b"}, "b": set()}, "a") is None


def test_every_exception_is_declared_in_errors_and_drawn_in_its_tree() -> None:
    tree = ast.parse(MODULES["makertime.errors"].read_text(encoding="utf-8"))
    declared = {node.name for node in tree.body if isinstance(node, ast.ClassDef)}
    drawn = ast.get_docstring(tree) or ""
    assert {"MakertimeError", "Conflict", "SkippedTask"} <= declared
    assert [name for name in sorted(declared) if f" {name} " not in drawn] == []
    exceptions = declared | {"Exception", "BaseException"}
    elsewhere = sorted(f"{name}.{node.name}" for name, path in MODULES.items()
                       if name != "makertime.errors"
                       for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
                       if isinstance(node, ast.ClassDef)
                       and any(getattr(base, "id", getattr(base, "attr", "")) in exceptions
                               for base in node.bases))
    assert elsewhere == []


def test_no_operation_of_app_is_shadowed_by_a_module_of_the_same_name() -> None:
    # makertime.app imports an operation's module when it is first asked for; a submodule of
    # the same name, once imported, would stand where the operation should
    import makertime.app

    modules = {path.stem for path in (PACKAGE / "app").glob("*.py")}
    assert sorted(set(makertime.app.__all__) & modules) == []
    assert all(callable(getattr(makertime.app, name)) for name in makertime.app.__all__)
