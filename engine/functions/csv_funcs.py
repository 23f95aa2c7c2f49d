"""CSV functions: from_csv, to_csv, schema_of_csv (one record per value)."""
from __future__ import annotations

import datetime as _dt
import decimal
import re

import pyarrow as pa

from ember import types as T
from ember.catalog.functions import builtin
from ember.errors import AnalysisException
from ember.optimizer.analyzer.type_coercion import cast
from ember.engine.functions.collections import (CollectionFunction, _call_sql, _q, arity,
                                                to_arrow_values)
from ember.engine.functions.json_funcs import (_DEFAULT_TS, _options, _schema_arg, java_format,
                                               java_parse)


def _split(text: str, sep: str):
    out, cur, quoted, i = [], [], False, 0
    while i < len(text):
        ch = text[i]
        if quoted:
            if ch == '"' and i + 1 < len(text) and text[i + 1] == '"':
                cur.append('"')
                i += 1
            elif ch == '"':
                quoted = False
            else:
                cur.append(ch)
        elif ch == '"' and not "".join(cur).strip():
            quoted, cur = True, []
        elif text.startswith(sep, i):
            out.append("".join(cur))
            cur = []
            i += len(sep) - 1
        else:
            cur.append(ch)
        i += 1
    out.append("".join(cur))
    return out


def _parse_field(s, dt, opts):
    if s is None or s == "":
        return None
    t = s.strip()
    try:
        if isinstance(dt, T.StringType):
            return s
        if isinstance(dt, T.IntegralType):
            return int(t)
        if isinstance(dt, (T.DoubleType, T.FloatType)):
            return float(t)
        if isinstance(dt, T.DecimalType):
            return decimal.Decimal(t).quantize(decimal.Decimal(1).scaleb(-dt.scale))
        if isinstance(dt, T.BooleanType):
            return {"true": True, "false": False}[t.lower()]
        if isinstance(dt, T.DateType):
            fmt = opts.get("dateFormat")
            if fmt:
                p = java_parse(t, fmt)
                return None if p is None else p.date()
            return _dt.date.fromisoformat(t)
        if isinstance(dt, (T.TimestampType, T.TimestampNTZType)):
            fmt = opts.get("timestampFormat")
            if fmt:
                return java_parse(t, fmt)
            return _dt.datetime.fromisoformat(t.replace("T", " "))
    except (ValueError, KeyError, decimal.InvalidOperation):
        return None
    return None


class FromCsv(CollectionFunction):
    name = "from_csv"

    def __init__(self, *children, schema=None, options=None):
        super().__init__(*children)
        self.schema = schema
        self.options = dict(options or {})

    def _fields(self):
        return (self.schema, tuple(sorted(self.options.items())))

    @property
    def data_type(self):
        return self.schema

    @property
    def nullable(self):
        return True

    def sql(self):
        return f"from_csv({self.children[0].sql()})"

    def evaluate(self, args, num_rows):
        sep = self.options.get("sep", self.options.get("delimiter", ","))
        out = []
        for text in args[0].to_pylist():
            if text is None:
                out.append(None)
                continue
            parts = _split(text, sep)
            out.append({f.name: _parse_field(parts[i] if i < len(parts) else None, f.dataType,
                                             self.options)
                        for i, f in enumerate(self.schema.fields)})
        return to_arrow_values(out, self.schema)


@builtin("from_csv", group="csv_funcs")
def _from_csv(args, call):
    arity("from_csv", args, 2, 3)
    schema = _schema_arg(args[1], "from_csv")
    if not isinstance(schema, T.StructType):
        raise AnalysisException("INVALID_SCHEMA.NON_STRUCT_TYPE", inputSchema=_q(args[1].value),
                                dataType=_q(schema.sql()))
    return FromCsv(cast(args[0], T.StringType()), schema=schema,
                   options=_options(args[2] if len(args) > 2 else None))


def _csv_value(v, dt, opts, tz):
    from ember.engine.result_format import hive_value, _ts_micros
    if v is None:
        return ""
    if isinstance(dt, (T.TimestampType, T.TimestampNTZType)):
        from ember.engine.cast import _utc_to_local
        micros = _ts_micros(v)
        local = _utc_to_local(micros, tz) if isinstance(dt, T.TimestampType) else micros
        ts = _dt.datetime(1970, 1, 1) + _dt.timedelta(microseconds=local)
        if isinstance(dt, T.TimestampType):
            ts = ts.replace(tzinfo=_dt.timezone(_dt.timedelta(microseconds=local - micros)))
        return java_format(ts, opts.get("timestampFormat", _DEFAULT_TS))
    if isinstance(dt, T.DateType) and opts.get("dateFormat"):
        d = v if isinstance(v, _dt.date) else _dt.date(1970, 1, 1) + _dt.timedelta(days=v)
        return java_format(_dt.datetime(d.year, d.month, d.day), opts["dateFormat"])
    text = hive_value(v, dt, tz)
    if isinstance(dt, T.StringType) and re.search(r'[",\n]', text):
        text = '"' + text.replace('"', '\\"') + '"'
    return text


class ToCsv(CollectionFunction):
    name = "to_csv"

    def __init__(self, *children, options=None):
        super().__init__(*children)
        self.options = dict(options or {})

    def _fields(self):
        return (tuple(sorted(self.options.items())),)

    @property
    def data_type(self):
        return T.StringType()

    def sql(self):
        return f"to_csv({self.children[0].sql()})"

    def evaluate(self, args, num_rows):
        from ember.conf import active_conf
        tz = active_conf().time_zone
        st = self.children[0].data_type
        sep = self.options.get("sep", self.options.get("delimiter", ","))
        out = []
        for v in args[0].to_pylist():
            if v is None:
                out.append(None)
                continue
            out.append(sep.join(_csv_value(v.get(f.name), f.dataType, self.options, tz)
                                for f in st.fields))
        return pa.array(out, pa.string())


@builtin("to_csv", group="csv_funcs")
def _to_csv(args, call):
    arity("to_csv", args, 1, 2)
    a = args[0]
    if not isinstance(a.data_type, T.StructType):
        raise AnalysisException("DATATYPE_MISMATCH.UNEXPECTED_INPUT_TYPE",
                                sqlExpr=_q(_call_sql("to_csv", args[:1])), paramIndex="first",
                                inputSql=_q(a.pretty_sql()), inputType=_q(a.data_type.sql()),
                                requiredType='"STRUCT"')
    return ToCsv(a, options=_options(args[1] if len(args) > 1 else None))


def _infer(token: str) -> str:
    t = token.strip()
    if t == "":
        return "STRING"
    try:
        n = int(t)
        return "INT" if -(1 << 31) <= n < (1 << 31) else (
            "BIGINT" if -(1 << 63) <= n < (1 << 63) else "DECIMAL(38,0)")
    except ValueError:
        pass
    try:
        float(t)
        return "DOUBLE"
    except ValueError:
        pass
    if t.lower() in ("true", "false"):
        return "BOOLEAN"
    return "STRING"


class SchemaOfCsv(CollectionFunction):
    name = "schema_of_csv"

    @property
    def data_type(self):
        return T.StringType()

    def sql(self):
        return f"schema_of_csv({self.children[0].sql()})"

    def row(self, text):
        parts = _split(text, ",")
        return "STRUCT<" + ", ".join(f"_c{i}: {_infer(p)}" for i, p in enumerate(parts)) + ">"


@builtin("schema_of_csv", group="csv_funcs")
def _schema_of_csv(args, call):
    arity("schema_of_csv", args, 1, 2)
    return SchemaOfCsv(cast(args[0], T.StringType()))
