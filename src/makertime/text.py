"""Text from outside — a calendar anyone can invite into, a file a person typed — made safe to
keep, show and write back: control characters removed, lengths bounded, ids checked.

A SUMMARY can carry terminal escape sequences (``ESC[2J`` clears the screen, ``ESC]0;`` sets the
window title), NUL characters that no iCalendar file may hold, or bidirectional overrides that
make a title read other than it is. ``clean`` removes them all where the text enters makertime,
so nothing downstream (terminal, ICS, HTML, the store) ever sees them.
"""

from __future__ import annotations

import re

from makertime.limits import limit

# C0 controls (tab and line breaks are handled apart), DEL, C1 controls, and the Unicode
# direction marks, embeddings, overrides and isolates that reorder how text is shown.
# the Unicode direction marks, embeddings, overrides and isolates: they reorder what is shown
_MARKS = "\u200e\u200f\u202a-\u202e\u2066-\u2069"


def controls(keep: str = "") -> re.Pattern[str]:
    """A character class of every control character — C0 (but those in ``keep``), DEL, C1 —
    and the direction marks: the one definition every cleaner and check uses."""
    c0 = "".join(re.escape(chr(code)) for code in range(32) if chr(code) not in keep)
    return re.compile(f"[{c0}\x7f-\x9f{_MARKS}]")


_CONTROL = controls(keep="\t\n\r")  # tabs and line breaks are made spaces or kept apart
# whole terminal escape sequences first, so that no printable tail (``[2J``) is left behind:
# CSI (ESC [ or U+009B, parameters, a final byte), OSC and the other string commands (ESC ] P X
# ^ _ up to BEL or ESC \), and two-character escapes
_SEQUENCE = re.compile(r"(?:\x1b\[|\x9b)[0-?]*[ -/]*[@-~]?"
                       r"|\x1b[\]PX^_][^\x07\x1b]*(?:\x07|\x1b\\)?"
                       r"|\x1b[ -~]?")
_BREAKS = re.compile(r"[\t\r\n]+")
LOOK_AHEAD = 8  # how much more of a text ``clean`` looks at than it keeps
ID_CHARACTERS = "letters A-Z a-z, digits and . _ - @ : + / = ~ # % ! $ & * { }"
_ID = re.compile(r"[A-Za-z0-9._@:+/=~#%!$&*{}-]+")


def clean(text: str, *, chars: int | None = None) -> str:
    """``text`` on one line, without control characters, cut to ``chars`` (default: the
    ``calendar.text_chars`` limit) with a closing ``…`` when it was longer.

    Only the first ``chars`` × ``LOOK_AHEAD`` characters are looked at, so a title of
    megabytes costs what a long one does; what is cut there is never shown anyway (the
    escapes and controls removed before the cut rarely make up more than a few characters)."""
    most = limit("calendar.text_chars") if chars is None else chars
    head = text[: most * LOOK_AHEAD]
    kept = _BREAKS.sub(" ", _CONTROL.sub("", _SEQUENCE.sub("", head))).strip()
    if len(kept) <= most and len(head) == len(text):
        return kept
    return kept[: most - 1].rstrip() + "…"


def clean_lines(text: str) -> str:
    """``text`` without control characters, keeping its line breaks (as ``\n``) and tabs: for
    a description, which may run over several lines."""
    return _CONTROL.sub("", _SEQUENCE.sub("", text.replace("\r\n", "\n").replace("\r", "\n")))


def is_id(text: str) -> bool:
    """Whether ``text`` is a task id makertime takes: 1 to ``tasks.id_chars`` characters, each
    one of ``ID_CHARACTERS`` (no spaces, quotes, control characters or line breaks)."""
    return 0 < len(text) <= limit("tasks.id_chars") and _ID.fullmatch(text) is not None
