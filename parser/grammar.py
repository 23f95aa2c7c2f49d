"""Loads the Lark LALR parser (tables cached on disk) and maps Lark's errors to Spark's."""
from __future__ import annotations

import hashlib
import os
import sys
import threading

import lark

from lark import Lark, Token
from lark.exceptions import UnexpectedCharacters, UnexpectedEOF, UnexpectedInput, UnexpectedToken

from ember import __version__ as _ember_version
from ember._cache import cache_dir
from ember.errors import EmberException, ParseException
from ember.parser.keywords import keyword_terminals

_lock = threading.Lock()
_POSTLEX = None
_parser = None
_builder = None


_STARTS = ["start", "single_expression", "single_data_type"]


def _grammar_text() -> str:
    path = os.path.join(os.path.dirname(__file__), "sql.lark")
    with open(path, encoding="utf-8") as f:
        text = f.read()
    return text + "\n" + keyword_terminals(text)


def get_parser():
    global _parser, _builder
    if _parser is None:
        with _lock:
            if _parser is None:
                from ember.parser import tables
                from ember.parser.builder import AstBuilder
                grammar = _grammar_text()
                key = "|".join((grammar, lark.__version__, _ember_version, sys.version))
                digest = hashlib.sha1(key.encode()).hexdigest()[:16]
                path = os.path.join(cache_dir("parser"), f"sql-{digest}.tables")
                builder = AstBuilder("")
                global _POSTLEX
                _POSTLEX = TokenAdjuster()
                try:
                    _parser = tables.load(path, builder, _POSTLEX)
                except Exception:       # first run for this grammar, or an unreadable file
                    full = Lark(grammar, parser="lalr", lexer="contextual", start=_STARTS,
                                maybe_placeholders=False)
                    try:
                        tables.save(full, path)
                    except OSError:     # read-only cache: build in memory every time
                        pass
                    _parser = tables.TableParser(tables.as_data(full), builder, _POSTLEX)
                _builder = builder
    return _parser, _builder


class TokenAdjuster:
    """Postlexer for the two places where one token of lookahead is not enough:
    - inside `ARRAY<`, `MAP<`, `STRUCT<` a `>>` or `>>>` closes several types (as Spark's lexer
      does with its complex-type level counter), so it becomes GT tokens;
    - `SELECT TRANSFORM(...)` is a script transform only when USING (or ROW FORMAT,
      RECORDWRITER) follows the parentheses; otherwise `transform` is the higher-order
      function and lexes as an identifier."""
    always_accept = ("IDENTIFIER",)

    def __init__(self):
        self.text = ""

    def process(self, stream):
        depth = 0
        prev = None
        parens = 0
        default_at = None   # paren depth of the DEFAULT whose expression is being lexed
        swallow_null = False
        for tok in stream:
            t = tok.type
            if swallow_null:
                swallow_null = False
                if tok.value.upper() == "NULL":
                    continue
            if t == "LPAR":
                parens += 1
                if prev in ("IDENTIFIER", "BACKQUOTED_IDENTIFIER") and _next_word(
                        self.text, tok.end_pos) in _QUERY_WORDS:
                    # `INSERT INTO t (SELECT ...)`, `REPLACE ON a = s.b (SELECT ...)`: a query
                    # in parentheses, not a column list or a function call
                    tok = Token.new_borrow_pos("_QUERY_LPAR", tok.value, tok)
            elif t == "RPAR":
                parens -= 1
                if default_at is not None and parens < default_at:
                    default_at = None
            elif t == "COMMA" and parens == default_at:
                default_at = None
            elif t == "DEFAULT":
                default_at = parens
            elif (t == "NOT" and default_at == parens and prev not in ("DEFAULT", "IS")
                  and _next_word(self.text, tok.end_pos) == "NULL"):
                # `DEFAULT 'x' NOT NULL`: the column's nullability, not `'x' NOT ...`
                tok = Token.new_borrow_pos("NOT_NULL", tok.value, tok)
                t = "NOT_NULL"
                swallow_null = True
            if t == "TRANSFORM" and prev == "SELECT" and not _script_transform(self.text,
                                                                               tok.end_pos):
                tok = Token.new_borrow_pos("IDENTIFIER", tok.value, tok)
                t = "IDENTIFIER"
            if t == "LT" and prev in ("ARRAY", "MAP", "STRUCT"):
                depth += 1
            elif t == "GT" and depth:
                depth -= 1
            elif t in ("SHIFT_RIGHT", "SHIFT_RIGHT_UNSIGNED") and depth:
                n = 2 if t == "SHIFT_RIGHT" else 3
                for k in range(n):
                    yield Token.new_borrow_pos("GT", ">", tok) if k == 0 else Token(
                        "GT", ">", tok.start_pos + k, tok.line, tok.column + k,
                        tok.end_line, tok.column + k + 1, tok.start_pos + k + 1)
                depth = max(0, depth - n)
                prev = "GT"
                continue
            prev = t
            yield tok


_QUERY_WORDS = ("SELECT", "WITH", "FROM", "VALUES")


def _next_word(text: str, pos: int) -> str:
    i, n = pos, len(text)
    while i < n and text[i].isspace():
        i += 1
    j = i
    while j < n and (text[j].isalnum() or text[j] == "_"):
        j += 1
    return text[i:j].upper()


def _script_transform(text: str, pos: int) -> bool:
    """Whether the parenthesised list starting after `pos` is followed by a transform's
    USING / ROW FORMAT / RECORDWRITER."""
    i, n = pos, len(text)
    while i < n and text[i].isspace():
        i += 1
    if i >= n or text[i] != "(":
        return False
    depth, quote = 0, None
    while i < n:
        ch = text[i]
        if quote:
            if ch == "\\":
                i += 2
                continue
            if ch == quote:
                quote = None
        elif ch in "'\"`":
            quote = ch
        elif ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
            if depth == 0:
                break
        i += 1
    rest = text[i + 1:].lstrip().upper()
    return rest.startswith(("USING", "ROW", "RECORDWRITER"))


_START = {"statement": "start", "expression": "single_expression",
          "data_type": "single_data_type"}


def parse(original: str, clean: str, kind: str):
    parser, builder = get_parser()
    with _lock:   # the builder holds the current text
        builder.text = original
        builder.pending_range_errors = []
        _POSTLEX.text = clean
        try:
            result = parser.parse(clean, start=_START[kind])
            if builder.pending_range_errors:
                raise builder.pending_range_errors[0][1]
        except UnexpectedInput as e:
            raise _syntax_error(original, clean, e) from None
        except EmberException as e:
            if isinstance(e, ParseException) and e.command is None:
                e.command = original
            raise
        except Exception as e:    # a builder bug must still surface as a ParseException
            err = ParseException("PARSE_SYNTAX_ERROR", error="end of input", hint="",
                                 command=original)
            err.internal_error = e
            raise err from None
    if kind == "expression":
        from ember.optimizer.expressions import UnresolvedAlias
        if isinstance(result, UnresolvedAlias):
            result = result.child
    return result


def _syntax_error(original: str, clean: str, e: UnexpectedInput) -> ParseException:
    if isinstance(e, UnexpectedToken) and e.token.type != "$END":
        tok = e.token
        text = tok.value
        line, col = tok.line, tok.column - 1
        error = "'" + text + "'"
    elif isinstance(e, UnexpectedCharacters):
        line, col = e.line, e.column - 1
        rest = clean[e.pos_in_stream:]
        word = rest.split()[0] if rest.split() else rest[:1]
        error = "'" + word[:1] + "'" if not word[:1].isalnum() else "'" + word + "'"
    else:
        stripped = original.rstrip()
        line = stripped.count("\n") + 1
        col = len(stripped) - (stripped.rfind("\n") + 1)
        error = "end of input"
    return ParseException("PARSE_SYNTAX_ERROR", error=error, hint="", command=original,
                          line=line, pos=col)
