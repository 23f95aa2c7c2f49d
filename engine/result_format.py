"""Text forms of results, exactly as Spark prints them.

- `hive_strings`: Spark's HiveResult.hiveResultString, what the spark-sql shell prints (one
  string per value: NULL, Java number forms, nested values in JSON-like forms). The shell and
  the conformance runner both use it.
- `show_string`: Dataset.show()'s ASCII table.
"""
from __future__ import annotations

import datetime as _dt
import decimal
from typing import Any, List, Sequence

import pyarrow as pa

from ember import types as T
from ember._java import java_double_str, java_float_str
from ember._values import (EPOCH, EPOCH_DATE, format_date, format_day_time_hive,
                           format_timestamp, format_year_month_hive, format_day_time_ansi,
                           format_year_month_ansi)


def _decimal_plain(v: decimal.Decimal, scale: int) -> str:
    from ember.engine.cast import format_unscaled
    return format_unscaled(int(v.scaleb(scale)), scale)


def _ts_micros(v) -> int:
    if isinstance(v, _dt.datetime):
        if v.tzinfo is not None:
            v = v.astimezone(_dt.timezone.utc).replace(tzinfo=None)
        return (v - EPOCH) // _dt.timedelta(microseconds=1)
    return int(v)


def hive_value(v: Any, dt: T.DataType, tz: str, nested: bool = False) -> str:
    """One value (as produced by Arrow's to_pylist) in Spark's HiveResult text form."""
    if v is None:
        return "null" if nested else "NULL"
    if isinstance(dt, T.StringType):
        return f'"{v}"' if nested else v
    if isinstance(dt, T.BooleanType):
        return "true" if v else "false"
    if isinstance(dt, T.DoubleType):
        return java_double_str(v)
    if isinstance(dt, T.FloatType):
        return java_float_str(v)
    if isinstance(dt, T.DecimalType):
        return _decimal_plain(v, dt.scale)
    if isinstance(dt, T.IntegralType):
        return str(v)
    if isinstance(dt, T.DateType):
        days = (v - EPOCH_DATE).days if isinstance(v, _dt.date) else int(v)
        return format_date(days)           # unquoted inside nested values too
    if isinstance(dt, T.TimestampType):
        return format_timestamp(_ts_micros(v), tz)
    if isinstance(dt, T.TimestampNTZType):
        return format_timestamp(_ts_micros(v))
    if isinstance(dt, T.BinaryType):
        return bytes(v).decode("utf-8", "replace")
    if isinstance(dt, T.DayTimeIntervalType):
        micros = v // _dt.timedelta(microseconds=1) if isinstance(v, _dt.timedelta) else int(v)
        return format_day_time_hive(micros)        # nested values too
    if isinstance(dt, T.YearMonthIntervalType):
        return format_year_month_hive(int(v))
    if isinstance(dt, T.CalendarIntervalType):
        from ember._values import format_calendar_interval
        return format_calendar_interval(v.months, v.days, v.nanoseconds // 1000)
    if isinstance(dt, T.ArrayType):
        return "[" + ",".join(hive_value(x, dt.elementType, tz, True) for x in v) + "]"
    if isinstance(dt, T.MapType):
        items = v.items() if isinstance(v, dict) else v
        # HiveResult sorts the formatted `key:value` entries
        return "{" + ",".join(sorted(hive_value(k, dt.keyType, tz, True) + ":" +
                                     hive_value(x, dt.valueType, tz, True)
                                     for k, x in items)) + "}"
    if isinstance(dt, T.StructType):
        if isinstance(v, dict):
            vals = [v.get(f.name) for f in dt.fields]
        else:
            vals = list(v)
        return "{" + ",".join(f'"{f.name}":' + hive_value(x, f.dataType, tz, True)
                              for f, x in zip(dt.fields, vals)) + "}"
    if isinstance(dt, T.NullType):
        return "null" if nested else "NULL"
    if isinstance(dt, T.VariantType):
        from ember.engine.functions.variant import display
        return display(v)
    return str(v)


def _pylist(col: pa.Array, dt: T.DataType) -> List:
    if isinstance(dt, (T.TimestampType, T.TimestampNTZType, T.DayTimeIntervalType)):
        return col.cast(pa.int64()).to_pylist()
    if isinstance(dt, T.DateType):
        return col.cast(pa.int32()).to_pylist()
    return col.to_pylist()


def hive_strings(table: pa.Table, schema: T.StructType, tz: str) -> List[List[str]]:
    """Every row as a list of HiveResult strings."""
    kind = (table.schema.metadata or {}).get(b"ember.hive_format")
    if kind == b"show_tables":
        return [[v] for v in table.column(1).to_pylist()]
    if kind == b"describe":
        cols = [table.column(i).to_pylist() for i in range(3)]
        return [["\t".join(f"{'' if v is None else v:<20}" for v in row)]
                for row in zip(*cols)]
    columns = []
    for i, f in enumerate(schema.fields):
        col = table.column(i)
        columns.append([hive_value(v, f.dataType, tz) for v in _pylist(col, f.dataType)])
    return [list(r) for r in zip(*columns)] if columns else [[] for _ in range(table.num_rows)]


def nested_cast_string(v, dt, ctx) -> str:
    """CAST(complex AS STRING): Spark's ToStringBase form (`[1, 2]`, `{a -> 1}`, `{1, x}`)."""
    return _show_value(v, dt, ctx.time_zone, nested=True)


# ---------------------------------------------------------------------------- show()
def _show_value(v, dt, tz, nested=False) -> str:
    if v is None:
        return "null" if nested else "NULL"
    if isinstance(dt, T.ArrayType):
        return "[" + ", ".join(_show_value(x, dt.elementType, tz, True) for x in v) + "]"
    if isinstance(dt, T.MapType):
        items = v.items() if isinstance(v, dict) else v
        return "{" + ", ".join(_show_value(k, dt.keyType, tz, True) + " -> " +
                               _show_value(x, dt.valueType, tz, True) for k, x in items) + "}"
    if isinstance(dt, T.StructType):
        vals = [v.get(f.name) for f in dt.fields] if isinstance(v, dict) else list(v)
        return "{" + ", ".join(_show_value(x, f.dataType, tz, True)
                               for f, x in zip(dt.fields, vals)) + "}"
    if isinstance(dt, T.StringType):
        return v
    if isinstance(dt, T.BinaryType):
        return "[" + " ".join(f"{b:02X}" for b in bytes(v)) + "]"
    if isinstance(dt, T.DayTimeIntervalType):
        return format_day_time_ansi(int(v), dt.startField, dt.endField)
    if isinstance(dt, T.YearMonthIntervalType):
        return format_year_month_ansi(int(v), dt.startField, dt.endField)
    return hive_value(v, dt, tz, nested=False)


def show_string(table: pa.Table, schema: T.StructType, tz: str, num_rows: int = 20,
                truncate=True, vertical: bool = False) -> str:
    """Dataset.show() output (Spark's showString)."""
    has_more = table.num_rows > num_rows
    data = table.slice(0, num_rows)
    names = [f.name for f in schema.fields]
    rows = []
    cols = [_pylist(data.column(i), f.dataType) for i, f in enumerate(schema.fields)]
    for r in range(data.num_rows):
        rows.append([_show_value(cols[i][r], f.dataType, tz) for i, f in enumerate(schema.fields)])
    width = 20 if truncate is True else (int(truncate) if truncate else 0)

    def cut(s: str) -> str:
        if width and len(s) > width:
            return s[:width - 3] + "..." if width >= 4 else s[:width]
        return s

    cells = [[cut(n) for n in names]] + [[cut(c) for c in row] for row in rows]
    if vertical:
        out = []
        key_w = max((len(n) for n in names), default=0)
        for i, row in enumerate(cells[1:]):
            out.append(f"-RECORD {i}" + "-" * 10)
            for n, c in zip(names, row):
                out.append(f" {n.ljust(key_w)} | {c}")
        if not cells[1:]:
            out.append("(0 rows)")
        return "\n".join(out) + "\n"
    col_w = [max(3, *(len(r[i]) for r in cells)) for i in range(len(names))]
    sep = "+" + "+".join("-" * w for w in col_w) + "+"

    def fmt(row, header=False):
        parts = []
        for c, w in zip(row, col_w):
            parts.append(c.rjust(w) if width else c.ljust(w))
        return "|" + "|".join(parts) + "|"

    lines = [sep, fmt(cells[0], True), sep]
    lines += [fmt(r) for r in cells[1:]]
    lines.append(sep)
    text = "\n".join(lines) + "\n"
    if has_more:
        text += f"only showing top {num_rows} row{'s' if num_rows != 1 else ''}\n"
    return text
