"""Spark's ResolveBinaryArithmetic for datetimes: `date - INTERVAL '68' DAY` becomes
`date_add(date, -extractansiintervaldays(...))`, `date + INTERVAL '1' MONTH` becomes
DateAddYMInterval, `ts + INTERVAL ...` TimeAdd, `date - date` SubtractDates, and so on."""
from __future__ import annotations

from ember import types as T
from ember.optimizer.expressions import (Add, Cast, Divide, Expression, Multiply,
                                         RuntimeReplaceable, Subtract, UnaryMinus)
from ember.optimizer.expressions.datetime import (
    DateAdd, DateAddYMInterval, DateSub, DivideInterval, ExtractANSIIntervalDays,
    MultiplyInterval, SubtractDates, SubtractTimestamps, TimeAdd, TimestampAddYMInterval)

_TS = (T.TimestampType, T.TimestampNTZType)


def _day_only(dt) -> bool:
    return isinstance(dt, T.DayTimeIntervalType) and dt.startField == dt.endField == 0


def rewrite_datetime_arithmetic(e: Expression) -> Expression:
    if isinstance(e, (Multiply, Divide)) and e.children_resolved:
        return _interval_by_number(e)
    if not isinstance(e, (Add, Subtract)) or not e.children_resolved:
        return e
    l, r = e.left, e.right
    lt, rt = l.data_type, r.data_type
    if isinstance(e, Add):
        # put the datetime on the left
        if isinstance(rt, (T.DateType,) + _TS) and not isinstance(lt, (T.DateType,) + _TS):
            l, r, lt, rt = r, l, rt, lt
        return _add(e, l, r, lt, rt, negate=False)
    if isinstance(lt, T.DateType) and isinstance(rt, T.DateType):
        return SubtractDates(l, r)
    if isinstance(lt, _TS + (T.DateType,)) and isinstance(rt, _TS + (T.DateType,)):
        return SubtractTimestamps(_as_ts(l), _as_ts(r))
    if isinstance(lt, T.DateType) and isinstance(rt, T.IntegralType):
        return DateSub(l, r)
    return _add(e, l, r, lt, rt, negate=True)


def _as_ts(e):
    return Cast(e, T.TimestampType()) if isinstance(e.data_type, T.DateType) else e


def _add(e, l, r, lt, rt, negate):
    def neg(x):
        return UnaryMinus(x) if negate else x

    def sub(replacement):
        # `x - interval` keeps reading as a subtraction (Spark's DatetimeSub)
        return DatetimeSub(l, r, replacement) if negate else replacement
    if isinstance(lt, T.DateType):
        if _day_only(rt):
            return DateAdd(l, neg(ExtractANSIIntervalDays(r)))
        if isinstance(rt, T.DayTimeIntervalType):
            return sub(TimeAdd(Cast(l, T.TimestampType()), neg(r)))
        if isinstance(rt, T.YearMonthIntervalType):
            return sub(DateAddYMInterval(l, neg(r)))
        if isinstance(rt, T.IntegralType) and not negate:
            return DateAdd(l, r)
    if isinstance(lt, _TS):
        if isinstance(rt, T.DayTimeIntervalType):
            return sub(TimeAdd(l, neg(r)))
        if isinstance(rt, T.YearMonthIntervalType):
            return sub(TimestampAddYMInterval(l, neg(r)))
    _ivs = (T.DayTimeIntervalType, T.NullType)
    if isinstance(rt, T.DayTimeIntervalType) and not isinstance(lt, _ivs):
        return _time_add_other(sub, l, neg(r))
    if not negate and isinstance(lt, T.DayTimeIntervalType) and not isinstance(rt, _ivs):
        return _time_add_other(sub, r, l)
    if isinstance(lt, T.NullType) and isinstance(rt, (T.DayTimeIntervalType,
                                                      T.YearMonthIntervalType)):
        return e.with_new_children([Cast(l, rt), r])
    if isinstance(rt, T.NullType) and isinstance(lt, (T.DayTimeIntervalType,
                                                      T.YearMonthIntervalType)):
        return e.with_new_children([l, Cast(r, lt)])
    return e


def _time_add_other(sub, ts, interval):
    """Spark's `Cast(TimeAdd(l, r), l.dataType)`: a string is read as a timestamp and the
    result turned back into a string; other types fail TimeAdd's type check."""
    if isinstance(ts.data_type, T.StringType):
        return Cast(sub(TimeAdd(Cast(ts, T.TimestampType()), interval)), T.StringType())
    return sub(TimeAdd(ts, interval))


def _interval_by_number(e):
    """interval * num, num * interval, interval / num (Multiply/DivideYM/DTInterval)."""
    l, r = e.left, e.right
    ivs = (T.DayTimeIntervalType, T.YearMonthIntervalType)
    if isinstance(e, Multiply) and isinstance(r.data_type, ivs) and not isinstance(
            l.data_type, ivs):
        l, r = r, l
    if not isinstance(l.data_type, ivs):
        return e
    if isinstance(r.data_type, T.StringType):
        r = Cast(r, T.DoubleType())
    cls = MultiplyInterval if isinstance(e, Multiply) else DivideInterval
    out = cls(l, r, getattr(e, "eval_mode", "ANSI"))
    out.origin = e.origin
    return out


class DatetimeSub(RuntimeReplaceable):
    def __init__(self, left, right, replacement):
        super().__init__("-", [left, right], replacement)

    def pretty_replacement(self):
        from ember.optimizer.expressions.base import pretty
        from ember.optimizer.expressions.named import PrettyAttribute
        l, r = self.parameters
        return PrettyAttribute(f"{pretty(l).sql()} - {pretty(r).sql()}",
                               self.data_type if self.resolved else None)

    def sql(self):
        l, r = self.parameters
        return f"{l.sql()} - {r.sql()}"
