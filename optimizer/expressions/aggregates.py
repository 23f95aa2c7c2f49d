"""Aggregate functions and the AggregateExpression wrapper (DISTINCT, FILTER)."""
from __future__ import annotations

from typing import Optional

from ember import types as T
from ember.errors import AnalysisException
from ember.optimizer.expressions.base import Expression, LeafExpression
from ember.optimizer.expressions.named import new_expr_id


def _q(text: str) -> str:
    return '"' + text + '"'


class AggregateFunction(Expression):
    """An aggregate over a group. Only ever evaluated through an AggregateExpression."""

    @property
    def foldable(self):
        return False

    def _input_check(self, allowed, required_text):
        for i, c in enumerate(self.children):
            if not isinstance(c.data_type, allowed) and not isinstance(c.data_type, T.NullType):
                return AnalysisException(
                    "DATATYPE_MISMATCH.UNEXPECTED_INPUT_TYPE", sqlExpr=_q(self.pretty_sql()),
                    paramIndex=["first", "second", "third"][min(i, 2)],
                    inputSql=_q(c.pretty_sql()), inputType=_q(c.data_type.sql()),
                    requiredType=required_text)
        return None


class Count(AggregateFunction):
    def __init__(self, children):
        self.children = tuple(children)

    @property
    def data_type(self):
        return T.LongType()

    @property
    def nullable(self):
        return False

    @property
    def pretty_name(self):
        return "count"


class Sum(AggregateFunction):
    def __init__(self, child: Expression, eval_mode: str = "ANSI"):
        self.children = (child,)
        self.eval_mode = eval_mode

    @property
    def child(self):
        return self.children[0]

    def _fields(self):
        return (self.eval_mode,)

    @property
    def data_type(self):
        dt = self.child.data_type
        if isinstance(dt, T.DecimalType):
            return T.DecimalType.bounded(dt.precision + 10, dt.scale)
        if isinstance(dt, T.IntegralType):
            return T.LongType()
        if isinstance(dt, (T.DayTimeIntervalType, T.YearMonthIntervalType)):
            return dt
        return T.DoubleType()

    @property
    def nullable(self):
        return True

    def type_check(self):
        return self._input_check((T.NumericType, T.DayTimeIntervalType, T.YearMonthIntervalType),
                                 '("NUMERIC" or "ANSI INTERVAL")')

    @property
    def pretty_name(self):
        return "try_sum" if self.eval_mode == "TRY" else "sum"


class Average(AggregateFunction):
    def __init__(self, child: Expression, eval_mode: str = "ANSI"):
        self.children = (child,)
        self.eval_mode = eval_mode

    @property
    def child(self):
        return self.children[0]

    def _fields(self):
        return (self.eval_mode,)

    @property
    def data_type(self):
        dt = self.child.data_type
        if isinstance(dt, T.DecimalType):
            return T.DecimalType.bounded(dt.precision + 4, dt.scale + 4)
        if isinstance(dt, T.YearMonthIntervalType):
            return T.YearMonthIntervalType()       # Spark widens to the default fields
        if isinstance(dt, T.DayTimeIntervalType):
            return T.DayTimeIntervalType()
        return T.DoubleType()

    @property
    def sum_type(self):
        dt = self.child.data_type
        if isinstance(dt, T.DecimalType):
            return T.DecimalType.bounded(dt.precision + 10, dt.scale)
        return self.data_type

    @property
    def nullable(self):
        return True

    def type_check(self):
        return self._input_check((T.NumericType, T.DayTimeIntervalType, T.YearMonthIntervalType),
                                 '("NUMERIC" or "ANSI INTERVAL")')

    @property
    def pretty_name(self):
        # `mean(x)` keeps the name it was called by (Spark's FUNC_ALIAS)
        return "try_avg" if self.eval_mode == "TRY" else getattr(self, "call_name", "avg")


class Min(AggregateFunction):
    def __init__(self, child: Expression):
        self.children = (child,)

    @property
    def child(self):
        return self.children[0]

    @property
    def data_type(self):
        return self.child.data_type

    @property
    def nullable(self):
        return True

    @property
    def pretty_name(self):
        return "min"


class Max(Min):
    @property
    def pretty_name(self):
        return "max"


class AggregateExpression(Expression):
    """Wraps an aggregate function with DISTINCT and FILTER (WHERE ...). `result_id` names the
    attribute that carries the aggregate's value out of the Aggregate operator."""

    def __init__(self, function: AggregateFunction, is_distinct: bool = False,
                 filter: Optional[Expression] = None, result_id: Optional[int] = None):
        self.children = (function,) + ((filter,) if filter is not None else ())
        self.is_distinct = is_distinct
        self.result_id = new_expr_id() if result_id is None else result_id

    @property
    def function(self) -> AggregateFunction:
        return self.children[0]

    @property
    def filter(self) -> Optional[Expression]:
        return self.children[1] if len(self.children) > 1 else None

    def _fields(self):
        return (self.is_distinct,)

    def canonical_node(self):
        return None

    @property
    def data_type(self):
        return self.function.data_type

    @property
    def nullable(self):
        return self.function.nullable

    @property
    def foldable(self):
        return False

    def sql(self) -> str:
        f = self.function
        distinct = "DISTINCT " if self.is_distinct else ""
        if hasattr(f, "call_sql"):
            text = f.call_sql(distinct, lambda c: c.sql())
        else:
            text = f"{f.pretty_name}({distinct}{', '.join(c.sql() for c in f.children)})"
        if self.filter is not None:
            text += f" FILTER (WHERE {self.filter.sql()})"
        return text

    def __str__(self) -> str:
        f = self.function
        distinct = "distinct " if self.is_distinct else ""
        if hasattr(f, "call_sql"):
            text = f.call_sql(distinct, str)
        else:
            text = f"{f.pretty_name}({distinct}{', '.join(str(c) for c in f.children)})"
        if self.filter is not None:
            text += f" FILTER (WHERE {self.filter})"
        return text


class GroupingMarker(LeafExpression):
    pass
