"""VARIANT functions: parse_json, try_parse_json, to_variant_object, variant_get,
try_variant_get, is_variant_null, is_valid_variant, schema_of_variant, schema_of_variant_agg,
and casts to and from VARIANT.

Representation: a VARIANT value is an Arrow string holding a *tagged* JSON text that keeps
Spark's variant value types apart (Python model: None = variant null, bool, int = BIGINT,
decimal.Decimal = DECIMAL (trailing zeros stripped, as Spark stores them), float = DOUBLE,
str, list, dict with sorted keys):
  - integers are written as digits, decimals always with a '.' ("1.0" is the decimal 1),
  - doubles always with an exponent ("2.0e0"), NaN / Infinity as Python's json writes them.
`to_json_text` renders Spark's own text form (what the CLI and CAST(v AS STRING) print).
"""
from __future__ import annotations

import decimal
import json
from typing import Any, List, Optional

import numpy as np
import pyarrow as pa

from ember import types as T
from ember._java import java_double_str
from ember.catalog.functions import builtin
from ember.errors import AnalysisException, EmberException, SparkRuntimeException
from ember.optimizer.expressions import Literal
from ember.engine.functions.collections import CollectionFunction, arity

_CTX = decimal.Context(prec=200)
_LONG_MIN, _LONG_MAX = -(1 << 63), (1 << 63) - 1


def _q(s: str) -> str:
    return '"' + s + '"'


# ---------------------------------------------------------------------------- value model
def _norm_decimal(d: decimal.Decimal):
    """Spark stores a JSON decimal with its trailing zeros stripped (scale >= 0)."""
    if d == 0:
        return decimal.Decimal(0)
    d = d.normalize(_CTX)
    if d.as_tuple().exponent > 0:
        d = d.quantize(decimal.Decimal(1), context=_CTX)
    return d


def _dec_precision(d: decimal.Decimal):
    t = d.as_tuple()
    scale = max(0, -t.exponent)
    digits = len(t.digits) if d != 0 else 1
    return max(digits, scale), scale


def _parse_int(s: str):
    v = int(s)
    if _LONG_MIN <= v <= _LONG_MAX:
        return v
    if len(s.lstrip("-")) <= 38:
        return decimal.Decimal(v)
    return float(s)


def _parse_float(s: str):
    if "e" in s or "E" in s:
        return float(s)
    d = _norm_decimal(decimal.Decimal(s))
    if _dec_precision(d)[0] > 38:
        return float(s)
    return d


class _Malformed(ValueError):
    pass


def _object(pairs):
    out = {}
    for k, v in pairs:
        if k in out:
            raise _Malformed("duplicate key")
        out[k] = v
    return {k: out[k] for k in sorted(out)}


def _reject_constant(name):
    raise _Malformed(name)


def parse_text(text: str):
    """The variant value of JSON `text` (parse_json); raises _Malformed."""
    try:
        return json.loads(text, parse_int=_parse_int, parse_float=_parse_float,
                          parse_constant=_reject_constant, object_pairs_hook=_object)
    except (ValueError, RecursionError) as e:
        raise _Malformed(str(e)) from None


def decode(text: Optional[str]):
    """A stored (tagged) variant text back to the Python model."""
    return json.loads(text, parse_int=_parse_int, parse_float=_parse_float,
                      object_pairs_hook=_object)


def encode(v) -> str:
    """The Python model to the stored (tagged) text."""
    if v is None:
        return "null"
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, decimal.Decimal):
        s = format(v, "f")
        return s if "." in s else s + ".0"
    if isinstance(v, float):
        if v != v or v in (float("inf"), float("-inf")):
            return json.dumps(v)
        r = repr(v)
        return r if ("e" in r or "E" in r) else r + "e0"
    if isinstance(v, str):
        return json.dumps(v, ensure_ascii=False)
    if isinstance(v, list):
        return "[" + ",".join(encode(x) for x in v) + "]"
    if isinstance(v, dict):
        return "{" + ",".join(json.dumps(k, ensure_ascii=False) + ":" + encode(v[k])
                              for k in sorted(v)) + "}"
    return json.dumps(str(v), ensure_ascii=False)


_ESC = {'"': '\\"', "\\": "\\\\", "\n": "\\n", "\r": "\\r", "\t": "\\t", "\b": "\\b",
        "\f": "\\f"}


def _json_string(s: str) -> str:
    """A JSON string literal as Jackson writes it."""
    out = []
    for ch in s:
        e = _ESC.get(ch)
        if e is not None:
            out.append(e)
        elif ord(ch) < 0x20:
            out.append("\\u%04X" % ord(ch))
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


def to_json_text(v) -> str:
    """Spark's Variant.toJson text of a value of the Python model."""
    if v is None:
        return "null"
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, decimal.Decimal):
        return format(v, "f")
    if isinstance(v, float):
        if v != v or v in (float("inf"), float("-inf")):
            return '"' + java_double_str(v) + '"'
        return java_double_str(v)
    if isinstance(v, str):
        return _json_string(v)
    if isinstance(v, list):
        return "[" + ",".join(to_json_text(x) for x in v) + "]"
    if isinstance(v, dict):
        return "{" + ",".join(_json_string(k) + ":" + to_json_text(v[k])
                              for k in sorted(v)) + "}"
    return _json_string(str(v))


def display(text: Optional[str]) -> str:
    """The text form of a stored variant (used by result_format)."""
    return to_json_text(decode(text))


# ---------------------------------------------------------------------------- SQL <-> variant
def from_sql(v, dt: T.DataType, tz: str = "UTC"):
    """A SQL value (as Arrow's to_pylist gives it) to the variant model."""
    if v is None:
        return None
    if isinstance(dt, T.VariantType):
        return decode(v)
    if isinstance(dt, T.StructType):
        vals = [v.get(f.name) for f in dt.fields] if isinstance(v, dict) else list(v)
        return _object([(f.name, from_sql(x, f.dataType, tz)) for f, x in zip(dt.fields, vals)])
    if isinstance(dt, T.MapType):
        items = v.items() if isinstance(v, dict) else v
        return _object([(str(k), from_sql(x, dt.valueType, tz)) for k, x in items])
    if isinstance(dt, T.ArrayType):
        return [from_sql(x, dt.elementType, tz) for x in v]
    if isinstance(dt, T.BooleanType):
        return bool(v)
    if isinstance(dt, T.IntegralType):
        return int(v)
    if isinstance(dt, (T.FloatType, T.DoubleType)):
        return float(v)
    if isinstance(dt, T.DecimalType):
        return _norm_decimal(decimal.Decimal(v))
    if isinstance(dt, T.StringType):
        return str(v)
    from ember.engine.result_format import hive_value
    return hive_value(v, dt, tz)


def _source_type(v):
    if isinstance(v, bool):
        return T.BooleanType()
    if isinstance(v, int):
        return T.LongType()
    if isinstance(v, decimal.Decimal):
        p, s = _dec_precision(v)
        return T.DecimalType(p, s)
    if isinstance(v, float):
        return T.DoubleType()
    if isinstance(v, str):
        return T.StringType()
    return None


class _CastFailed(Exception):
    pass


def to_sql(v, dt: T.DataType, ctx):
    """A variant value to a SQL value of `dt` (Python form); raises _CastFailed."""
    if isinstance(dt, T.VariantType):
        return encode(v)
    if v is None:
        return None
    if isinstance(dt, T.StringType):
        return v if isinstance(v, str) else to_json_text(v)
    if isinstance(dt, T.StructType):
        if not isinstance(v, dict):
            raise _CastFailed()
        return {f.name: to_sql(v.get(f.name), f.dataType, ctx) for f in dt.fields}
    if isinstance(dt, T.MapType):
        if not isinstance(v, dict) or not isinstance(dt.keyType, T.StringType):
            raise _CastFailed()
        return [(k, to_sql(x, dt.valueType, ctx)) for k, x in v.items()]
    if isinstance(dt, T.ArrayType):
        if not isinstance(v, list):
            raise _CastFailed()
        return [to_sql(x, dt.elementType, ctx) for x in v]
    src = _source_type(v)
    if src is None:
        raise _CastFailed()
    from ember.engine.cast import cast_array
    try:
        arr = pa.array([v], type=T.to_arrow(src))
        out = cast_array(arr, src, dt, "ansi", ctx)
    except (EmberException, ArithmeticError, ValueError, TypeError, OverflowError):
        raise _CastFailed() from None
    if out.null_count:
        raise _CastFailed()
    if isinstance(dt, (T.TimestampType, T.TimestampNTZType, T.DateType)):
        return out[0].value
    return out.to_pylist()[0]


def _arrow_values(values: list, dt: T.DataType) -> pa.Array:
    at = T.to_arrow(dt)
    if isinstance(dt, (T.TimestampType, T.TimestampNTZType)):
        return pa.array(values, type=pa.int64()).cast(at)
    if isinstance(dt, T.DateType):
        return pa.array(values, type=pa.int32()).cast(at)
    return pa.array(values, type=at)


def _ctx():
    from ember.conf import active_conf
    return active_conf()


def cast_variant(arr: pa.Array, src: T.DataType, to: T.DataType, mode: str, ctx) -> pa.Array:
    """CAST to or from VARIANT (called by engine.cast.cast_array)."""
    vals = arr.to_pylist() if not isinstance(
        src, (T.TimestampType, T.TimestampNTZType, T.DateType)) else \
        arr.cast(pa.int64() if not isinstance(src, T.DateType) else pa.int32()).to_pylist()
    tz = getattr(ctx, "time_zone", "UTC")
    if isinstance(to, T.VariantType):
        return pa.array([None if x is None else encode(from_sql(x, src, tz)) for x in vals],
                        type=pa.string())
    out = []
    for x in vals:
        if x is None:
            out.append(None)
            continue
        v = decode(x)
        try:
            out.append(to_sql(v, to, ctx))
        except _CastFailed:
            if str(mode).upper() == "TRY":
                out.append(None)
            else:
                raise SparkRuntimeException("INVALID_VARIANT_CAST", value=to_json_text(v),
                                            dataType=_q(to.sql())) from None
    return _arrow_values(out, to)


# ---------------------------------------------------------------------------- paths
def parse_path(path: str, fn: str):
    """`$`, then `.name`, `['name']`, `["name"]` or `[123]` segments."""
    def bad():
        return SparkRuntimeException("INVALID_VARIANT_GET_PATH", path=path,
                                     functionName=f"`{fn}`")
    if not path.startswith("$"):
        raise bad()
    segs: List[Any] = []
    i, n = 1, len(path)
    while i < n:
        c = path[i]
        if c == ".":
            j = i + 1
            while j < n and path[j] not in ".[":
                j += 1
            if j == i + 1:
                raise bad()
            segs.append(path[i + 1:j])
            i = j
        elif c == "[":
            if i + 1 < n and path[i + 1] in "'\"":
                q = path[i + 1]
                j = path.find(q + "]", i + 2)
                if j < 0:
                    raise bad()
                segs.append(path[i + 2:j])
                i = j + 2
            else:
                j = path.find("]", i)
                if j < 0 or not path[i + 1:j].isdigit():
                    raise bad()
                segs.append(int(path[i + 1:j]))
                i = j + 1
        else:
            raise bad()
    return segs


_MISSING = object()


def walk(v, segs):
    for s in segs:
        if isinstance(s, int):
            if not isinstance(v, list) or s >= len(v):
                return _MISSING
            v = v[s]
        else:
            if not isinstance(v, dict) or s not in v:
                return _MISSING
            v = v[s]
    return v


# ---------------------------------------------------------------------------- functions
def _require_variant(name, args, i):
    a = args[i]
    if not isinstance(a.data_type, T.VariantType):
        from ember.engine.functions.aggregates_more import _type_error
        raise _type_error(name, args, i, '"VARIANT"')
    return a


def _string_arg(name, args, i):
    from ember.optimizer.analyzer.type_coercion import cast
    a = args[i]
    if isinstance(a.data_type, T.NullType):
        return cast(a, T.StringType())
    if not isinstance(a.data_type, T.StringType):
        from ember.engine.functions.aggregates_more import _type_error
        raise _type_error(name, args, i, '"STRING"')
    return a


class ParseJson(CollectionFunction):
    def __init__(self, child, name="parse_json", try_=False):
        super().__init__(child)
        self.name = name
        self.try_ = try_

    def _fields(self):
        return (self.name, self.try_)

    @property
    def data_type(self):
        return T.VariantType()

    @property
    def nullable(self):
        return True if self.try_ else self.children[0].nullable

    def row(self, text):
        try:
            return encode(parse_text(text))
        except _Malformed:
            if self.try_:
                return None
            raise SparkRuntimeException("MALFORMED_RECORD_IN_PARSING.WITHOUT_SUGGESTION",
                                        badRecord=text, failFastMode="FAILFAST") from None


@builtin("parse_json", "try_parse_json", group="variant_funcs")
def _parse_json(args, call):
    name = _call_name(call, "parse_json")
    arity(name, args, 1)
    return ParseJson(_string_arg(name, args, 0), name=name, try_=name == "try_parse_json")


def _call_name(call, default):
    parts = getattr(call, "name_parts", None)
    return parts[-1].lower() if parts else default


class VariantPredicate(CollectionFunction):
    """is_variant_null (NULL input: false) and is_valid_variant (NULL input: NULL)."""

    def __init__(self, child, name):
        super().__init__(child)
        self.name = name

    def _fields(self):
        return (self.name,)

    @property
    def data_type(self):
        return T.BooleanType()

    @property
    def nullable(self):
        return self.name != "is_variant_null" and self.children[0].nullable

    def null_result(self, values):
        return self.name != "is_variant_null" and values[0] is None

    def row(self, text):
        if self.name == "is_variant_null":
            return text is not None and decode(text) is None
        return True


@builtin("is_variant_null", "is_valid_variant", group="variant_funcs")
def _predicates(args, call):
    name = _call_name(call, "is_variant_null")
    arity(name, args, 1)
    return VariantPredicate(_require_variant(name, args, 0), name)


class VariantGet(CollectionFunction):
    """variant_get / try_variant_get: children are (variant, path); the target type is a
    parameter, so Spark's column name leaves it out."""

    def __init__(self, child, path_expr, segs, to, name="variant_get"):
        super().__init__(child, path_expr)
        self.segs = tuple(segs)
        self.to = to
        self.name = name

    def _fields(self):
        return (self.name, self.segs, self.to)

    @property
    def data_type(self):
        return self.to

    @property
    def nullable(self):
        return True

    def null_result(self, values):
        return values[0] is None

    def evaluate(self, args, num_rows):
        texts = args[0].to_pylist()
        ctx = _ctx()
        out = []
        for t in texts:
            if t is None:
                out.append(None)
                continue
            v = walk(decode(t), self.segs)
            if v is _MISSING:
                out.append(None)
                continue
            try:
                out.append(to_sql(v, self.to, ctx))
            except _CastFailed:
                if self.name == "try_variant_get":
                    out.append(None)
                else:
                    raise SparkRuntimeException("INVALID_VARIANT_CAST", value=to_json_text(v),
                                                dataType=_q(self.to.sql())) from None
        return _arrow_values(out, self.to)


def _constant_string(e, what):
    from ember.engine.functions.aggregates_more import _constant
    if not e.foldable:
        raise AnalysisException("DATATYPE_MISMATCH.NON_FOLDABLE_INPUT", inputName=f"`{what}`",
                                inputType=_q(e.data_type.sql()), inputExpr=_q(e.pretty_sql()),
                                sqlExpr=_q(e.pretty_sql()))
    return _constant(e)


@builtin("variant_get", "try_variant_get", group="variant_funcs")
def _variant_get(args, call):
    name = _call_name(call, "variant_get")
    arity(name, args, 2, 3)
    v = _require_variant(name, args, 0)
    path_e = _string_arg(name, args, 1)
    path = _constant_string(path_e, "path")
    to: T.DataType = T.VariantType()
    if len(args) == 3:
        type_text = _constant_string(_string_arg(name, args, 2), "targetType")
        from ember.parser import parse_data_type
        to = parse_data_type(str(type_text))
    if path is None:
        return Literal(None, to)
    segs = parse_path(str(path), name)
    return VariantGet(v, args[1], segs, to, name=name)


class ToVariantObject(CollectionFunction):
    name = "to_variant_object"

    @property
    def data_type(self):
        return T.VariantType()

    def row(self, value):
        return encode(from_sql(value, self.children[0].data_type, _ctx().time_zone))


@builtin("to_variant_object", group="variant_funcs")
def _to_variant_object(args, call):
    arity("to_variant_object", args, 1)
    a = args[0]
    if not isinstance(a.data_type, (T.ArrayType, T.MapType, T.StructType)):
        raise AnalysisException("DATATYPE_MISMATCH.CAST_WITHOUT_SUGGESTION",
                                sqlExpr=_q(f"to_variant_object({a.pretty_sql()})"),
                                srcType=_q(a.data_type.sql()), targetType='"VARIANT"')
    return ToVariantObject(a)


# ---------------------------------------------------------------------------- schemas
# A variant schema: ("VOID",), ("BOOLEAN",), ("BIGINT",), ("DECIMAL", p, s), ("DOUBLE",),
# ("STRING",), ("VARIANT",), ("ARRAY", elem), ("OBJECT", {name: schema})
def schema_of(v):
    if v is None:
        return ("VOID",)
    if isinstance(v, bool):
        return ("BOOLEAN",)
    if isinstance(v, int):
        return ("BIGINT",)
    if isinstance(v, decimal.Decimal):
        return ("DECIMAL",) + _dec_precision(v)
    if isinstance(v, float):
        return ("DOUBLE",)
    if isinstance(v, str):
        return ("STRING",)
    if isinstance(v, list):
        elem = ("VOID",)
        for x in v:
            elem = merge(elem, schema_of(x))
        return ("ARRAY", elem)
    return ("OBJECT", {k: schema_of(x) for k, x in v.items()})


def _as_decimal(s):
    if s[0] == "BIGINT":
        return (20, 0)
    if s[0] == "DECIMAL":
        return (s[1], s[2])
    return None


def merge(a, b):
    if a[0] == "VOID":
        return b
    if b[0] == "VOID":
        return a
    if a == b:
        return a
    if a[0] == "OBJECT" and b[0] == "OBJECT":
        keys = sorted(set(a[1]) | set(b[1]))
        return ("OBJECT", {k: merge(a[1].get(k, ("VOID",)), b[1].get(k, ("VOID",)))
                           for k in keys})
    if a[0] == "ARRAY" and b[0] == "ARRAY":
        return ("ARRAY", merge(a[1], b[1]))
    da, db = _as_decimal(a), _as_decimal(b)
    if da and db:
        scale = max(da[1], db[1])
        whole = max(da[0] - da[1], db[0] - db[1])
        if whole + scale > 38:
            return ("DOUBLE",)
        return ("DECIMAL", whole + scale, scale)
    if (da or a[0] == "DOUBLE") and (db or b[0] == "DOUBLE"):
        return ("DOUBLE",)
    return ("VARIANT",)


def schema_text(s) -> str:
    if s[0] == "DECIMAL":
        return f"DECIMAL({s[1]},{s[2]})"
    if s[0] == "ARRAY":
        return f"ARRAY<{schema_text(s[1])}>"
    if s[0] == "OBJECT":
        return "OBJECT<" + ", ".join(f"{k}: {schema_text(x)}"
                                     for k, x in sorted(s[1].items())) + ">"
    return s[0]


class SchemaOfVariant(CollectionFunction):
    name = "schema_of_variant"

    @property
    def data_type(self):
        return T.StringType()

    def row(self, text):
        return schema_text(schema_of(decode(text)))


@builtin("schema_of_variant", group="variant_funcs")
def _schema_of_variant(args, call):
    arity("schema_of_variant", args, 1)
    return SchemaOfVariant(_require_variant("schema_of_variant", args, 0))


@builtin("schema_of_variant_agg", kind="aggregate", group="variant_funcs")
def _schema_of_variant_agg(args, call):
    from ember.engine.functions.aggregates_more import _agg
    arity("schema_of_variant_agg", args, 1)
    v = _require_variant("schema_of_variant_agg", args, 0)
    return _agg("schema_of_variant_agg", call, "schema_of_variant_agg", [v], T.StringType(),
                name="schema_of_variant_agg")


def _register_agg():
    from ember.engine.functions.aggregates_more import kind

    @kind("schema_of_variant_agg")
    def _impl(f, args, ids, n_groups, mask, ctx):
        texts = args[0].to_pylist()
        acc = [None] * n_groups
        for r in np.nonzero(mask)[0]:
            t = texts[r]
            if t is None:
                continue
            g = int(ids[r])
            s = schema_of(decode(t))
            acc[g] = s if acc[g] is None else merge(acc[g], s)
        return pa.array([None if s is None else schema_text(s) for s in acc], type=pa.string())


_register_agg()


def _variant_type_ok(dt: T.DataType, structs_and_maps: bool) -> bool:
    """Spark's VariantGet.checkDataType."""
    if isinstance(dt, T.ArrayType):
        return _variant_type_ok(dt.elementType, structs_and_maps)
    if isinstance(dt, T.StructType):
        return structs_and_maps and all(_variant_type_ok(f.dataType, True) for f in dt.fields)
    if isinstance(dt, T.MapType):
        return structs_and_maps and isinstance(dt.keyType, T.StringType) and \
            _variant_type_ok(dt.valueType, True)
    return isinstance(dt, (T.BooleanType, T.NumericType, T.StringType, T.BinaryType,
                           T.DateType, T.TimestampType, T.TimestampNTZType, T.VariantType,
                           T.NullType))


def can_cast_variant(src: T.DataType, to: T.DataType) -> bool:
    if isinstance(to, T.VariantType):
        return _variant_type_ok(src, False)
    return _variant_type_ok(to, True)
