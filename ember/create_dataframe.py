"""spark.createDataFrame: Python rows, dicts, pandas or Arrow data into a LocalRelation."""
from __future__ import annotations

import datetime as _dt
import decimal
from typing import Any, List, Optional, Sequence

import pyarrow as pa

from ember import types as T
from ember.errors import AnalysisException, IllegalArgumentException
from ember.row import Row


def _parse_schema(schema) -> Optional[T.StructType]:
    if schema is None or isinstance(schema, T.StructType):
        return schema
    if isinstance(schema, T.DataType):
        return T.StructType([T.StructField("value", schema, True)])
    if isinstance(schema, str):
        from ember.parser import parse_data_type
        text = schema.strip()
        try:
            dt = parse_data_type(text if text.lower().startswith("struct<") else f"struct<{text}>")
        except Exception:
            dt = parse_data_type(text)
        return dt if isinstance(dt, T.StructType) else T.StructType([T.StructField("value", dt)])
    if isinstance(schema, (list, tuple)):
        return list(schema)     # column names only
    raise IllegalArgumentException("INVALID_PARAMETER_VALUE.SCHEMA",
                                   message=f"schema {schema!r} is not understood")


def _infer_type(v) -> T.DataType:
    if v is None:
        return T.NullType()
    if isinstance(v, bool):
        return T.BooleanType()
    if isinstance(v, int):
        return T.LongType()
    if isinstance(v, float):
        return T.DoubleType()
    if isinstance(v, decimal.Decimal):
        return T.DecimalType(38, 18)
    if isinstance(v, str):
        return T.StringType()
    if isinstance(v, (bytes, bytearray)):
        return T.BinaryType()
    if isinstance(v, _dt.datetime):
        return T.TimestampType()
    if isinstance(v, _dt.date):
        return T.DateType()
    if isinstance(v, _dt.timedelta):
        return T.DayTimeIntervalType()
    if isinstance(v, (list, tuple)) and not isinstance(v, Row):
        el = T.NullType()
        for x in v:
            if x is not None:
                el = _infer_type(x)
                break
        return T.ArrayType(el, True)
    if isinstance(v, dict):
        k = next((x for x in v.keys() if x is not None), None)
        val = next((x for x in v.values() if x is not None), None)
        return T.MapType(_infer_type(k), _infer_type(val), True)
    if isinstance(v, Row) and hasattr(v, "__fields__"):
        return T.StructType([T.StructField(n, _infer_type(x)) for n, x in zip(v.__fields__, v)])
    raise IllegalArgumentException("CANNOT_INFER_TYPE_FOR_FIELD" if False else
                                   "INVALID_PARAMETER_VALUE.TYPE",
                                   message=f"cannot infer a type for {type(v).__name__}")


def local_relation(data, schema=None):
    from ember.optimizer.expressions import AttributeReference
    from ember.optimizer.plans.logical import LocalRelation
    parsed = _parse_schema(schema)
    names: Optional[List[str]] = parsed if isinstance(parsed, list) else None
    struct = parsed if isinstance(parsed, T.StructType) else None
    table: Optional[pa.Table] = None
    if isinstance(data, pa.RecordBatch):
        data = pa.Table.from_batches([data])
    if isinstance(data, pa.Table):
        table = data
    elif type(data).__module__.startswith("pandas"):
        table = pa.Table.from_pandas(data, preserve_index=False)
    if table is not None:
        if struct is None:
            struct = T.schema_from_arrow(table.schema)
            if names:
                struct = T.StructType([T.StructField(n, f.dataType, f.nullable)
                                       for n, f in zip(names, struct.fields)])
        arrays = [table.column(i).combine_chunks().cast(T.to_arrow(f.dataType))
                  for i, f in enumerate(struct.fields)]
    else:
        rows = [_as_tuple(r) for r in data]
        if struct is None:
            first_names = None
            if rows and isinstance(data[0], Row) and hasattr(data[0], "__fields__"):
                first_names = data[0].__fields__
            elif rows and isinstance(data[0], dict):
                first_names = list(data[0].keys())
            width = len(rows[0]) if rows else len(names or [])
            col_names = names or first_names or [f"_{i + 1}" for i in range(width)]
            fields = []
            for i, n in enumerate(col_names):
                t: T.DataType = T.NullType()
                for r in rows:
                    if r[i] is not None:
                        t = _infer_type(r[i])
                        break
                fields.append(T.StructField(n, t, True))
            struct = T.StructType(fields)
        width = len(struct.fields)
        for r in rows:
            if len(r) != width:
                raise IllegalArgumentException(
                    "AXIS_LENGTH_MISMATCH", message=f"Length mismatch: Expected axis has "
                    f"{width} elements, new values have {len(r)} elements")
        arrays = []
        for i, f in enumerate(struct.fields):
            col = [_to_arrow_value(r[i], f.dataType) for r in rows]
            arrays.append(pa.array(col, type=T.to_arrow(f.dataType)))
    attrs = [AttributeReference(f.name, f.dataType, f.nullable) for f in struct.fields]
    table = pa.Table.from_arrays(arrays, names=[f.name for f in struct.fields]) if arrays else None
    return LocalRelation(attrs, table)


def _as_tuple(r) -> tuple:
    if isinstance(r, dict):
        return tuple(r.values())
    if isinstance(r, (tuple, list)):
        return tuple(r)
    return (r,)


def _to_arrow_value(v, dt):
    if v is None:
        return None
    if isinstance(dt, T.StructType) and isinstance(v, (tuple, list)):
        return {f.name: _to_arrow_value(x, f.dataType) for f, x in zip(dt.fields, v)}
    if isinstance(dt, T.MapType) and isinstance(v, dict):
        return list(v.items())
    if isinstance(dt, T.DecimalType) and not isinstance(v, decimal.Decimal):
        return decimal.Decimal(str(v))
    if isinstance(dt, T.TimestampType) and isinstance(v, _dt.datetime) and v.tzinfo is None:
        from ember.conf import active_conf
        from ember._values import zone
        return v.replace(tzinfo=zone(active_conf().time_zone))
    if isinstance(dt, (T.BinaryType,)) and isinstance(v, bytearray):
        return bytes(v)
    return v
