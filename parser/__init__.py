"""Spark SQL parser: text in, unresolved logical plans out (Spark's parsePlan & friends).

    parse_statement(sql)  -> LogicalPlan      (Spark's parsePlan)
    parse_expression(sql) -> Expression       (parseExpression)
    parse_data_type(sql)  -> DataType         (parseDataType)
    split_statements(script) -> [str]         (the spark-sql CLI's splitting)

Every failure is a ParseException with Spark's condition, position and caret excerpt.
"""
from __future__ import annotations

import re

from ember.errors import ParseException
from ember.parser.text import split_statements, strip_comments

__all__ = ["parse_statement", "parse_expression", "parse_data_type", "split_statements",
           "ParseException"]

_SET = re.compile(r"^\s*SET(?:\s+(.*?))?\s*;*\s*$", re.I | re.S)
_RESET = re.compile(r"^\s*RESET(?:\s+(.*?))?\s*;*\s*$", re.I | re.S)
_SET_SPECIAL = re.compile(r"^\s*(TIME\s+ZONE|VAR|VARIABLE|CATALOG|ROLE|COLLATION)\b", re.I)


def parse_statement(sql: str):
    from ember.parser.grammar import parse
    if not isinstance(sql, str):
        raise ParseException("PARSE_SYNTAX_ERROR", error="end of input", hint="")
    clean = strip_comments(sql)
    if not clean.strip().rstrip(";").strip():
        raise ParseException("PARSE_EMPTY_STATEMENT", command=sql)
    special = _set_or_reset(clean)
    if special is not None:
        return special
    return parse(sql, clean, "statement")


def parse_expression(sql: str):
    from ember.parser.grammar import parse
    clean = strip_comments(sql)
    if not clean.strip():
        raise ParseException("PARSE_EMPTY_STATEMENT", command=sql)
    return parse(sql, clean, "expression")


def parse_data_type(sql: str):
    from ember.parser.grammar import parse
    clean = strip_comments(sql)
    if not clean.strip():
        raise ParseException("PARSE_EMPTY_STATEMENT", command=sql)
    return parse(sql, clean, "data_type")


def _set_or_reset(text: str):
    """SET/RESET take free text (`SET spark.x=a b c`); Spark parses them by regex too."""
    from ember.optimizer.plans.commands import ResetCommand, SetCommand
    m = _SET.match(text)
    if m:
        rest = (m.group(1) or "").strip()
        if _SET_SPECIAL.match(rest):
            return None
        if not rest:
            return SetCommand()
        if rest == "-v":
            return SetCommand(verbose=True)
        if "=" in rest:
            key, value = rest.split("=", 1)
            key, value = _unquote(key.strip()), _unquote(value.strip())
            if not key or any(ch.isspace() for ch in key):
                raise ParseException("INVALID_SET_SYNTAX", command=text)
            return SetCommand(key, value)
        key = _unquote(rest)
        if any(ch.isspace() for ch in key):
            raise ParseException("INVALID_SET_SYNTAX", command=text)
        return SetCommand(key)
    m = _RESET.match(text)
    if m:
        rest = (m.group(1) or "").strip()
        return ResetCommand(_unquote(rest) if rest else None)
    return None


def _unquote(s: str) -> str:
    if len(s) >= 2 and s[0] == s[-1] == "`":
        return s[1:-1].replace("``", "`")
    return s
