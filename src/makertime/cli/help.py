"""How --help shows parameters: a flag with no value after it, an argument with no Python type."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

Shown = Callable[[Any, Any], "str | None"]


def no_python_types_in_help() -> None:
    """Show no type after a flag or an argument in --help: Typer's rich help prints ``<bool>``
    after every flag (--help included), though a flag takes no value, and Python's type names
    (``<list[str]>``) after arguments, whose help already says what they are."""
    from typer.core import TyperArgument, TyperOption

    for kind in (TyperOption, TyperArgument):
        shown = getattr(kind, "display_type_rich", None)
        if shown is not None and not getattr(shown, "makertime", False):
            setattr(kind, "display_type_rich", _without_types(shown))  # noqa: B010


def _without_types(shown: Shown) -> Shown:
    """``shown``, except that a flag or an argument shows no type."""

    def display_type_rich(self: Any, ctx: Any) -> str | None:
        if getattr(self, "param_type_name", "") == "argument":
            return None
        return None if self.is_flag and not self.count else shown(self, ctx)

    display_type_rich.makertime = True  # type: ignore[attr-defined]
    return display_type_rich

