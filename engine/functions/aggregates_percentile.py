"""Percentile aggregates: percentile (exact, linear interpolation), median, percentile_cont /
percentile_disc (WITHIN GROUP), and approx_percentile / percentile_approx (Spark's GK summary
answers exactly, at the value of rank ceil(p * n), while the data fit its accuracy)."""
from __future__ import annotations

import math

import numpy as np
import pyarrow as pa

from ember import types as T
from ember.catalog.functions import builtin
from ember.errors import AnalysisException
from ember.optimizer.expressions import Literal
from ember.engine.arrow_util import to_numpy_filled
from ember.engine.functions.aggregates_more import (_agg, _arity, _cast, _constant, _name, _q,
                                                   _type_error, kind)

_INTERVALS = (T.YearMonthIntervalType, T.DayTimeIntervalType)


def _percentages(name, e):
    """The constant percentage(s): (values, is_array)."""
    v = _constant(e, "percentage")
    is_array = isinstance(e.data_type, T.ArrayType)
    vals = list(v) if is_array else [v]
    for p in vals:
        if p is None or not 0.0 <= float(p) <= 1.0:
            raise AnalysisException("DATATYPE_MISMATCH.VALUE_OUT_OF_RANGE", exprName="percentage",
                                    valueRange="[0.0, 1.0]", currentValue=str(p),
                                    sqlExpr=_q(f"{name}(...)"))
    return tuple(float(p) for p in vals), is_array


def _exact_type(dt):
    if isinstance(dt, T.YearMonthIntervalType):
        return T.YearMonthIntervalType()
    if isinstance(dt, T.DayTimeIntervalType):
        return T.DayTimeIntervalType()
    return T.DoubleType()


def _value_arg(name, args):
    a = args[0]
    if isinstance(a.data_type, (T.NumericType, _INTERVALS)):
        return a
    if isinstance(a.data_type, (T.StringType, T.NullType)):
        return _cast(a, T.DoubleType())
    raise _type_error(name, args, 0, '("NUMERIC" or "ANSI INTERVAL")')


@builtin("percentile", kind="aggregate", group="agg_funcs")
def _percentile(args, call):
    _arity("percentile", args, (2, 3))
    value = _value_arg("percentile", args)
    ps, is_array = _percentages("percentile", args[1])
    freq = args[2] if len(args) == 3 else Literal(1, T.IntegerType())
    rt = _exact_type(value.data_type)
    dt = T.ArrayType(rt, False) if is_array else rt
    return _agg("percentile", call, "percentile", [value, args[1], freq], dt,
                options=(ps, is_array, False))


@builtin("median", kind="aggregate", group="agg_funcs")
def _median(args, call):
    _arity("median", args, (1,))
    value = _value_arg("median", args)
    return _agg("percentile", call, "median", [value], _exact_type(value.data_type),
                options=((0.5,), False, False))


@builtin("percentile_cont", "percentile_disc", kind="aggregate", group="agg_funcs")
def _percentile_within(args, call):
    name = _name(call, "percentile_cont")
    _arity(name, args, (1,))
    order = tuple(getattr(call, "order_by", ()))
    if not order:
        raise AnalysisException("INVALID_INVERSE_DISTRIBUTION_FUNCTION.WITHIN_GROUP_MISSING",
                                funcName=_q(name))
    so = order[0]
    value = _value_arg(name, [so.child])
    ps, is_array = _percentages(name, args[0])
    if not so.ascending:
        ps = tuple(1.0 - p for p in ps)
    text = (f"{name}({{1}}) WITHIN GROUP (ORDER BY {{0}}" + ("" if so.ascending else " DESC")
            + ")")
    return _agg("percentile", call, name, [value, args[0]], _exact_type(value.data_type),
                options=(ps, is_array, name == "percentile_disc"), sql_text=text)


@builtin("approx_percentile", "percentile_approx", kind="aggregate", group="agg_funcs")
def _approx(args, call):
    name = _name(call, "approx_percentile")
    _arity(name, args, (2, 3))
    a = args[0]
    if not isinstance(a.data_type, (T.NumericType, T.DateType, T.TimestampType,
                                    T.TimestampNTZType) + _INTERVALS):
        raise _type_error(name, args, 0,
                          '("NUMERIC" or "DATE" or "TIMESTAMP" or "TIMESTAMP_NTZ" or '
                          '"INTERVAL YEAR TO MONTH" or "INTERVAL DAY TO SECOND")')
    ps, is_array = _percentages(name, args[1])
    acc = args[2] if len(args) == 3 else Literal(10000, T.IntegerType())
    dt = T.ArrayType(a.data_type, False) if is_array else a.data_type
    return _agg("approx_percentile", call, name, [a, args[1], acc], dt,
                options=(ps, is_array, int(_constant(acc))))


def _sorted_groups(arr, ids, mask, n_groups, weights=None):
    """Per group the sorted values (float64 or int64) and their cumulative counts."""
    rows = np.nonzero(mask)[0]
    if pa.types.is_decimal(arr.type):
        vals = np.asarray(arr.cast(pa.float64()).fill_null(0).to_numpy(zero_copy_only=False))
    elif pa.types.is_floating(arr.type):
        vals = to_numpy_filled(arr, np.float64)
    else:
        vals = to_numpy_filled(arr, np.int64).astype(np.int64)
    v = vals[rows]
    g = ids[rows]
    w = weights[rows] if weights is not None else np.ones(len(rows), dtype=np.int64)
    order = np.lexsort((v, g))
    v, g, w = v[order], g[order], w[order]
    bounds = np.searchsorted(g, np.arange(n_groups + 1))
    return [(v[bounds[i]:bounds[i + 1]], np.cumsum(w[bounds[i]:bounds[i + 1]]))
            for i in range(n_groups)]


def _at(values, cum, k):
    """Value at 0-based position k of the expanded (weighted) sorted sequence."""
    return values[int(np.searchsorted(cum, k, side="right"))]


def _exact(values, cum, p, discrete):
    total = int(cum[-1])
    if discrete:
        k = max(math.ceil(p * total), 1) - 1
        return float(_at(values, cum, k))
    pos = (total - 1) * p
    lo, hi = math.floor(pos), math.ceil(pos)
    lv, hv = _at(values, cum, lo), _at(values, cum, hi)
    if lo == hi or lv == hv:
        return float(lv)
    return (hi - pos) * float(lv) + (pos - lo) * float(hv)


def _result_array(results, dt):
    at = T.to_arrow(dt)
    if isinstance(dt, T.ArrayType):
        inner = dt.elementType
        return pa.array([None if r is None else [_convert(x, inner) for x in r] for r in results],
                        pa.list_(pa.field("element", T.to_arrow(inner), False))).cast(at)
    return pa.array([None if r is None else _convert(r, dt) for r in results], _storage(dt)
                    ).cast(at)


def _storage(dt):
    at = T.to_arrow(dt)
    if pa.types.is_duration(at) or pa.types.is_timestamp(at):
        return pa.int64()
    if pa.types.is_date32(at):
        return pa.int32()
    return at


def _convert(x, dt):
    if isinstance(dt, (T.DoubleType, T.FloatType)):
        return float(x)
    if isinstance(dt, T.DecimalType):
        import decimal
        return decimal.Decimal(repr(float(x))).quantize(decimal.Decimal(1).scaleb(-dt.scale),
                                                       rounding=decimal.ROUND_HALF_UP)
    return int(x)          # integral, intervals, dates and timestamps (truncated as Spark)


@kind("percentile")
def _percentile_impl(f, args, ids, n_groups, mask, ctx):
    ps, is_array, discrete = f.options
    weights = None
    if len(args) >= 3 and f.name == "percentile":
        weights = to_numpy_filled(args[2], np.int64).astype(np.int64)
        wv = np.asarray(args[2].is_valid().to_numpy(zero_copy_only=False), dtype=bool)
        mask = mask & wv & (weights > 0)
    groups = _sorted_groups(args[0], ids, mask, n_groups, weights)
    out = []
    for values, cum in groups:
        if len(values) == 0:
            out.append(None)
            continue
        r = [_exact(values, cum, p, discrete) for p in ps]
        out.append(r if is_array else r[0])
    return _result_array(out, f.data_type)


@kind("approx_percentile")
def _approx_impl(f, args, ids, n_groups, mask, ctx):
    ps, is_array, _acc = f.options
    groups = _sorted_groups(args[0], ids, mask, n_groups)
    out = []
    for values, cum in groups:
        n = len(values)
        if n == 0:
            out.append(None)
            continue
        r = [values[min(max(math.ceil(p * n), 1), n) - 1] for p in ps]
        out.append(r if is_array else r[0])
    dt = f.data_type
    if isinstance(dt, T.ArrayType) and isinstance(dt.elementType, T.DecimalType) or \
            isinstance(dt, T.DecimalType):
        pass
    return _result_array(out, dt)
