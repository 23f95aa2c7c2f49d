"""Statement accumulation for the interactive prompt: lines go in, whole statements come out.

Like Spark's CLI, input gathers over lines until the text ends with a `;` that ends a statement;
unlike Spark's plain `endsWith(";")` test, a `;` inside a quote or a comment does not end it,
so `SELECT 'a;` waits for the closing quote. Splitting follows `split_statements`, the rules
`-e` and `-f` use, so a statement means the same thing typed, passed or read from a file.
"""
from __future__ import annotations

from typing import List, Tuple

from ember.parser import split_statements

# A token no statement can swallow once a real `;` has ended the text before it.
_SENTINEL = "\nx"


def is_complete(text: str) -> bool:
    """Whether `text` ends with a `;` that terminates a statement (outside quotes/comments).

    Appending a sentinel and splitting tells the two apart: after a real terminator the
    sentinel stands alone as the last piece; after a quoted or commented `;` it is glued to
    the text before it (or the piece is dropped as a comment)."""
    if not text.rstrip().endswith(";"):
        return False
    pieces = split_statements(text + _SENTINEL)
    return bool(pieces) and pieces[-1].strip() == _SENTINEL.strip()


def feed_line(buffer: str, line: str) -> Tuple[str, List[str]]:
    """One line of input: returns (the buffer still pending, the statements now complete).

    A comment line typed at an empty prompt is dropped, as Spark's CLI drops lines starting
    with `--`; inside a pending statement the splitter deals with comments itself."""
    if not buffer and (not line.strip() or line.lstrip().startswith("--")):
        return "", []
    text = line if not buffer else buffer + "\n" + line
    if is_complete(text):
        return "", split_statements(text)
    return text, []


def is_quit(statement: str) -> bool:
    """`quit` / `exit` (any case) leave the shell, as in Spark's CLI."""
    return statement.strip().lower() in ("quit", "exit")
