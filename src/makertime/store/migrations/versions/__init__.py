"""One module per schema revision, written by hand; ``0001`` is the first."""
