"""Arithmetic operators with Spark's result types (including decimal precision rules).

Operands reach these nodes already coerced to a common type by the analyzer (except decimals,
whose precisions may differ). `eval_mode` is Spark's EvalMode: "ANSI" raises on overflow and
division by zero, "LEGACY" returns NULL/wraps, "TRY" returns NULL.
"""
from __future__ import annotations

from ember import types as T
from ember.errors import AnalysisException
from ember.optimizer.expressions.base import BinaryOperator, UnaryExpression, Expression


def adjust_precision_scale(precision: int, scale: int) -> T.DecimalType:
    """Spark's DecimalType.adjustPrecisionScale (allowPrecisionLoss = true)."""
    if precision <= 38:
        return T.DecimalType(precision, scale)
    int_digits = precision - scale
    min_scale = min(scale, 6)
    adjusted = max(38 - int_digits, min_scale)
    return T.DecimalType(38, adjusted)


def _type_sql(dt) -> str:
    return '"' + dt.sql() + '"'


def mismatch(condition: str, expr: Expression, **params) -> AnalysisException:
    return AnalysisException("DATATYPE_MISMATCH." + condition, sqlExpr=_q(expr.pretty_sql()),
                             **params)


def _q(text: str) -> str:
    return '"' + text + '"'


class BinaryArithmetic(BinaryOperator):
    accepts = (T.NumericType,)
    pretty_function = "?"

    def __init__(self, left: Expression, right: Expression, eval_mode: str = "ANSI"):
        self.children = (left, right)
        self.eval_mode = eval_mode

    def _fields(self):
        return (self.eval_mode,)

    @property
    def data_type(self):
        lt, rt = self.left.data_type, self.right.data_type
        if isinstance(lt, T.DecimalType) and isinstance(rt, T.DecimalType):
            return self.decimal_type(lt, rt)
        return lt

    def decimal_type(self, a: T.DecimalType, b: T.DecimalType) -> T.DecimalType:
        raise NotImplementedError

    @property
    def nullable(self) -> bool:
        return self.left.nullable or self.right.nullable or self.eval_mode == "TRY"

    @property
    def foldable(self):
        return self.left.foldable and self.right.foldable

    def type_check(self):
        lt, rt = self.left.data_type, self.right.data_type
        same = lt == rt or (isinstance(lt, T.DecimalType) and isinstance(rt, T.DecimalType))
        if not same:
            return mismatch("BINARY_OP_DIFF_TYPES", self, left=_type_sql(lt),
                            right=_type_sql(rt))
        if not isinstance(lt, self.accepts) or isinstance(lt, T.NullType):
            return mismatch("BINARY_OP_WRONG_TYPE", self,
                            inputType=_type_sql(lt), requiredType=self.required_type_text)
        return None

    required_type_text = '"NUMERIC"'

    def sql(self) -> str:
        if self.eval_mode == "TRY":
            return f"{self.pretty_function}({self.left.sql()}, {self.right.sql()})"
        return super().sql()


class Add(BinaryArithmetic):
    symbol = "+"
    pretty_function = "try_add"
    accepts = (T.NumericType, T.DayTimeIntervalType, T.YearMonthIntervalType)
    required_type_text = '("NUMERIC" or "INTERVAL DAY TO SECOND" or "INTERVAL YEAR TO MONTH" or "INTERVAL")'

    def decimal_type(self, a, b):
        scale = max(a.scale, b.scale)
        return adjust_precision_scale(max(a.precision - a.scale, b.precision - b.scale)
                                      + scale + 1, scale)


class Subtract(BinaryArithmetic):
    symbol = "-"
    pretty_function = "try_subtract"
    accepts = (T.NumericType, T.DayTimeIntervalType, T.YearMonthIntervalType)
    required_type_text = Add.required_type_text

    def decimal_type(self, a, b):
        return Add.decimal_type(self, a, b)


class Multiply(BinaryArithmetic):
    symbol = "*"
    pretty_function = "try_multiply"

    def decimal_type(self, a, b):
        return adjust_precision_scale(a.precision + b.precision + 1, a.scale + b.scale)


class Divide(BinaryArithmetic):
    """`/`: double or decimal division (operands are coerced to double or decimal)."""
    symbol = "/"
    pretty_function = "try_divide"
    accepts = (T.DoubleType, T.DecimalType)
    required_type_text = '("DOUBLE" or "DECIMAL")'

    @property
    def nullable(self):
        return True

    def decimal_type(self, a, b):
        scale = max(6, a.scale + b.precision + 1)
        int_digits = a.precision - a.scale + b.scale
        return adjust_precision_scale(int_digits + scale, scale)


class IntegralDivide(BinaryArithmetic):
    """`div`: integral division, result bigint."""
    symbol = "div"
    accepts = (T.LongType, T.DecimalType)
    required_type_text = '("BIGINT" or "DECIMAL")'

    @property
    def data_type(self):
        return T.LongType()

    @property
    def nullable(self):
        return True


class Remainder(BinaryArithmetic):
    symbol = "%"
    pretty_function = "try_mod"

    @property
    def nullable(self):
        return True

    def decimal_type(self, a, b):
        scale = max(a.scale, b.scale)
        return adjust_precision_scale(min(a.precision - a.scale, b.precision - b.scale) + scale,
                                      scale)


class Pmod(BinaryArithmetic):
    """pmod(a, b): the positive remainder."""
    symbol = "pmod"

    @property
    def nullable(self):
        return True

    def decimal_type(self, a, b):
        return Remainder.decimal_type(self, a, b)

    def sql(self) -> str:
        return f"pmod({self.left.sql()}, {self.right.sql()})"

    def __str__(self) -> str:
        return f"pmod({self.left}, {self.right})"


class UnaryMinus(UnaryExpression):
    def __init__(self, child: Expression, eval_mode: str = "ANSI"):
        self.children = (child,)
        self.eval_mode = eval_mode

    def _fields(self):
        return (self.eval_mode,)

    @property
    def data_type(self):
        return self.child.data_type

    @property
    def foldable(self):
        return self.child.foldable

    def type_check(self):
        dt = self.child.data_type
        if not isinstance(dt, (T.NumericType, T.DayTimeIntervalType, T.YearMonthIntervalType)):
            return AnalysisException(
                "DATATYPE_MISMATCH.UNEXPECTED_INPUT_TYPE", sqlExpr=_q(self.pretty_sql()),
                paramIndex="first", inputSql=_q(self.child.pretty_sql()),
                inputType=_type_sql(dt),
                requiredType='("NUMERIC" or "INTERVAL DAY TO SECOND" or "INTERVAL YEAR TO MONTH" or "INTERVAL")')
        return None

    def sql(self) -> str:
        return f"(- {self.child.sql()})"

    def __str__(self) -> str:
        return f"-{self.child}"


class UnaryPositive(UnaryExpression):
    def __init__(self, child: Expression):
        self.children = (child,)

    @property
    def data_type(self):
        return self.child.data_type

    @property
    def foldable(self):
        return self.child.foldable

    def sql(self) -> str:
        return f"(+ {self.child.sql()})"

    def __str__(self) -> str:
        return f"positive({self.child})"
