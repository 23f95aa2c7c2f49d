"""Spark's ResolveBinaryArithmetic for datetimes: `date - INTERVAL '68' DAY` becomes
`date_add(date, -extractansiintervaldays(...))`, `date + INTERVAL '1' MONTH` becomes
DateAddYMInterval, `ts + INTERVAL ...` TimeAdd, `date - date` SubtractDates, and so on."""
from __future__ import annotations

from ember import types as T
from ember.optimizer.expressions import (Add, Cast, Expression, RuntimeReplaceable, Subtract,
                                         UnaryMinus)
from ember.optimizer.expressions.datetime import (
    DateAdd, DateAddYMInterval, DateSub, ExtractANSIIntervalDays, SubtractDates,
    SubtractTimestamps, TimeAdd, TimestampAddYMInterval)

_TS = (T.TimestampType, T.TimestampNTZType)


def _day_only(dt) -> bool:
    return isinstance(dt, T.DayTimeIntervalType) and dt.startField == dt.endField == 0


def rewrite_datetime_arithmetic(e: Expression) -> Expression:
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
    return e


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
