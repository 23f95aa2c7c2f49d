"""JSON functions: to_json, from_json, get_json_object, json_tuple, schema_of_json,
json_array_length, json_object_keys. Parsing uses Python's json module; nested values map to
and from Arrow through Python values."""
from __future__ import annotations

import datetime as _dt
import decimal
import json
import re

import numpy as np
import pyarrow as pa

from ember import types as T
from ember.catalog.functions import builtin
from ember.errors import AnalysisException
from ember.optimizer.expressions import Literal
from ember.optimizer.analyzer.type_coercion import cast
from ember.engine.functions.collections import (CollectionFunction, _call_sql, _q, arity,
                                                to_arrow_values)
from ember.engine.functions.generators import Generator


def _loads(text):
    try:
        return json.loads(text, parse_float=decimal.Decimal)
    except (ValueError, TypeError, RecursionError):
        return _INVALID


_INVALID = object()


def _dumps(v) -> str:
    """Compact JSON text, numbers as written."""
    if v is None:
        return "null"
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, (int, decimal.Decimal)):
        return str(v)
    if isinstance(v, float):
        return repr(v)
    if isinstance(v, str):
        return json.dumps(v, ensure_ascii=False)
    if isinstance(v, list):
        return "[" + ",".join(_dumps(x) for x in v) + "]"
    if isinstance(v, dict):
        return "{" + ",".join(json.dumps(k, ensure_ascii=False) + ":" + _dumps(x)
                              for k, x in v.items()) + "}"
    return json.dumps(str(v))


# ---------------------------------------------------------------------------- options
def _options(e) -> dict:
    """The options map argument (a map(...) of string literals)."""
    if e is None:
        return {}
    kids = getattr(e, "children", ())
    if getattr(e, "name", "") == "map" and all(isinstance(k, Literal) for k in kids):
        return {str(kids[i].value): str(kids[i + 1].value) for i in range(0, len(kids), 2)}
    raise AnalysisException("INVALID_OPTIONS.NON_MAP_FUNCTION")


_JAVA = re.compile(r"'[^']*'|yyyy|yy|MM|dd|HH|mm|ss|SSS|XXX|.")


def java_format(ts: _dt.datetime, pattern: str) -> str:
    out = []
    for tok in _JAVA.findall(pattern):
        if tok.startswith("'"):
            out.append(tok[1:-1])
        elif tok == "yyyy":
            out.append(f"{ts.year:04d}")
        elif tok == "yy":
            out.append(f"{ts.year % 100:02d}")
        elif tok in ("MM", "dd", "HH", "mm", "ss"):
            out.append(f"{getattr(ts, {'MM': 'month', 'dd': 'day', 'HH': 'hour', 'mm': 'minute', 'ss': 'second'}[tok]):02d}")
        elif tok == "SSS":
            out.append(f"{ts.microsecond // 1000:03d}")
        elif tok == "XXX":
            off = ts.utcoffset() if ts.tzinfo else None
            if not off:
                out.append("Z")
            else:
                mins = int(off.total_seconds() // 60)
                sign = "+" if mins >= 0 else "-"
                out.append(f"{sign}{abs(mins) // 60:02d}:{abs(mins) % 60:02d}")
        else:
            out.append(tok)
    return "".join(out)


def java_parse(text: str, pattern: str):
    fmt = []
    for tok in _JAVA.findall(pattern):
        if tok.startswith("'"):
            fmt.append(tok[1:-1].replace("%", "%%"))
        else:
            fmt.append({"yyyy": "%Y", "yy": "%y", "MM": "%m", "dd": "%d", "HH": "%H",
                        "mm": "%M", "ss": "%S", "SSS": "%f"}.get(tok, tok.replace("%", "%%")))
    try:
        return _dt.datetime.strptime(text, "".join(fmt))
    except ValueError:
        return None


_DEFAULT_TS = "yyyy-MM-dd'T'HH:mm:ss.SSSXXX"


# ---------------------------------------------------------------------------- to_json
def _to_json_value(v, dt, tz, opts=None):
    from ember._values import format_date, format_timestamp
    from ember.engine.result_format import hive_value
    if v is None:
        return "null"
    if isinstance(dt, T.StructType):
        vals = v if isinstance(v, dict) else dict(zip([f.name for f in dt.fields], v))
        parts = [json.dumps(f.name, ensure_ascii=False) + ":" +
                 _to_json_value(vals.get(f.name), f.dataType, tz, opts)
                 for f in dt.fields if vals.get(f.name) is not None]
        if opts and opts.get("sortKeys", "").lower() == "true":
            parts.sort()
        return "{" + ",".join(parts) + "}"
    if isinstance(dt, T.ArrayType):
        return "[" + ",".join(_to_json_value(x, dt.elementType, tz, opts) for x in v) + "]"
    if isinstance(dt, T.MapType):
        items = v.items() if isinstance(v, dict) else v
        parts = []
        for k, x in items:
            if isinstance(dt.keyType, T.StringType):
                key = k
            elif isinstance(dt.keyType, T.StructType):
                vals = k.values() if isinstance(k, dict) else k
                key = "[" + ",".join(hive_value(a, f.dataType, tz) for a, f in
                                     zip(vals, dt.keyType.fields)) + "]"
            else:
                key = hive_value(k, dt.keyType, tz)
            parts.append(json.dumps(key, ensure_ascii=False) + ":" +
                         _to_json_value(x, dt.valueType, tz, opts))
        return "{" + ",".join(parts) + "}"
    if isinstance(dt, T.StringType):
        return json.dumps(v, ensure_ascii=False)
    if isinstance(dt, T.BooleanType):
        return "true" if v else "false"
    if isinstance(dt, T.DateType):
        days = (v - _dt.date(1970, 1, 1)).days if isinstance(v, _dt.date) else int(v)
        return '"' + format_date(days) + '"'
    if isinstance(dt, (T.TimestampType, T.TimestampNTZType)):
        from ember.engine.result_format import _ts_micros
        from ember.engine.cast import _utc_to_local
        micros = _ts_micros(v)
        local = micros
        if isinstance(dt, T.TimestampType):
            local = _utc_to_local(micros, tz)
        ts = _dt.datetime(1970, 1, 1) + _dt.timedelta(microseconds=local)
        if isinstance(dt, T.TimestampType):
            ts = ts.replace(tzinfo=_dt.timezone(_dt.timedelta(microseconds=local - micros)))
        pattern = (opts or {}).get("timestampFormat", _DEFAULT_TS if isinstance(
            dt, T.TimestampType) else "yyyy-MM-dd'T'HH:mm:ss.SSS")
        return '"' + java_format(ts, pattern) + '"'
    return hive_value(v, dt, tz)


class ToJson(CollectionFunction):
    name = "to_json"

    def __init__(self, *children, options=None):
        super().__init__(*children)
        self.options = dict(options or {})

    def _fields(self):
        return (tuple(sorted(self.options.items())),)

    @property
    def data_type(self):
        return T.StringType()

    def sql(self):
        return f"to_json({self.children[0].sql()})"

    def evaluate(self, args, num_rows):
        from ember.conf import active_conf
        tz = active_conf().time_zone
        dt = self.children[0].data_type
        vals = args[0].to_pylist()
        return pa.array([None if v is None else _to_json_value(v, dt, tz, self.options)
                         for v in vals],
                        pa.string())


@builtin("to_json", group="json_funcs")
def _to_json(args, call):
    arity("to_json", args, 1, 2)
    a = args[0]
    if not isinstance(a.data_type, (T.StructType, T.ArrayType, T.MapType)):
        raise AnalysisException("DATATYPE_MISMATCH.UNEXPECTED_INPUT_TYPE",
                                sqlExpr=_q(_call_sql("to_json", args[:1])), paramIndex="first",
                                inputSql=_q(a.pretty_sql()), inputType=_q(a.data_type.sql()),
                                requiredType='("STRUCT" or "ARRAY" or "MAP")')
    return ToJson(a, options=_options(args[1] if len(args) > 1 else None))


# ---------------------------------------------------------------------------- from_json
class _Bad(Exception):
    pass


def _convert(v, dt, opts):
    if v is None:
        return None
    if isinstance(dt, T.StringType):
        return v if isinstance(v, str) else _dumps(v)
    if isinstance(dt, T.BooleanType):
        if isinstance(v, bool):
            return v
        raise _Bad()
    if isinstance(dt, T.IntegralType):
        if isinstance(v, int) and not isinstance(v, bool):
            bits = {T.ByteType: 8, T.ShortType: 16, T.IntegerType: 32, T.LongType: 64}[type(dt)]
            if -(1 << (bits - 1)) <= v < (1 << (bits - 1)):
                return v
        raise _Bad()
    if isinstance(dt, T.DecimalType):
        if isinstance(v, (int, decimal.Decimal)) and not isinstance(v, bool):
            return decimal.Decimal(v).quantize(decimal.Decimal(1).scaleb(-dt.scale))
        raise _Bad()
    if isinstance(dt, (T.DoubleType, T.FloatType)):
        if isinstance(v, (int, decimal.Decimal)) and not isinstance(v, bool):
            return float(v)
        if isinstance(v, str) and v in ("NaN", "Infinity", "-Infinity"):
            return float(v.replace("Infinity", "inf"))
        raise _Bad()
    if isinstance(dt, T.ArrayType):
        if isinstance(v, list):
            return [_convert(x, dt.elementType, opts) for x in v]
        raise _Bad()
    if isinstance(dt, T.MapType):
        if isinstance(v, dict):
            return [(k, _convert(x, dt.valueType, opts)) for k, x in v.items()]
        raise _Bad()
    if isinstance(dt, T.StructType):
        if isinstance(v, dict):
            return {f.name: _convert(v.get(f.name), f.dataType, opts) for f in dt.fields}
        raise _Bad()
    if isinstance(dt, T.DateType):
        from ember._values import parse_date
        d = parse_date(v) if isinstance(v, str) else None
        if d is None:
            raise _Bad()
        return _dt.date(1970, 1, 1) + _dt.timedelta(days=d)
    if isinstance(dt, (T.TimestampType, T.TimestampNTZType)):
        from ember._values import parse_timestamp
        fmt = opts.get("timestampFormat")
        m = None
        if isinstance(v, str) and fmt:
            p = java_parse(v, fmt)
            m = None if p is None else (p - _dt.datetime(1970, 1, 1)) // _dt.timedelta(
                microseconds=1)
        elif isinstance(v, str):
            m = parse_timestamp(v, "UTC")
        if m is None:
            raise _Bad()
        return m
    raise _Bad()


class FromJson(CollectionFunction):
    name = "from_json"

    def __init__(self, *children, schema=None, options=None):
        super().__init__(*children)
        self.schema = schema
        self.options = dict(options or {})
        if isinstance(schema, T.MapType):
            self.field_name = "entries"

    def _fields(self):
        return (self.schema,)

    @property
    def data_type(self):
        return self.schema

    @property
    def nullable(self):
        return True

    def sql(self):
        return f"from_json({self.children[0].sql()})"

    def evaluate(self, args, num_rows):
        dt = self.schema
        out = []
        for text in args[0].to_pylist():
            if text is None:
                out.append(None)
                continue
            v = _loads(text)
            try:
                if v is _INVALID:
                    raise _Bad()
                if isinstance(dt, T.StructType) and isinstance(v, list):
                    v = v[0] if len(v) == 1 else _INVALID_ROW
                    if v is _INVALID_ROW:
                        raise _Bad()
                out.append(_convert(v, dt, self.options))
            except _Bad:
                out.append({f.name: None for f in dt.fields}
                           if isinstance(dt, T.StructType) else None)
        vals = out
        if isinstance(dt, (T.TimestampType,)) or _has_ts(dt):
            return _with_timestamps(vals, dt)
        return to_arrow_values(vals, dt)


_INVALID_ROW = object()


def _has_ts(dt):
    if isinstance(dt, (T.TimestampType, T.TimestampNTZType)):
        return True
    if isinstance(dt, T.ArrayType):
        return _has_ts(dt.elementType)
    if isinstance(dt, T.MapType):
        return _has_ts(dt.valueType)
    if isinstance(dt, T.StructType):
        return any(_has_ts(f.dataType) for f in dt.fields)
    return False


def _with_timestamps(vals, dt):
    def fix(v, t):
        if v is None:
            return None
        if isinstance(t, (T.TimestampType, T.TimestampNTZType)):
            return _dt.datetime(1970, 1, 1) + _dt.timedelta(microseconds=v)
        if isinstance(t, T.ArrayType):
            return [fix(x, t.elementType) for x in v]
        if isinstance(t, T.MapType):
            return [(k, fix(x, t.valueType)) for k, x in v]
        if isinstance(t, T.StructType):
            return {f.name: fix(v.get(f.name), f.dataType) for f in t.fields}
        return v
    return to_arrow_values([fix(v, dt) for v in vals], dt)


def _schema_arg(e, fn):
    from ember.parser import parse_data_type
    if not (isinstance(e, Literal) and isinstance(e.data_type, T.StringType)
            and e.value is not None):
        raise AnalysisException("INVALID_SCHEMA.NON_STRING_LITERAL",
                                inputSchema=_q(e.pretty_sql()))
    text = e.value
    try:
        return parse_data_type(text)
    except Exception:
        pass
    try:
        return parse_data_type(f"STRUCT<{text}>")
    except Exception:
        raise AnalysisException("INVALID_SCHEMA.PARSE_ERROR", inputSchema=_q(text),
                                reason="")


@builtin("from_json", group="json_funcs")
def _from_json(args, call):
    arity("from_json", args, 2, 3)
    schema = _schema_arg(args[1], "from_json")
    return FromJson(cast(args[0], T.StringType()), schema=schema,
                    options=_options(args[2] if len(args) > 2 else None))


# ---------------------------------------------------------------------------- paths
_PATH_TOKEN = re.compile(r"\.([^.\[\]]+)|\['([^']*)'\]|\[(\d+)\]|\[\*\]|\.\*")


def _parse_path(path: str):
    if not path.startswith("$"):
        return None
    steps, i = [], 1
    while i < len(path):
        m = _PATH_TOKEN.match(path, i)
        if m is None:
            return None
        if m.group(1) is not None:
            steps.append(("key", m.group(1)))
        elif m.group(2) is not None:
            steps.append(("key", m.group(2)))
        elif m.group(3) is not None:
            steps.append(("index", int(m.group(3))))
        else:
            steps.append(("wild", None))
        i = m.end()
    return steps


def _walk(v, steps):
    """Values at `steps` below `v` (a list when a wildcard was used) or _INVALID."""
    if not steps:
        return v
    kind, arg = steps[0]
    if kind == "key":
        if isinstance(v, dict) and arg in v:
            return _walk(v[arg], steps[1:])
        return _INVALID
    if kind == "index":
        if isinstance(v, list) and arg < len(v):
            return _walk(v[arg], steps[1:])
        return _INVALID
    if isinstance(v, list):
        out = [_walk(x, steps[1:]) for x in v]
        out = [x for x in out if x is not _INVALID]
        if not out:
            return _INVALID
        return out[0] if len(out) == 1 else out
    return _INVALID


def _text(v):
    return v if isinstance(v, str) else _dumps(v)


class GetJsonObject(CollectionFunction):
    name = "get_json_object"

    @property
    def data_type(self):
        return T.StringType()

    @property
    def nullable(self):
        return True

    def row(self, text, path):
        steps = _parse_path(path)
        if steps is None:
            return None
        v = _loads(text)
        if v is _INVALID:
            return None
        r = _walk(v, steps)
        if r is _INVALID or r is None:
            return None
        return _text(r)


@builtin("get_json_object", group="json_funcs")
def _get_json_object(args, call):
    arity("get_json_object", args, 2)
    return GetJsonObject(*[cast(a, T.StringType()) for a in args])


class JsonTuple(Generator):
    name = "json_tuple"

    @property
    def element_schema(self):
        return T.StructType([T.StructField(f"c{i}", T.StringType(), True)
                             for i in range(len(self.children) - 1)])

    def generate(self, args, num_rows):
        texts = args[0].to_pylist()
        fields = [a.to_pylist() for a in args[1:]]
        cols = [[] for _ in fields]
        for r, text in enumerate(texts):
            v = _loads(text) if text is not None else _INVALID
            for j, f in enumerate(fields):
                name = f[r]
                x = v.get(name) if isinstance(v, dict) and name is not None else None
                cols[j].append(None if x is None else _text(x))
        return np.arange(num_rows, dtype=np.int64), [pa.array(c, pa.string()) for c in cols]


@builtin("json_tuple", kind="generator", group="json_funcs")
def _json_tuple(args, call):
    if len(args) < 2:
        raise AnalysisException("WRONG_NUM_ARGS.WITHOUT_SUGGESTION", functionName="`json_tuple`",
                                expectedNum="> 1", actualNum=str(len(args)),
                                docroot="https://spark.apache.org/docs/latest")
    return JsonTuple(*[cast(a, T.StringType()) for a in args])


# ---------------------------------------------------------------------------- schema_of_json
def _infer(v) -> str:
    if isinstance(v, bool):
        return "BOOLEAN"
    if isinstance(v, int):
        return "BIGINT"
    if isinstance(v, decimal.Decimal):
        return "DOUBLE"
    if isinstance(v, str) or v is None:
        return "STRING"
    if isinstance(v, list):
        types = {_infer(x) for x in v if x is not None}
        if not types:
            return "ARRAY<STRING>"
        if len(types) == 1:
            return f"ARRAY<{types.pop()}>"
        if types <= {"BIGINT", "DOUBLE"}:
            return "ARRAY<DOUBLE>"
        return "ARRAY<STRING>"
    if isinstance(v, dict):
        parts = [f"{_field_name(k)}: {_infer(v[k])}" for k in sorted(v)]
        return "STRUCT<" + ", ".join(parts) + ">"
    return "STRING"


def _field_name(k: str) -> str:
    return k if re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", k) else "`" + k.replace("`", "``") + "`"


class SchemaOfJson(CollectionFunction):
    name = "schema_of_json"

    @property
    def data_type(self):
        return T.StringType()

    def sql(self):
        return f"schema_of_json({self.children[0].sql()})"

    def row(self, text):
        v = json.loads(re.sub(r"(?<=[:\[,])\s*0+(\d)", r"\1", text), parse_float=decimal.Decimal) \
            if _loads(text) is _INVALID else _loads(text)
        return _infer(v)


@builtin("schema_of_json", group="json_funcs")
def _schema_of_json(args, call):
    arity("schema_of_json", args, 1, 2)
    return SchemaOfJson(cast(args[0], T.StringType()))


@builtin("json_array_length", group="json_funcs")
def _json_array_length(args, call):
    arity("json_array_length", args, 1)

    def fn(text):
        v = _loads(text)
        return len(v) if isinstance(v, list) else None
    from ember.engine.functions.array_funcs import _NullableResult
    return _NullableResult(cast(args[0], T.StringType()), name="json_array_length",
                           out_type=T.IntegerType(), fn=fn)


@builtin("json_object_keys", group="json_funcs")
def _json_object_keys(args, call):
    arity("json_object_keys", args, 1)

    def fn(text):
        v = _loads(text)
        return list(v) if isinstance(v, dict) else None
    from ember.engine.functions.array_funcs import _NullableResult
    return _NullableResult(cast(args[0], T.StringType()), name="json_object_keys",
                           out_type=T.ArrayType(T.StringType(), True), fn=fn)
