"""Lexical chores done before Lark sees the text: comments and statement splitting.

Comments are blanked out (same length, newlines kept) so token positions stay exact. Bracketed
comments nest, as in Spark; `/*+ ... */` hints are kept for the grammar.
"""
from __future__ import annotations

from typing import List, Tuple

from ember.errors import ParseException


def strip_comments(text: str) -> str:
    out = list(text)
    i, n = 0, len(text)
    quote = None
    while i < n:
        ch = text[i]
        if quote:
            if ch == "\\" and quote != "`":
                i += 2
                continue
            if ch == quote:
                quote = None
            i += 1
            continue
        if ch in ("'", '"', "`"):
            quote = ch
            i += 1
            continue
        if ch == "-" and text.startswith("--", i):
            j = _line_comment_end(text, i)
            for k in range(i, j):
                if out[k] != "\n":
                    out[k] = " "
            i = j
            continue
        if ch == "/" and text.startswith("/*", i) and not text.startswith("/*+", i):
            depth = 0
            j = i
            while j < n:
                if text.startswith("/*", j):
                    depth += 1
                    j += 2
                elif text.startswith("*/", j):
                    depth -= 1
                    j += 2
                    if depth == 0:
                        break
                else:
                    j += 1
            if depth != 0:
                raise ParseException("UNCLOSED_BRACKETED_COMMENT", command=text)
            for k in range(i, j):
                if out[k] != "\n":
                    out[k] = " "
            i = j
            continue
        i += 1
    return "".join(out)


def _line_comment_end(text: str, i: int) -> int:
    """Where the `--` comment starting at `i` ends: at the first newline not escaped by a
    backslash (Spark's lexer continues a comment over `\\` + newline)."""
    n = len(text)
    while True:
        j = text.find("\n", i)
        if j < 0:
            return n
        if j > 0 and text[j - 1] == "\\":
            i = j + 1
            continue
        return j


def split_statements(script: str) -> List[str]:
    """Split a script into statements on `;` the way the spark-sql CLI does: semicolons inside
    quotes, backquotes and comments do not split. Blank statements are dropped."""
    parts: List[str] = []
    start = 0
    i, n = 0, len(script)
    quote = None
    while i < n:
        ch = script[i]
        if quote:
            if ch == "\\" and quote != "`":
                i += 2
                continue
            if ch == quote:
                quote = None
            i += 1
            continue
        if ch in ("'", '"', "`"):
            quote = ch
        elif ch == "-" and script.startswith("--", i):
            j = script.find("\n", i)
            i = n if j < 0 else j
            continue
        elif ch == "/" and script.startswith("/*", i):
            depth, j = 0, i
            while j < n:
                if script.startswith("/*", j):
                    depth += 1
                    j += 2
                elif script.startswith("*/", j):
                    depth -= 1
                    j += 2
                    if depth == 0:
                        break
                else:
                    j += 1
            i = j
            continue
        elif ch == ";":
            parts.append(script[start:i])
            start = i + 1
        i += 1
    parts.append(script[start:])
    return [p for p in parts if _has_content(p)]


def _has_content(statement: str) -> bool:
    try:
        return strip_comments(statement).strip() != ""
    except ParseException:
        return True


def line_and_pos(text: str, offset: int) -> Tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    start = text.rfind("\n", 0, offset) + 1
    return line, offset - start
