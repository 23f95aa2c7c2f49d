"""Aggregate functions: each declared once, with its SQL names (the builder the analyzer
calls) and its grouped implementation (what HashAggregateExec runs).

An implementation receives the evaluated argument arrays, the dense group id of every row,
the group count, and a mask of participating rows (FILTER true, arguments not NULL); it
returns one Arrow value per group.
"""
from __future__ import annotations

from typing import Callable, Dict, List

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from ember import types as T
from ember.catalog.functions import builtin
from ember.errors import AnalysisException, ArithmeticException
from ember.optimizer.expressions import (AggregateExpression, Average, Count, Max, Min, Sum)
from ember.optimizer.expressions.arithmetic import adjust_precision_scale
from ember.engine import decimals as D
from ember.engine.arrow_util import from_numpy, to_numpy_filled

IMPLEMENTATIONS: Dict[type, Callable] = {}


def implements(cls):
    def wrap(fn):
        IMPLEMENTATIONS[cls] = fn
        return fn
    return wrap


def _wrap(function, call):
    distinct = bool(getattr(call, "is_distinct", False))
    return AggregateExpression(function, distinct, getattr(call, "filter", None))


def _arity(name, args, n):
    if len(args) not in (n if isinstance(n, tuple) else (n,)):
        raise AnalysisException(
            "WRONG_NUM_ARGS.WITHOUT_SUGGESTION", functionName=f"`{name}`",
            expectedNum=str(n if not isinstance(n, tuple) else " or ".join(map(str, n))),
            actualNum=str(len(args)), docroot="https://spark.apache.org/docs/latest")


# ---------------------------------------------------------------------------- builders
@builtin("count", kind="aggregate", group="agg_funcs")
def _count(args, call):
    if not args:
        raise AnalysisException("WRONG_NUM_ARGS.WITHOUT_SUGGESTION", functionName="`count`",
                                expectedNum="> 0", actualNum="0",
                                docroot="https://spark.apache.org/docs/latest")
    return _wrap(Count(args), call)


@builtin("sum", kind="aggregate", group="agg_funcs")
def _sum(args, call):
    _arity("sum", args, 1)
    return _wrap(Sum(_numeric_arg(args[0])), call)


@builtin("try_sum", kind="aggregate", group="agg_funcs")
def _try_sum(args, call):
    _arity("try_sum", args, 1)
    return _wrap(Sum(_numeric_arg(args[0]), eval_mode="TRY"), call)


@builtin("avg", "mean", kind="aggregate", group="agg_funcs")
def _avg(args, call):
    _arity("avg", args, 1)
    fn = Average(_numeric_arg(args[0]))
    if getattr(call, "name_parts", ("avg",))[-1].lower() == "mean":
        fn.call_name = "mean"
    return _wrap(fn, call)


@builtin("try_avg", kind="aggregate", group="agg_funcs")
def _try_avg(args, call):
    _arity("try_avg", args, 1)
    return _wrap(Average(_numeric_arg(args[0]), eval_mode="TRY"), call)


@builtin("min", kind="aggregate", group="agg_funcs")
def _min(args, call):
    _arity("min", args, 1)
    return _wrap(Min(args[0]), call)


@builtin("max", kind="aggregate", group="agg_funcs")
def _max(args, call):
    _arity("max", args, 1)
    return _wrap(Max(args[0]), call)


def _numeric_arg(e):
    """sum/avg take numbers; strings are implicitly cast to double (Spark's ImplicitTypeCasts)."""
    from ember.optimizer.analyzer.type_coercion import cast
    if isinstance(e.data_type, T.StringType):
        return cast(e, T.DoubleType())
    if isinstance(e.data_type, T.NullType):
        return cast(e, T.DoubleType())
    return e


# ---------------------------------------------------------------------------- implementations
def _null_result(n_groups, dt):
    return pa.nulls(n_groups, T.to_arrow(dt))


@implements(Count)
def count_impl(f, args, ids, n_groups, mask, ctx):
    from ember.engine.kernels.aggregate import count_rows
    return pa.array(count_rows(ids, mask, n_groups), pa.int64())


def _sum_int(values, ids, n_groups, mask, mode):
    from ember.engine.kernels.aggregate import sum_int64
    sums, counts, overflow = sum_int64(ids, values, mask, n_groups)
    if overflow:
        if mode == "ANSI":
            raise ArithmeticException("ARITHMETIC_OVERFLOW", message="long overflow",
                                      alternative=" Use 'try_sum' to tolerate overflow and return NULL instead.",
                                      config='"spark.sql.ansi.enabled"')
        exact = np.zeros(n_groups, dtype=object)
        np.add.at(exact, ids[mask], values[mask].astype(object))
        bad = np.array([not (-2**63 <= v < 2**63) for v in exact], dtype=bool)
        sums = np.array([0 if b else int(v) for v, b in zip(exact, bad)], dtype=np.int64)
        return sums, counts > 0 if mode != "TRY" else (counts > 0) & ~bad
    return sums, counts > 0


def _sum_interval(values, ids, n_groups, mask, dt, mode):
    """Interval sums: overflow of the interval's storage (int32 months, int64 micros) is
    Spark's INTERVAL_ARITHMETIC_OVERFLOW, or NULL under try_sum/try_avg."""
    from ember.engine.kernels.aggregate import sum_int64
    sums, counts, overflow = sum_int64(ids, values, mask, n_groups)
    ok = counts > 0
    if overflow:
        exact = np.zeros(n_groups, dtype=object)
        np.add.at(exact, ids[mask], values[mask].astype(object))
        sums = exact
    limit = 2**31 if isinstance(dt, T.YearMonthIntervalType) else 2**63
    bad = ok & np.array([not (-limit <= int(v) < limit) for v in sums], dtype=bool)
    if bad.any():
        if mode != "TRY":
            raise ArithmeticException("INTERVAL_ARITHMETIC_OVERFLOW.WITH_SUGGESTION",
                                      functionName="`try_add`")
        ok = ok & ~bad
        sums = np.array([int(v) if o else 0 for v, o in zip(sums, ok)], dtype=np.int64)
    return np.asarray(sums, dtype=np.int64), ok


@implements(Sum)
def sum_impl(f: Sum, args, ids, n_groups, mask, ctx):
    arr = args[0]
    dt = f.child.data_type
    out_t = f.data_type
    if isinstance(dt, T.DecimalType):
        return decimal_sum(arr, dt, out_t, ids, n_groups, mask, f.eval_mode)[0]
    if isinstance(dt, (T.DayTimeIntervalType, T.YearMonthIntervalType)):
        values = to_numpy_filled(arr, np.int64).astype(np.int64)
        sums, ok = _sum_interval(values, ids, n_groups, mask, dt, f.eval_mode)
        return from_numpy(sums, ok, pa.int64()).cast(T.to_arrow(out_t))
    if isinstance(dt, T.IntegralType):
        values = to_numpy_filled(arr, np.int64)
        sums, ok = _sum_int(values, ids, n_groups, mask, f.eval_mode)
        res = from_numpy(sums, ok, pa.int64())
        return res.cast(T.to_arrow(out_t)) if not isinstance(out_t, T.LongType) else res
    from ember.engine.kernels.aggregate import sum_float64
    values = to_numpy_filled(arr, np.float64)
    sums, counts = sum_float64(ids, values, mask, n_groups)
    return from_numpy(sums, counts > 0, pa.float64())


def decimal_sum(arr, dt, out_t, ids, n_groups, mask, mode):
    """Exact decimal sums per group: (Arrow result, unscaled sums, counts)."""
    from ember.engine.kernels.aggregate import count_rows, sum_int64
    un = D.unscaled(arr)
    if un.dtype != object:
        sums, counts, overflow = sum_int64(ids, un, mask, n_groups)
        if overflow:
            sums = None
    else:
        sums = None
    if sums is None:
        exact = np.zeros(n_groups, dtype=object)
        np.add.at(exact, ids[mask], D.to_object(un)[mask])
        sums = exact
        counts = count_rows(ids, mask, n_groups)
    ok = counts > 0
    fits = D.fits(sums, out_t.precision)
    bad = ok & ~fits
    if bad.any():
        if mode == "ANSI":
            from ember.engine.evaluator import numeric_out_of_range
            raise numeric_out_of_range(sums[int(np.argmax(bad))], out_t)
        ok = ok & fits
        sums = np.where(ok, sums, 0) if sums.dtype != object else np.array(
            [v if o else 0 for v, o in zip(sums, ok)], dtype=object)
    return D.from_unscaled(sums, ok, out_t.precision, out_t.scale), sums, counts


@implements(Average)
def avg_impl(f: Average, args, ids, n_groups, mask, ctx):
    arr = args[0]
    dt = f.child.data_type
    out_t = f.data_type
    if isinstance(dt, T.DecimalType):
        sum_t = f.sum_type
        _, sums, counts = decimal_sum(arr, dt, sum_t, ids, n_groups, mask, f.eval_mode)
        # Spark: Divide(sum, CAST(count AS DECIMAL(20,0))) at the divide's precision, then a
        # HALF_UP cast to the result type
        div_t = _divide_type(sum_t, T.DecimalType(20, 0))
        ok = counts > 0
        q = D.divide(sums, sum_t.scale, counts.astype(object), 0, div_t.scale, ok)
        q = D.rescale(q, div_t.scale, out_t.scale)
        fits = D.fits(q, out_t.precision) | ~ok
        if not fits.all():
            if f.eval_mode == "ANSI":
                from ember.engine.evaluator import numeric_out_of_range
                raise numeric_out_of_range(q[int(np.argmin(fits))], out_t)
            ok = ok & fits
        return D.from_unscaled(q, ok, out_t.precision, out_t.scale)
    if isinstance(dt, (T.DayTimeIntervalType, T.YearMonthIntervalType)):
        values = to_numpy_filled(arr, np.int64).astype(np.int64)
        sums, ok = _sum_interval(values, ids, n_groups, mask, dt, f.eval_mode)
        from ember.engine.kernels.aggregate import count_rows
        counts = count_rows(ids, mask, n_groups)
        # Spark divides the interval sum HALF_UP (ties away from zero), exactly
        c = np.maximum(counts, 1).astype(object)
        avg = np.array([0 if not o else (1 if v >= 0 else -1) * ((2 * abs(int(v)) + int(k))
                                                                // (2 * int(k)))
                        for v, k, o in zip(sums, c, ok)], dtype=np.int64)
        res = from_numpy(avg, ok, pa.int64())
        return res.cast(T.to_arrow(out_t))
    from ember.engine.kernels.aggregate import sum_float64
    values = to_numpy_filled(arr, np.float64)
    sums, counts = sum_float64(ids, values, mask, n_groups)
    with np.errstate(invalid="ignore", divide="ignore"):
        avg = sums / np.maximum(counts, 1)
    return from_numpy(avg, counts > 0, pa.float64())


def _divide_type(a: T.DecimalType, b: T.DecimalType) -> T.DecimalType:
    scale = max(6, a.scale + b.precision + 1)
    return adjust_precision_scale(a.precision - a.scale + b.scale + scale, scale)


@implements(Min)
def min_impl(f, args, ids, n_groups, mask, ctx):
    return _min_max(f, args[0], ids, n_groups, mask, want_max=False)


@implements(Max)
def max_impl(f, args, ids, n_groups, mask, ctx):
    return _min_max(f, args[0], ids, n_groups, mask, want_max=True)


def _min_max(f, arr, ids, n_groups, mask, want_max):
    from ember.engine.kernels.aggregate import min_max_float64, min_max_int64
    dt = f.data_type
    at = T.to_arrow(dt)
    if isinstance(dt, (T.FloatType, T.DoubleType)):
        values = to_numpy_filled(arr, np.float64)
        out, seen = min_max_float64(ids, values, mask, n_groups, want_max)
        return from_numpy(out.astype(np.float32) if isinstance(dt, T.FloatType) else out,
                          seen, at)
    if isinstance(dt, (T.IntegralType, T.DateType, T.TimestampType, T.TimestampNTZType,
                       T.BooleanType, T.DayTimeIntervalType, T.YearMonthIntervalType)):
        values = to_numpy_filled(arr, np.int64).astype(np.int64)
        out, seen = min_max_int64(ids, values, mask, n_groups, want_max)
        if isinstance(dt, T.BooleanType):
            return from_numpy(out.astype(bool), seen, at)
        if isinstance(dt, T.IntegralType):
            return from_numpy(out.astype({1: np.int8, 2: np.int16, 4: np.int32, 8: np.int64}[
                dt.defaultSize()]), seen, at)
        return from_numpy(out, seen, at)
    if isinstance(dt, T.DecimalType):
        un = D.unscaled(arr)
        if un.dtype != object:
            out, seen = min_max_int64(ids, un, mask, n_groups, want_max)
            return D.from_unscaled(out, seen, dt.precision, dt.scale)
    if isinstance(dt, (T.StringType, T.BinaryType, T.DecimalType)):
        # rank the distinct values (Arrow sorts strings by bytes, as Spark compares them)
        enc = pc.dictionary_encode(arr)
        dictionary = enc.dictionary
        order = pc.sort_indices(dictionary).to_numpy()
        rank = np.empty(len(order), dtype=np.int64)
        rank[order] = np.arange(len(order))
        codes = enc.indices.fill_null(0).to_numpy(zero_copy_only=False).astype(np.int64)
        ranks = rank[codes] if len(rank) else codes
        out, seen = min_max_int64(ids, ranks, mask, n_groups, want_max)
        picked = order[np.where(seen, out, 0)] if len(order) else np.zeros(n_groups, np.int64)
        values = dictionary.take(pa.array(picked)) if len(order) else pa.nulls(n_groups, at)
        return pc.if_else(pa.array(seen), values, pa.scalar(None, values.type)).cast(at)
    from ember.errors import not_supported
    raise not_supported(f"{f.pretty_name} over {dt.simpleString()}")
