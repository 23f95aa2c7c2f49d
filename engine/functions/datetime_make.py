"""Datetime constructors and clocks: make_date, make_timestamp[_ntz|_ltz] and their try_
forms, make_dt/ym_interval, make_interval, from/to_utc_timestamp, convert_timezone,
time_bucket, window_time, dayname/monthname, date()/timestamp(), current_date/timestamp/..."""
from __future__ import annotations

import calendar
import datetime as _dt
import decimal
import time as _time

import pyarrow as pa

from ember import types as T
from ember.catalog.functions import builtin
from ember.engine.datetime_format import DAYS
from ember.errors import DateTimeException
from ember.engine.functions.datetime import (AnalysisException, EPOCH_DATE, Literal,
    MICROS_PER_DAY, MICROS_PER_SECOND, ScalarFunction, _ANY_TS, _FormatArg, _RowFunction,
    _add_months_to_days, _arity, _arrow, _build, _days_date, _dt_micros, _fn, _from_local,
    _local_dt, _local_to_utc_zone, _overflow, _py, _q, _register, _to_local, _tz)


# ---------------------------------------------------------------------------- constructors
def _out_of_bounds(message):
    return DateTimeException("DATETIME_FIELD_OUT_OF_BOUNDS.WITHOUT_SUGGESTION",
                             rangeMessage=message)


def _check_field(name, v, lo, hi):
    if not lo <= v <= hi:
        raise _out_of_bounds(f"Invalid value for {name} (valid values {lo} - {hi}): {v}")


class MakeDate(_FormatArg):
    name = "make_date"
    input_types = (T.IntegerType(), T.IntegerType(), T.IntegerType())
    result_type = T.DateType()

    def row(self, y, m, d):
        try:
            _check_field("Year", y, -999999999, 999999999)
            _check_field("MonthOfYear", m, 1, 12)
            _check_field("DayOfMonth", d, 1, 31)
            if d > calendar.monthrange(y, m)[1] if 1 <= y <= 9999 else False:
                if d == 29 and m == 2:
                    raise _out_of_bounds(f"Invalid date 'February 29' as '{y}' is not a "
                                         "leap year")
                raise _out_of_bounds(f"Invalid date '{calendar.month_name[m].upper()} {d}'")
            return (_dt.date(y, m, d) - EPOCH_DATE).days
        except DateTimeException:
            if self._ansi:
                raise
            return None


_register(MakeDate, "make_date")


class MakeTimestamp(_FormatArg):
    name = "make_timestamp"
    input_types = (T.IntegerType(), T.IntegerType(), T.IntegerType(), T.IntegerType(),
                   T.IntegerType(), T.DecimalType(16, 6), T.StringType())
    result_type = T.TimestampType()

    def row(self, y, mo, d, h, mi, sec, zone_text=None):
        try:
            _check_field("MonthOfYear", mo, 1, 12)
            _check_field("DayOfMonth", d, 1, 31)
            _check_field("HourOfDay", h, 0, 23)
            _check_field("MinuteOfHour", mi, 0, 59)
            micros = int(decimal.Decimal(sec).scaleb(6))
            if micros == 60 * MICROS_PER_SECOND:
                extra = 60
                micros = 0
            else:
                if not 0 <= micros < 60 * MICROS_PER_SECOND:
                    raise DateTimeException("INVALID_FRACTION_OF_SECOND",
                                            secAndMicros=str(sec))
                extra = 0
            try:
                base = _dt.datetime(y, mo, d, h, mi)
            except ValueError as ex:
                raise _out_of_bounds(f"Invalid date: {ex}")
            local = _dt_micros(base) + micros + extra * MICROS_PER_SECOND
        except DateTimeException:
            if self._ansi:
                raise
            return None
        if isinstance(self.result_type, T.TimestampNTZType):
            return local
        return _local_to_utc_zone(local, zone_text, self._tz)


class MakeTimestampNTZ(MakeTimestamp):
    name = "make_timestamp_ntz"
    result_type = T.TimestampNTZType()


class MakeTimestampLTZ(MakeTimestamp):
    name = "make_timestamp_ltz"


def _make_ts_builder(name, cls, counts):
    def build(args, call):
        _arity(name, args, *counts)
        obj = cls(*args)
        obj.input_types = cls.input_types[:len(args)]
        from ember.optimizer.analyzer.type_coercion import coerce
        return coerce(obj)
    return build


builtin("make_timestamp", group="datetime_funcs")(
    _make_ts_builder("make_timestamp", MakeTimestamp, (6, 7)))
builtin("make_timestamp_ltz", group="datetime_funcs")(
    _make_ts_builder("make_timestamp_ltz", MakeTimestampLTZ, (6, 7)))
builtin("make_timestamp_ntz", group="datetime_funcs")(
    _make_ts_builder("make_timestamp_ntz", MakeTimestampNTZ, (6,)))


class FromUTCTimestamp(_FormatArg):
    name = "from_utc_timestamp"
    input_types = (T.TimestampType(), T.StringType())
    result_type = T.TimestampType()
    to_utc = False

    def row(self, ts, zone_text):
        from ember.engine.cast import _local_to_utc, _utc_to_local
        try:
            if self.to_utc:
                return _local_to_utc(_utc_to_local(ts, self._tz), zone_text)
            return _local_to_utc(_utc_to_local(ts, zone_text), self._tz)
        except Exception:
            return None


class ToUTCTimestamp(FromUTCTimestamp):
    name = "to_utc_timestamp"
    to_utc = True


_register(FromUTCTimestamp, "from_utc_timestamp")
_register(ToUTCTimestamp, "to_utc_timestamp")


# ---------------------------------------------------------------------------- current time
class _Current(ScalarFunction):
    """current_date/current_timestamp: one value per query (the optimizer's
    compute_current_time replaces them with literals of one instant)."""
    null_intolerant = False
    is_current_time = True

    @property
    def nullable(self):
        return False

    @property
    def foldable(self):
        return True

    def evaluate(self, args, num_rows):
        now = int(_time.time() * 1_000_000)
        v = self.value(now)
        return _arrow([v] * num_rows, self.data_type)


class CurrentTimestamp(_Current):
    name = "current_timestamp"

    @property
    def data_type(self):
        return T.TimestampType()

    def value(self, now):
        return now


class Now(CurrentTimestamp):
    name = "now"


class LocalTimestamp(_Current):
    name = "localtimestamp"

    @property
    def data_type(self):
        return T.TimestampNTZType()

    def value(self, now):
        return _to_local(now, T.TimestampType())


class CurrentDate(_Current):
    name = "current_date"

    @property
    def data_type(self):
        return T.DateType()

    def value(self, now):
        return _to_local(now, T.TimestampType()) // MICROS_PER_DAY


class CurrentUnixTimestamp(_Current):
    name = "unix_timestamp"

    @property
    def data_type(self):
        return T.LongType()

    def value(self, now):
        return now // MICROS_PER_SECOND


class CurrentTimezone(_Current):
    name = "current_timezone"

    @property
    def data_type(self):
        return T.StringType()

    def value(self, now):
        return _tz()


for _cls in (CurrentTimestamp, Now, LocalTimestamp, CurrentDate, CurrentTimezone):
    _register(_cls, _cls.name, arity=(0,))
builtin("curdate", group="datetime_funcs")(lambda args, call: CurrentDate())


# ---------------------------------------------------------------------------- more constructors


def _try_cls(cls):
    return type("Try" + cls.__name__, (cls,), {"name": "try_" + cls.name, "try_mode": True})


class _MakeTsFromDate(_FormatArg):
    """make_timestamp(date): midnight of the date in the session zone."""
    input_types = (T.DateType(),)
    result_type = T.TimestampType()

    def row(self, d):
        local = d * MICROS_PER_DAY
        if isinstance(self.result_type, T.TimestampNTZType):
            return local
        return _local_to_utc_zone(local, None, self._tz)


def _make_ts_any(name, cls, counts):
    def build(args, call):
        from ember.optimizer.analyzer.type_coercion import coerce
        if len(args) == 1 and isinstance(args[0].data_type, T.DateType):
            obj = type("MakeTsDate", (_MakeTsFromDate,),
                       {"name": name, "result_type": cls.result_type})(args[0])
            return coerce(obj)
        _arity(name, args, *counts)
        obj = cls(*args)
        obj.input_types = cls.input_types[:len(args)]
        return coerce(obj)
    return build


for _name, _cls, _counts in (("make_timestamp", MakeTimestamp, (6, 7)),
                             ("make_timestamp_ltz", MakeTimestampLTZ, (6, 7)),
                             ("make_timestamp_ntz", MakeTimestampNTZ, (6,))):
    builtin(_name, group="datetime_funcs")(_make_ts_any(_name, _cls, _counts))
    _tcls = type("Try" + _cls.__name__, (_cls,), {"name": "try_" + _name})
    _tcls.prepare = lambda self: (setattr(self, "_ansi", False), setattr(self, "_tz", _tz()))
    if _name == "make_timestamp":    # Spark's try_make_timestamp leaves the zone out
        _tcls.sql = lambda self: (f"{self.name}("
                                  f"{', '.join(c.sql() for c in self.children[:6])})")
    builtin("try_" + _name, group="datetime_funcs")(_make_ts_any("try_" + _name, _tcls, _counts))


class MakeDTInterval(_RowFunction):
    name = "make_dt_interval"
    input_types = (T.IntegerType(), T.IntegerType(), T.IntegerType(), T.DecimalType(18, 6))
    result_type = T.DayTimeIntervalType()

    def row(self, d, h, m, s):
        v = ((d * 24 + h) * 60 + m) * 60 * MICROS_PER_SECOND + int(
            decimal.Decimal(s).scaleb(6))
        if not -2 ** 63 <= v < 2 ** 63:
            raise _overflow()
        return v


class MakeYMInterval(_RowFunction):
    name = "make_ym_interval"
    input_types = (T.IntegerType(), T.IntegerType())
    result_type = T.YearMonthIntervalType()

    def row(self, y, m):
        v = y * 12 + m
        if not -2 ** 31 <= v < 2 ** 31:
            raise _overflow("integer")
        return v


def _defaults_builder(name, cls, defaults):
    def build(args, call):
        _arity(name, args, *range(0, len(defaults) + 1))
        full = list(args) + [Literal(v, t) for v, t in defaults[len(args):]]
        return _build(cls, full)
    return build


builtin("make_dt_interval", group="datetime_funcs")(_defaults_builder(
    "make_dt_interval", MakeDTInterval,
    [(0, T.IntegerType()), (0, T.IntegerType()), (0, T.IntegerType()),
     (decimal.Decimal("0.000000"), T.DecimalType(18, 6))]))
builtin("make_ym_interval", group="datetime_funcs")(_defaults_builder(
    "make_ym_interval", MakeYMInterval, [(0, T.IntegerType()), (0, T.IntegerType())]))

DayName = _fn("dayname", (T.DateType(),), T.StringType(),
              lambda self, d: DAYS[_days_date(d).weekday()][:3])
MonthName = _fn("monthname", (T.DateType(),), T.StringType(),
                lambda self, d: _days_date(d).strftime("%b"))
_register(DayName, "dayname")
_register(MonthName, "monthname")


@builtin("date", group="conversion_funcs")
def _date_cast(args, call):
    from ember.optimizer.expressions import Cast
    _arity("date", args, 1)
    return Cast(args[0], T.DateType())


@builtin("timestamp", group="conversion_funcs")
def _timestamp_cast(args, call):
    from ember.optimizer.expressions import Cast
    _arity("timestamp", args, 1)
    return Cast(args[0], T.TimestampType())


class ConvertTimezone(_RowFunction):
    name = "convert_timezone"
    input_types = (T.StringType(), T.StringType(), T.TimestampNTZType())
    result_type = T.TimestampNTZType()

    def row(self, src, dst, ts):
        from ember.engine.cast import _local_to_utc, _utc_to_local
        return _utc_to_local(_local_to_utc(ts, src), dst)


@builtin("convert_timezone", group="datetime_funcs")
def _convert_timezone(args, call):
    _arity("convert_timezone", args, 2, 3)
    if len(args) == 2:
        args = [CurrentTimezone()] + list(args)
    return _build(ConvertTimezone, args)


class SecondsToTimestamp(_RowFunction):
    name = "timestamp_seconds"
    input_types = (T.NumericType,)
    result_type = T.TimestampType()

    def row(self, v):
        if isinstance(v, float):
            if v != v or v in (float("inf"), float("-inf")):
                return None
            return int(v * MICROS_PER_SECOND)
        if isinstance(v, decimal.Decimal):
            return int(v.scaleb(6))
        return v * MICROS_PER_SECOND


_register(SecondsToTimestamp, "timestamp_seconds")


class TimeBucket(_RowFunction):
    name = "time_bucket"
    input_types = (None, _ANY_TS, _ANY_TS)
    result_type = T.TimestampType()

    @property
    def data_type(self):
        return self.children[1].data_type

    def row(self, width, ts, origin):
        if isinstance(self.children[0].data_type, T.YearMonthIntervalType):
            tdt = self.children[1].data_type
            t, o = _local_dt(_to_local(ts, tdt)), _local_dt(_to_local(origin, tdt))
            months = (t.year - o.year) * 12 + t.month - o.month
            o_days = (o.date() - EPOCH_DATE).days
            o_rest = _dt_micros(o) - o_days * MICROS_PER_DAY

            def at(k):
                return _add_months_to_days(o_days, k) * MICROS_PER_DAY + o_rest
            if at(months) > _dt_micros(t):
                months -= 1
            k = (months // width) * width
            return _from_local(at(k), tdt)
        if width <= 0:
            return None
        return origin + ((ts - origin) // width) * width


@builtin("time_bucket", group="datetime_funcs")
def _time_bucket(args, call):
    _arity("time_bucket", args, 2, 3)
    if len(args) == 2:
        from ember.optimizer.analyzer.type_coercion import coerce
        tdt = args[1].data_type
        if not isinstance(tdt, T.TimestampNTZType):
            tdt = T.TimestampType()
        args = list(args) + [Literal(0, tdt)]
    return _build(TimeBucket, args)


def _time_unsupported(name):
    def build(args, call):
        raise AnalysisException("UNSUPPORTED_TIME_TYPE")
    builtin(name, group="datetime_funcs")(build)


for _name in ("make_time", "to_time", "try_to_time", "time_from_micros", "time_from_millis",
              "time_from_seconds", "time_to_micros", "time_to_millis", "time_to_seconds",
              "time_diff", "time_trunc", "current_time"):
    _time_unsupported(_name)


class MakeInterval(_RowFunction):
    """make_interval(years, months, weeks, days, hours, mins, secs): a CalendarInterval."""
    name = "make_interval"
    input_types = (T.IntegerType(),) * 6 + (T.DecimalType(18, 6),)
    result_type = T.CalendarIntervalType()
    fail = True

    def row(self, y, mo, w, d, h, mi, s):
        months = y * 12 + mo
        days = w * 7 + d
        micros = (h * 60 + mi) * 60 * MICROS_PER_SECOND + int(decimal.Decimal(s).scaleb(6))
        if not (-2 ** 31 <= months < 2 ** 31 and -2 ** 31 <= days < 2 ** 31
                and -2 ** 63 <= micros < 2 ** 63):
            if self.fail:
                raise _overflow("integer")
            return None
        return pa.scalar((months, days, micros * 1000), pa.month_day_nano_interval())

    def evaluate(self, args, num_rows):
        cols = [_py(a) for a in args]
        out = [None if None in r else self.row(*r) for r in zip(*cols)]
        return pa.array([None if v is None else v.as_py() for v in out],
                        pa.month_day_nano_interval())


class TryMakeInterval(MakeInterval):
    name = "try_make_interval"
    fail = False


_MI_DEFAULTS = [(0, T.IntegerType())] * 6 + [(decimal.Decimal("0.000000"), T.DecimalType(18, 6))]
builtin("make_interval", group="datetime_funcs")(_defaults_builder(
    "make_interval", MakeInterval, _MI_DEFAULTS))
builtin("try_make_interval", group="datetime_funcs")(_defaults_builder(
    "try_make_interval", TryMakeInterval, _MI_DEFAULTS))


class WindowTime(ScalarFunction):
    """window_time(window): the window's end minus one microsecond."""
    name = "window_time"

    @property
    def data_type(self):
        dt = self.children[0].data_type
        return dt.fields[1].dataType if isinstance(dt, T.StructType) else T.TimestampType()

    def type_check(self):
        dt = self.children[0].data_type
        if not (isinstance(dt, T.StructType) and [f.name for f in dt.fields] == ["start", "end"]):
            return AnalysisException(
                "DATATYPE_MISMATCH.UNEXPECTED_INPUT_TYPE", sqlExpr=_q(self.pretty_sql()),
                paramIndex="first", inputSql=_q(self.children[0].pretty_sql()),
                inputType=_q(dt.sql()), requiredType='"STRUCT<start: TIMESTAMP, end: TIMESTAMP>"')
        return None

    def evaluate(self, args, num_rows):
        arr = args[0]
        end = arr.field("end")
        vals = [None if v is None or not ok else v - 1
                for v, ok in zip(end.cast(pa.int64()).to_pylist(), arr.is_valid().to_pylist())]
        return pa.array(vals, pa.int64()).cast(end.type)


@builtin("window_time", group="datetime_funcs")
def _window_time(args, call):
    _arity("window_time", args, 1)
    return WindowTime(args[0])
