"""Interpreted, vectorised evaluation of expressions over Arrow record batches.

Each expression class has one evaluation function registered with `@evaluates`; it receives
the expression, the batch and the evaluation context, and returns an Arrow array (or an Arrow
scalar for constants, broadcast lazily). Spark's semantics live here: ANSI overflow and
division errors, three-valued logic, NaN equality, HALF_UP decimal rounding.
Large batches of numeric expressions may instead run as fused Numba kernels
(engine/kernels/fused.py); both paths must agree.
"""
from __future__ import annotations

import decimal
from typing import Callable, Dict, Optional

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from ember import types as T
from ember.conf import SQLConf, active_conf
from ember.errors import ArithmeticException, EmberException, not_supported
from ember.optimizer.expressions import (
    Add, And, AttributeReference, CaseWhen, Cast, Coalesce, Divide, EqualNullSafe, EqualTo,
    Expression, GreaterThan, GreaterThanOrEqual, If, In, IntegralDivide, IsNotNull, IsNull,
    LessThan, LessThanOrEqual, Literal, Multiply, Not, Or, Pmod, Remainder, RuntimeReplaceable,
    ScalarFunction, Subtract, UnaryMinus, UnaryPositive, Alias)
from ember.optimizer.expressions.base import LeafExpression
from ember.optimizer.expressions.datetime import (
    DateAdd, DateAddYMInterval, DateSub, ExtractANSIIntervalDays, SubtractDates,
    SubtractTimestamps, TimeAdd, TimestampAddYMInterval)
from ember.optimizer.expressions.special import Like
from ember.engine import decimals as D
from ember.engine.arrow_util import (broadcast, literal_to_arrow, null_mask, to_numpy_filled,
                                     from_numpy)

_EVAL: Dict[type, Callable] = {}


def evaluates(*classes):
    def wrap(fn):
        for c in classes:
            _EVAL[c] = fn
        return fn
    return wrap


class BoundReference(LeafExpression):
    """Column `ordinal` of the input batch (an attribute bound by the planner)."""

    def __init__(self, ordinal: int, data_type: T.DataType, nullable: bool, name: str = ""):
        self.ordinal = ordinal
        self._data_type = data_type
        self._nullable = nullable
        self.name = name

    @property
    def data_type(self):
        return self._data_type

    @property
    def nullable(self):
        return self._nullable

    @property
    def resolved(self):
        return True

    def _fields(self):
        return (self.ordinal,)

    def __str__(self):
        return f"input[{self.ordinal}, {self._data_type.simpleString()}, {str(self._nullable).lower()}]"


class EvalContext:
    def __init__(self, conf: Optional[SQLConf] = None, subquery_values=None):
        self.conf = conf or active_conf()
        self.subquery_values = subquery_values or {}

    @property
    def ansi(self) -> bool:
        return self.conf.ansi

    @property
    def time_zone(self) -> str:
        return self.conf.time_zone


def evaluate(e: Expression, batch: pa.RecordBatch, ctx: EvalContext):
    fn = _EVAL.get(type(e))
    if fn is None:
        if isinstance(e, ScalarFunction):
            args = [eval_array(c, batch, ctx) for c in e.children]
            return e.evaluate(args, batch.num_rows)
        for cls, f in _EVAL.items():
            if isinstance(e, cls):
                fn = f
                break
        if fn is None:
            raise not_supported(f"evaluating {type(e).__name__}")
    return fn(e, batch, ctx)


def eval_array(e: Expression, batch: pa.RecordBatch, ctx: EvalContext) -> pa.Array:
    out = evaluate(e, batch, ctx)
    if isinstance(out, pa.ChunkedArray):
        out = out.combine_chunks()
    return broadcast(out, batch.num_rows)


_EMPTY = pa.RecordBatch.from_arrays([pa.array([None], pa.null())], names=["_"])


def eval_scalar(e: Expression, ctx: Optional[EvalContext] = None):
    """Value of a constant expression as Ember's Python representation."""
    from ember.engine.arrow_util import arrow_to_python
    ctx = ctx or EvalContext()
    arr = eval_array(e, _EMPTY, ctx)
    return arrow_to_python(arr[0], e.data_type)


# ---------------------------------------------------------------------------- leaves
@evaluates(Literal)
def _literal(e: Literal, batch, ctx):
    return literal_to_arrow(e.value, e.data_type)


@evaluates(BoundReference)
def _bound(e: BoundReference, batch, ctx):
    return batch.column(e.ordinal)


@evaluates(AttributeReference)
def _unbound(e, batch, ctx):
    raise EmberException("INTERNAL_ERROR", message=f"unbound attribute {e}")


@evaluates(Alias)
def _alias(e, batch, ctx):
    return evaluate(e.child, batch, ctx)


@evaluates(RuntimeReplaceable)
def _replaceable(e, batch, ctx):
    return evaluate(e.replacement, batch, ctx)


@evaluates(Cast)
def _cast(e: Cast, batch, ctx):
    from ember.engine.cast import cast_array
    arr = eval_array(e.child, batch, ctx)
    return cast_array(arr, e.child.data_type, e.to, e.eval_mode, ctx)


# ---------------------------------------------------------------------------- arithmetic
def overflow_error(message: str = "overflow", try_fn: Optional[str] = None):
    alt = f" Use '{try_fn}' to tolerate overflow and return NULL instead." if try_fn else ""
    return ArithmeticException("ARITHMETIC_OVERFLOW", message=message, alternative=alt,
                               config='"spark.sql.ansi.enabled"')


def divide_by_zero():
    return ArithmeticException("DIVIDE_BY_ZERO", config='"spark.sql.ansi.enabled"')


_INT_NP = {T.ByteType: np.int8, T.ShortType: np.int16, T.IntegerType: np.int32,
           T.LongType: np.int64}


def _int_arith(op: str, left: pa.Array, right: pa.Array, dt, mode: str):
    """+, -, * on integral columns with Spark's ANSI overflow checks (NULL under TRY)."""
    np_t = _INT_NP[type(dt)]
    lv, rv = to_numpy_filled(left, np_t), to_numpy_filled(right, np_t)
    valid = null_mask(left, right)
    wide_l = lv.astype(np.int64)
    wide_r = rv.astype(np.int64)
    if np_t is np.int64:
        with np.errstate(over="ignore"):
            if op == "+":
                r = wide_l + wide_r
                bad = ((wide_l ^ r) & (wide_r ^ r)) < 0
            elif op == "-":
                r = wide_l - wide_r
                bad = ((wide_l ^ wide_r) & (wide_l ^ r)) < 0
            else:
                r = wide_l * wide_r
                with np.errstate(divide="ignore", invalid="ignore"):
                    bad = (wide_l != 0) & ((r // np.where(wide_l == 0, 1, wide_l) != wide_r) |
                                           ((wide_l == -1) & (wide_r == np.iinfo(np.int64).min)))
                bad |= (np.abs(wide_l.astype(np.float64) * wide_r.astype(np.float64)) > 9.3e18)
    else:
        r = {"+": wide_l + wide_r, "-": wide_l - wide_r, "*": wide_l * wide_r}[op]
        info = np.iinfo(np_t)
        bad = (r < info.min) | (r > info.max)
    if valid is not None:
        bad &= valid
    if bad.any():
        if mode == "TRY":
            valid = (~bad) if valid is None else (valid & ~bad)
        elif mode == "ANSI":
            fn = {"+": "try_add", "-": "try_subtract", "*": "try_multiply"}[op]
            raise overflow_error("overflow" if np_t is not np.int64 else
                                 f"long overflow", fn)
    return from_numpy(r.astype(np_t), valid, T.to_arrow(dt))


def _float_arith(op, left, right, dt):
    fn = {"+": pc.add, "-": pc.subtract, "*": pc.multiply}[op]
    return fn(left, right)


def _decimal_arith(op, e, left, right, mode):
    lt, rt, out_t = e.left.data_type, e.right.data_type, e.data_type
    a, b = D.unscaled(left), D.unscaled(right)
    valid = null_mask(left, right)
    if op in ("+", "-"):
        s = max(lt.scale, rt.scale)
        a, b = D.rescale(a, lt.scale, s), D.rescale(b, rt.scale, s)
        r = D.add(a, b) if op == "+" else D.subtract(a, b)
        r = D.rescale(r, s, out_t.scale)
    else:
        r = D.multiply(a, b)
        r = D.rescale(r, lt.scale + rt.scale, out_t.scale)
    return _check_decimal(r, valid, out_t, mode)


def _check_decimal(r, valid, out_t: T.DecimalType, mode: str, value_for_error=None):
    ok = D.fits(r, out_t.precision)
    if valid is not None:
        ok |= ~valid
    if not ok.all():
        if mode == "ANSI":
            idx = int(np.argmin(ok))
            raise numeric_out_of_range(r[idx], out_t)
        valid = ok if valid is None else (valid & ok)
        r = r.copy()
        r[~ok] = 0
    return D.from_unscaled(r, valid, out_t.precision, out_t.scale)


def numeric_out_of_range(unscaled_value, dt: T.DecimalType):
    value = decimal.Decimal(int(unscaled_value)).scaleb(-dt.scale)
    text = format(value, "f")
    return ArithmeticException("NUMERIC_VALUE_OUT_OF_RANGE.WITH_SUGGESTION", value=text,
                               precision=str(dt.precision), scale=str(dt.scale),
                               config='"spark.sql.ansi.enabled"')


def _interval_arith(op, e, left, right):
    dt = e.data_type
    if isinstance(dt, T.YearMonthIntervalType):
        return _int_arith(op, left, right, T.IntegerType(), e.eval_mode)
    l64 = pc.cast(left, pa.int64())
    r64 = pc.cast(right, pa.int64())
    out = _int_arith(op, l64, r64, T.LongType(), e.eval_mode)
    return out.cast(pa.duration("us"))


@evaluates(Add, Subtract, Multiply)
def _arith(e, batch, ctx):
    op = {Add: "+", Subtract: "-", Multiply: "*"}[type(e)]
    left = eval_array(e.left, batch, ctx)
    right = eval_array(e.right, batch, ctx)
    dt = e.data_type
    if isinstance(dt, T.IntegralType):
        return _int_arith(op, left, right, dt, e.eval_mode)
    if isinstance(dt, T.DecimalType):
        return _decimal_arith(op, e, left, right, e.eval_mode)
    if isinstance(dt, (T.DayTimeIntervalType, T.YearMonthIntervalType)):
        return _interval_arith(op, e, left, right)
    if isinstance(dt, T.NullType):
        return pa.nulls(batch.num_rows)
    return _float_arith(op, left, right, dt)


def _zero_divisor(right: pa.Array, left: pa.Array):
    """Rows where the divisor is zero and both sides are present."""
    if isinstance(right.type, pa.Decimal128Type):
        zero = D.unscaled(right) == 0
    else:
        zero = to_numpy_filled(right, None, fill=1) == 0
    valid = null_mask(left, right)
    if valid is not None:
        zero &= valid
    return zero


@evaluates(Divide)
def _divide(e: Divide, batch, ctx):
    left = eval_array(e.left, batch, ctx)
    right = eval_array(e.right, batch, ctx)
    zero = _zero_divisor(right, left)
    if zero.any() and e.eval_mode == "ANSI":
        raise divide_by_zero()
    valid = null_mask(left, right)
    if zero.any():
        valid = (~zero) if valid is None else (valid & ~zero)
    dt = e.data_type
    if isinstance(dt, T.DecimalType):
        lt, rt = e.left.data_type, e.right.data_type
        r = D.divide(D.unscaled(left), lt.scale, D.unscaled(right), rt.scale, dt.scale, valid)
        return _check_decimal(r, valid, dt, e.eval_mode)
    lv = to_numpy_filled(left, np.float64)
    rv = to_numpy_filled(right, np.float64, fill=1.0)
    with np.errstate(divide="ignore", invalid="ignore"):
        r = lv / np.where(zero, 1.0, rv)
    return from_numpy(r, valid, pa.float64())


@evaluates(IntegralDivide)
def _int_divide(e: IntegralDivide, batch, ctx):
    left = eval_array(e.left, batch, ctx)
    right = eval_array(e.right, batch, ctx)
    zero = _zero_divisor(right, left)
    if zero.any() and e.eval_mode == "ANSI":
        raise divide_by_zero()
    valid = null_mask(left, right)
    if zero.any():
        valid = (~zero) if valid is None else (valid & ~zero)
    if isinstance(e.left.data_type, T.DecimalType):
        lt, rt = e.left.data_type, e.right.data_type
        a, b = D.to_object(D.unscaled(left)), D.to_object(D.unscaled(right))
        s = max(lt.scale, rt.scale)
        out = []
        for x, y, z in zip(a, b, zero):
            if z or y == 0:
                out.append(0)
                continue
            x2, y2 = x * D.POW10[s - lt.scale], y * D.POW10[s - rt.scale]
            q = abs(x2) // abs(y2)
            out.append(q if (x2 < 0) == (y2 < 0) else -q)
        if any(abs(v) > D.INT64_MAX for v in out):
            raise overflow_error("Overflow in integral divide", "try_divide")
        return from_numpy(np.array(out, dtype=np.int64), valid, pa.int64())
    lv = to_numpy_filled(left, np.int64)
    rv = to_numpy_filled(right, np.int64, fill=1)
    rv = np.where(zero, 1, rv)
    overflow = (lv == np.iinfo(np.int64).min) & (rv == -1)
    if valid is not None:
        overflow &= valid
    if overflow.any():
        if e.eval_mode == "ANSI":
            raise overflow_error("Overflow in integral divide", "try_divide")
        valid = (~overflow) if valid is None else valid & ~overflow
        rv = np.where(overflow, 1, rv)
    q = np.abs(lv) // np.abs(rv)
    q = np.where((lv < 0) != (rv < 0), -q, q)
    return from_numpy(q.astype(np.int64), valid, pa.int64())


def remainder_by_zero():
    return ArithmeticException("REMAINDER_BY_ZERO", config='"spark.sql.ansi.enabled"')


@evaluates(Remainder, Pmod)
def _remainder(e, batch, ctx):
    left = eval_array(e.left, batch, ctx)
    right = eval_array(e.right, batch, ctx)
    zero = _zero_divisor(right, left)
    if zero.any() and e.eval_mode == "ANSI":
        raise remainder_by_zero()
    valid = null_mask(left, right)
    if zero.any():
        valid = (~zero) if valid is None else (valid & ~zero)
    dt = e.data_type
    positive = isinstance(e, Pmod)
    if isinstance(dt, T.DecimalType):
        lt, rt = e.left.data_type, e.right.data_type
        s = max(lt.scale, rt.scale)
        a = D.to_object(D.rescale(D.unscaled(left), lt.scale, s))
        b = D.to_object(D.rescale(D.unscaled(right), rt.scale, s))
        out = []
        for x, y, z in zip(a, b, zero):
            if z or y == 0:
                out.append(0)
                continue
            r = abs(x) % abs(y)
            r = -r if x < 0 else r
            if positive and r < 0:
                r += abs(y)
            out.append(r)
        r = D.rescale(np.array(out, dtype=object), s, dt.scale)
        return _check_decimal(r, valid, dt, e.eval_mode)
    if isinstance(dt, T.IntegralType):
        np_t = _INT_NP[type(dt)]
        lv = to_numpy_filled(left, np.int64)
        rv = np.where(zero, 1, to_numpy_filled(right, np.int64, fill=1))
        r = np.fmod(lv, rv)
        if positive:
            r = np.where(r < 0, r + np.abs(rv), r)
            r = np.fmod(r, np.abs(rv)) if positive else r
        return from_numpy(r.astype(np_t), valid, T.to_arrow(dt))
    lv = to_numpy_filled(left, np.float64)
    rv = np.where(zero, 1.0, to_numpy_filled(right, np.float64, fill=1.0))
    r = np.fmod(lv, rv)
    if positive:
        r = np.where(r < 0, r + np.abs(rv), r)
    return from_numpy(r.astype(np.float64 if isinstance(dt, T.DoubleType) else np.float32),
                      valid, T.to_arrow(dt))


@evaluates(UnaryMinus)
def _negate(e: UnaryMinus, batch, ctx):
    arr = eval_array(e.child, batch, ctx)
    dt = e.data_type
    if isinstance(dt, T.IntegralType):
        np_t = _INT_NP[type(dt)]
        v = to_numpy_filled(arr, np_t)
        valid = null_mask(arr)
        bad = v == np.iinfo(np_t).min
        if valid is not None:
            bad &= valid
        if bad.any() and e.eval_mode == "ANSI":
            raise overflow_error("overflow")
        with np.errstate(over="ignore"):
            return from_numpy(-v, valid, T.to_arrow(dt))
    if isinstance(dt, T.DecimalType):
        r = -D.unscaled(arr) if D.unscaled(arr).dtype != object else np.array(
            [-x for x in D.unscaled(arr)], dtype=object)
        return D.from_unscaled(r, null_mask(arr), dt.precision, dt.scale)
    if isinstance(dt, T.DayTimeIntervalType):
        return pc.negate_checked(arr.cast(pa.int64())).cast(pa.duration("us"))
    return pc.negate(arr)


@evaluates(UnaryPositive)
def _positive(e, batch, ctx):
    return evaluate(e.child, batch, ctx)


# ---------------------------------------------------------------------------- predicates
def _float_compare(op, left, right):
    """Spark orders NaN above every number and NaN = NaN; -0.0 = 0.0."""
    lv = to_numpy_filled(left, np.float64)
    rv = to_numpy_filled(right, np.float64)
    ln, rn = np.isnan(lv), np.isnan(rv)
    lv = np.where(ln, 0.0, lv)
    rv = np.where(rn, 0.0, rv)
    # compare (isnan, value) lexicographically
    if op == "=":
        r = (ln == rn) & ((ln & rn) | (lv == rv))
    elif op == "<":
        r = (~ln & rn) | (~ln & ~rn & (lv < rv))
    elif op == "<=":
        r = rn | (~ln & (lv <= rv))
    elif op == ">":
        r = (ln & ~rn) | (~ln & ~rn & (lv > rv))
    else:
        r = ln | (~rn & (lv >= rv))
    return from_numpy(r, null_mask(left, right), pa.bool_())


_CMP = {EqualTo: ("=", pc.equal), LessThan: ("<", pc.less),
        LessThanOrEqual: ("<=", pc.less_equal), GreaterThan: (">", pc.greater),
        GreaterThanOrEqual: (">=", pc.greater_equal)}


def compare(op: str, left: pa.Array, right: pa.Array, dt: T.DataType) -> pa.Array:
    if isinstance(dt, (T.FloatType, T.DoubleType)):
        return _float_compare(op, left, right)
    if isinstance(dt, T.NullType):
        return pa.nulls(len(left), pa.bool_())
    fn = {"=": pc.equal, "<": pc.less, "<=": pc.less_equal, ">": pc.greater,
          ">=": pc.greater_equal}[op]
    if isinstance(dt, (T.ArrayType, T.MapType, T.StructType)):
        from ember.engine.nested import compare_nested
        return compare_nested(op, left, right, dt)
    return fn(left, right)


@evaluates(EqualTo, LessThan, LessThanOrEqual, GreaterThan, GreaterThanOrEqual)
def _comparison(e, batch, ctx):
    op, _ = _CMP[type(e)]
    left = eval_array(e.left, batch, ctx)
    right = eval_array(e.right, batch, ctx)
    return compare(op, left, right, e.left.data_type)


@evaluates(EqualNullSafe)
def _equal_null_safe(e, batch, ctx):
    left = eval_array(e.left, batch, ctx)
    right = eval_array(e.right, batch, ctx)
    eq = compare("=", left, right, e.left.data_type)
    both_null = pc.and_(pc.is_null(left), pc.is_null(right))
    return pc.if_else(pc.is_null(eq), both_null, eq)


@evaluates(And)
def _and(e, batch, ctx):
    return pc.and_kleene(eval_array(e.left, batch, ctx), eval_array(e.right, batch, ctx))


@evaluates(Or)
def _or(e, batch, ctx):
    return pc.or_kleene(eval_array(e.left, batch, ctx), eval_array(e.right, batch, ctx))


@evaluates(Not)
def _not(e, batch, ctx):
    return pc.invert(eval_array(e.child, batch, ctx))


@evaluates(IsNull)
def _is_null(e, batch, ctx):
    return pc.is_null(eval_array(e.child, batch, ctx))


@evaluates(IsNotNull)
def _is_not_null(e, batch, ctx):
    return pc.is_valid(eval_array(e.child, batch, ctx))


@evaluates(In)
def _in(e: In, batch, ctx):
    value = eval_array(e.value, batch, ctx)
    dt = e.value.data_type
    result = None
    for item in e.list:
        eq = compare("=", value, eval_array(item, batch, ctx), dt)
        result = eq if result is None else pc.or_kleene(result, eq)
    if result is None:
        return pc.if_else(pc.is_null(value), pa.scalar(None, pa.bool_()), False)
    return result


@evaluates(Like)
def _like(e: Like, batch, ctx):
    from ember.engine.strings import like
    return like(eval_array(e.left, batch, ctx), eval_array(e.right, batch, ctx), e.escape)


# ---------------------------------------------------------------------------- conditionals
@evaluates(If)
def _if(e: If, batch, ctx):
    cond = pc.fill_null(eval_array(e.predicate, batch, ctx), False)
    return pc.if_else(cond, eval_array(e.true_value, batch, ctx),
                      eval_array(e.false_value, batch, ctx))


@evaluates(CaseWhen)
def _case_when(e: CaseWhen, batch, ctx):
    """Branches in order; each value is evaluated only on the rows it decides (a value that
    would fail, like 1/0 in a branch never taken, must not raise)."""
    n = batch.num_rows
    out_type = T.to_arrow(e.data_type)
    result = pa.nulls(n, out_type)
    remaining = pa.array(np.ones(n, dtype=bool))
    for cond, value in e.branches:
        c = pc.and_(pc.fill_null(eval_array(cond, batch, ctx), False), remaining)
        if pc.any(c).as_py():
            result = pc.if_else(c, _eval_where(value, batch, ctx, c), result)
            remaining = pc.and_(remaining, pc.invert(c))
    if e.has_else and pc.any(remaining).as_py():
        result = pc.if_else(remaining, _eval_where(e.else_value, batch, ctx, remaining), result)
    return result


def _eval_where(e: Expression, batch, ctx, mask: pa.Array) -> pa.Array:
    """Evaluate `e` only on the rows where `mask` holds (so a branch that would fail, like
    1/0 in an ELSE never taken, does not raise), scattered back to full length."""
    if pc.all(mask).as_py():
        return eval_array(e, batch, ctx)
    idx = pc.indices_nonzero(mask)
    sub = batch.take(idx)
    vals = eval_array(e, sub, ctx)
    # scatter: position i takes vals[rank of i among selected]
    ranks = np.cumsum(np.asarray(mask.to_numpy(zero_copy_only=False), dtype=np.int64)) - 1
    ranks = np.clip(ranks, 0, max(len(vals) - 1, 0))
    if len(vals) == 0:
        return pa.nulls(batch.num_rows, vals.type)
    return vals.take(pa.array(ranks))


@evaluates(Coalesce)
def _coalesce(e: Coalesce, batch, ctx):
    n = batch.num_rows
    result = eval_array(e.children[0], batch, ctx)
    for c in e.children[1:]:
        missing = pc.is_null(result)
        if not pc.any(missing).as_py():
            break
        v = _eval_where(c, batch, ctx, missing)
        result = pc.coalesce(result, v)
    return result


# ---------------------------------------------------------------------------- datetimes
def _date_days(arr: pa.Array) -> pa.Array:
    return arr.cast(pa.int32())


@evaluates(DateAdd, DateSub)
def _date_add(e, batch, ctx):
    d = _date_days(eval_array(e.left, batch, ctx)).cast(pa.int64())
    n = eval_array(e.right, batch, ctx).cast(pa.int64())
    r = pc.add(d, n) if isinstance(e, DateAdd) and not isinstance(e, DateSub) else pc.subtract(d, n)
    return r.cast(pa.int32()).cast(pa.date32())


@evaluates(ExtractANSIIntervalDays)
def _interval_days(e, batch, ctx):
    us = eval_array(e.child, batch, ctx).cast(pa.int64())
    v = to_numpy_filled(us, np.int64)
    days = np.trunc(v / 86_400_000_000).astype(np.int32)
    return from_numpy(days, null_mask(us), pa.int32())


@evaluates(DateAddYMInterval, TimestampAddYMInterval)
def _add_months(e, batch, ctx):
    from ember.engine.datetime_ops import add_months
    return add_months(eval_array(e.left, batch, ctx), eval_array(e.right, batch, ctx),
                      e.left.data_type, ctx)


@evaluates(TimeAdd)
def _time_add(e, batch, ctx):
    ts = eval_array(e.left, batch, ctx)
    iv = eval_array(e.right, batch, ctx).cast(pa.int64())
    r = pc.add_checked(ts.cast(pa.int64()), iv)
    return r.cast(ts.type)


@evaluates(SubtractDates)
def _sub_dates(e, batch, ctx):
    a = _date_days(eval_array(e.left, batch, ctx)).cast(pa.int64())
    b = _date_days(eval_array(e.right, batch, ctx)).cast(pa.int64())
    return pc.multiply(pc.subtract(a, b), 86_400_000_000).cast(pa.duration("us"))


@evaluates(SubtractTimestamps)
def _sub_ts(e, batch, ctx):
    a = eval_array(e.left, batch, ctx).cast(pa.int64())
    b = eval_array(e.right, batch, ctx).cast(pa.int64())
    return pc.subtract_checked(a, b).cast(pa.duration("us"))
