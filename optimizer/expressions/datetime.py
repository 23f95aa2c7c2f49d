"""Date/time arithmetic the analyzer substitutes for `+`/`-` on dates, timestamps and
intervals (Spark's DateAdd, DateAddYMInterval, TimeAdd, SubtractDates, ...)."""
from __future__ import annotations

from ember import types as T
from ember.optimizer.expressions.base import BinaryExpression, Expression, UnaryExpression


class _DateTimeBinary(BinaryExpression):
    def __init__(self, left: Expression, right: Expression):
        self.children = (left, right)

    @property
    def foldable(self):
        return self.left.foldable and self.right.foldable


class DateAdd(_DateTimeBinary):
    """date_add(start_date, num_days)."""

    @property
    def data_type(self):
        return T.DateType()

    @property
    def pretty_name(self):
        return "date_add"


class DateSub(DateAdd):
    @property
    def pretty_name(self):
        return "date_sub"


class DateAddYMInterval(_DateTimeBinary):
    """date + year-month interval; printed `left + right` as Spark does."""

    @property
    def data_type(self):
        return T.DateType()

    def sql(self):
        return f"{self.left.sql()} + {self.right.sql()}"

    def __str__(self):
        return f"{self.left} + {self.right}"


class TimeAdd(_DateTimeBinary):
    """timestamp + day-time interval."""

    @property
    def data_type(self):
        return self.left.data_type

    def sql(self):
        return f"{self.left.sql()} + {self.right.sql()}"

    def __str__(self):
        return f"{self.left} + {self.right}"


class TimestampAddYMInterval(TimeAdd):
    pass


class SubtractDates(_DateTimeBinary):
    @property
    def data_type(self):
        return T.DayTimeIntervalType(0, 0)

    def sql(self):
        return f"({self.left.sql()} - {self.right.sql()})"

    def __str__(self):
        return f"({self.left} - {self.right})"


class SubtractTimestamps(SubtractDates):
    @property
    def data_type(self):
        return T.DayTimeIntervalType(0, 3)


class ExtractANSIIntervalDays(UnaryExpression):
    def __init__(self, child: Expression):
        self.children = (child,)

    @property
    def data_type(self):
        return T.IntegerType()

    @property
    def foldable(self):
        return self.child.foldable

    @property
    def pretty_name(self):
        return "extractansiintervaldays"
