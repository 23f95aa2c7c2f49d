"""Literal values.

Python representations (see ember._values): ints for integral types, float, decimal.Decimal,
str, bytes, bool, int days for dates, int micros for timestamps and day-time intervals, int
months for year-month intervals, list for arrays, list of (key, value) pairs for maps, tuple
for structs, None for NULL.
"""
from __future__ import annotations

import datetime as _dt
import decimal
from typing import Any

from ember import types as T
from ember._java import java_double_str, java_float_str
from ember._values import (format_date, format_day_time_ansi, format_timestamp,
                           format_year_month_ansi, date_to_days, EPOCH)
from ember.conf import active_conf
from ember.optimizer.expressions.base import LeafExpression

# Exact arithmetic on Spark decimals (38 digits) needs more than Python's default 28.
DECIMAL_CONTEXT = decimal.Context(prec=100, rounding=decimal.ROUND_HALF_UP)


class Literal(LeafExpression):
    def __init__(self, value: Any, data_type: T.DataType):
        self.value = value
        self._data_type = data_type

    @staticmethod
    def of(value: Any) -> "Literal":
        """A literal for a Python value with the Spark type Spark would infer."""
        if value is None:
            return Literal(None, T.NullType())
        if isinstance(value, bool):
            return Literal(value, T.BooleanType())
        if isinstance(value, int):
            if -2**31 <= value < 2**31:
                return Literal(value, T.IntegerType())
            return Literal(value, T.LongType())
        if isinstance(value, float):
            return Literal(value, T.DoubleType())
        if isinstance(value, decimal.Decimal):
            sign, digits, exp = value.as_tuple()
            scale = max(0, -exp)
            precision = max(len(digits) + max(0, exp), scale, 1)
            return Literal(value, T.DecimalType(precision, scale))
        if isinstance(value, str):
            return Literal(value, T.StringType())
        if isinstance(value, (bytes, bytearray)):
            return Literal(bytes(value), T.BinaryType())
        if isinstance(value, _dt.datetime):
            micros = (value.replace(tzinfo=None) - EPOCH) // _dt.timedelta(microseconds=1)
            if value.tzinfo is not None:
                micros -= value.utcoffset() // _dt.timedelta(microseconds=1)
            return Literal(micros, T.TimestampType())
        if isinstance(value, _dt.date):
            return Literal(date_to_days(value), T.DateType())
        if isinstance(value, _dt.timedelta):
            return Literal(value // _dt.timedelta(microseconds=1), T.DayTimeIntervalType())
        raise TypeError(f"no literal for {value!r}")

    @property
    def data_type(self):
        return self._data_type

    @property
    def nullable(self) -> bool:
        return self.value is None

    @property
    def foldable(self) -> bool:
        return True

    @property
    def resolved(self) -> bool:
        return True

    def _fields(self):
        v = self.value
        if isinstance(v, float) and v != v:
            v = "NaN"
        if isinstance(v, list):
            v = repr(v)
        return (type(v).__name__, v, self._data_type)

    # ------------------------------------------------------------------ text forms
    def pretty_text(self) -> str:
        """How the literal reads inside a generated column name (Spark's usePrettyExpression)."""
        dt, v = self._data_type, self.value
        if v is None:
            return "NULL"
        if isinstance(dt, T.StringType):
            return v
        if isinstance(dt, T.NumericType):
            return _numeric_text(v, dt)
        return self.sql()

    def sql(self) -> str:
        dt, v = self._data_type, self.value
        if v is None:
            if isinstance(dt, (T.NullType, T.ArrayType, T.MapType, T.StructType)):
                return "NULL"
            return f"CAST(NULL AS {dt.sql()})"
        if isinstance(dt, T.StringType):
            return "'" + v.replace("\\", "\\\\").replace("'", "\\'") + "'"
        if isinstance(dt, T.BooleanType):
            return "true" if v else "false"
        if isinstance(dt, T.ByteType):
            return f"{v}Y"
        if isinstance(dt, T.ShortType):
            return f"{v}S"
        if isinstance(dt, T.IntegerType):
            return str(v)
        if isinstance(dt, T.LongType):
            return f"{v}L"
        if isinstance(dt, T.DecimalType):
            return f"{_numeric_text(v, dt)}BD"
        if isinstance(dt, T.DoubleType):
            if v != v or v in (float("inf"), float("-inf")):
                return f"CAST('{java_double_str(v)}' AS DOUBLE)"
            return f"{java_double_str(v)}D"
        if isinstance(dt, T.FloatType):
            if v != v or v in (float("inf"), float("-inf")):
                return f"CAST('{java_float_str(v)}' AS FLOAT)"
            return f"CAST({java_float_str(v)} AS FLOAT)"
        if isinstance(dt, T.DateType):
            return f"DATE '{format_date(v)}'"
        if isinstance(dt, T.TimestampNTZType):
            return f"TIMESTAMP_NTZ '{format_timestamp(v)}'"
        if isinstance(dt, T.TimestampType):
            return f"TIMESTAMP '{format_timestamp(v, active_conf().time_zone)}'"
        if isinstance(dt, T.BinaryType):
            return "X'" + v.hex().upper() + "'"
        if isinstance(dt, T.DayTimeIntervalType):
            return format_day_time_ansi(v, dt.startField, dt.endField)
        if isinstance(dt, T.YearMonthIntervalType):
            return format_year_month_ansi(v, dt.startField, dt.endField)
        return str(v)

    def __str__(self) -> str:
        """Spark's Literal.toString, used in plan trees."""
        dt, v = self._data_type, self.value
        if v is None:
            return "null"
        if isinstance(dt, T.StringType):
            return v
        if isinstance(dt, T.NumericType):
            return _numeric_text(v, dt)
        if isinstance(dt, T.BooleanType):
            return "true" if v else "false"
        if isinstance(dt, T.DateType):
            return format_date(v)
        if isinstance(dt, T.TimestampType):
            return format_timestamp(v, active_conf().time_zone)
        if isinstance(dt, T.TimestampNTZType):
            return format_timestamp(v)
        if isinstance(dt, T.BinaryType):
            return "0x" + v.hex().upper()
        return self.sql()


def _numeric_text(v, dt) -> str:
    if isinstance(dt, T.DoubleType):
        return java_double_str(v)
    if isinstance(dt, T.FloatType):
        return java_float_str(v)
    if isinstance(dt, T.DecimalType):
        return format_decimal(v, dt.scale)
    return str(v)


def format_decimal(v: decimal.Decimal, scale: int) -> str:
    """A decimal as Spark prints it: plain notation with exactly `scale` fraction digits."""
    if v.as_tuple().exponent != -scale:
        v = v.quantize(decimal.Decimal(1).scaleb(-scale), context=DECIMAL_CONTEXT)
    return format(v, "f")


TRUE = Literal(True, T.BooleanType())
FALSE = Literal(False, T.BooleanType())


def null_of(dt: T.DataType) -> Literal:
    return Literal(None, dt)
