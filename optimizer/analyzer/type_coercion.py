"""ANSI type coercion (Spark 4's AnsiTypeCoercion): implicit casts that make operands agree.

Inserted casts are marked not user-specified, so they never show in generated column names.
"""
from __future__ import annotations

from typing import List, Optional, Sequence

from ember import types as T
from ember.optimizer.expressions import (
    Add, And, BinaryArithmetic, BinaryComparison, CaseWhen, Cast, Coalesce, Divide, Expression,
    If, In, IntegralDivide, Literal, Not, Or, Subtract, ScalarFunction)
from ember.optimizer.expressions.arithmetic import Pmod, Remainder, Multiply
from ember.optimizer.expressions.functions import AnyType, TypeCollection
from ember.optimizer.expressions.predicates import same_type_ignoring_nullability

_INTEGRAL_ORDER = [T.ByteType, T.ShortType, T.IntegerType, T.LongType]


def cast(e: Expression, to: T.DataType) -> Expression:
    if e.data_type == to:
        return e
    if isinstance(e, Literal) and e.value is None:
        return Literal(None, to)
    c = Cast(e, to)
    c.origin = e.origin
    return c


# ---------------------------------------------------------------------------- wider types
def wider_decimal(a: T.DecimalType, b: T.DecimalType) -> T.DecimalType:
    scale = max(a.scale, b.scale)
    rng = max(a.precision - a.scale, b.precision - b.scale)
    return T.DecimalType.bounded(rng + scale, scale)


def decimal_for(dt: T.DataType, literal: Optional[Literal] = None) -> Optional[T.DecimalType]:
    """The decimal type holding an integral type's values; for an integral literal, just its
    digits (Spark's DecimalType.fromLiteral)."""
    if isinstance(dt, T.DecimalType):
        return dt
    if isinstance(dt, T.IntegralType):
        if literal is not None and literal.value is not None:
            digits = len(str(abs(int(literal.value))))
            return T.DecimalType(digits, 0)
        return T.DecimalType.for_integral(dt)
    return None


def wider_type(a: T.DataType, b: T.DataType) -> Optional[T.DataType]:
    """Spark's findWiderTypeForTwo under ANSI rules, or None when the types do not mix."""
    if a == b:
        return a
    if isinstance(a, T.NullType):
        return b
    if isinstance(b, T.NullType):
        return a
    if isinstance(a, T.StringType) and isinstance(b, T.StringType):
        return T.StringType()
    if isinstance(a, T.NumericType) and isinstance(b, T.NumericType):
        return _wider_numeric(a, b)
    if isinstance(a, T.StringType) or isinstance(b, T.StringType):
        other = b if isinstance(a, T.StringType) else a
        return string_promotion(other)
    dt = (T.DateType, T.TimestampType, T.TimestampNTZType)
    if isinstance(a, dt) and isinstance(b, dt):
        if isinstance(a, T.TimestampType) or isinstance(b, T.TimestampType):
            return T.TimestampType()
        return T.TimestampNTZType()
    if isinstance(a, T.DayTimeIntervalType) and isinstance(b, T.DayTimeIntervalType):
        return T.DayTimeIntervalType(min(a.startField, b.startField),
                                     max(a.endField, b.endField))
    if isinstance(a, T.YearMonthIntervalType) and isinstance(b, T.YearMonthIntervalType):
        return T.YearMonthIntervalType(min(a.startField, b.startField),
                                       max(a.endField, b.endField))
    if isinstance(a, T.ArrayType) and isinstance(b, T.ArrayType):
        el = wider_type(a.elementType, b.elementType)
        return None if el is None else T.ArrayType(el, a.containsNull or b.containsNull)
    if isinstance(a, T.MapType) and isinstance(b, T.MapType):
        k = wider_type(a.keyType, b.keyType)
        v = wider_type(a.valueType, b.valueType)
        if k is None or v is None:
            return None
        return T.MapType(k, v, a.valueContainsNull or b.valueContainsNull)
    if isinstance(a, T.StructType) and isinstance(b, T.StructType):
        if len(a.fields) != len(b.fields):
            return None
        fields = []
        for x, y in zip(a.fields, b.fields):
            if x.name.lower() != y.name.lower():
                return None
            t = wider_type(x.dataType, y.dataType)
            if t is None:
                return None
            fields.append(T.StructField(x.name, t, x.nullable or y.nullable))
        return T.StructType(fields)
    return None


def _wider_numeric(a: T.NumericType, b: T.NumericType) -> T.DataType:
    if isinstance(a, T.DoubleType) or isinstance(b, T.DoubleType):
        return T.DoubleType()
    if isinstance(a, T.FloatType) and isinstance(b, T.FloatType):
        return T.FloatType()
    if isinstance(a, T.FloatType) or isinstance(b, T.FloatType):
        return T.DoubleType()      # ANSI: float mixed with integral or decimal widens to double
    if isinstance(a, T.DecimalType) or isinstance(b, T.DecimalType):
        return wider_decimal(decimal_for(a), decimal_for(b))
    ia = _INTEGRAL_ORDER.index(type(a))
    ib = _INTEGRAL_ORDER.index(type(b))
    return a if ia >= ib else b


def string_promotion(other: T.DataType) -> Optional[T.DataType]:
    """What a string becomes when it meets `other` (ANSI): integral -> bigint, fractional ->
    double, and the other type itself for datetime, boolean, binary and intervals."""
    if isinstance(other, T.IntegralType):
        return T.LongType()
    if isinstance(other, T.FractionalType):
        return T.DoubleType()
    if isinstance(other, (T.DateType, T.TimestampType, T.TimestampNTZType, T.BooleanType,
                          T.BinaryType, T.DayTimeIntervalType, T.YearMonthIntervalType)):
        return other
    if isinstance(other, T.NullType):
        return T.StringType()
    return None


def wider_common_type(types: Sequence[T.DataType]) -> Optional[T.DataType]:
    out: Optional[T.DataType] = T.NullType()
    for t in types:
        out = wider_type(out, t)
        if out is None:
            return None
    return out


# ---------------------------------------------------------------------------- rules
def coerce(e: Expression) -> Expression:
    """Apply the coercion rule for `e` (its children are already coerced)."""
    if not e.children_resolved:
        return e
    if isinstance(e, BinaryArithmetic):
        return _arithmetic(e)
    if isinstance(e, BinaryComparison):
        return _comparison(e)
    if isinstance(e, In):
        return _same_types(e, list(e.children), lambda kids: e.with_new_children(kids))
    if isinstance(e, CaseWhen):
        return _case_when(e)
    if isinstance(e, If):
        t = wider_type(e.true_value.data_type, e.false_value.data_type)
        if t is None:
            return e
        pred = e.predicate
        if isinstance(pred.data_type, T.NullType):
            pred = cast(pred, T.BooleanType())
        return e.with_new_children([pred, cast(e.true_value, t), cast(e.false_value, t)])
    if isinstance(e, Coalesce):
        return _same_types(e, list(e.children), lambda kids: e.with_new_children(kids))
    if isinstance(e, ScalarFunction):
        return implicit_cast_inputs(e)
    if isinstance(e, (And, Or, Not)):
        kids = [cast(c, T.BooleanType()) if isinstance(c.data_type, T.NullType) else c
                for c in e.children]
        return e.with_new_children(kids)
    hook = getattr(e, "coerce_inputs", None)
    if hook is not None:
        return hook()
    return e


def _same_types(e, kids, rebuild):
    t = wider_common_type([k.data_type for k in kids])
    if t is None or all(k.data_type == t for k in kids):
        return e
    return rebuild([cast(k, t) for k in kids])


def _case_when(e: CaseWhen) -> Expression:
    values = e.values()
    t = wider_common_type([v.data_type for v in values])
    kids = []
    for c, v in e.branches:
        if isinstance(c.data_type, T.NullType):
            c = cast(c, T.BooleanType())
        kids.append((c, cast(v, t) if t is not None else v))
    else_value = e.else_value
    if else_value is not None and t is not None:
        else_value = cast(else_value, t)
    out = CaseWhen(kids, else_value)
    out.origin = e.origin
    return out


def _arithmetic(e: BinaryArithmetic) -> Expression:
    left, right = e.left, e.right
    lt, rt = left.data_type, right.data_type
    if isinstance(e, Divide):
        return _divide(e, left, right)
    if isinstance(e, IntegralDivide):
        target = []
        for x in (left, right):
            t = x.data_type
            if isinstance(t, T.DecimalType) or isinstance(t, T.LongType):
                target.append(x)
            elif isinstance(t, (T.IntegralType, T.NullType)) or isinstance(t, T.StringType):
                target.append(cast(x, T.LongType()))
            else:
                target.append(x)
        l2, r2 = target
        if isinstance(l2.data_type, T.DecimalType) != isinstance(r2.data_type, T.DecimalType):
            if isinstance(l2.data_type, T.DecimalType) and isinstance(r2.data_type, T.LongType):
                r2 = cast(r2, decimal_for(right.data_type, right if isinstance(right, Literal) else None) or T.DecimalType(20, 0))
            elif isinstance(r2.data_type, T.DecimalType) and isinstance(l2.data_type, T.LongType):
                l2 = cast(l2, decimal_for(left.data_type, left if isinstance(left, Literal) else None) or T.DecimalType(20, 0))
        return e.with_new_children([l2, r2])
    # datetime arithmetic is rewritten before coercion; here both sides are numeric/interval
    if isinstance(lt, T.StringType) and isinstance(rt, T.StringType):
        return e
    if isinstance(lt, T.StringType) and isinstance(rt, (T.NumericType, T.NullType)):
        p = string_promotion(rt) if not isinstance(rt, T.NullType) else T.DoubleType()
        left = cast(left, p)
        lt = p
    elif isinstance(rt, T.StringType) and isinstance(lt, (T.NumericType, T.NullType)):
        p = string_promotion(lt) if not isinstance(lt, T.NullType) else T.DoubleType()
        right = cast(right, p)
        rt = p
    if isinstance(lt, T.NullType) and isinstance(rt, T.NullType):
        t = T.DoubleType() if isinstance(e, Divide) else T.NullType()
        return e.with_new_children([cast(left, t), cast(right, t)]) if t != T.NullType() else e
    if isinstance(lt, T.DecimalType) or isinstance(rt, T.DecimalType):
        return _decimal_arithmetic(e, left, right)
    t = wider_type(lt, rt)
    if t is None:
        return e.with_new_children([left, right])
    return e.with_new_children([cast(left, t), cast(right, t)])


def _decimal_arithmetic(e, left, right):
    lt, rt = left.data_type, right.data_type
    if isinstance(lt, (T.FloatType, T.DoubleType)) or isinstance(rt, (T.FloatType, T.DoubleType)):
        return e.with_new_children([cast(left, T.DoubleType()), cast(right, T.DoubleType())])
    if isinstance(lt, T.NullType):
        return e.with_new_children([cast(left, rt), right])
    if isinstance(rt, T.NullType):
        return e.with_new_children([left, cast(right, lt)])
    ld = decimal_for(lt, left if isinstance(left, Literal) else None)
    rd = decimal_for(rt, right if isinstance(right, Literal) else None)
    return e.with_new_children([cast(left, ld), cast(right, rd)])


def _divide(e, left, right):
    lt, rt = left.data_type, right.data_type
    if isinstance(lt, T.StringType):
        left, lt = cast(left, T.DoubleType()), T.DoubleType()
    if isinstance(rt, T.StringType):
        right, rt = cast(right, T.DoubleType()), T.DoubleType()
    if isinstance(lt, T.DecimalType) or isinstance(rt, T.DecimalType):
        if not isinstance(lt, (T.FloatType, T.DoubleType)) and not isinstance(
                rt, (T.FloatType, T.DoubleType)):
            if isinstance(lt, T.NullType):
                return e.with_new_children([cast(left, rt), right])
            if isinstance(rt, T.NullType):
                return e.with_new_children([left, cast(right, lt)])
            if isinstance(lt, T.NumericType) and isinstance(rt, T.NumericType):
                ld = decimal_for(lt, left if isinstance(left, Literal) else None)
                rd = decimal_for(rt, right if isinstance(right, Literal) else None)
                return e.with_new_children([cast(left, ld), cast(right, rd)])
    ok = all(isinstance(t, (T.NumericType, T.NullType)) for t in (lt, rt))
    if not ok:
        return e.with_new_children([left, right])
    return e.with_new_children([cast(left, T.DoubleType()), cast(right, T.DoubleType())])


def _comparison(e: BinaryComparison) -> Expression:
    left, right = e.left, e.right
    lt, rt = left.data_type, right.data_type
    if same_type_ignoring_nullability(lt, rt):
        return e
    if isinstance(lt, T.DecimalType) and isinstance(rt, T.DecimalType):
        t = wider_decimal(lt, rt)
        return e.with_new_children([cast(left, t), cast(right, t)])
    if isinstance(lt, T.NumericType) and isinstance(rt, T.NumericType):
        ld = isinstance(lt, T.DecimalType)
        rd = isinstance(rt, T.DecimalType)
        if (ld and isinstance(rt, T.IntegralType)) or (rd and isinstance(lt, T.IntegralType)):
            a = decimal_for(lt, left if isinstance(left, Literal) else None)
            b = decimal_for(rt, right if isinstance(right, Literal) else None)
            t = wider_decimal(a, b)
            return e.with_new_children([cast(left, t), cast(right, t)])
    t = wider_type(lt, rt)
    if t is None:
        return e
    return e.with_new_children([cast(left, t), cast(right, t)])


def implicit_cast_inputs(e: ScalarFunction) -> Expression:
    """Spark's ImplicitTypeCasts for functions declaring input types."""
    expected = e.expected_types()
    if not expected:
        return e
    kids = list(e.children)
    changed = False
    for i, (c, exp) in enumerate(zip(kids, expected)):
        if exp is None:
            continue
        target = implicit_target(c.data_type, exp)
        if target is not None and target != c.data_type:
            kids[i] = cast(c, target)
            changed = True
    return e.with_new_children(kids) if changed else e


def implicit_target(dt: T.DataType, expected) -> Optional[T.DataType]:
    from ember.optimizer.expressions.functions import accepts
    if accepts(expected, dt):
        return None
    if isinstance(expected, TypeCollection):
        for t in expected.types:
            target = implicit_target(dt, t)
            if target is not None:
                return target
        return None
    if expected is AnyType:
        return None
    if isinstance(dt, T.NullType):
        if isinstance(expected, T.DataType):
            return expected
        return default_concrete(expected)
    if isinstance(expected, T.DataType):
        concrete = expected
    else:
        concrete = None
    if isinstance(dt, T.StringType):
        target = concrete or default_concrete(expected)
        if target is not None and not isinstance(target, (T.ArrayType, T.MapType, T.StructType)):
            return target
        return None
    if isinstance(dt, T.NumericType):
        if concrete is not None and isinstance(concrete, T.NumericType):
            return concrete
        if expected is T.DecimalType:
            return decimal_for(dt) if isinstance(dt, T.IntegralType) else None
        if expected is T.NumericType:
            return None
        if isinstance(concrete, T.StringType) or expected is T.StringType:
            return T.StringType()
    if isinstance(dt, (T.DateType, T.TimestampType, T.TimestampNTZType, T.BinaryType,
                       T.BooleanType, T.DayTimeIntervalType, T.YearMonthIntervalType)):
        if isinstance(concrete, T.StringType) or expected is T.StringType:
            return T.StringType()
        if isinstance(dt, T.DateType) and (isinstance(concrete, T.TimestampType)
                                           or expected is T.TimestampType):
            return T.TimestampType()
        if isinstance(dt, (T.TimestampType, T.TimestampNTZType)) and (
                isinstance(concrete, T.DateType) or expected is T.DateType):
            return T.DateType()
        if isinstance(dt, T.TimestampNTZType) and (isinstance(concrete, T.TimestampType)
                                                   or expected is T.TimestampType):
            return T.TimestampType()
    return None


def default_concrete(expected) -> Optional[T.DataType]:
    return {T.NumericType: T.DoubleType(), T.IntegralType: T.LongType(),
            T.DecimalType: T.DecimalType(10, 0), T.StringType: T.StringType(),
            T.BinaryType: T.BinaryType(), T.BooleanType: T.BooleanType(),
            T.DateType: T.DateType(), T.TimestampType: T.TimestampType(),
            T.FractionalType: T.DoubleType()}.get(expected)
