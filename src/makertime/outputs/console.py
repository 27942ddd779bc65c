"""The terminal makertime writes to: text from outside is shown as text, never obeyed.

A calendar anyone can invite into carries titles, UIDs and file names that end up on screen. Two
things could go wrong there: Rich would read ``fix [/] parser`` as markup (and fail, or restyle
the rest of the line), and the terminal would obey control characters (``ESC[2J`` clears the
screen, ``ESC]0;…`` retitles the window). ``SafeConsole`` takes no markup in text it is given,
and removes control characters from everything it renders except the styles it adds itself.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from rich.console import Console, ConsoleOptions, RenderableType
from rich.segment import Segment
from rich.status import Status
from rich.text import Text

from makertime.text import clean, controls

# what a terminal may act on: every control character but line breaks and tabs (a carriage
# return would let a text write over the line before it), and the marks that reorder text
_UNSAFE = controls(keep="\t\n")


class SafeConsole(Console):
    """A Rich console that treats every string as plain text and never writes a control
    character it did not make (its own colours and cursor moves are control segments)."""

    def __init__(self, **options: Any) -> None:
        super().__init__(markup=False, **options)

    def render(self, renderable: RenderableType,
               options: ConsoleOptions | None = None) -> Iterable[Segment]:
        """Rich's rendering, with control characters removed from the text it produced."""
        for segment in super().render(renderable, options):
            if segment.control is None and _UNSAFE.search(segment.text):
                yield Segment(_UNSAFE.sub("", segment.text), segment.style)
            else:
                yield segment


def status_line(status: Status, template: str = "{}") -> Callable[[str], None]:
    """A progress callback that shows ``template`` with the name filled in on ``status``
    (a Rich status line reads a string as markup: it is given Text instead)."""

    def show(name: str) -> None:
        status.update(Text(clean(template.format(name), chars=200)))

    return show
