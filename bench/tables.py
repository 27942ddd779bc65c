"""The plain-text tables every benchmark prints: columns sized to their widest cell, ruled;
and the line naming the libraries the figures belong to."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from importlib import metadata


def print_rows(rows: Sequence[Sequence[str]], *, left_first: bool = False,
               rules_after: Collection[int] = (0,)) -> None:
    """Print ``rows`` (the first is the header) between rules, cells right-aligned (the
    first column left-aligned when ``left_first``), a rule after each row in ``rules_after``."""
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    rule = "  ".join("-" * w for w in widths)
    print(rule)
    for index, row in enumerate(rows):
        print("  ".join(cell.ljust(w) if left_first and i == 0 else cell.rjust(w)
                        for i, (cell, w) in enumerate(zip(row, widths, strict=True))))
        if index in rules_after:
            print(rule)
    print(rule)


def versions(names: Iterable[str]) -> str:
    """``makertime 0.1.0, ortools 9.15…``: each installed distribution with its version."""
    found = []
    for name in names:
        try:
            found.append(f"{name} {metadata.version(name)}")
        except metadata.PackageNotFoundError:
            found.append(f"{name} (not installed)")
    return ", ".join(found)
