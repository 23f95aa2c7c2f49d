"""What the shell prints: result rows on stdout, timing and errors on stderr (as Spark's CLI).

Spark's CLI prints each row as its HiveResult strings joined by a TAB, then on stderr
`Time taken: <ms / 1000.0> seconds`, adding `, Fetched <n> row(s)` only when rows were fetched.
"""
from __future__ import annotations

import sys
from typing import List, Sequence, TextIO


def time_taken_text(elapsed_ns: int, fetched: int) -> str:
    """Spark's line: whole milliseconds divided by 1000.0, printed as a Java double."""
    seconds = (elapsed_ns // 1_000_000) / 1000.0
    text = f"Time taken: {seconds!r} seconds"
    if fetched:
        text += f", Fetched {fetched} row(s)"
    return text


def error_text(error: BaseException) -> str:
    """The message the CLI shows for a failed statement: never a traceback."""
    from ember.errors import EmberException
    if isinstance(error, EmberException):
        text = str(error)
        return text[1:] if text.startswith("\n") else text
    # Anything else escaping the engine is an Ember bug; say so in Spark's words.
    detail = str(error)
    name = type(error).__name__
    return f"[INTERNAL_ERROR] {name}: {detail}" if detail else f"[INTERNAL_ERROR] {name}"


class Printer:
    """Writes rows and messages; `silent` drops the timing lines, as `-S` asks."""

    def __init__(self, out: TextIO = None, err: TextIO = None, silent: bool = False):
        self.out = out if out is not None else sys.stdout
        self.err = err if err is not None else sys.stderr
        self.silent = silent

    def header(self, names: Sequence[str]) -> None:
        self.out.write("\t".join(names) + "\n")

    def rows(self, rows: List[List[str]]) -> None:
        self.out.write("".join("\t".join(r) + "\n" for r in rows))
        self.out.flush()

    def echo(self, statement: str) -> None:
        self.out.write(statement + "\n")
        self.out.flush()

    def timing(self, elapsed_ns: int, fetched: int) -> None:
        if not self.silent:
            self.info(time_taken_text(elapsed_ns, fetched))

    def info(self, text: str) -> None:
        self.err.write(text + "\n")
        self.err.flush()

    def error(self, error: BaseException) -> None:
        self.info(error_text(error))
