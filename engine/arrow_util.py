"""Small conversions between Ember's value representations, NumPy and Arrow."""
from __future__ import annotations

import datetime as _dt
import decimal
from typing import Optional

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from ember import types as T


def broadcast(value, n: int) -> pa.Array:
    """An Arrow array of length n from an array or a scalar."""
    if isinstance(value, pa.Array):
        return value
    if isinstance(value, pa.ChunkedArray):
        return value.combine_chunks()
    if isinstance(value, pa.Scalar):
        if not value.is_valid:
            return pa.nulls(n, value.type)
        if pa.types.is_null(value.type):
            return pa.nulls(n)
        return pa.repeat(value, n) if hasattr(pa, "repeat") else pa.array([value.as_py()] * n,
                                                                              value.type)
    raise TypeError(f"cannot broadcast {type(value)}")


def literal_to_arrow(value, dt: T.DataType) -> pa.Scalar:
    at = T.to_arrow(dt)
    if value is None:
        return pa.scalar(None, at)
    if isinstance(dt, T.DateType):
        return pa.scalar(_dt.date(1970, 1, 1) + _dt.timedelta(days=value), at)
    if isinstance(dt, (T.TimestampType, T.TimestampNTZType)):
        return pa.scalar(value, pa.int64()).cast(at)
    if isinstance(dt, T.DayTimeIntervalType):
        return pa.scalar(value, pa.int64()).cast(at)
    if isinstance(dt, T.MapType):
        return pa.scalar(list(value), at)
    if isinstance(dt, T.StructType):
        if isinstance(value, (tuple, list)):
            value = {f.name: v for f, v in zip(dt.fields, value)}
        return pa.scalar(value, at)
    return pa.scalar(value, at)


def arrow_to_python(scalar: pa.Scalar, dt: T.DataType):
    """An Arrow scalar as Ember's internal Python value (see optimizer.expressions.literals)."""
    if not scalar.is_valid:
        return None
    if isinstance(dt, T.DateType):
        return scalar.cast(pa.int32()).as_py()
    if isinstance(dt, (T.TimestampType, T.TimestampNTZType, T.DayTimeIntervalType)):
        return scalar.cast(pa.int64()).as_py()
    if isinstance(dt, T.MapType):
        return list(scalar.as_py())
    if isinstance(dt, T.StructType):
        v = scalar.as_py()
        return tuple(v[f.name] for f in dt.fields) if isinstance(v, dict) else v
    return scalar.as_py()


def null_mask(*arrays: pa.Array) -> Optional[np.ndarray]:
    """Valid-row mask shared by all inputs (None when none of them has nulls)."""
    mask = None
    for a in arrays:
        if a.null_count == 0:
            continue
        m = np.asarray(a.is_valid().to_numpy(zero_copy_only=False), dtype=bool)
        mask = m if mask is None else (mask & m)
    return mask


def to_numpy_filled(arr: pa.Array, dtype=None, fill=0) -> np.ndarray:
    """Values as a NumPy array, nulls replaced by `fill` (a zero-copy view when possible)."""
    if pa.types.is_null(arr.type):
        return np.full(len(arr), fill, dtype=dtype or np.float64)
    if pa.types.is_boolean(arr.type):
        vals = arr.fill_null(bool(fill)) if arr.null_count else arr
        out = np.asarray(vals.to_numpy(zero_copy_only=False), dtype=bool)
        return out.astype(dtype) if dtype is not None else out
    if pa.types.is_decimal(arr.type):
        from ember.engine.decimals import unscaled
        return unscaled(arr)
    if pa.types.is_date32(arr.type):
        arr = arr.cast(pa.int32())
    elif pa.types.is_timestamp(arr.type) or pa.types.is_duration(arr.type):
        arr = arr.cast(pa.int64())
    if arr.null_count:
        arr = arr.fill_null(pa.scalar(fill).cast(arr.type) if fill is not None else 0)
    out = arr.to_numpy(zero_copy_only=False)
    if dtype is not None and out.dtype != dtype:
        out = out.astype(dtype)
    return out


def from_numpy(values: np.ndarray, valid: Optional[np.ndarray], at: pa.DataType) -> pa.Array:
    mask = None if valid is None else ~valid
    if pa.types.is_date32(at):
        return pa.array(values.astype(np.int32), type=pa.int32(), mask=mask).cast(at)
    if pa.types.is_timestamp(at) or pa.types.is_duration(at):
        return pa.array(values.astype(np.int64), type=pa.int64(), mask=mask).cast(at)
    return pa.array(values, type=at, mask=mask)


def python_value(v, dt: T.DataType):
    """A Python value (from Row or createDataFrame) in Ember's internal representation."""
    if v is None:
        return None
    if isinstance(dt, T.DateType) and isinstance(v, _dt.date):
        return (v - _dt.date(1970, 1, 1)).days
    if isinstance(dt, T.DecimalType) and not isinstance(v, decimal.Decimal):
        return decimal.Decimal(str(v))
    return v
