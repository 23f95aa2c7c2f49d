"""Loads the Lark LALR parser (tables cached on disk) and maps Lark's errors to Spark's."""
from __future__ import annotations

import hashlib
import os
import threading

from lark import Lark, Token
from lark.exceptions import UnexpectedCharacters, UnexpectedEOF, UnexpectedInput, UnexpectedToken

from ember import __version__ as _ember_version
from ember._cache import cache_dir
from ember.errors import EmberException, ParseException
from ember.parser.keywords import keyword_terminals

_lock = threading.Lock()
_parser = None
_builder = None


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
                from ember.parser.builder import AstBuilder
                grammar = _grammar_text()
                digest = hashlib.sha1(grammar.encode()).hexdigest()[:16]
                cache = os.path.join(cache_dir("parser"), f"sql-{digest}.lark.cache")
                builder = AstBuilder("")
                _parser = Lark(grammar, parser="lalr", lexer="contextual",
                               start=["start", "single_expression", "single_data_type"],
                               transformer=builder, cache=cache, maybe_placeholders=False,
                               postlex=ComplexTypeCloser())
                _builder = builder
    return _parser, _builder


class ComplexTypeCloser:
    """Postlexer: inside `ARRAY<`, `MAP<`, `STRUCT<` a `>>` or `>>>` closes several types (as
    Spark's lexer does with its complex-type level counter), so it becomes GT tokens."""
    always_accept = ()

    def process(self, stream):
        depth = 0
        prev = None
        for tok in stream:
            t = tok.type
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


_START = {"statement": "start", "expression": "single_expression",
          "data_type": "single_data_type"}


def parse(original: str, clean: str, kind: str):
    parser, builder = get_parser()
    with _lock:   # the builder holds the current text
        builder.text = original
        try:
            result = parser.parse(clean, start=_START[kind])
        except UnexpectedInput as e:
            raise _syntax_error(original, clean, e) from None
        except EmberException as e:
            if isinstance(e, ParseException) and e.command is None:
                e.command = original
            raise
        except (ValueError, ArithmeticError, IndexError, KeyError, TypeError) as e:
            raise ParseException("PARSE_SYNTAX_ERROR", error="'" + str(e)[:40] + "'", hint="",
                                 command=original) from None
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
