"""Regular-expression string functions (split, regexp_*, rlike) and the LIKE family
(like/ilike functions, LIKE ANY/ALL). Patterns are Java's, run by Python's `re`."""
from __future__ import annotations

import re
from typing import Dict, List

import pyarrow as pa
import pyarrow.compute as pc

from ember import types as T
from ember.catalog.functions import builtin
from ember.errors import AnalysisException, SparkRuntimeException
from ember.optimizer.expressions import Literal
from ember.optimizer.analyzer.type_coercion import cast, coerce
from ember.engine.functions.scalar_base import (BOOLEAN, INT, STRING, Fn, arity, arity_at_least,
                                                called, constant_value, rowwise)
from ember.engine.functions.strings import _lit, _s, Lower  # noqa: F401


# ---------------------------------------------------------------------------- regex
_RX_CACHE: Dict[str, "re.Pattern"] = {}


def java_regex(pattern: str, fn_name: str):
    rx = _RX_CACHE.get(pattern)
    if rx is None:
        try:
            rx = re.compile(_java_to_python(pattern))
        except re.error as err:
            raise SparkRuntimeException(
                "INVALID_PARAMETER_VALUE.PATTERN", parameter="`regexp`",
                functionName=f"`{fn_name}`", value="'" + pattern + "'") from err
        _RX_CACHE[pattern] = rx
    return rx


def _java_to_python(p: str) -> str:
    # Java spells named groups (?<name>...); Python (?P<name>...).
    p = re.sub(r"\(\?<([A-Za-z][A-Za-z0-9]*)>", r"(?P<\1>", p)
    return p.replace("\\p{Alpha}", "[A-Za-z]").replace("\\p{Digit}", "[0-9]").replace(
        "\\p{Alnum}", "[A-Za-z0-9]").replace("\\p{Punct}", "[!-/:-@\\[-`{-~]").replace(
        "\\p{Upper}", "[A-Z]").replace("\\p{Lower}", "[a-z]").replace("\\p{Space}", "\\s")


def java_split(s: str, rx, limit: int) -> List[str]:
    if limit == 0:
        limit = -1
    if s and rx.pattern == "":
        k = len(s) if limit > len(s) or limit <= 0 else limit
        return list(s[:k - 1]) + [s[k - 1:]]
    out: List[str] = []
    index = 0
    limited = limit > 0
    for m in rx.finditer(s):
        if not limited or len(out) < limit - 1:
            if index == 0 and m.start() == 0 and m.start() == m.end():
                continue
            out.append(s[index:m.start()])
            index = m.end()
        else:
            break
    if index == 0 and not out:
        return [s]
    out.append(s[index:])
    return out


class Split(Fn):
    name = "split"
    input_types = (T.StringType(), T.StringType(), T.IntegerType())
    result_type = T.ArrayType(STRING, False)

    def evaluate(self, args, n):
        pattern, limit = _lit(self, 1), _lit(self, 2)
        literal = _literal_regex(pattern) if isinstance(pattern, str) else None
        if literal and isinstance(limit, int) and pa.types.is_string(args[0].type):
            return pc.split_pattern(args[0], literal,
                                    max_splits=limit - 1 if limit > 0 else None)
        return rowwise(lambda s, p, lim: java_split(s, java_regex(p, "split"), lim), args,
                       pa.list_(pa.string()))


_LITERAL_RX = re.compile(r"(?:[^\\.\[\]{}()*+?^$|]|\\[^a-zA-Z0-9])+")


def _literal_regex(pattern: str):
    """The text a regex matches when it is a plain literal (`,`, `\\.`), else None."""
    if not _LITERAL_RX.fullmatch(pattern):
        return None
    return re.sub(r"\\(.)", r"\1", pattern)


@builtin("split", group="string_funcs")
def _split(args, call):
    arity("split", args, 2, 3)
    if len(args) == 2:
        args = list(args) + [Literal(-1, INT)]
    return coerce(Split(*args))


class SplitPart(Fn):
    name = "split_part"
    input_types = (T.StringType(), T.StringType(), T.IntegerType())
    result_type = STRING

    def evaluate(self, args, n):
        def f(s, delim, idx):
            if idx == 0:
                raise SparkRuntimeException("INVALID_INDEX_OF_ZERO")
            parts = s.split(delim) if delim else [s]
            if s == "" and delim:
                parts = [""]
            if abs(idx) > len(parts):
                return ""
            return parts[idx - 1] if idx > 0 else parts[idx]
        return rowwise(f, args, pa.string())


@builtin("split_part", group="string_funcs")
def _split_part(args, call):
    arity("split_part", args, 3)
    return coerce(SplitPart(*args))


def _group_index_error(fn_name, count, idx):
    return SparkRuntimeException(
        "INVALID_PARAMETER_VALUE.REGEX_GROUP_INDEX", parameter="`idx`",
        functionName=f"`{fn_name}`", groupCount=str(count), groupIndex=str(idx))


class RegExpExtract(Fn):
    name = "regexp_extract"
    input_types = (T.StringType(), T.StringType(), T.IntegerType())
    result_type = STRING

    def evaluate(self, args, n):
        def f(s, p, idx):
            rx = java_regex(p, self.name)
            if idx < 0 or idx > rx.groups:
                raise _group_index_error(self.name, rx.groups, idx)
            m = rx.search(s)
            if m is None:
                return ""
            g = m.group(idx)
            return "" if g is None else g
        return rowwise(f, args, pa.string())


class RegExpExtractAll(Fn):
    name = "regexp_extract_all"
    input_types = (T.StringType(), T.StringType(), T.IntegerType())
    result_type = T.ArrayType(STRING, True)

    def evaluate(self, args, n):
        def f(s, p, idx):
            rx = java_regex(p, self.name)
            if idx < 0 or idx > rx.groups:
                raise _group_index_error(self.name, rx.groups, idx)
            return [("" if m.group(idx) is None else m.group(idx)) for m in rx.finditer(s)]
        return rowwise(f, args, pa.list_(pa.string()))


def _regexp_extract_builder(cls):
    def build(args, call):
        arity(cls.name, args, 2, 3)
        if len(args) == 2:
            args = list(args) + [Literal(1, INT)]
        return coerce(cls(*args))
    return build


builtin("regexp_extract", group="string_funcs")(_regexp_extract_builder(RegExpExtract))
builtin("regexp_extract_all", group="string_funcs")(_regexp_extract_builder(RegExpExtractAll))


def java_replacement(rep: str):
    """Java's Matcher replacement syntax: `$n`, `${name}`, `\\x` escapes."""
    parts = []
    i = 0
    lit = []
    while i < len(rep):
        c = rep[i]
        if c == "\\" and i + 1 < len(rep):
            lit.append(rep[i + 1])
            i += 2
            continue
        if c == "$" and i + 1 < len(rep):
            if rep[i + 1] == "{":
                j = rep.index("}", i)
                parts.append("".join(lit))
                lit = []
                parts.append(rep[i + 2:j])
                i = j + 1
                continue
            j = i + 1
            while j < len(rep) and rep[j].isdigit():
                j += 1
            if j > i + 1:
                parts.append("".join(lit))
                lit = []
                parts.append(int(rep[i + 1:j]))
                i = j
                continue
        lit.append(c)
        i += 1
    parts.append("".join(lit))

    def expand(m):
        out = []
        for k, p in enumerate(parts):
            if k % 2 == 0:
                out.append(p)
            else:
                g = m.group(p)
                out.append(g or "")
        return "".join(out)
    return expand


class RegExpReplace(Fn):
    name = "regexp_replace"
    input_types = (T.StringType(), T.StringType(), T.StringType(), T.IntegerType())
    result_type = STRING

    def evaluate(self, args, n):
        def f(s, p, rep, pos):
            if pos <= 0:
                raise AnalysisException(
                    "DATATYPE_MISMATCH.VALUE_OUT_OF_RANGE", sqlExpr='"' + self.pretty_sql() + '"',
                    exprName="`position`", valueRange="(0, 2147483647]",
                    currentValue=str(pos))
            rx = java_regex(p, self.name)
            start = pos - 1
            if start > len(s):
                return s
            return s[:start] + rx.sub(java_replacement(rep), s[start:])
        return rowwise(f, args, pa.string())


@builtin("regexp_replace", group="string_funcs")
def _regexp_replace(args, call):
    arity("regexp_replace", args, 3, 4)
    if len(args) == 3:
        args = list(args) + [Literal(1, INT)]
    return coerce(RegExpReplace(*args))


class RegExpCount(Fn):
    name = "regexp_count"
    input_types = (T.StringType(), T.StringType())
    result_type = INT

    def evaluate(self, args, n):
        return rowwise(lambda s, p: sum(1 for _ in java_regex(p, self.name).finditer(s)), args,
                       pa.int32())


class RegExpSubstr(Fn):
    name = "regexp_substr"
    input_types = (T.StringType(), T.StringType())
    result_type = STRING

    def evaluate(self, args, n):
        def f(s, p):
            m = java_regex(p, self.name).search(s)
            return None if m is None else m.group(0)
        return rowwise(f, args, pa.string())


class RegExpInstr(Fn):
    name = "regexp_instr"
    input_types = (T.StringType(), T.StringType(), T.IntegerType())
    result_type = INT

    def evaluate(self, args, n):
        def f(s, p, idx):
            rx = java_regex(p, self.name)
            m = rx.search(s)
            return 0 if m is None else m.start(idx) + 1
        return rowwise(f, args, pa.int32())


@builtin("regexp_count", group="string_funcs")
def _regexp_count(args, call):
    arity("regexp_count", args, 2)
    return coerce(RegExpCount(*args))


@builtin("regexp_substr", group="string_funcs")
def _regexp_substr(args, call):
    arity("regexp_substr", args, 2)
    return coerce(RegExpSubstr(*args))


@builtin("regexp_instr", group="string_funcs")
def _regexp_instr(args, call):
    arity("regexp_instr", args, 2, 3)
    if len(args) == 2:
        args = list(args) + [Literal(0, INT)]
    return coerce(RegExpInstr(*args))


class RLike(Fn):
    name = "RLIKE"
    input_types = (T.StringType(), T.StringType())
    result_type = BOOLEAN

    def evaluate(self, args, n):
        return rowwise(lambda s, p: java_regex(p, "rlike").search(s) is not None, args,
                       pa.bool_())


@builtin("rlike", "regexp", "regexp_like", group="predicate_funcs")
def _rlike(args, call):
    name = called(call, "rlike")
    arity(name, args, 2)
    return coerce(RLike(*args, display=name.upper()))


# ---------------------------------------------------------------------------- LIKE family
def _like_of(value, pattern, escape: str = "\\"):
    from ember.optimizer.expressions.special import Like
    kids = [value if _s(value.data_type) else cast(value, STRING),
            pattern if _s(pattern.data_type) else cast(pattern, STRING)]
    return Like(kids[0], kids[1], escape)


def _escape_arg(args, name):
    if len(args) < 3:
        return "\\"
    esc = constant_value(args[2])
    if not isinstance(esc, str) or len(esc) != 1:
        raise AnalysisException("INVALID_ESCAPE_CHAR", escapeChar="'" + str(esc) + "'")
    return esc


@builtin("like", group="predicate_funcs")
def _like_fn(args, call):
    arity("like", args, 2, 3)
    return _like_of(args[0], args[1], _escape_arg(args, "like"))


class ILike(Fn):
    """`str ILIKE pattern`: LIKE over lower-cased operands; shown as ilike(str, pattern)."""
    name = "ilike"
    result_type = BOOLEAN

    def __init__(self, *children, display=None, replacement=None):
        super().__init__(*children, display=display)
        self.replacement = replacement

    def evaluate(self, args, n):
        from ember.engine.strings import like
        esc = self.replacement.escape
        return like(pc.utf8_lower(args[0]), pc.utf8_lower(args[1]), esc)


@builtin("ilike", group="predicate_funcs")
def _ilike(args, call):
    arity("ilike", args, 2, 3)
    like_e = _like_of(args[0], args[1], _escape_arg(args, "ilike"))
    return ILike(like_e.left, like_e.right, replacement=like_e)


class LikeQuantified(Fn):
    """LIKE ANY/ALL (and NOT ...) over literal patterns: Spark's LikeAny, NotLikeAll, ..."""
    name = "likeany"
    result_type = BOOLEAN
    input_types = (T.StringType(),)

    def __init__(self, child, patterns=(), display=None):
        super().__init__(child, display=display)
        self.patterns = tuple(patterns)

    def _fields(self):
        return (self.patterns, self.name)

    def evaluate(self, args, n):
        from ember.engine.strings import like
        value = args[0]
        quant_all = self.name.endswith("all")
        negate = self.name.startswith("not")
        result = None
        for p in self.patterns:
            m = like(value, pa.array([p] * len(value), pa.string()), "\\")
            if negate:
                m = pc.invert(m)
            if result is None:
                result = m
            else:
                result = pc.and_kleene(result, m) if quant_all else pc.or_kleene(result, m)
        return result


def _quantified_builder(fn_name: str):
    negate = fn_name.startswith("not_")
    base = fn_name[4:] if negate else fn_name
    insensitive = base.startswith("i")
    quant = base.split("_")[-1]

    def build(args, call):
        from ember.optimizer.expressions import And, Not, Or
        arity_at_least(fn_name, args, 2)
        value, patterns = args[0], list(args[1:])
        if insensitive:
            value = coerce(Lower(value))
        lits = [p for p in patterns if isinstance(p, Literal) and isinstance(p.value, str)]
        if len(lits) == len(patterns):
            vals = [p.value.lower() if insensitive else p.value for p in lits]
            name = ("not" if negate else "") + "like" + quant
            e = LikeQuantified(value if _s(value.data_type) else cast(value, STRING), vals)
            e.name = name
            return e
        parts = []
        for p in patterns:
            if insensitive:
                p = coerce(Lower(p if _s(p.data_type) else cast(p, STRING)))
            m = _like_of(value, p)
            parts.append(Not(m) if negate else m)
        out = parts[0]
        for m in parts[1:]:
            out = And(out, m) if quant == "all" else Or(out, m)
        return out
    return build


for _n in ("like_any", "like_all", "ilike_any", "ilike_all", "not_like_any", "not_like_all",
           "not_ilike_any", "not_ilike_all"):
    builtin(_n, group="predicate_funcs")(_quantified_builder(_n))
