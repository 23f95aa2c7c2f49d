"""Predicates: comparisons, boolean connectives (three-valued), null tests, IN."""
from __future__ import annotations

from typing import Sequence

from ember import types as T
from ember.errors import AnalysisException
from ember.optimizer.expressions.base import (BinaryOperator, Expression, UnaryExpression)


def _q(text: str) -> str:
    return '"' + text + '"'


class Predicate(Expression):
    @property
    def data_type(self):
        return T.BooleanType()

    @property
    def foldable(self):
        return all(c.foldable for c in self.children) and bool(self.children)


def _has_map(dt) -> bool:
    if isinstance(dt, T.MapType):
        return True
    if isinstance(dt, T.ArrayType):
        return _has_map(dt.elementType)
    if isinstance(dt, T.StructType):
        return any(_has_map(f.dataType) for f in dt.fields)
    return False


class BinaryComparison(Predicate, BinaryOperator):
    def __init__(self, left: Expression, right: Expression):
        self.children = (left, right)

    def type_check(self):
        lt, rt = self.left.data_type, self.right.data_type
        if not same_type_ignoring_nullability(lt, rt):
            return AnalysisException("DATATYPE_MISMATCH.BINARY_OP_DIFF_TYPES",
                                     sqlExpr=_q(self.pretty_sql()), left=_q(lt.sql()),
                                     right=_q(rt.sql()))
        if not is_orderable(lt) and (not isinstance(self, (EqualTo, EqualNullSafe))
                                     or _has_map(lt)):      # maps don't even compare equal
            return AnalysisException("DATATYPE_MISMATCH.INVALID_ORDERING_TYPE",
                                     sqlExpr=_q(self.pretty_sql()), functionName="`" + self.symbol + "`",
                                     dataType=_q(lt.sql()))
        return None


class EqualTo(BinaryComparison):
    symbol = "="


class EqualNullSafe(BinaryComparison):
    symbol = "<=>"

    @property
    def nullable(self):
        return False


class LessThan(BinaryComparison):
    symbol = "<"


class LessThanOrEqual(BinaryComparison):
    symbol = "<="


class GreaterThan(BinaryComparison):
    symbol = ">"


class GreaterThanOrEqual(BinaryComparison):
    symbol = ">="


class And(Predicate, BinaryOperator):
    symbol = "AND"

    def __init__(self, left: Expression, right: Expression):
        self.children = (left, right)

    def type_check(self):
        return _check_boolean(self)


class Or(Predicate, BinaryOperator):
    symbol = "OR"

    def __init__(self, left: Expression, right: Expression):
        self.children = (left, right)

    def type_check(self):
        return _check_boolean(self)


def _check_boolean(e: Expression):
    for i, c in enumerate(e.children):
        if not isinstance(c.data_type, T.BooleanType):
            return AnalysisException(
                "DATATYPE_MISMATCH.UNEXPECTED_INPUT_TYPE", sqlExpr=_q(e.pretty_sql()),
                paramIndex=["first", "second", "third"][min(i, 2)], inputSql=_q(c.pretty_sql()),
                inputType=_q(c.data_type.sql()), requiredType='"BOOLEAN"')
    return None


class Not(Predicate, UnaryExpression):
    def __init__(self, child: Expression):
        self.children = (child,)

    def type_check(self):
        return _check_boolean(self)

    def sql(self) -> str:
        return f"(NOT {self.child.sql()})"

    def __str__(self) -> str:
        return f"NOT {self.child}"


class IsNull(Predicate, UnaryExpression):
    def __init__(self, child: Expression):
        self.children = (child,)

    @property
    def nullable(self):
        return False

    def sql(self) -> str:
        return f"({self.child.sql()} IS NULL)"

    def __str__(self) -> str:
        return f"isnull({self.child})"


class IsNotNull(Predicate, UnaryExpression):
    def __init__(self, child: Expression):
        self.children = (child,)

    @property
    def nullable(self):
        return False

    def sql(self) -> str:
        return f"({self.child.sql()} IS NOT NULL)"

    def __str__(self) -> str:
        return f"isnotnull({self.child})"


class In(Predicate):
    """`value IN (list...)`; children = (value, *list)."""

    def __init__(self, value: Expression, values: Sequence[Expression]):
        self.children = (value,) + tuple(values)

    @property
    def value(self) -> Expression:
        return self.children[0]

    @property
    def list(self):
        return self.children[1:]

    def type_check(self):
        vt = self.value.data_type
        for e in self.list:
            if not same_type_ignoring_nullability(e.data_type, vt):
                return AnalysisException(
                    "DATATYPE_MISMATCH.DATA_DIFF_TYPES", sqlExpr=_q(self.pretty_sql()),
                    functionName="`in`",
                    dataType="[" + ", ".join(_q(c.data_type.sql()) for c in self.children) + "]")
        return None

    def sql(self) -> str:
        return f"({self.value.sql()} IN ({', '.join(e.sql() for e in self.list)}))"

    def __str__(self) -> str:
        return f"{self.value} IN ({','.join(str(e) for e in self.list)})"


def same_type_ignoring_nullability(a: T.DataType, b: T.DataType) -> bool:
    if isinstance(a, T.ArrayType) and isinstance(b, T.ArrayType):
        return same_type_ignoring_nullability(a.elementType, b.elementType)
    if isinstance(a, T.MapType) and isinstance(b, T.MapType):
        return (same_type_ignoring_nullability(a.keyType, b.keyType)
                and same_type_ignoring_nullability(a.valueType, b.valueType))
    if isinstance(a, T.StructType) and isinstance(b, T.StructType):
        return len(a.fields) == len(b.fields) and all(
            x.name.lower() == y.name.lower()
            and same_type_ignoring_nullability(x.dataType, y.dataType)
            for x, y in zip(a.fields, b.fields))
    if isinstance(a, T.StringType) and isinstance(b, T.StringType):
        return True
    return a == b


def is_orderable(dt: T.DataType) -> bool:
    if isinstance(dt, T.MapType):
        return False
    if isinstance(dt, T.ArrayType):
        return is_orderable(dt.elementType)
    if isinstance(dt, T.StructType):
        return all(is_orderable(f.dataType) for f in dt.fields)
    return True


def split_conjuncts(e: Expression):
    if isinstance(e, And):
        return split_conjuncts(e.left) + split_conjuncts(e.right)
    return [e]


def combine_conjuncts(exprs):
    exprs = list(exprs)
    if not exprs:
        return None
    out = exprs[0]
    for e in exprs[1:]:
        out = And(out, e)
    return out
