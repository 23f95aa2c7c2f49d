"""Datetime functions, core: the row-function machinery, date arithmetic (date_add,
add_months, datediff, months_between, last_day, next_day), truncation (trunc, date_trunc),
fields (year()/month()/hour()/..., extract/date_part, also on intervals) and
timestampadd/timestampdiff. Parsing/formatting live in datetime_parse, constructors and
clocks in datetime_make.

Values are handled in Ember's internal forms (ember._values): dates are days, timestamps
microseconds (UTC for TIMESTAMP, local for TIMESTAMP_NTZ), intervals months or microseconds.
Most functions here work row by row in Python over those ints (`_RowFunction`); the hot
date fields and date_add/datediff are vectorized with NumPy."""
from __future__ import annotations

import calendar
import datetime as _dt
import decimal

import numpy as np
import pyarrow as pa

from ember import types as T
from ember._values import EPOCH, EPOCH_DATE, MICROS_PER_DAY, MICROS_PER_SECOND
from ember.catalog.functions import builtin
from ember.conf import active_conf
from ember.errors import AnalysisException, SparkRuntimeException
from ember.optimizer.expressions import Literal, RuntimeReplaceable, ScalarFunction
from ember.optimizer.expressions.functions import TypeCollection, _q
from ember.engine.datetime_format import parse_local
from ember.engine.datetime_ops import _add_months_to_days

_ANY_TS = TypeCollection(T.TimestampType(), T.TimestampNTZType())
_INT_DAYS = TypeCollection(T.IntegerType(), T.ShortType(), T.ByteType())
DEFAULT_TS_FORMAT = "yyyy-MM-dd HH:mm:ss"


def _arity(name, args, *counts):
    from ember.engine.functions.conditional import _arity as check
    check(name, args, *counts)


def _tz() -> str:
    return active_conf().time_zone


def _ansi() -> bool:
    return active_conf().ansi


def _to_local(micros: int, dt: T.DataType) -> int:
    if isinstance(dt, T.TimestampType):
        from ember.engine.cast import _utc_to_local
        return _utc_to_local(micros, _tz())
    return micros


def _from_local(micros: int, dt: T.DataType) -> int:
    if isinstance(dt, T.TimestampType):
        from ember.engine.cast import _local_to_utc
        return _local_to_utc(micros, _tz())
    return micros


def _local_dt(micros: int) -> _dt.datetime:
    return EPOCH + _dt.timedelta(microseconds=micros)


def _dt_micros(d: _dt.datetime) -> int:
    return (d - EPOCH) // _dt.timedelta(microseconds=1)


def _days_date(days: int) -> _dt.date:
    return EPOCH_DATE + _dt.timedelta(days=days)


# ---------------------------------------------------------------------------- row functions
def _py(arr: pa.Array):
    t = arr.type
    if pa.types.is_date32(t):
        return arr.cast(pa.int32()).to_pylist()
    if pa.types.is_timestamp(t) or pa.types.is_duration(t):
        return arr.cast(pa.int64()).to_pylist()
    return arr.to_pylist()


def _arrow(values, dt: T.DataType) -> pa.Array:
    at = T.to_arrow(dt)
    if isinstance(dt, T.DateType):
        return pa.array(values, pa.int32()).cast(at)
    if isinstance(dt, (T.TimestampType, T.TimestampNTZType, T.DayTimeIntervalType)):
        return pa.array(values, pa.int64()).cast(at)
    return pa.array(values, at)


class _RowFunction(ScalarFunction):
    """A function computed row by row on internal values; NULL in, NULL out."""
    result_type: T.DataType = T.DateType()

    @property
    def data_type(self):
        return self.result_type

    def row(self, *values):
        raise NotImplementedError

    def prepare(self):
        """Per-batch setup (time zone, ANSI flag)."""

    def evaluate(self, args, num_rows):
        self.prepare()
        cols = [_py(a) for a in args]
        rows = zip(*cols) if cols else [()] * num_rows
        row = self.row
        out = [None if None in r else row(*r) for r in rows]
        return _arrow(out, self.data_type)


def _fn(name, input_types, result, row, nullable=None):
    """Declare a simple row function class."""
    attrs = {"name": name, "input_types": input_types, "result_type": result,
             "row": lambda self, *v: row(self, *v)}
    return type("Fn_" + name, (_RowFunction,), attrs)


def _build(cls, args):
    from ember.optimizer.analyzer.type_coercion import coerce
    return coerce(cls(*args))


def _register(cls, *names, arity=None):
    n = arity if arity is not None else (len(cls.input_types),)

    @builtin(*names, group="datetime_funcs")
    def build(args, call):
        _arity(names[0], args, *n)
        out = _build(cls, args)
        return _named_as(out, call, cls.name)
    return build


def _called(call, default):
    parts = getattr(call, "name_parts", None)
    return parts[-1].lower() if parts else default


_RENAMED = {"date_diff"}


def _named_as(e, call, default):
    """Spark names an aliased function by the name it was called with (date_diff)."""
    name = _called(call, default)
    if name in _RENAMED and name != default and isinstance(e, ScalarFunction):
        import copy
        e = copy.copy(e)
        e.name = name
    return e


def _overflow(kind="long"):
    from ember.errors import ArithmeticException
    return ArithmeticException("ARITHMETIC_OVERFLOW", message=f"{kind} overflow",
                               alternative="", config='"spark.sql.ansi.enabled"')


# ---------------------------------------------------------------------------- date arithmetic
def _date_add(self, d, n):
    return d + n


def _date_sub(self, d, n):
    return d - n


DateAddFn = _fn("date_add", (T.DateType(), _INT_DAYS), T.DateType(), _date_add)
DateSubFn = _fn("date_sub", (T.DateType(), _INT_DAYS), T.DateType(), _date_sub)


def _vector_days(op, out_type):
    def evaluate(self, args, num_rows):
        from ember.engine.arrow_util import from_numpy, null_mask, to_numpy_filled
        a = to_numpy_filled(args[0], np.int64)
        b = to_numpy_filled(args[1], np.int64)
        r = op(a, b)
        valid = null_mask(*args)
        bad = (r < -2 ** 31) | (r >= 2 ** 31)
        if valid is not None:
            bad &= valid
        if bad.any():
            raise _overflow("integer")
        return from_numpy(r.astype(np.int32), valid, out_type)
    return evaluate


DateAddFn.evaluate = _vector_days(np.add, pa.date32())
DateSubFn.evaluate = _vector_days(np.subtract, pa.date32())
_register(DateAddFn, "date_add", "dateadd")
_register(DateSubFn, "date_sub")
AddMonths = _fn("add_months", (T.DateType(), T.IntegerType()), T.DateType(),
                lambda self, d, m: _add_months_to_days(d, m))
_register(AddMonths, "add_months")
DateDiff = _fn("datediff", (T.DateType(), T.DateType()), T.IntegerType(),
               lambda self, a, b: a - b)
DateDiff.evaluate = _vector_days(np.subtract, pa.int32())
_register(DateDiff, "datediff", "date_diff")


def _last_day(self, d):
    x = _days_date(d)
    return d + calendar.monthrange(x.year, x.month)[1] - x.day


LastDay = _fn("last_day", (T.DateType(),), T.DateType(), _last_day)
_register(LastDay, "last_day")

_DOW = {"SU": 6, "SUN": 6, "SUNDAY": 6, "MO": 0, "MON": 0, "MONDAY": 0, "TU": 1, "TUE": 1,
        "TUESDAY": 1, "WE": 2, "WED": 2, "WEDNESDAY": 2, "TH": 3, "THU": 3, "THURSDAY": 3,
        "FR": 4, "FRI": 4, "FRIDAY": 4, "SA": 5, "SAT": 5, "SATURDAY": 5}


class NextDay(_RowFunction):
    name = "next_day"
    input_types = (T.DateType(), T.StringType())
    result_type = T.DateType()

    def prepare(self):
        self._ansi = _ansi()

    def row(self, d, day):
        want = _DOW.get(day.strip().upper())
        if want is None:
            if self._ansi:
                raise SparkRuntimeException("ILLEGAL_DAY_OF_WEEK", string=day)
            return None
        cur = _days_date(d).weekday()
        delta = (want - cur) % 7 or 7
        return d + delta


_register(NextDay, "next_day")


class MonthsBetween(_RowFunction):
    name = "months_between"
    input_types = (T.TimestampType(), T.TimestampType(), T.BooleanType())
    result_type = T.DoubleType()

    def row(self, a, b, round_off):
        t1, t2 = _local_dt(_to_local(a, T.TimestampType())), _local_dt(_to_local(b, T.TimestampType()))
        months = (t1.year * 12 + t1.month) - (t2.year * 12 + t2.month)
        last1 = calendar.monthrange(t1.year, t1.month)[1]
        last2 = calendar.monthrange(t2.year, t2.month)[1]
        if t1.day == t2.day or (t1.day == last1 and t2.day == last2):
            return float(months)
        s1 = t1.hour * 3600 + t1.minute * 60 + t1.second
        s2 = t2.hour * 3600 + t2.minute * 60 + t2.second
        diff = months + ((t1.day - t2.day) * 86400 + s1 - s2) / (31 * 86400.0)
        if round_off:
            return _java_round(diff * 1e8) / 1e8
        return diff


def _java_round(x: float) -> float:
    return float(np.floor(x + 0.5))


@builtin("months_between", group="datetime_funcs")
def _months_between(args, call):
    _arity("months_between", args, 2, 3)
    if len(args) == 2:
        args = list(args) + [Literal(True, T.BooleanType())]
    return _build(MonthsBetween, args)


# ---------------------------------------------------------------------------- truncation
_TRUNC_LEVELS = {"MICROSECOND": 1, "MILLISECOND": 2, "SECOND": 3, "MINUTE": 4, "HOUR": 5,
                 "DAY": 6, "DD": 6, "WEEK": 7, "MON": 8, "MONTH": 8, "MM": 8, "QUARTER": 9,
                 "YEAR": 10, "YYYY": 10, "YY": 10}


def _trunc_days(days: int, level: int) -> int:
    d = _days_date(days)
    if level == 7:
        return days - d.weekday()
    if level == 8:
        return days - d.day + 1
    if level == 9:
        m = (d.month - 1) // 3 * 3 + 1
        return (_dt.date(d.year, m, 1) - EPOCH_DATE).days
    if level == 10:
        return (_dt.date(d.year, 1, 1) - EPOCH_DATE).days
    return days


class TruncDate(_RowFunction):
    name = "trunc"
    input_types = (T.DateType(), T.StringType())
    result_type = T.DateType()

    def row(self, d, fmt):
        level = _TRUNC_LEVELS.get(fmt.upper())
        if level is None or level < 7:
            return None
        return _trunc_days(d, level)


_register(TruncDate, "trunc")


class TruncTimestamp(_RowFunction):
    name = "date_trunc"
    input_types = (T.StringType(), T.TimestampType())
    result_type = T.TimestampType()

    def row(self, fmt, ts):
        level = _TRUNC_LEVELS.get(fmt.upper())
        if level is None:
            return None
        local = _to_local(ts, T.TimestampType())
        if level >= 6:
            days = _trunc_days(local // MICROS_PER_DAY, level)
            return _from_local(days * MICROS_PER_DAY, T.TimestampType())
        unit = {1: 1, 2: 1000, 3: MICROS_PER_SECOND, 4: 60 * MICROS_PER_SECOND,
                5: 3600 * MICROS_PER_SECOND}[level]
        return _from_local(local - local % unit, T.TimestampType())


_register(TruncTimestamp, "date_trunc")


# ---------------------------------------------------------------------------- fields
def _date_field(name, fn, vectorized=None):
    cls = _fn(name, (T.DateType(),), T.IntegerType(), lambda self, d: fn(_days_date(d)))
    if vectorized is not None:
        def evaluate(self, args, num_rows):
            from ember.engine.arrow_util import from_numpy, null_mask, to_numpy_filled
            days = to_numpy_filled(args[0], np.int64)
            out = vectorized(days).astype(np.int32)
            return from_numpy(out, null_mask(args[0]), pa.int32())
        cls.evaluate = evaluate
    return cls


def _np_year(days):
    return days.astype("datetime64[D]").astype("datetime64[Y]").astype(np.int64) + 1970


def _np_month(days):
    return days.astype("datetime64[D]").astype("datetime64[M]").astype(np.int64) % 12 + 1


def _np_day(days):
    d = days.astype("datetime64[D]")
    return (d - d.astype("datetime64[M]")).astype(np.int64) + 1


def _np_doy(days):
    d = days.astype("datetime64[D]")
    return (d - d.astype("datetime64[Y]")).astype(np.int64) + 1


Year = _date_field("year", lambda d: d.year, _np_year)
Month = _date_field("month", lambda d: d.month, _np_month)
DayOfMonth = _date_field("day", lambda d: d.day, _np_day)
DayOfMonthAlias = _date_field("dayofmonth", lambda d: d.day, _np_day)
DayOfWeek = _date_field("dayofweek", lambda d: (d.weekday() + 1) % 7 + 1,
                        lambda days: (days + 4) % 7 + 1)
WeekDay = _date_field("weekday", lambda d: d.weekday(), lambda days: (days + 3) % 7)
DayOfYear = _date_field("dayofyear", lambda d: d.timetuple().tm_yday, _np_doy)
WeekOfYear = _date_field("weekofyear", lambda d: d.isocalendar()[1])
Quarter = _date_field("quarter", lambda d: (d.month - 1) // 3 + 1,
                      lambda days: (_np_month(days) - 1) // 3 + 1)
YearOfWeek = _date_field("yearofweek", lambda d: d.isocalendar()[0])
DayOfWeekIso = _date_field("dow_iso", lambda d: d.weekday() + 1)
for _cls in (Year, Month, DayOfMonth, DayOfMonthAlias, DayOfWeek, WeekDay, DayOfYear,
             WeekOfYear, Quarter):
    _register(_cls, _cls.name)


def _time_field(name, fn):
    return _fn(name, (_ANY_TS,), T.IntegerType(),
               lambda self, ts: fn(_local_dt(_to_local(ts, self.children[0].data_type))))


def _fixed_offset_micros(dt: T.DataType):
    """The zone offset when it never changes (UTC, +05:30), else None."""
    if isinstance(dt, T.TimestampNTZType):
        return 0
    from ember._values import zone
    z = zone(_tz())
    if isinstance(z, _dt.timezone):
        return z.utcoffset(None) // _dt.timedelta(microseconds=1)
    return None


def _vector_time_field(cls, unit, modulo):
    row_evaluate = cls.evaluate

    def evaluate(self, args, num_rows):
        off = _fixed_offset_micros(self.children[0].data_type)
        if off is None:
            return row_evaluate(self, args, num_rows)
        from ember.engine.arrow_util import from_numpy, null_mask, to_numpy_filled
        local = to_numpy_filled(args[0], np.int64) + off
        out = (local // unit) % modulo
        return from_numpy(out.astype(np.int32), null_mask(args[0]), pa.int32())
    cls.evaluate = evaluate
    return cls


Hour = _vector_time_field(_time_field("hour", lambda t: t.hour), 3600 * MICROS_PER_SECOND, 24)
Minute = _vector_time_field(_time_field("minute", lambda t: t.minute), 60 * MICROS_PER_SECOND,
                            60)
Second = _vector_time_field(_time_field("second", lambda t: t.second), MICROS_PER_SECOND, 60)
for _cls in (Hour, Minute, Second):
    _register(_cls, _cls.name)


class SecondWithFraction(_RowFunction):
    name = "second"
    input_types = (_ANY_TS,)
    result_type = T.DecimalType(8, 6)

    def row(self, ts):
        local = _to_local(ts, self.children[0].data_type)
        us = local % (60 * MICROS_PER_SECOND)
        return decimal.Decimal(us).scaleb(-6)


# interval fields
def _iv_field(name, result, fn):
    return _fn(name, (None,), result, lambda self, v: fn(v))


def _trunc_div(a, b):
    q = abs(a) // b
    return q if a >= 0 else -q


def _trunc_mod(a, b):
    return a - _trunc_div(a, b) * b


IntervalYears = _iv_field("year", T.IntegerType(), lambda m: _trunc_div(m, 12))
IntervalMonths = _iv_field("month", T.ByteType(), lambda m: _trunc_mod(m, 12))
IntervalDays = _iv_field("day", T.IntegerType(), lambda us: _trunc_div(us, MICROS_PER_DAY))
IntervalHours = _iv_field("hour", T.ByteType(),
                          lambda us: _trunc_div(_trunc_mod(us, MICROS_PER_DAY), 3600 * 10 ** 6))
IntervalMinutes = _iv_field("minute", T.ByteType(),
                            lambda us: _trunc_div(_trunc_mod(us, 3600 * 10 ** 6), 60 * 10 ** 6))
IntervalSeconds = _iv_field("second", T.DecimalType(8, 6),
                            lambda us: decimal.Decimal(_trunc_mod(us, 60 * 10 ** 6)).scaleb(-6))

_FIELD_ALIASES = {
    "YEAR": ("YEAR", "Y", "YEARS", "YR", "YRS"), "YEAROFWEEK": ("YEAROFWEEK",),
    "QUARTER": ("QUARTER", "QTR"), "MONTH": ("MONTH", "MON", "MONS", "MONTHS"),
    "WEEK": ("WEEK", "W", "WEEKS"), "DAY": ("DAY", "D", "DAYS"),
    "DAYOFWEEK": ("DAYOFWEEK", "DOW"), "DAYOFWEEK_ISO": ("DAYOFWEEK_ISO", "DOW_ISO"),
    "DOY": ("DOY",), "HOUR": ("HOUR", "H", "HOURS", "HR", "HRS"),
    "MINUTE": ("MINUTE", "M", "MIN", "MINS", "MINUTES"),
    "SECOND": ("SECOND", "S", "SEC", "SECONDS", "SECS"),
}
_FIELD = {alias: canon for canon, names in _FIELD_ALIASES.items() for alias in names}
_DATE_FIELDS = {"YEAR": Year, "YEAROFWEEK": YearOfWeek, "QUARTER": Quarter, "MONTH": Month,
                "WEEK": WeekOfYear, "DAY": DayOfMonth, "DAYOFWEEK": DayOfWeek,
                "DAYOFWEEK_ISO": DayOfWeekIso, "DOY": DayOfYear}
_TIME_FIELDS = {"HOUR": Hour, "MINUTE": Minute, "SECOND": SecondWithFraction}


def _extract_replacement(field_text: str, source, fn_name: str):
    from ember.optimizer.analyzer.type_coercion import cast
    dt = source.data_type
    canon = _FIELD.get(field_text.upper())

    def bad():
        return AnalysisException("INVALID_EXTRACT_FIELD", field=_q_ident(field_text),
                                 expr=_q(source.pretty_sql()))
    if isinstance(dt, T.YearMonthIntervalType):
        cls = {"YEAR": IntervalYears, "MONTH": IntervalMonths}.get(canon)
        if cls is None or not dt.startField <= {"YEAR": 0, "MONTH": 1}[canon] <= dt.endField:
            raise bad()
        return cls(source)
    if isinstance(dt, T.DayTimeIntervalType):
        order = {"DAY": 0, "HOUR": 1, "MINUTE": 2, "SECOND": 3}
        cls = {"DAY": IntervalDays, "HOUR": IntervalHours, "MINUTE": IntervalMinutes,
               "SECOND": IntervalSeconds}.get(canon)
        if cls is None or not dt.startField <= order[canon] <= dt.endField:
            raise bad()
        return cls(source)
    if canon in _DATE_FIELDS:
        src = source
        if not isinstance(dt, T.DateType):
            src = cast(source, T.DateType())
        return _DATE_FIELDS[canon](src)
    if canon in _TIME_FIELDS:
        src = source
        if not isinstance(dt, (T.TimestampType, T.TimestampNTZType)):
            src = cast(source, T.TimestampType())
        return _TIME_FIELDS[canon](src)
    raise bad()


def _q_ident(s):
    return "`" + s + "`"


class Extract(RuntimeReplaceable):
    def __init__(self, field_text, source, replacement, fn_name):
        super().__init__(fn_name, [Literal(field_text, T.StringType()), source], replacement)
        self.field_text = field_text

    def _fields(self):
        return (self.name, self.field_text)

    def pretty_replacement(self):
        from ember.optimizer.expressions.base import pretty
        from ember.optimizer.expressions.named import PrettyAttribute
        src = pretty(self.parameters[1]).sql()
        text = (f"{self.name}({self.field_text} FROM {src})" if self.name != "date_part"
                else f"{self.name}({self.field_text}, {src})")
        return PrettyAttribute(text, self.data_type if self.resolved else None)

    def sql(self):
        src = self.parameters[1].sql()
        if self.name != "date_part":
            return f"{self.name}({self.field_text} FROM {src})"
        return f"{self.name}('{self.field_text}', {src})"


def _extract_builder(fn_name):
    def build(args, call):
        _arity(fn_name, args, 2)
        field, source = args
        if not (isinstance(field, Literal) and isinstance(field.value, str)):
            if fn_name == "extract":
                raise AnalysisException("INVALID_EXTRACT_FIELD", field=str(field),
                                        expr=_q(source.pretty_sql()))
            raise AnalysisException("NON_FOLDABLE_ARGUMENT", funcName="`date_part`",
                                    paramName="`field`", paramType='"STRING"')
        rep = _extract_replacement(field.value, source, fn_name)
        from ember.optimizer.analyzer.type_coercion import coerce
        rep = coerce(rep)
        err = rep.type_check()
        if err is not None:
            raise err
        return Extract(field.value, source, rep, _called(call, fn_name))
    return build


builtin("extract", group="datetime_funcs")(_extract_builder("extract"))
builtin("date_part", "datepart", group="datetime_funcs")(_extract_builder("date_part"))


class _FormatArg(_RowFunction):
    """Functions taking an optional pattern (a default is shown in the name when Spark does)."""

    def prepare(self):
        self._ansi = _ansi()
        self._tz = _tz()


def _parse_to_local(text: str, fmt: str):
    """Local micros and zone text (or raises ParseFailure)."""
    dt, zone_text = parse_local(text, fmt)
    return _dt_micros(dt), zone_text


def _local_to_utc_zone(local: int, zone_text, tz):
    from ember.engine.cast import _local_to_utc
    if zone_text:
        z = zone_text.upper()
        zid = "UTC" if z in ("Z", "UTC", "GMT") else zone_text
        if zid.upper().startswith("GMT") and len(zid) > 3:
            zid = zid[3:]
        return _local_to_utc(local, zid)
    return _local_to_utc(local, tz)


# ---------------------------------------------------------------------------- timestampadd/diff
_UNIT_MICROS = {"HOUR": 3600 * MICROS_PER_SECOND, "MINUTE": 60 * MICROS_PER_SECOND,
                "SECOND": MICROS_PER_SECOND, "MILLISECOND": 1000, "MICROSECOND": 1}
_UNIT_MONTHS = {"YEAR": 12, "QUARTER": 3, "MONTH": 1}
_UNIT_DAYS = {"WEEK": 7, "DAY": 1, "DAYOFYEAR": 1}


class TimestampAdd(_RowFunction):
    """timestampadd(unit, quantity, ts) (the parser turns the unit into a string literal)."""
    name = "timestampadd"
    input_types = (T.StringType(), T.LongType(), _ANY_TS)

    @property
    def data_type(self):
        return self.children[2].data_type

    def row(self, unit, n, ts):
        dt = self.children[2].data_type
        unit = unit.upper()
        if unit in _UNIT_MICROS:
            v = ts + n * _UNIT_MICROS[unit]
        else:
            local = _to_local(ts, dt)
            days, rest = divmod(local, MICROS_PER_DAY)
            if unit in _UNIT_MONTHS:
                days = _add_months_to_days(days, n * _UNIT_MONTHS[unit])
            else:
                days += n * _UNIT_DAYS[unit]
            v = _from_local(days * MICROS_PER_DAY + rest, dt)
        if not -2 ** 63 <= v < 2 ** 63:
            raise _overflow()
        return v


class TimestampDiff(_RowFunction):
    name = "timestampdiff"
    input_types = (T.StringType(), _ANY_TS, _ANY_TS)
    result_type = T.LongType()

    def row(self, unit, a, b):
        unit = unit.upper()
        if unit in _UNIT_MICROS:
            return int((b - a) / _UNIT_MICROS[unit]) if abs(b - a) < 2 ** 52 else \
                _trunc_div(b - a, _UNIT_MICROS[unit])
        la = _local_dt(_to_local(a, self.children[1].data_type))
        lb = _local_dt(_to_local(b, self.children[2].data_type))
        ka = (la.day, la.time())
        kb = (lb.day, lb.time())
        if unit in _UNIT_MONTHS:
            total = (lb.year * 12 + lb.month) - (la.year * 12 + la.month)
            if total > 0 and kb < ka:
                total -= 1
            elif total < 0 and kb > ka:
                total += 1
            return _trunc_div(total, _UNIT_MONTHS[unit])
        days = (lb.date() - la.date()).days
        if days > 0 and lb.time() < la.time():
            days -= 1
        elif days < 0 and lb.time() > la.time():
            days += 1
        return _trunc_div(days, _UNIT_DAYS[unit])


def _unit_builder(name, cls):
    def build(args, call):
        _arity(name, args, 3)
        unit = args[0]
        if not (isinstance(unit, Literal) and isinstance(unit.value, str)) or (
                unit.value.upper() not in set(_UNIT_MICROS) | set(_UNIT_MONTHS)
                | set(_UNIT_DAYS)):
            raise AnalysisException("INVALID_PARAMETER_VALUE.DATETIME_UNIT",
                                    functionName=f"`{name}`", parameter="`unit`",
                                    invalidValue=str(getattr(unit, "value", unit)))
        return _build(cls, args)
    return build


builtin("timestampadd", group="datetime_funcs")(_unit_builder("timestampadd", TimestampAdd))
builtin("timestampdiff", group="datetime_funcs")(_unit_builder("timestampdiff", TimestampDiff))


# the rest of the family registers itself on import
from ember.engine.functions import datetime_make, datetime_parse  # noqa: E402,F401
