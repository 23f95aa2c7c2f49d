"""CAST between Spark types, vectorised where Arrow's cast agrees with Spark and row by row
where it does not (string parsing, Java number formatting).

Modes: ANSI raises Spark's errors (CAST_INVALID_INPUT, CAST_OVERFLOW,
NUMERIC_VALUE_OUT_OF_RANGE); TRY returns NULL instead; LEGACY returns NULL for bad input and
wraps numeric overflow as Spark's non-ANSI cast does.
"""
from __future__ import annotations

import datetime as _dt
import decimal
import math
import re
from typing import Callable, List, Optional

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from ember import types as T
from ember._java import java_double_str, java_float_str
from ember._values import (format_date, format_day_time_ansi, format_timestamp,
                           format_year_month_ansi, parse_date, parse_timestamp, zone,
                           MICROS_PER_DAY, MICROS_PER_SECOND)
from ember.errors import (ArithmeticException, NumberFormatException, DateTimeException,
                          SparkRuntimeException)
from ember.engine import decimals as D
from ember.engine.arrow_util import from_numpy, null_mask, to_numpy_filled
from ember.optimizer.expressions.literals import Literal, DECIMAL_CONTEXT

_INT_NP = {T.ByteType: np.int8, T.ShortType: np.int16, T.IntegerType: np.int32,
           T.LongType: np.int64}


def _q(t: T.DataType) -> str:
    return '"' + t.sql() + '"'


def cast_overflow(value, src: T.DataType, to: T.DataType):
    return ArithmeticException("CAST_OVERFLOW", value=Literal(value, src).sql(),
                               sourceType=_q(src), targetType=_q(to),
                               ansiConfig='"spark.sql.ansi.enabled"')


def invalid_input(text: str, src: T.DataType, to: T.DataType):
    if isinstance(to, (T.YearMonthIntervalType, T.DayTimeIntervalType)):
        return SparkRuntimeException(
            "INVALID_INTERVAL_FORMAT.UNMATCHED_FORMAT_STRING_WITH_NOTICE", input=text,
            intervalStr="year-month" if isinstance(to, T.YearMonthIntervalType) else "day-time",
            supportedFormat=to.sql(), typeName=to.simpleString(),
            interval=to.simpleString())
    cls = DateTimeException if isinstance(to, (T.DateType, T.TimestampType,
                                               T.TimestampNTZType)) else NumberFormatException
    return cls("CAST_INVALID_INPUT", expression="'" + text.replace("'", "\\'") + "'",
               sourceType=_q(src), targetType=_q(to), ansiConfig='"spark.sql.ansi.enabled"')


def _same_ignoring_nullability(a: T.DataType, b: T.DataType) -> bool:
    if isinstance(a, T.ArrayType) and isinstance(b, T.ArrayType):
        return _same_ignoring_nullability(a.elementType, b.elementType)
    if isinstance(a, T.MapType) and isinstance(b, T.MapType):
        return (_same_ignoring_nullability(a.keyType, b.keyType)
                and _same_ignoring_nullability(a.valueType, b.valueType))
    if isinstance(a, T.StructType) and isinstance(b, T.StructType):
        return len(a.fields) == len(b.fields) and all(
            f.name == g.name and _same_ignoring_nullability(f.dataType, g.dataType)
            for f, g in zip(a.fields, b.fields))
    return a == b


def cast_array(arr: pa.Array, src: T.DataType, to: T.DataType, mode: str, ctx) -> pa.Array:
    n = len(arr)
    if src == to or (isinstance(src, T.StringType) and isinstance(to, T.StringType)):
        return arr
    if _same_ignoring_nullability(src, to):     # e.g. ARRAY<INT> NOT NULL elements -> nullable
        return arr.cast(T.to_arrow(to))
    if isinstance(src, T.NullType):
        return pa.nulls(n, T.to_arrow(to))
    if isinstance(src, T.VariantType) or isinstance(to, T.VariantType):
        from ember.engine.functions.variant import cast_variant
        return cast_variant(arr, src, to, mode, ctx)
    if isinstance(to, T.StringType):
        return to_string(arr, src, ctx)
    if isinstance(src, T.StringType):
        return from_string(arr, to, mode, ctx)
    if isinstance(src, T.BooleanType) and isinstance(to, T.NumericType):
        ints = pc.cast(arr, pa.int8())
        return cast_array(ints, T.ByteType(), to, mode, ctx)
    if isinstance(to, T.BooleanType) and isinstance(src, T.NumericType):
        if isinstance(src, T.DecimalType):
            vals = D.unscaled(arr) != 0
            return from_numpy(np.asarray(vals, dtype=bool), null_mask(arr), pa.bool_())
        return pc.not_equal(arr, pa.scalar(0).cast(arr.type))
    if isinstance(src, T.NumericType) and isinstance(to, T.NumericType):
        return numeric_cast(arr, src, to, mode)
    if isinstance(src, T.DateType) and isinstance(to, (T.TimestampType, T.TimestampNTZType)):
        days = to_numpy_filled(arr, np.int64)
        micros = days * MICROS_PER_DAY
        if isinstance(to, T.TimestampType):
            micros = np.array([_local_to_utc(int(m), ctx.time_zone) for m in micros],
                              dtype=np.int64) if n else micros
        return from_numpy(micros, null_mask(arr), T.to_arrow(to))
    if isinstance(src, (T.TimestampType, T.TimestampNTZType)) and isinstance(to, T.DateType):
        micros = to_numpy_filled(arr, np.int64)
        if isinstance(src, T.TimestampType):
            micros = np.array([_utc_to_local(int(m), ctx.time_zone) for m in micros],
                              dtype=np.int64) if n else micros
        days = np.floor_divide(micros, MICROS_PER_DAY)
        return from_numpy(days.astype(np.int32), null_mask(arr), pa.date32())
    if isinstance(src, T.TimestampType) and isinstance(to, T.TimestampNTZType):
        micros = to_numpy_filled(arr, np.int64)
        local = np.array([_utc_to_local(int(m), ctx.time_zone) for m in micros], dtype=np.int64)
        return from_numpy(local, null_mask(arr), T.to_arrow(to))
    if isinstance(src, T.TimestampNTZType) and isinstance(to, T.TimestampType):
        micros = to_numpy_filled(arr, np.int64)
        utc = np.array([_local_to_utc(int(m), ctx.time_zone) for m in micros], dtype=np.int64)
        return from_numpy(utc, null_mask(arr), T.to_arrow(to))
    if isinstance(src, T.NumericType) and isinstance(to, T.TimestampType):
        return _numeric_to_timestamp(arr, src, to, mode)
    if isinstance(src, T.TimestampType) and isinstance(to, T.NumericType):
        micros = to_numpy_filled(arr, np.int64)
        if isinstance(to, (T.FloatType, T.DoubleType)):
            return numeric_cast(from_numpy(micros / 1e6, null_mask(arr), pa.float64()),
                                T.DoubleType(), to, mode)
        secs = from_numpy(np.floor_divide(micros, MICROS_PER_SECOND), null_mask(arr), pa.int64())
        return numeric_cast(secs, T.LongType(), to, mode)
    if isinstance(src, T.BinaryType) and isinstance(to, T.BinaryType):
        return arr
    if isinstance(src, T.DayTimeIntervalType) and isinstance(to, T.DayTimeIntervalType):
        return arr
    if isinstance(src, T.YearMonthIntervalType) and isinstance(to, T.YearMonthIntervalType):
        return arr
    if isinstance(src, (T.ArrayType, T.MapType, T.StructType)) and type(src) is type(to):
        from ember.engine.nested import cast_nested
        return cast_nested(arr, src, to, mode, ctx)
    from ember.errors import not_supported
    raise not_supported(f"CAST from {src.sql()} to {to.sql()}")


def _numeric_to_timestamp(arr, src, to, mode):
    """Seconds since the epoch to a timestamp, truncated to microseconds (Spark's Cast)."""
    out = []
    for v in arr.to_pylist():
        if v is None:
            out.append(None)
            continue
        if isinstance(v, float) and (v != v or v in (float("inf"), float("-inf"))):
            if mode == "ANSI":
                raise DateTimeException(
                    "CAST_INVALID_INPUT", expression=java_double_str(v), sourceType=_q(src),
                    targetType=_q(to), ansiConfig='"spark.sql.ansi.enabled"')
            out.append(None)
            continue
        if isinstance(v, float):
            micros = int(v * MICROS_PER_SECOND)
        elif isinstance(v, decimal.Decimal):
            micros = int(v.scaleb(6))
        else:
            micros = int(v) * MICROS_PER_SECOND
        if not -2 ** 63 <= micros < 2 ** 63:
            if mode == "ANSI":
                raise cast_overflow(v, src, to)
            micros = None
        out.append(micros)
    return pa.array(out, pa.int64()).cast(T.to_arrow(to))


def _utc_to_local(micros: int, tz: str) -> int:
    dt = _dt.datetime(1970, 1, 1, tzinfo=_dt.timezone.utc) + _dt.timedelta(microseconds=micros)
    off = dt.astimezone(zone(tz)).utcoffset() or _dt.timedelta(0)
    return micros + off // _dt.timedelta(microseconds=1)


def _local_to_utc(micros: int, tz: str) -> int:
    naive = _dt.datetime(1970, 1, 1) + _dt.timedelta(microseconds=micros)
    off = naive.replace(tzinfo=zone(tz)).utcoffset() or _dt.timedelta(0)
    return micros - off // _dt.timedelta(microseconds=1)


# ---------------------------------------------------------------------------- numeric
def numeric_cast(arr, src, to, mode):
    valid = null_mask(arr)
    if isinstance(to, T.DecimalType):
        return _to_decimal(arr, src, to, mode, valid)
    if isinstance(src, T.DecimalType):
        un = D.unscaled(arr)
        if isinstance(to, (T.FloatType, T.DoubleType)):
            if un.dtype != object and src.precision <= 15:
                vals = un.astype(np.float64) / (10.0 ** src.scale)
            else:
                vals = np.array([float(decimal.Decimal(int(v)).scaleb(-src.scale))
                                 for v in un], dtype=np.float64)
            return from_numpy(vals.astype(np.float32) if isinstance(to, T.FloatType) else vals,
                              valid, T.to_arrow(to))
        # decimal -> integral truncates toward zero
        p = D.POW10[src.scale]
        if un.dtype != object:
            q = np.abs(un) // p
            ints = np.where(un < 0, -q, q)
        else:
            ints = np.array([(-1 if v < 0 else 1) * (abs(v) // p) for v in un], dtype=object)
        return _integral_from(ints, valid, src, to, mode,
                              lambda i: decimal.Decimal(int(un[i])).scaleb(-src.scale))
    if isinstance(src, (T.FloatType, T.DoubleType)):
        vals = to_numpy_filled(arr, np.float64)
        if isinstance(to, (T.FloatType, T.DoubleType)):
            return pc.cast(arr, T.to_arrow(to), safe=False)
        info = np.iinfo(_INT_NP[type(to)])
        bad = ~np.isfinite(vals) | (np.trunc(vals) < info.min) | (np.trunc(vals) > info.max)
        if valid is not None:
            bad &= valid
        if bad.any():
            if mode == "ANSI":
                i = int(np.argmax(bad))
                raise cast_overflow(float(vals[i]), src, to)
            valid = ~bad if valid is None else valid & ~bad
            vals = np.where(bad, 0, vals)
        return from_numpy(np.trunc(vals).astype(_INT_NP[type(to)]), valid, T.to_arrow(to))
    # integral source
    if isinstance(to, (T.FloatType, T.DoubleType)):
        return pc.cast(arr, T.to_arrow(to), safe=False)
    vals = to_numpy_filled(arr, np.int64)
    return _integral_from(vals, valid, src, to, mode, lambda i: int(vals[i]))


def _integral_from(vals, valid, src, to, mode, value_at: Callable):
    info = np.iinfo(_INT_NP[type(to)])
    if vals.dtype == object:
        bad = np.array([not (info.min <= v <= info.max) for v in vals], dtype=bool)
    else:
        bad = (vals < info.min) | (vals > info.max)
    if valid is not None:
        bad &= valid
    if bad.any():
        i = int(np.argmax(bad))
        if mode == "ANSI":
            raise cast_overflow(value_at(i), src, to)
        if mode == "TRY":
            valid = ~bad if valid is None else valid & ~bad
            vals = np.where(bad, 0, vals)
        else:
            vals = np.array([int(v) for v in vals], dtype=object)
            width = np.iinfo(_INT_NP[type(to)]).bits
            vals = np.array([((int(v) + (1 << (width - 1))) % (1 << width)) - (1 << (width - 1))
                             for v in vals], dtype=np.int64)
    return from_numpy(np.asarray(vals).astype(_INT_NP[type(to)]), valid, T.to_arrow(to))


def _to_decimal(arr, src, to: T.DecimalType, mode, valid):
    if isinstance(src, T.DecimalType):
        un = D.rescale(D.unscaled(arr), src.scale, to.scale)
    elif isinstance(src, T.IntegralType):
        un = D.rescale(to_numpy_filled(arr, np.int64), 0, to.scale)
    else:
        vals = to_numpy_filled(arr, np.float64)
        out = []
        bad_nan = np.zeros(len(vals), dtype=bool)
        for i, v in enumerate(vals):
            if not math.isfinite(v):
                bad_nan[i] = True
                out.append(0)
                continue
            d = decimal.Decimal(repr(float(v)) if isinstance(src, T.DoubleType)
                                else java_float_str(v)).quantize(
                decimal.Decimal(1).scaleb(-to.scale), context=DECIMAL_CONTEXT)
            out.append(int(d.scaleb(to.scale, context=DECIMAL_CONTEXT)))
        un = np.array(out, dtype=object)
        if valid is not None:
            bad_nan &= valid
        if bad_nan.any():
            if mode == "ANSI":
                i = int(np.argmax(bad_nan))
                raise ArithmeticException("CAST_OVERFLOW", value=Literal(float(vals[i]), src).sql(),
                                          sourceType=_q(src), targetType=_q(to),
                                          ansiConfig='"spark.sql.ansi.enabled"')
            valid = ~bad_nan if valid is None else valid & ~bad_nan
    ok = D.fits(un, to.precision)
    if valid is not None:
        ok |= ~valid
    if not ok.all():
        i = int(np.argmin(ok))
        if mode == "ANSI":
            from ember.engine.evaluator import numeric_out_of_range
            raise numeric_out_of_range(un[i], to)
        valid = ok if valid is None else valid & ok
        un = un.copy()
        un[~ok] = 0
    return D.from_unscaled(un, valid, to.precision, to.scale)


# ---------------------------------------------------------------------------- to string
def to_string(arr: pa.Array, src: T.DataType, ctx) -> pa.Array:
    if isinstance(src, (T.IntegralType, T.BooleanType)):
        return pc.cast(arr, pa.string())
    if isinstance(src, T.DateType):
        return _map(arr, lambda v: format_date(v), pa.int32())
    if isinstance(src, T.TimestampType):
        tz = ctx.time_zone
        return _map(arr, lambda v: format_timestamp(v, tz), pa.int64())
    if isinstance(src, T.TimestampNTZType):
        return _map(arr, lambda v: format_timestamp(v), pa.int64())
    if isinstance(src, T.DoubleType):
        return _map(arr, java_double_str, None)
    if isinstance(src, T.FloatType):
        return _map(arr, java_float_str, None)
    if isinstance(src, T.DecimalType):
        un = D.unscaled(arr)
        valid = null_mask(arr)
        out = [None if (valid is not None and not valid[i]) else
               format_unscaled(int(v), src.scale) for i, v in enumerate(un)]
        return pa.array(out, pa.string())
    if isinstance(src, T.BinaryType):
        return pa.array([None if v is None else v.decode("utf-8", "replace")
                         for v in arr.to_pylist()], pa.string())
    if isinstance(src, T.DayTimeIntervalType):
        return _map(arr, lambda v: format_day_time_ansi(v, src.startField, src.endField),
                    pa.int64())
    if isinstance(src, T.YearMonthIntervalType):
        return _map(arr, lambda v: format_year_month_ansi(v, src.startField, src.endField),
                    None)
    if isinstance(src, (T.ArrayType, T.MapType, T.StructType)):
        from ember.engine.result_format import nested_cast_string
        return pa.array([None if v is None else nested_cast_string(v, src, ctx)
                         for v in arr.to_pylist()], pa.string())
    from ember.errors import not_supported
    raise not_supported(f"CAST from {src.sql()} to STRING")


def format_unscaled(v: int, scale: int) -> str:
    sign = "-" if v < 0 else ""
    digits = str(abs(v))
    if scale == 0:
        return sign + digits
    digits = digits.rjust(scale + 1, "0")
    return f"{sign}{digits[:-scale]}.{digits[-scale:]}"


def _map(arr: pa.Array, fn, as_type) -> pa.Array:
    if as_type is not None:
        arr = arr.cast(as_type)
    return pa.array([None if v is None else fn(v) for v in arr.to_pylist()], pa.string())


# ---------------------------------------------------------------------------- from string
_INT_TEXT = re.compile(r"[+-]?\d+")
_FLOAT_TEXT = re.compile(
    r"[+-]?(?:(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?[dDfF]?|inf|infinity|nan)", re.I)
_DEC_TEXT = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?")
_TRUE = {"t", "true", "y", "yes", "1"}
_FALSE = {"f", "false", "n", "no", "0"}


def _strip(s: str) -> str:
    return s.strip(" \t\n\r\x0b\x0c\x00\x01\x02\x03\x04\x05\x06\x07\x08\x0e\x0f\x10\x11\x12"
                   "\x13\x14\x15\x16\x17\x18\x19\x1a\x1b\x1c\x1d\x1e\x1f")


def from_string(arr: pa.Array, to: T.DataType, mode: str, ctx) -> pa.Array:
    if isinstance(to, T.BinaryType):
        return pc.cast(arr, pa.binary())
    values = arr.to_pylist()
    out: List = []
    src = T.StringType()
    parse = _parser_for(to, ctx)
    for s in values:
        if s is None:
            out.append(None)
            continue
        v = parse(s)
        if v is _BAD:
            if mode == "ANSI":
                raise invalid_input(s, src, to)
            out.append(None)
        elif v is _OVERFLOW:
            if mode == "ANSI":
                raise _string_decimal_overflow(s, to)
            out.append(None)
        else:
            out.append(v)
    if isinstance(to, T.DateType):
        return pa.array(out, pa.int32()).cast(pa.date32())
    if isinstance(to, (T.TimestampType, T.TimestampNTZType, T.DayTimeIntervalType)):
        return pa.array(out, pa.int64()).cast(T.to_arrow(to))
    return pa.array(out, T.to_arrow(to))


_BAD = object()
_OVERFLOW = object()


def _string_decimal_overflow(s, to):
    d = decimal.Decimal(_strip(s))
    return ArithmeticException("NUMERIC_VALUE_OUT_OF_RANGE.WITH_SUGGESTION",
                               value=format(d, "f"), precision=str(to.precision),
                               scale=str(to.scale), config='"spark.sql.ansi.enabled"')


def _parser_for(to: T.DataType, ctx) -> Callable:
    if isinstance(to, T.IntegralType):
        info = np.iinfo(_INT_NP[type(to)])

        def parse_int(s):
            t = _strip(s)
            if not _INT_TEXT.fullmatch(t):
                return _BAD
            v = int(t)
            return v if info.min <= v <= info.max else _BAD
        return parse_int
    if isinstance(to, (T.FloatType, T.DoubleType)):
        def parse_float(s):
            t = _strip(s)
            if not _FLOAT_TEXT.fullmatch(t):
                return _BAD
            low = t.lower().lstrip("+-")
            if low in ("inf", "infinity"):
                return float("-inf") if t.startswith("-") else float("inf")
            if low == "nan":
                return float("nan")
            if t[-1] in "dDfF":
                t = t[:-1]
            return float(t)
        return parse_float
    if isinstance(to, T.DecimalType):
        quant = decimal.Decimal(1).scaleb(-to.scale)

        def parse_decimal(s):
            t = _strip(s)
            if not _DEC_TEXT.fullmatch(t):
                return _BAD
            d = decimal.Decimal(t).quantize(quant, context=DECIMAL_CONTEXT)
            if abs(d.scaleb(to.scale, context=DECIMAL_CONTEXT)) >= D.POW10[to.precision]:
                return _OVERFLOW
            return d
        return parse_decimal
    if isinstance(to, T.BooleanType):
        def parse_bool(s):
            t = _strip(s).lower()
            if t in _TRUE:
                return True
            if t in _FALSE:
                return False
            return _BAD
        return parse_bool
    if isinstance(to, T.DateType):
        def parse_d(s):
            v = parse_date(s)
            return _BAD if v is None else v
        return parse_d
    if isinstance(to, T.TimestampType):
        tz = ctx.time_zone

        def parse_ts(s):
            v = parse_timestamp(s, tz)
            return _BAD if v is None else v
        return parse_ts
    if isinstance(to, T.TimestampNTZType):
        def parse_ntz(s):
            v = parse_timestamp(s, None)
            return _BAD if v is None else v
        return parse_ntz
    if isinstance(to, (T.YearMonthIntervalType, T.DayTimeIntervalType)):
        from ember._values import parse_day_time_interval, parse_year_month_interval
        parse_iv = (parse_year_month_interval if isinstance(to, T.YearMonthIntervalType)
                    else parse_day_time_interval)

        def parse_interval(s):
            v = parse_iv(s, to.startField, to.endField)
            return _BAD if v is None else v
        return parse_interval
    from ember.errors import not_supported
    raise not_supported(f"CAST from STRING to {to.sql()}")
