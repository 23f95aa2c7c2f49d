"""Datetime parsing and formatting: to_date/to_timestamp[_ntz|_ltz]/try_to_*, date_format,
unix_timestamp/to_unix_timestamp, from_unixtime, and the epoch conversions
(timestamp_seconds/millis/micros, unix_seconds/millis/micros/date)."""
from __future__ import annotations

from ember import types as T
from ember.catalog.functions import builtin
from ember.engine.datetime_format import ParseFailure, cannot_parse, format_local
from ember.engine.functions.datetime import (AnalysisException, DEFAULT_TS_FORMAT, Literal,
    MICROS_PER_DAY, MICROS_PER_SECOND, RuntimeReplaceable, _FormatArg, _ansi, _arity, _build,
    _fn, _local_dt, _local_to_utc_zone, _parse_to_local, _q, _register)


# ---------------------------------------------------------------------------- parse / format

class ToTimestampFmt(_FormatArg):
    name = "to_timestamp"
    input_types = (T.StringType(), T.StringType())
    result_type = T.TimestampType()
    try_mode = False
    fail_func = "`try_to_timestamp`"

    def row(self, s, fmt):
        try:
            local, zone_text = _parse_to_local(s, fmt)
        except ParseFailure as ex:
            if self._ansi and not self.try_mode:
                raise cannot_parse(str(ex), self.fail_func)
            return None
        if isinstance(self.result_type, T.TimestampNTZType):
            return local
        if isinstance(self.result_type, T.DateType):
            return local // MICROS_PER_DAY
        return _local_to_utc_zone(local, zone_text, self._tz)


class TryToTimestampFmt(ToTimestampFmt):
    name = "try_to_timestamp"
    try_mode = True


class ToDateFmt(ToTimestampFmt):
    name = "to_date"
    result_type = T.DateType()


class ToTimestampNTZFmt(ToTimestampFmt):
    name = "to_timestamp_ntz"
    result_type = T.TimestampNTZType()


class ToTimestampLTZFmt(ToTimestampFmt):
    name = "to_timestamp_ltz"


class _Named(RuntimeReplaceable):
    """A function Spark rewrites to a cast (`to_date(s)` -> CAST(s AS DATE)) keeping its name."""


def _parse_builder(name, fmt_cls, target, try_mode=False):
    def build(args, call):
        _arity(name, args, 1, 2)
        from ember.optimizer.expressions import Cast
        if len(args) == 2:
            return _build(fmt_cls, args)
        src = args[0]
        sdt = src.data_type
        if isinstance(sdt, (T.StringType, T.NullType)) or not isinstance(
                sdt, (T.DateType, T.TimestampType, T.TimestampNTZType, T.NumericType)):
            rep = Cast(src, target, eval_mode="TRY" if try_mode or not _ansi() else "ANSI")
        elif isinstance(sdt, T.NumericType) and not isinstance(target, T.DateType):
            rep = Cast(src, target, eval_mode="TRY" if try_mode else "ANSI")
        else:
            rep = Cast(src, target)
        err = rep.type_check() if hasattr(rep, "type_check") else None
        if err is not None:
            raise err
        return RuntimeReplaceable(name, [src], rep)
    return build


builtin("to_date", group="datetime_funcs")(_parse_builder("to_date", ToDateFmt, T.DateType()))
builtin("to_timestamp", group="datetime_funcs")(
    _parse_builder("to_timestamp", ToTimestampFmt, T.TimestampType()))
builtin("try_to_timestamp", group="datetime_funcs")(
    _parse_builder("try_to_timestamp", TryToTimestampFmt, T.TimestampType(), try_mode=True))
builtin("to_timestamp_ntz", group="datetime_funcs")(
    _parse_builder("to_timestamp_ntz", ToTimestampNTZFmt, T.TimestampNTZType()))
builtin("to_timestamp_ltz", group="datetime_funcs")(
    _parse_builder("to_timestamp_ltz", ToTimestampLTZFmt, T.TimestampType()))


class DateFormat(_FormatArg):
    name = "date_format"
    input_types = (T.TimestampType(), T.StringType())
    result_type = T.StringType()

    def row(self, ts, fmt):
        from ember.engine.cast import _utc_to_local
        return format_local(_local_dt(_utc_to_local(ts, self._tz)), fmt, self._tz)


_register(DateFormat, "date_format")


class UnixTimestamp(_FormatArg):
    name = "unix_timestamp"
    input_types = (None, T.StringType())
    result_type = T.LongType()

    def row(self, v, fmt):
        dt = self.children[0].data_type
        if isinstance(dt, T.DateType):
            from ember.engine.cast import _local_to_utc
            return _local_to_utc(v * MICROS_PER_DAY, self._tz) // MICROS_PER_SECOND
        if isinstance(dt, T.TimestampType):
            return v // MICROS_PER_SECOND
        if isinstance(dt, T.TimestampNTZType):
            from ember.engine.cast import _local_to_utc
            return _local_to_utc(v, self._tz) // MICROS_PER_SECOND
        try:
            local, zone_text = _parse_to_local(v, fmt)
        except ParseFailure as ex:
            if self._ansi:
                raise cannot_parse(str(ex), "`try_to_timestamp`")
            return None
        return _local_to_utc_zone(local, zone_text, self._tz) // MICROS_PER_SECOND

    def type_check(self):
        dt = self.children[0].data_type
        if not isinstance(dt, (T.StringType, T.DateType, T.TimestampType, T.TimestampNTZType,
                               T.NullType)):
            from ember.optimizer.expressions.functions import ORDINALS
            return AnalysisException(
                "DATATYPE_MISMATCH.UNEXPECTED_INPUT_TYPE", sqlExpr=_q(self.pretty_sql()),
                paramIndex=ORDINALS[0], inputSql=_q(self.children[0].pretty_sql()),
                inputType=_q(dt.sql()),
                requiredType='("STRING" or "DATE" or "TIMESTAMP" or "TIMESTAMP_NTZ")')
        return super().type_check()


class ToUnixTimestamp(UnixTimestamp):
    name = "to_unix_timestamp"


def _unix_builder(name, cls):
    def build(args, call):
        if name == "unix_timestamp" and not args:
            from ember.engine.functions.datetime_make import CurrentTimestamp
            args = [CurrentTimestamp()]
        _arity(name, args, 1, 2)
        if len(args) == 1:
            args = [args[0], Literal(DEFAULT_TS_FORMAT, T.StringType())]
        if isinstance(args[0].data_type, T.NullType):
            from ember.optimizer.analyzer.type_coercion import cast
            args = [cast(args[0], T.StringType()), args[1]]
        return _build(cls, args)
    return build


builtin("unix_timestamp", group="datetime_funcs")(_unix_builder("unix_timestamp",
                                                                 UnixTimestamp))
builtin("to_unix_timestamp", group="datetime_funcs")(_unix_builder("to_unix_timestamp",
                                                                    ToUnixTimestamp))


class FromUnixTime(_FormatArg):
    name = "from_unixtime"
    input_types = (T.LongType(), T.StringType())
    result_type = T.StringType()

    def row(self, secs, fmt):
        from ember.engine.cast import _utc_to_local
        return format_local(_local_dt(_utc_to_local(secs * MICROS_PER_SECOND, self._tz)),
                            fmt, self._tz)


@builtin("from_unixtime", group="datetime_funcs")
def _from_unixtime(args, call):
    _arity("from_unixtime", args, 1, 2)
    if len(args) == 1:
        args = [args[0], Literal(DEFAULT_TS_FORMAT, T.StringType())]
    return _build(FromUnixTime, args)


def _epoch_fn(name, result, fn, input_type=T.LongType()):
    cls = _fn(name, (input_type,), result, lambda self, v: fn(v))
    _register(cls, name)
    return cls


_epoch_fn("timestamp_millis", T.TimestampType(), lambda v: v * 1000)
_epoch_fn("timestamp_micros", T.TimestampType(), lambda v: v)
_epoch_fn("unix_seconds", T.LongType(), lambda v: v // MICROS_PER_SECOND, T.TimestampType())
_epoch_fn("unix_millis", T.LongType(), lambda v: v // 1000, T.TimestampType())
_epoch_fn("unix_micros", T.LongType(), lambda v: v, T.TimestampType())
_epoch_fn("unix_date", T.IntegerType(), lambda v: v, T.DateType())
_epoch_fn("date_from_unix_date", T.DateType(), lambda v: v, T.IntegerType())


builtin("try_to_date", group="datetime_funcs")(
    _parse_builder("try_to_date", type("TryToDateFmt", (ToDateFmt,),
                                       {"name": "try_to_date", "try_mode": True}),
                   T.DateType(), try_mode=True))
