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
    if not sql.strip():
        raise _empty(sql)
    clean = strip_comments(sql)
    special = _set_or_reset(clean)
    if special is None:
        special = _resource_statement(clean)
    if special is not None:
        return special
    return parse(sql, clean, "statement")


def _empty(sql: str) -> ParseException:
    lines = sql.split("\n")
    return ParseException("PARSE_EMPTY_STATEMENT", command=sql, line=len(lines),
                          pos=len(lines[-1]))


_RESOURCE = re.compile(r"^\s*(ADD|LIST)\s+([A-Za-z_]\w*)(.*?)\s*;*\s*$", re.I | re.S)
_RESOURCE_ARG = re.compile(r"""(".*?[^\\]"|'.*?[^\\]'|[^ \n\r\t"']+)""", re.S)
_RESOURCE_KINDS = {"file": "files", "files": "files", "jar": "jars", "jars": "jars",
                   "archive": "archives", "archives": "archives"}
_REFRESH = re.compile(r"^\s*REFRESH\b(?!\s+(?:TABLE|FUNCTION)\b)(.*?)\s*;*\s*$", re.I | re.S)


def _resource_statement(text: str):
    """ADD/LIST FILE|JAR|ARCHIVE and REFRESH <path>: free text after a keyword, which Spark's
    grammar also takes as raw text."""
    from ember.optimizer.plans.commands import Statement
    from ember.parser.literals import unescape_sql_string
    m = _RESOURCE.match(text)
    if m:
        verb, kind, rest = m.group(1).upper(), m.group(2).lower(), m.group(3).strip()
        if kind not in _RESOURCE_KINDS:
            raise ParseException("_LEGACY_ERROR_TEMP_0035",
                                 message=f"{verb} with resource type '{kind}'")
        paths = [unescape_sql_string(p) if p[0] in "'\"" else p
                 for p in _RESOURCE_ARG.findall(rest)]
        kind = _RESOURCE_KINDS[kind]
        return Statement(f"{verb.lower()}_resource", f"{verb} {kind.upper()}",
                         resource=kind, paths=paths)
    m = _REFRESH.match(text)
    if m:
        rest = m.group(1).strip()
        if rest[:1] in ("'", '"') and len(rest) > 1 and rest[-1] == rest[0]:
            path = unescape_sql_string(rest)
        elif not rest:
            raise ParseException("INVALID_SQL_SYNTAX.EMPTY_REFRESH_RESOURCE_PATH")
        elif any(ch in rest for ch in " \n\r\t"):
            raise ParseException("INVALID_SQL_SYNTAX.INVALID_REFRESH_RESOURCE_PATH")
        else:
            path = rest
        return Statement("refresh_resource", "REFRESH <path>", path=path)
    return None


def parse_expression(sql: str):
    from ember.parser.grammar import parse
    if not sql.strip():
        raise _empty(sql)
    clean = strip_comments(sql)
    return parse(sql, clean, "expression")


def parse_data_type(sql: str):
    from ember.parser.grammar import parse
    if not sql.strip():
        raise _empty(sql)
    clean = strip_comments(sql)
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
