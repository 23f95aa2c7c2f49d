"""CAST / TRY_CAST with Spark's ANSI cast rules (which casts are legal at all)."""
from __future__ import annotations

from ember import types as T
from ember.errors import AnalysisException
from ember.optimizer.expressions.base import UnaryExpression, Expression


class Cast(UnaryExpression):
    """`eval_mode`: ANSI (errors on bad input), TRY (NULL on bad input) or LEGACY.
    `user_specified` distinguishes a written CAST from one the analyzer inserted: only the
    former shows in generated column names."""

    def __init__(self, child: Expression, to: T.DataType, eval_mode: str = "ANSI",
                 user_specified: bool = False):
        self.children = (child,)
        self.to = to
        self.eval_mode = eval_mode
        self.user_specified = user_specified

    @property
    def data_type(self):
        return self.to

    @property
    def nullable(self):
        if self.eval_mode == "TRY":
            return True
        return self.child.nullable or may_produce_null(self.child.data_type, self.to)

    @property
    def foldable(self):
        return self.child.foldable

    def _fields(self):
        return (self.to, self.eval_mode)

    def type_check(self):
        src = self.child.data_type
        if can_ansi_cast(src, self.to) or (self.eval_mode == "LEGACY" and can_cast(src, self.to)):
            return None
        return cast_mismatch(self, src, self.to)

    def sql(self) -> str:
        # as Spark's Cast.sql: casts to complex types are omitted from the SQL text
        if isinstance(self.to, (T.ArrayType, T.MapType, T.StructType)):
            return self.child.sql()
        name = "TRY_CAST" if self.eval_mode == "TRY" else "CAST"
        return f"{name}({self.child.sql()} AS {self.to.sql()})"

    def __str__(self) -> str:
        name = "try_cast" if self.eval_mode == "TRY" else "cast"
        return f"{name}({self.child} as {self.to.simpleString()})"


def _q(t: T.DataType) -> str:
    return '"' + t.sql() + '"'


def cast_mismatch(expr, src, to) -> AnalysisException:
    sql_expr = '"' + expr.pretty_sql() + '"'
    if isinstance(src, T.DateType) and isinstance(to, T.NumericType):
        return AnalysisException("DATATYPE_MISMATCH.CAST_WITH_FUNC_SUGGESTION", sqlExpr=sql_expr,
                                 srcType=_q(src), targetType=_q(to), functionNames="`UNIX_DATE`")
    if isinstance(src, T.NumericType) and isinstance(to, T.DateType):
        return AnalysisException("DATATYPE_MISMATCH.CAST_WITH_FUNC_SUGGESTION", sqlExpr=sql_expr,
                                 srcType=_q(src), targetType=_q(to),
                                 functionNames="`DATE_FROM_UNIX_DATE`")
    if isinstance(src, T.BooleanType) and isinstance(to, (T.TimestampType,)):
        return AnalysisException("DATATYPE_MISMATCH.CAST_WITH_FUNC_SUGGESTION", sqlExpr=sql_expr,
                                 srcType=_q(src), targetType=_q(to),
                                 functionNames="`TIMESTAMP_SECONDS`")
    return AnalysisException("DATATYPE_MISMATCH.CAST_WITHOUT_SUGGESTION", sqlExpr=sql_expr,
                             srcType=_q(src), targetType=_q(to))


_INTERVALS = (T.DayTimeIntervalType, T.YearMonthIntervalType)


def can_ansi_cast(src: T.DataType, to: T.DataType) -> bool:
    """Spark's Cast.canAnsiCast."""
    if src == to or isinstance(src, T.NullType):
        return True
    if isinstance(src, T.VariantType) or isinstance(to, T.VariantType):
        from ember.engine.functions.variant import can_cast_variant
        return can_cast_variant(src, to)
    if isinstance(to, T.StringType):
        if isinstance(src, (T.ArrayType, T.MapType, T.StructType)):
            return True
        return True
    if isinstance(src, T.StringType):
        return isinstance(to, (T.NumericType, T.BooleanType, T.DateType, T.TimestampType,
                               T.TimestampNTZType, T.BinaryType) + _INTERVALS)
    if isinstance(src, T.NumericType) and isinstance(to, (T.NumericType, T.BooleanType)):
        return True
    if isinstance(src, T.BooleanType) and isinstance(to, T.NumericType):
        return True
    if isinstance(src, T.NumericType) and isinstance(to, T.TimestampType):
        return True
    if isinstance(src, T.TimestampType) and isinstance(to, T.NumericType):
        return True
    if isinstance(src, T.DateType) and isinstance(to, (T.TimestampType, T.TimestampNTZType)):
        return True
    if isinstance(src, (T.TimestampType, T.TimestampNTZType)) and isinstance(
            to, (T.DateType, T.TimestampType, T.TimestampNTZType)):
        return True
    if isinstance(src, T.BinaryType) and isinstance(to, T.BinaryType):
        return True
    if isinstance(src, T.DayTimeIntervalType) and isinstance(to, T.DayTimeIntervalType):
        return True
    if isinstance(src, T.YearMonthIntervalType) and isinstance(to, T.YearMonthIntervalType):
        return True
    if isinstance(src, _INTERVALS) and isinstance(to, T.IntegralType):
        return src.startField == src.endField
    if isinstance(src, T.IntegralType) and isinstance(to, _INTERVALS):
        return to.startField == to.endField
    if isinstance(src, T.DecimalType) and isinstance(to, _INTERVALS):
        return to.startField == to.endField
    if isinstance(src, T.ArrayType) and isinstance(to, T.ArrayType):
        return can_ansi_cast(src.elementType, to.elementType)
    if isinstance(src, T.MapType) and isinstance(to, T.MapType):
        return can_ansi_cast(src.keyType, to.keyType) and can_ansi_cast(src.valueType,
                                                                        to.valueType)
    if isinstance(src, T.StructType) and isinstance(to, T.StructType):
        return len(src.fields) == len(to.fields) and all(
            can_ansi_cast(a.dataType, b.dataType) for a, b in zip(src.fields, to.fields))
    return False


def can_cast(src: T.DataType, to: T.DataType) -> bool:
    """Spark's non-ANSI Cast.canCast (a superset of the ANSI rules)."""
    if can_ansi_cast(src, to):
        return True
    if isinstance(src, (T.DateType, T.BooleanType)) and isinstance(to, T.NumericType):
        return True
    if isinstance(src, T.NumericType) and isinstance(to, (T.DateType,)):
        return False
    if isinstance(src, T.IntegralType) and isinstance(to, T.BinaryType):
        return True
    return False


def may_produce_null(src: T.DataType, to: T.DataType) -> bool:
    """Whether a cast can turn a non-null input into NULL (Spark's Cast.forceNullable, ANSI)."""
    if isinstance(src, T.StringType) and not isinstance(to, (T.StringType, T.BinaryType)):
        return False  # ANSI: bad strings raise instead of giving NULL
    return False
