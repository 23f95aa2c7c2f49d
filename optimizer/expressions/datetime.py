"""Date/time arithmetic the analyzer substitutes for `+`/`-` on dates, timestamps and
intervals (Spark's DateAdd, DateAddYMInterval, TimeAdd, SubtractDates, ...)."""
from __future__ import annotations

from ember import types as T
from ember.optimizer.expressions.base import BinaryExpression, Expression, UnaryExpression
from ember.optimizer.expressions.functions import ScalarFunction


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


def _timestamp_required(e, child, index="first"):
    from ember.errors import AnalysisException
    return AnalysisException(
        "DATATYPE_MISMATCH.UNEXPECTED_INPUT_TYPE", sqlExpr='"' + e.pretty_sql() + '"',
        paramIndex=index, inputSql='"' + child.pretty_sql() + '"',
        inputType='"' + child.data_type.sql() + '"',
        requiredType='("(TIMESTAMP OR TIMESTAMP WITHOUT TIME ZONE)" or '
                     '"(TIMESTAMP_LTZ(P) OR TIMESTAMP_NTZ(P) WITH P IN [7, 9])")')


def _time_add_check(self):
    if not isinstance(self.left.data_type, (T.TimestampType, T.TimestampNTZType)):
        return _timestamp_required(self, self.left)
    return None


TimeAdd.type_check = _time_add_check
TimestampAddYMInterval.type_check = lambda self: None


# ---------------------------------------------------------------------------- interval * / num
class _IntervalByNumber(ScalarFunction, BinaryExpression):
    """interval * number and interval / number (Spark's Multiply/DivideYM/DTInterval):
    the result is rounded HALF_UP to whole months or microseconds."""
    symbol = "?"
    try_name = "?"

    def __init__(self, left: Expression, right: Expression, eval_mode: str = "ANSI"):
        self.children = (left, right)
        self.eval_mode = eval_mode

    def _fields(self):
        return (self.eval_mode,)

    @property
    def data_type(self):
        if isinstance(self.left.data_type, T.YearMonthIntervalType):
            return T.YearMonthIntervalType()
        return T.DayTimeIntervalType()

    @property
    def foldable(self):
        return self.left.foldable and self.right.foldable

    def type_check(self):
        from ember.errors import AnalysisException
        rt = self.right.data_type
        if not isinstance(rt, (T.NumericType, T.NullType)):
            return AnalysisException(
                "DATATYPE_MISMATCH.UNEXPECTED_INPUT_TYPE", sqlExpr='"' + self.pretty_sql() + '"',
                paramIndex="second", inputSql='"' + self.right.pretty_sql() + '"',
                inputType='"' + rt.sql() + '"', requiredType='"NUMERIC"')
        return None

    def sql(self):
        if self.eval_mode == "TRY":
            return f"{self.try_name}({self.left.sql()}, {self.right.sql()})"
        return f"({self.left.sql()} {self.symbol} {self.right.sql()})"

    def __str__(self):
        return f"({self.left} {self.symbol} {self.right})"

    @property
    def nullable(self):
        return self.eval_mode == "TRY" or any(c.nullable for c in self.children)

    def compute(self, iv: int, num):
        raise NotImplementedError

    def evaluate(self, args, num_rows):
        import pyarrow as pa
        a, b = args
        ivs = a.cast(pa.int64()).to_pylist() if not pa.types.is_duration(a.type) else \
            a.cast(pa.int64()).to_pylist()
        nums = b.to_pylist()
        from ember.errors import EmberException
        compute = self.compute
        if self.eval_mode == "TRY":
            def compute(x, y):
                try:
                    return self.compute(x, y)
                except EmberException:
                    return None
        out = [None if x is None or y is None else compute(x, y) for x, y in zip(ivs, nums)]
        ym = isinstance(self.data_type, T.YearMonthIntervalType)
        limit = 2 ** 31 if ym else 2 ** 63
        if self.eval_mode == "TRY":
            out = [v if v is None or -limit <= v < limit else None for v in out]
        for v in out:
            if v is not None and not -limit <= v < limit:
                from ember.errors import ArithmeticException
                raise ArithmeticException("ARITHMETIC_OVERFLOW",
                                          message=("integer" if ym else "long") + " overflow",
                                          alternative="", config='"spark.sql.ansi.enabled"')
        if ym:
            return pa.array(out, pa.int32())
        return pa.array(out, pa.int64()).cast(pa.duration("us"))


def _round_half_up(x) -> int:
    import decimal
    import math
    if isinstance(x, float):
        if math.isnan(x) or math.isinf(x):
            from ember.errors import ArithmeticException
            raise ArithmeticException("ARITHMETIC_OVERFLOW", message="input is infinite or NaN",
                                      alternative="", config='"spark.sql.ansi.enabled"')
        r = math.floor(abs(x) + 0.5)
        return int(r if x >= 0 else -r)
    return int(x.quantize(decimal.Decimal(1), rounding=decimal.ROUND_HALF_UP))


class MultiplyInterval(_IntervalByNumber):
    symbol = "*"
    try_name = "try_multiply"

    def compute(self, iv, num):
        import decimal
        if isinstance(num, bool):
            num = int(num)
        if isinstance(num, int):
            return iv * num
        if isinstance(num, decimal.Decimal):
            with decimal.localcontext() as c:
                c.prec = 80
                return _round_half_up(decimal.Decimal(iv) * num)
        return _round_half_up(iv * float(num))


class DivideInterval(_IntervalByNumber):
    symbol = "/"
    try_name = "try_divide"

    @property
    def nullable(self):
        return self.left.nullable or self.right.nullable

    def compute(self, iv, num):
        import decimal
        if num == 0:
            from ember.errors import ArithmeticException
            raise ArithmeticException("INTERVAL_DIVIDED_BY_ZERO")
        if isinstance(num, bool):
            num = int(num)
        if isinstance(num, (int, decimal.Decimal)):
            with decimal.localcontext() as c:
                c.prec = 80
                return _round_half_up(decimal.Decimal(iv) / decimal.Decimal(num))
        return _round_half_up(iv / float(num))
