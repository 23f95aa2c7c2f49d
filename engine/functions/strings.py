"""String functions (Spark's string_funcs): case, length, concat, substring, trim, pad,
search, replace, repeat/reverse and small helpers. Regular expressions and LIKE live in
string_regex.py, formatting and encodings in string_format.py and number_format.py.

Semantics follow Spark's UTF8String: positions count code points and are 1-based, the
default trim character is the ASCII space only, regular expressions are Java's (close enough
to Python's `re` for the patterns SQL uses; the replacement syntax `$1` is translated).
"""
from __future__ import annotations

import base64
from typing import Dict, Optional

import pyarrow as pa
import pyarrow.compute as pc

from ember import types as T
from ember.catalog.functions import builtin
from ember.errors import AnalysisException, SparkRuntimeException
from ember.optimizer.expressions import Literal
from ember.optimizer.expressions.functions import TypeCollection
from ember.optimizer.analyzer.type_coercion import cast, coerce, wider_common_type
from ember.engine.functions.scalar_base import (BINARY, BOOLEAN, INT, STRING, Fn, arity,
                                                arity_at_least, called, rowwise, rowwise_nullable)

STR_OR_BIN = TypeCollection(T.StringType(), T.BinaryType())
_INT_MAX = 2147483647


def _s(dt):
    return isinstance(dt, T.StringType)


_NO = object()


def _lit(e, i):
    """The value of argument i when it is a literal (fast vectorised paths), else _NO."""
    c = e.children[i] if i < len(e.children) else None
    return c.value if isinstance(c, Literal) else _NO


# ---------------------------------------------------------------------------- case
class Upper(Fn):
    name = "upper"
    input_types = (T.StringType(),)
    result_type = STRING

    def evaluate(self, args, n):
        return _case_map(args[0], pc.utf8_upper, str.upper)


class Lower(Fn):
    name = "lower"
    input_types = (T.StringType(),)
    result_type = STRING

    def evaluate(self, args, n):
        return _case_map(args[0], pc.utf8_lower, str.lower)


def _case_map(arr, arrow_fn, py_fn):
    """Arrow's case mapping for ASCII; Java's full mappings (ß -> SS) otherwise."""
    if pc.all(pc.fill_null(pc.string_is_ascii(arr), True)).as_py() is not False:
        return arrow_fn(arr)
    return rowwise(py_fn, [arr], pa.string())


def _title(s: str) -> str:
    out = []
    prev_space = True
    for ch in s.lower():
        out.append(ch.upper() if prev_space else ch)
        prev_space = ch == " "
    return "".join(out)


class InitCap(Fn):
    name = "initcap"
    input_types = (T.StringType(),)
    result_type = STRING

    def evaluate(self, args, n):
        a = args[0]
        if pa.types.is_string(a.type) and pc.all(
                pc.fill_null(pc.string_is_ascii(a), True)).as_py() is not False:
            words = pc.split_pattern(pc.utf8_lower(a), " ")
            caps = pc.utf8_capitalize(words.flatten())
            rebuilt = pa.ListArray.from_arrays(words.offsets, caps, mask=words.is_null())
            return pc.binary_join(rebuilt, " ")
        return rowwise(_title, args, pa.string())


@builtin("upper", "ucase", group="string_funcs")
def _upper(args, call):
    arity(called(call, "upper"), args, 1)
    return coerce(Upper(*args, display=called(call, "upper")))


@builtin("lower", "lcase", group="string_funcs")
def _lower(args, call):
    arity(called(call, "lower"), args, 1)
    return coerce(Lower(*args, display=called(call, "lower")))


@builtin("initcap", group="string_funcs")
def _initcap(args, call):
    arity("initcap", args, 1)
    return coerce(InitCap(*args))


# ---------------------------------------------------------------------------- lengths
class Length(Fn):
    name = "length"
    input_types = (STR_OR_BIN,)
    result_type = INT
    unit = "char"

    def evaluate(self, args, n):
        a = args[0]
        if self.unit == "char" and pa.types.is_string(a.type):
            r = pc.utf8_length(a)
        else:
            r = pc.binary_length(a)
        if self.unit == "bit":
            r = pc.multiply(r, 8)
        return r.cast(pa.int32())


@builtin("length", "char_length", "character_length", "len", group="string_funcs")
def _length(args, call):
    name = called(call, "length")
    arity(name, args, 1)
    return coerce(Length(*args, display=name))


@builtin("octet_length", group="string_funcs")
def _octet_length(args, call):
    arity("octet_length", args, 1)
    e = Length(*args, display="octet_length")
    e.unit = "byte"
    return coerce(e)


@builtin("bit_length", group="string_funcs")
def _bit_length(args, call):
    arity("bit_length", args, 1)
    e = Length(*args, display="bit_length")
    e.unit = "bit"
    return coerce(e)


# ---------------------------------------------------------------------------- concat
class Concat(Fn):
    name = "concat"

    @property
    def data_type(self):
        if not self.children:
            return STRING
        t = wider_common_type([c.data_type for c in self.children])
        return t if t is not None else self.children[0].data_type

    def type_check(self):
        kinds = {type(c.data_type) for c in self.children}
        if any(issubclass(k, T.ArrayType) for k in kinds) and not all(
                issubclass(k, T.ArrayType) for k in kinds):
            from ember.optimizer.expressions.arithmetic import mismatch
            return mismatch("DATA_DIFF_TYPES", self, functionName="`concat`",
                            dataType="[" + ", ".join('"' + c.data_type.sql() + '"'
                                                     for c in self.children) + "]")
        return None

    def evaluate(self, args, n):
        dt = self.data_type
        if not args:
            return pa.array([""] * n, pa.string())
        if isinstance(dt, T.ArrayType):
            def cat(*vals):
                out = []
                for v in vals:
                    out.extend(v)
                return out
            return rowwise(cat, args, T.to_arrow(dt))
        if isinstance(dt, T.BinaryType):
            return rowwise(lambda *v: b"".join(v), args, pa.binary())
        if len(args) == 1:
            return args[0]
        return pc.binary_join_element_wise(*args, "", null_handling="emit_null")


@builtin("concat", group="string_funcs")
def _concat(args, call):
    types = [a.data_type for a in args]
    if args and all(isinstance(t, T.ArrayType) for t in types):
        t = wider_common_type(types)
        if t is not None:
            args = [cast(a, t) for a in args]
    elif args and all(isinstance(t, (T.BinaryType, T.NullType)) for t in types) and any(
            isinstance(t, T.BinaryType) for t in types):
        args = [cast(a, BINARY) for a in args]
    elif not any(isinstance(t, T.ArrayType) for t in types):
        args = [a if _s(a.data_type) else cast(a, STRING) for a in args]
    return Concat(*args)


class ConcatWs(Fn):
    name = "concat_ws"
    result_type = STRING

    @property
    def nullable(self):
        return self.children[0].nullable

    def type_check(self):
        from ember.optimizer.expressions.functions import ORDINALS
        for i, c in enumerate(self.children):
            dt = c.data_type
            ok = _s(dt) or isinstance(dt, T.NullType) or (
                i > 0 and isinstance(dt, T.ArrayType) and _s(dt.elementType))
            if not ok:
                return AnalysisException(
                    "DATATYPE_MISMATCH.UNEXPECTED_INPUT_TYPE",
                    sqlExpr='"' + self.pretty_sql() + '"',
                    paramIndex=ORDINALS[i] if i < len(ORDINALS) else str(i + 1),
                    inputSql='"' + c.pretty_sql() + '"', inputType='"' + dt.sql() + '"',
                    requiredType='("ARRAY<STRING>" or "STRING")')
        return None

    def evaluate(self, args, n):
        cols = [a.to_pylist() for a in args]
        out = []
        for vals in zip(*cols):
            sep = vals[0]
            if sep is None:
                out.append(None)
                continue
            parts = []
            for v in vals[1:]:
                if v is None:
                    continue
                if isinstance(v, list):
                    parts.extend(x for x in v if x is not None)
                else:
                    parts.append(v)
            out.append(sep.join(parts))
        if not args:
            return pa.nulls(n, pa.string())
        return pa.array(out, pa.string())


@builtin("concat_ws", group="string_funcs")
def _concat_ws(args, call):
    arity_at_least("concat_ws", args, 1)
    kids = []
    for a in args:
        dt = a.data_type
        if isinstance(dt, T.NullType):
            kids.append(cast(a, STRING))
        elif isinstance(dt, T.ArrayType) or _s(dt):
            kids.append(a)
        elif isinstance(dt, (T.NumericType, T.BooleanType, T.DateType, T.TimestampType,
                             T.TimestampNTZType, T.BinaryType)):
            kids.append(cast(a, STRING))
        else:
            kids.append(a)
    return ConcatWs(*kids)


# ---------------------------------------------------------------------------- substring
def substring_sql(s, pos: int, length: int):
    n = len(s)
    start = pos - 1 if pos > 0 else (n + pos if pos < 0 else 0)
    end = start + length
    start = max(start, 0)
    if start >= end:
        return s[:0]
    return s[start:min(end, n)]


class Substring(Fn):
    name = "substring"
    input_types = (STR_OR_BIN, T.IntegerType(), T.IntegerType())

    @property
    def data_type(self):
        dt = self.children[0].data_type
        return dt if isinstance(dt, T.BinaryType) else STRING

    def evaluate(self, args, n):
        pos, length = _lit(self, 1), _lit(self, 2)
        if (pa.types.is_string(args[0].type) and isinstance(pos, int) and pos >= 0
                and isinstance(length, int)):
            start = max(pos - 1, 0)
            stop = min((pos - 1 if pos > 0 else 0) + length, _INT_MAX)
            if stop <= start:
                return pc.if_else(pc.is_null(args[0]), pa.scalar(None, pa.string()), "")
            return pc.utf8_slice_codeunits(args[0], start, stop)
        if (pa.types.is_string(args[0].type) and isinstance(pos, int) and pos < 0
                and isinstance(length, int) and length >= -pos):
            # the slice reaches the end of every string: Arrow's negative start agrees
            return pc.utf8_slice_codeunits(args[0], pos)
        return rowwise(substring_sql, args, T.to_arrow(self.data_type))


@builtin("substring", "substr", group="string_funcs")
def _substring(args, call):
    name = called(call, "substring")
    arity(name, args, 2, 3)
    if len(args) == 2:
        args = list(args) + [Literal(_INT_MAX, INT)]
    return coerce(Substring(*args, display=name))


class Left(Fn):
    name = "left"
    input_types = (STR_OR_BIN, T.IntegerType())

    @property
    def data_type(self):
        dt = self.children[0].data_type
        return dt if isinstance(dt, T.BinaryType) else STRING

    def evaluate(self, args, n):
        right = self.name == "right"

        def f(s, k):
            if k <= 0:
                return s[:0]
            return s[-k:] if right else s[:k]
        return rowwise(f, args, T.to_arrow(self.data_type))


class Right(Left):
    name = "right"


@builtin("left", group="string_funcs")
def _left(args, call):
    arity("left", args, 2)
    return coerce(Left(*args))


@builtin("right", group="string_funcs")
def _right(args, call):
    arity("right", args, 2)
    return coerce(Right(*args))


class SubstringIndex(Fn):
    name = "substring_index"
    input_types = (T.StringType(), T.StringType(), T.IntegerType())
    result_type = STRING

    def evaluate(self, args, n):
        def f(s, delim, count):
            if not delim or count == 0:
                return ""
            parts = s.split(delim)
            if count > 0:
                return delim.join(parts[:count])
            return delim.join(parts[count:]) if -count < len(parts) else s
        return rowwise(f, args, pa.string())


@builtin("substring_index", group="string_funcs")
def _substring_index(args, call):
    arity("substring_index", args, 3)
    return coerce(SubstringIndex(*args))


# ---------------------------------------------------------------------------- trim
class Trim(Fn):
    """trim/ltrim/rtrim/btrim. children: (src) or (src, trim_chars)."""
    name = "trim"
    direction = "BOTH"
    input_types = (T.StringType(), T.StringType())
    trim_syntax = False

    @property
    def data_type(self):
        dt = self.children[0].data_type
        return dt if isinstance(dt, T.BinaryType) else STRING

    def sql(self) -> str:
        if len(self.children) == 2 and self.trim_syntax:
            return (f"TRIM({self.direction} {self.children[1].sql()} FROM "
                    f"{self.children[0].sql()})")
        return super().sql()

    def evaluate(self, args, n):
        d = self.direction
        chars = _lit(self, 1) if len(self.children) == 2 else " "
        if isinstance(chars, str) and chars and pa.types.is_string(args[0].type):
            fn = {"BOTH": pc.utf8_trim, "LEADING": pc.utf8_ltrim,
                  "TRAILING": pc.utf8_rtrim}[d]
            return fn(args[0], chars)

        def f(s, chars=None):
            if chars is None:
                chars = b" " if isinstance(s, bytes) else " "
            if d == "BOTH":
                return s.strip(chars)
            if d == "LEADING":
                return s.lstrip(chars)
            return s.rstrip(chars)
        return rowwise(f, args, T.to_arrow(self.data_type))


def _trim_builder(name: str, direction: str):
    def build(args, call):
        arity(name, args, 1, 2)
        syntax = getattr(call, "trim_syntax", None)
        if len(args) == 2 and not syntax and name != "btrim":
            args = [args[1], args[0]]          # the function form is (trimStr, str)
        e = Trim(*args, display=name)
        e.direction = direction
        e.trim_syntax = len(args) == 2 and name != "btrim"
        return coerce(e)
    return build


builtin("trim", group="string_funcs")(_trim_builder("trim", "BOTH"))
builtin("ltrim", group="string_funcs")(_trim_builder("ltrim", "LEADING"))
builtin("rtrim", group="string_funcs")(_trim_builder("rtrim", "TRAILING"))
builtin("btrim", group="string_funcs")(_trim_builder("btrim", "BOTH"))


# ---------------------------------------------------------------------------- pad
class Pad(Fn):
    name = "lpad"
    input_types = (STR_OR_BIN, T.IntegerType(), STR_OR_BIN)

    @property
    def data_type(self):
        dt = self.children[0].data_type
        return dt if isinstance(dt, T.BinaryType) else STRING

    def evaluate(self, args, n):
        left = self.name == "lpad"
        length, pad = _lit(self, 1), _lit(self, 2)
        if (isinstance(length, int) and isinstance(pad, str) and len(pad) == 1
                and pa.types.is_string(args[0].type)):
            if length <= 0:
                return pc.if_else(pc.is_null(args[0]), pa.scalar(None, pa.string()), "")
            fn = pc.utf8_lpad if left else pc.utf8_rpad
            return pc.utf8_slice_codeunits(fn(args[0], length, pad), 0, length)

        def f(s, length, pad):
            spaces = length - len(s)
            if spaces <= 0 or len(pad) == 0:
                return s[:max(length, 0)]
            fill = (pad * (spaces // len(pad) + 1))[:spaces]
            return fill + s if left else s + fill
        return rowwise(f, args, T.to_arrow(self.data_type))


class RPad(Pad):
    name = "rpad"


def _pad_builder(cls):
    def build(args, call):
        arity(cls.name, args, 2, 3)
        if len(args) == 2:
            if isinstance(args[0].data_type, T.BinaryType):
                args = list(args) + [Literal(b"\x00", BINARY)]
            else:
                args = list(args) + [Literal(" ", STRING)]
        if isinstance(args[0].data_type, T.BinaryType) and not isinstance(
                args[2].data_type, T.BinaryType):
            args = [cast(args[0], STRING)] + list(args[1:])
        return coerce(cls(*args))
    return build


builtin("lpad", group="string_funcs")(_pad_builder(Pad))
builtin("rpad", group="string_funcs")(_pad_builder(RPad))


# ---------------------------------------------------------------------------- search
class Locate(Fn):
    """locate(substr, str, pos) / position: 1-based, 0 when absent."""
    name = "locate"
    input_types = (T.StringType(), T.StringType(), T.IntegerType())
    result_type = INT
    null_intolerant = False

    def evaluate(self, args, n):
        def f(sub, s, pos):
            if pos is None:
                return 0
            if sub is None or s is None:
                return None
            if pos < 1:
                return 0
            if not sub:
                return 1          # UTF8String.indexOf of an empty string is 0
            # positions count characters
            return s.find(sub, pos - 1) + 1 if pos - 1 <= len(s) else 0
        return rowwise_nullable(f, args, pa.int32())


@builtin("locate", "position", group="string_funcs")
def _locate(args, call):
    name = called(call, "locate")
    arity(name, args, 2, 3)
    if len(args) == 2:
        args = list(args) + [Literal(1, INT)]
    return coerce(Locate(*args, display=name))


class Instr(Fn):
    name = "instr"
    input_types = (T.StringType(), T.StringType())
    result_type = INT

    def evaluate(self, args, n):
        sub = _lit(self, 1)
        if isinstance(sub, str) and sub and _all_ascii(args[0]):
            return pc.add(pc.find_substring(args[0], sub), 1).cast(pa.int32())
        return rowwise(lambda s, sub: s.find(sub) + 1, args, pa.int32())


def _all_ascii(arr: pa.Array) -> bool:
    """True when byte offsets equal character offsets (every value ASCII)."""
    return pa.types.is_string(arr.type) and pc.all(
        pc.fill_null(pc.string_is_ascii(arr), True)).as_py() is not False


@builtin("instr", group="string_funcs")
def _instr(args, call):
    arity("instr", args, 2)
    return coerce(Instr(*args))


class StringPredicate(Fn):
    """contains / startswith / endswith over strings or binaries."""
    name = "contains"
    input_types = (STR_OR_BIN, STR_OR_BIN)
    result_type = BOOLEAN

    def evaluate(self, args, n):
        pat = _lit(self, 1)
        if isinstance(pat, str) and pa.types.is_string(args[0].type):
            fn = {"contains": pc.match_substring, "startswith": pc.starts_with,
                  "endswith": pc.ends_with}[self.name]
            return fn(args[0], pat)
        op = {"contains": lambda a, b: b in a, "startswith": lambda a, b: a.startswith(b),
              "endswith": lambda a, b: a.endswith(b)}[self.name]
        return rowwise(op, args, pa.bool_())


def _predicate_builder(name):
    cls = type(name.capitalize(), (StringPredicate,), {"name": name})

    def build(args, call):
        arity(name, args, 2)
        if any(isinstance(a.data_type, T.BinaryType) for a in args) and not all(
                isinstance(a.data_type, (T.BinaryType, T.NullType)) for a in args):
            args = [a if _s(a.data_type) else cast(a, STRING) for a in args]
        elif all(isinstance(a.data_type, (T.BinaryType, T.NullType)) for a in args):
            args = [cast(a, BINARY) for a in args]
        return coerce(cls(*args))
    return build


for _n in ("contains", "startswith", "endswith"):
    builtin(_n, group="string_funcs")(_predicate_builder(_n))


class FindInSet(Fn):
    name = "find_in_set"
    input_types = (T.StringType(), T.StringType())
    result_type = INT

    def evaluate(self, args, n):
        def f(s, lst):
            if "," in s:
                return 0
            parts = lst.split(",")
            return parts.index(s) + 1 if s in parts else 0
        return rowwise(f, args, pa.int32())


@builtin("find_in_set", group="string_funcs")
def _find_in_set(args, call):
    arity("find_in_set", args, 2)
    return coerce(FindInSet(*args))


# ---------------------------------------------------------------------------- replace
class Replace(Fn):
    name = "replace"
    input_types = (T.StringType(), T.StringType(), T.StringType())
    result_type = STRING

    def evaluate(self, args, n):
        search, rep = _lit(self, 1), _lit(self, 2)
        if isinstance(search, str) and search and isinstance(rep, str):
            return pc.replace_substring(args[0], search, rep)
        return rowwise(lambda s, a, b: s.replace(a, b) if a else s, args, pa.string())


@builtin("replace", group="string_funcs")
def _replace(args, call):
    arity("replace", args, 2, 3)
    if len(args) == 2:
        args = list(args) + [Literal("", STRING)]
    return coerce(Replace(*args))


class Translate(Fn):
    name = "translate"
    input_types = (T.StringType(), T.StringType(), T.StringType())
    result_type = STRING

    def evaluate(self, args, n):
        def f(s, src, dst):
            table: Dict[int, Optional[str]] = {}
            for i, ch in enumerate(src):
                if ord(ch) not in table:
                    table[ord(ch)] = dst[i] if i < len(dst) else None
            return s.translate(table)
        return rowwise(f, args, pa.string())


@builtin("translate", group="string_funcs")
def _translate(args, call):
    arity("translate", args, 3)
    return coerce(Translate(*args))


class Overlay(Fn):
    name = "overlay"
    input_types = (STR_OR_BIN, STR_OR_BIN, T.IntegerType(), T.IntegerType())

    @property
    def data_type(self):
        dt = self.children[0].data_type
        return dt if isinstance(dt, T.BinaryType) else STRING

    def evaluate(self, args, n):
        def f(s, rep, pos, length):
            if length < 0:
                length = len(rep)
            return (substring_sql(s, 1, pos - 1) + rep +
                    substring_sql(s, pos + length, _INT_MAX))
        return rowwise(f, args, T.to_arrow(self.data_type))


@builtin("overlay", group="string_funcs")
def _overlay(args, call):
    arity("overlay", args, 3, 4)
    if len(args) == 3:
        args = list(args) + [Literal(-1, INT)]
    return coerce(Overlay(*args))


# ---------------------------------------------------------------------------- repeat etc.
class Repeat(Fn):
    name = "repeat"
    input_types = (T.StringType(), T.IntegerType())
    result_type = STRING

    def evaluate(self, args, n):
        return rowwise(lambda s, k: s * max(k, 0), args, pa.string())


@builtin("repeat", group="string_funcs")
def _repeat(args, call):
    arity("repeat", args, 2)
    return coerce(Repeat(*args))


class Reverse(Fn):
    name = "reverse"

    @property
    def data_type(self):
        dt = self.children[0].data_type
        return dt if isinstance(dt, (T.ArrayType, T.BinaryType)) else STRING

    def expected_types(self):
        dt = self.children[0].data_type
        if isinstance(dt, (T.ArrayType, T.BinaryType)):
            return [None]
        return [T.StringType()]

    def evaluate(self, args, n):
        return rowwise(lambda s: s[::-1], args, T.to_arrow(self.data_type))


@builtin("reverse", group="collection_funcs")
def _reverse(args, call):
    arity("reverse", args, 1)
    return coerce(Reverse(*args))


class Space(Fn):
    name = "space"
    input_types = (T.IntegerType(),)
    result_type = STRING

    def evaluate(self, args, n):
        return rowwise(lambda k: " " * max(k, 0), args, pa.string())


@builtin("space", group="string_funcs")
def _space(args, call):
    arity("space", args, 1)
    return coerce(Space(*args))


class Ascii(Fn):
    name = "ascii"
    input_types = (T.StringType(),)
    result_type = INT

    def evaluate(self, args, n):
        return rowwise(lambda s: ord(s[0]) if s else 0, args, pa.int32())


@builtin("ascii", group="string_funcs")
def _ascii(args, call):
    arity("ascii", args, 1)
    return coerce(Ascii(*args))


class Chr(Fn):
    name = "char"
    input_types = (T.LongType(),)
    result_type = STRING

    def evaluate(self, args, n):
        def f(k):
            if k < 0:
                return ""
            k &= 0xFF
            return "\x00" if k == 0 else chr(k)
        return rowwise(f, args, pa.string())


@builtin("char", "chr", group="string_funcs")
def _chr(args, call):
    name = called(call, "char")
    arity(name, args, 1)
    return coerce(Chr(*args, display=name))


class Base64(Fn):
    name = "base64"
    input_types = (T.BinaryType(),)
    result_type = STRING

    def evaluate(self, args, n):
        return rowwise(lambda b: base64.b64encode(b).decode("ascii"), args, pa.string())


class UnBase64(Fn):
    name = "unbase64"
    input_types = (T.StringType(),)
    result_type = BINARY

    def evaluate(self, args, n):
        def f(s):
            try:
                return base64.b64decode(s + "=" * (-len(s) % 4))
            except Exception as err:
                raise SparkRuntimeException(
                    "INVALID_PARAMETER_VALUE.BINARY_FORMAT", parameter="`str`",
                    functionName="`unbase64`", invalidFormat="base64") from err
        return rowwise(f, args, pa.binary())


@builtin("base64", group="string_funcs")
def _base64(args, call):
    arity("base64", args, 1)
    return coerce(Base64(*args))


@builtin("unbase64", group="string_funcs")
def _unbase64(args, call):
    arity("unbase64", args, 1)
    return coerce(UnBase64(*args))


class Elt(Fn):
    name = "elt"
    null_intolerant = False

    @property
    def data_type(self):
        t = self.children[1].data_type if len(self.children) > 1 else STRING
        return t if isinstance(t, T.BinaryType) else STRING

    def evaluate(self, args, n):
        def f(idx, *vals):
            if idx is None:
                return None
            if idx < 1 or idx > len(vals):
                raise SparkRuntimeException("INVALID_ARRAY_INDEX", indexValue=str(idx),
                                            arraySize=str(len(vals)),
                                            ansiConfig='"spark.sql.ansi.enabled"')
            return vals[idx - 1]
        return rowwise_nullable(f, args, T.to_arrow(self.data_type))


@builtin("elt", group="string_funcs")
def _elt(args, call):
    arity_at_least("elt", args, 2)
    idx = args[0] if isinstance(args[0].data_type, T.IntegerType) else cast(args[0], INT)
    vals = list(args[1:])
    if not all(isinstance(v.data_type, T.BinaryType) for v in vals):
        vals = [v if _s(v.data_type) else cast(v, STRING) for v in vals]
    return Elt(idx, *vals)


class Levenshtein(Fn):
    name = "levenshtein"
    input_types = (T.StringType(), T.StringType(), T.IntegerType())
    result_type = INT

    def evaluate(self, args, n):
        def dist(a, b, threshold=None):
            prev = list(range(len(b) + 1))
            for i, ca in enumerate(a, 1):
                cur = [i] + [0] * len(b)
                for j, cb in enumerate(b, 1):
                    cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb))
                prev = cur
            d = prev[-1]
            if threshold is not None and d > threshold:
                return -1
            return d
        return rowwise(dist, args, pa.int32())


@builtin("levenshtein", group="string_funcs")
def _levenshtein(args, call):
    arity("levenshtein", args, 2, 3)
    e = Levenshtein(*args)
    if len(args) == 2:
        e.input_types = e.input_types[:2]
    return coerce(e)


class Soundex(Fn):
    name = "soundex"
    input_types = (T.StringType(),)
    result_type = STRING

    def evaluate(self, args, n):
        codes = {}
        for letters, d in (("BFPV", "1"), ("CGJKQSXZ", "2"), ("DT", "3"), ("L", "4"),
                           ("MN", "5"), ("R", "6")):
            for ch in letters:
                codes[ch] = d

        def f(s):
            if not s or not ("A" <= s[0].upper() <= "Z"):
                return s
            up = s.upper()
            out = up[0]
            last = codes.get(up[0], "0")
            for ch in up[1:]:
                c = codes.get(ch)
                if c is None:
                    if ch not in "HW":
                        last = "0"
                    continue
                if c != last:
                    out += c
                    if len(out) == 4:
                        break
                last = c
            return (out + "000")[:4]
        return rowwise(f, args, pa.string())


@builtin("soundex", group="string_funcs")
def _soundex(args, call):
    arity("soundex", args, 1)
    return coerce(Soundex(*args))


class Quote(Fn):
    name = "quote"
    input_types = (T.StringType(),)
    result_type = STRING
    null_intolerant = False

    def evaluate(self, args, n):
        return rowwise_nullable(
            lambda s: "NULL" if s is None else "'" + s.replace("'", "\\'") + "'", args,
            pa.string())


@builtin("quote", group="string_funcs")
def _quote(args, call):
    arity("quote", args, 1)
    return coerce(Quote(*args))


class LuhnCheck(Fn):
    name = "luhn_check"
    input_types = (T.StringType(),)
    result_type = BOOLEAN

    def evaluate(self, args, n):
        def f(s):
            if not s or not s.isdigit():
                return False
            total = 0
            for i, ch in enumerate(reversed(s)):
                d = int(ch)
                if i % 2 == 1:
                    d *= 2
                    if d > 9:
                        d -= 9
                total += d
            return total % 10 == 0
        return rowwise(f, args, pa.bool_())


@builtin("luhn_check", group="string_funcs")
def _luhn_check(args, call):
    arity("luhn_check", args, 1)
    return coerce(LuhnCheck(*args))


class Mask(Fn):
    name = "mask"
    input_types = (T.StringType(),) + (T.StringType(),) * 4
    result_type = STRING
    null_intolerant = False

    @property
    def nullable(self):
        return self.children[0].nullable

    def evaluate(self, args, n):
        def f(s, up, low, dig, other):
            if s is None:
                return None
            out = []
            for ch in s:
                if "A" <= ch <= "Z" and up is not None:
                    out.append(up)
                elif "a" <= ch <= "z" and low is not None:
                    out.append(low)
                elif "0" <= ch <= "9" and dig is not None:
                    out.append(dig)
                elif not ch.isalnum() and other is not None:
                    out.append(other)
                elif not ("A" <= ch <= "Z" or "a" <= ch <= "z" or "0" <= ch <= "9") and \
                        other is not None:
                    out.append(other)
                else:
                    out.append(ch)
            return "".join(out)
        return rowwise_nullable(f, args, pa.string())


@builtin("mask", group="string_funcs")
def _mask(args, call):
    arity("mask", args, 1, 2, 3, 4, 5)
    defaults = [Literal("X", STRING), Literal("x", STRING), Literal("n", STRING),
                Literal(None, STRING)]
    args = list(args) + defaults[len(args) - 1:]
    return coerce(Mask(*args))


class Collation(Fn):
    name = "collation"
    input_types = (T.StringType(),)
    result_type = STRING

    @property
    def nullable(self):
        return False

    @property
    def foldable(self):
        return True

    def evaluate(self, args, n):
        return pa.array(["SYSTEM.BUILTIN.UTF8_BINARY"] * n, pa.string())


@builtin("collation", group="string_funcs")
def _collation(args, call):
    arity("collation", args, 1)
    return coerce(Collation(*args))


from ember.engine.functions import string_regex  # noqa: F401,E402  (split, regexp_*, LIKE)
from ember.engine.functions import string_format  # noqa: F401,E402  (format_*, encode, utf8)
from ember.engine.functions import number_format  # noqa: F401,E402  (to_number, to_char, to_binary)
from ember.engine.functions import url_hash  # noqa: F401,E402  (url_funcs, hash_funcs)
from ember.engine.functions import hash_funcs  # noqa: F401,E402  (hash, xxhash64)
