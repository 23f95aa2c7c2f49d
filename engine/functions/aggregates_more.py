"""More aggregate functions, each a DeclaredAggregate: statistics (stddev, variance, skewness,
kurtosis, corr, covar_*, regr_*), boolean (every, some, bool_and, ...), count_if, bit_*,
first/last/any_value, min_by/max_by, collect_list/collect_set, mode, listagg, and the
percentiles (percentile, median, percentile_cont/disc, approx_percentile).

Builders fix Spark's result type and column name; implementations (keyed by `kind`) follow
the grouped signature of aggregates.py: (function, argument arrays, group ids, group count,
participating-row mask, eval context) -> one Arrow value per group.
"""
from __future__ import annotations

import math
from typing import Callable, Dict

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from ember import types as T
from ember.catalog.functions import builtin
from ember.errors import AnalysisException
from ember.optimizer.expressions import AggregateExpression, Average, Literal
from ember.optimizer.expressions.agg_functions import DeclaredAggregate
from ember.engine.arrow_util import from_numpy, to_numpy_filled
from ember.engine.functions.aggregates import IMPLEMENTATIONS, implements, avg_impl

KINDS: Dict[str, Callable] = {}


def kind(*names):
    def wrap(fn):
        for n in names:
            KINDS[n] = fn
        return fn
    return wrap


@implements(DeclaredAggregate)
def declared_impl(f, args, ids, n_groups, mask, ctx):
    return KINDS[f.kind](f, args, ids, n_groups, mask, ctx)


def _q(text):
    return '"' + text + '"'


def _wrap(function, call):
    return AggregateExpression(function, bool(getattr(call, "is_distinct", False)),
                               getattr(call, "filter", None))


def _name(call, default):
    parts = getattr(call, "name_parts", None)
    return parts[-1].lower() if parts else default


def _arity(name, args, allowed):
    if len(args) not in allowed:
        raise AnalysisException(
            "WRONG_NUM_ARGS.WITHOUT_SUGGESTION", functionName=f"`{name}`",
            expectedNum=" or ".join(map(str, allowed)), actualNum=str(len(args)),
            docroot="https://spark.apache.org/docs/latest")


def _sql_of(name, args):
    return f"{name}({', '.join(a.pretty_sql() for a in args)})"


def _type_error(name, args, i, required):
    a = args[i]
    return AnalysisException(
        "DATATYPE_MISMATCH.UNEXPECTED_INPUT_TYPE", sqlExpr=_q(_sql_of(name, args)),
        paramIndex=["first", "second", "third"][min(i, 2)], inputSql=_q(a.pretty_sql()),
        inputType=_q(a.data_type.sql()), requiredType=required)


def _cast(e, dt):
    from ember.optimizer.analyzer.type_coercion import cast
    return cast(e, dt)


def _double_args(name, args):
    """Spark's ImplicitCastInputTypes to DOUBLE: numbers and strings cast, others rejected."""
    out = []
    for i, a in enumerate(args):
        if not isinstance(a.data_type, (T.NumericType, T.StringType, T.NullType)):
            raise _type_error(name, args, i, '"DOUBLE"')
        out.append(_cast(a, T.DoubleType()))
    return out


def _bool_arg(name, args, i=0):
    a = args[i]
    if isinstance(a.data_type, T.NullType):
        return _cast(a, T.BooleanType())
    if not isinstance(a.data_type, T.BooleanType):
        raise _type_error(name, args, i, '"BOOLEAN"')
    return a


def _constant(e, what="the argument"):
    if not e.foldable:
        raise AnalysisException("DATATYPE_MISMATCH.NON_FOLDABLE_INPUT", inputName=_q(what),
                                inputType=_q(e.data_type.sql()), inputExpr=_q(e.pretty_sql()),
                                sqlExpr=_q(e.pretty_sql()))
    from ember.engine.evaluator import eval_scalar
    return eval_scalar(e)


def _agg(kind_, call, default_name, children, dt, nullable=True, options=(), sees_nulls=False,
         sql_text=None, name=None):
    return _wrap(DeclaredAggregate(kind_, name or _name(call, default_name), children, dt,
                                   nullable, options, sees_nulls, sql_text), call)


# ============================================================================ statistics
_MOMENTS = {"stddev": 2, "std": 2, "stddev_samp": 2, "stddev_pop": 2, "variance": 2,
            "var_samp": 2, "var_pop": 2, "skewness": 3, "kurtosis": 4}


@builtin(*_MOMENTS, kind="aggregate", group="agg_funcs")
def _moment_builder(args, call):
    name = _name(call, "stddev")
    _arity(name, args, (1,))
    kind_ = {"std": "stddev_samp", "variance": "var_samp", "stddev": "stddev_samp"}.get(name, name)
    return _agg(kind_, call, name, _double_args(name, args), T.DoubleType())


@kind(*set(_MOMENTS) - {"std", "variance", "stddev"})
def _moment_impl(f, args, ids, n_groups, mask, ctx):
    from ember.engine.kernels.aggregate_stats import central_moments
    values = to_numpy_filled(args[0], np.float64)
    n, avg, m2, m3, m4 = central_moments(ids, values, mask, n_groups, _MOMENTS[f.kind])
    with np.errstate(all="ignore"):
        if f.kind == "stddev_samp":
            return from_numpy(np.sqrt(m2 / (n - 1.0)), n > 1, pa.float64())
        if f.kind == "var_samp":
            return from_numpy(m2 / (n - 1.0), n > 1, pa.float64())
        if f.kind == "stddev_pop":
            return from_numpy(np.sqrt(m2 / n), n > 0, pa.float64())
        if f.kind == "var_pop":
            return from_numpy(m2 / n, n > 0, pa.float64())
        if f.kind == "skewness":
            return from_numpy(np.sqrt(n) * m3 / np.sqrt(m2 * m2 * m2), (n > 0) & (m2 != 0),
                              pa.float64())
        return from_numpy(n * m4 / (m2 * m2) - 3.0, (n > 0) & (m2 != 0), pa.float64())


_BIVARIATE = ("corr", "covar_pop", "covar_samp", "regr_r2", "regr_sxx", "regr_syy",
              "regr_sxy", "regr_slope", "regr_intercept")


@builtin(*_BIVARIATE, kind="aggregate", group="agg_funcs")
def _bivariate_builder(args, call):
    name = _name(call, "corr")
    _arity(name, args, (2,))
    return _agg(name, call, name, _double_args(name, args), T.DoubleType())


@kind(*_BIVARIATE)
def _bivariate_impl(f, args, ids, n_groups, mask, ctx):
    """Spark's formulas per function; regr_*(y, x) feed Covariance(y, x),
    PearsonCorrelation(y, x) or a central moment of one side, as Spark's replacements do."""
    from ember.engine.kernels.aggregate_stats import central_moments, co_moments
    a = to_numpy_filled(args[0], np.float64)
    b = to_numpy_filled(args[1], np.float64)
    k = f.kind
    with np.errstate(all="ignore"):
        if k in ("regr_sxx", "regr_syy"):
            n, _, m2, _, _ = central_moments(ids, b if k == "regr_sxx" else a, mask, n_groups, 2)
            return from_numpy(m2, n > 0, pa.float64())
        if k in ("regr_slope", "regr_intercept"):
            n, x_avg, y_avg, ck, _, _ = co_moments(ids, b, a, mask, n_groups)
            _, _, m2, _, _ = central_moments(ids, b, mask, n_groups, 2)
            slope = ck / m2
            if k == "regr_slope":
                return from_numpy(slope, m2 != 0, pa.float64())
            return from_numpy(y_avg - slope * x_avg, m2 != 0, pa.float64())
        n, x_avg, y_avg, ck, x_mk, y_mk = co_moments(ids, a, b, mask, n_groups)
        if k == "corr":
            return from_numpy(ck / np.sqrt(x_mk * y_mk), n > 1, pa.float64())
        if k == "covar_pop":
            return from_numpy(ck / n, n > 0, pa.float64())
        if k == "covar_samp":
            return from_numpy(ck / (n - 1.0), n > 1, pa.float64())
        if k == "regr_r2":
            r = ck / np.sqrt(x_mk * y_mk)
            return from_numpy(np.where(y_mk == 0, 1.0, r * r), x_mk != 0, pa.float64())
        return from_numpy(ck, n > 0, pa.float64())          # regr_sxy


@builtin("regr_count", kind="aggregate", group="agg_funcs")
def _regr_count(args, call):
    _arity("regr_count", args, (2,))
    for i, a in enumerate(args):
        if not isinstance(a.data_type, (T.NumericType, T.NullType)):
            raise _type_error("regr_count", args, i, '"NUMERIC"')
    return _agg("regr_count", call, "regr_count", args, T.LongType(), nullable=False)


@kind("regr_count", "count_if")
def _count_impl(f, args, ids, n_groups, mask, ctx):
    from ember.engine.kernels.aggregate import count_rows
    if f.kind == "count_if":
        mask = mask & to_numpy_filled(args[0], bool)
    return pa.array(count_rows(ids, mask, n_groups), pa.int64())


@builtin("regr_avgx", "regr_avgy", kind="aggregate", group="agg_funcs")
def _regr_avg(args, call):
    name = _name(call, "regr_avgx")
    _arity(name, args, (2,))
    for i, a in enumerate(args):
        if not isinstance(a.data_type, (T.NumericType, T.NullType)):
            raise _type_error(name, args, i, '"NUMERIC"')
    target = args[1] if name == "regr_avgx" else args[0]
    if isinstance(target.data_type, T.NullType):
        target = _cast(target, T.DoubleType())
    return _agg(name, call, name, args, Average(target).data_type)


@kind("regr_avgx", "regr_avgy")
def _regr_avg_impl(f, args, ids, n_groups, mask, ctx):
    i = 1 if f.kind == "regr_avgx" else 0
    child = f.children[i]
    arr = args[i]
    if isinstance(child.data_type, T.NullType):
        child = _cast(child, T.DoubleType())
        arr = arr.cast(pa.float64())
    return avg_impl(Average(child), [arr], ids, n_groups, mask, ctx)


# ============================================================================ boolean, bits
@builtin("every", "bool_and", "some", "any", "bool_or", kind="aggregate", group="agg_funcs")
def _bool_builder(args, call):
    name = _name(call, "every")
    _arity(name, args, (1,))
    k = "bool_and" if name in ("every", "bool_and") else "bool_or"
    return _agg(k, call, name, [_bool_arg(name, args)], T.BooleanType())


@kind("bool_and", "bool_or")
def _bool_impl(f, args, ids, n_groups, mask, ctx):
    from ember.engine.kernels.aggregate_stats import bool_and_or
    out, seen = bool_and_or(ids, to_numpy_filled(args[0], bool), mask, n_groups,
                            f.kind == "bool_and")
    return from_numpy(out, seen, pa.bool_())


@builtin("count_if", kind="aggregate", group="agg_funcs")
def _count_if(args, call):
    _arity("count_if", args, (1,))
    return _agg("count_if", call, "count_if", [_bool_arg("count_if", args)], T.LongType(),
                nullable=False)


@builtin("bit_and", "bit_or", "bit_xor", kind="aggregate", group="agg_funcs")
def _bit_builder(args, call):
    name = _name(call, "bit_and")
    _arity(name, args, (1,))
    a = args[0]
    if isinstance(a.data_type, T.NullType):
        a = _cast(a, T.LongType())
    if not isinstance(a.data_type, T.IntegralType):
        raise _type_error(name, args, 0, '"INTEGRAL"')
    return _agg(name, call, name, [a], a.data_type)


@kind("bit_and", "bit_or", "bit_xor")
def _bit_impl(f, args, ids, n_groups, mask, ctx):
    from ember.engine.kernels.aggregate_stats import bitwise_reduce
    op = {"bit_and": 0, "bit_or": 1, "bit_xor": 2}[f.kind]
    out, seen = bitwise_reduce(ids, to_numpy_filled(args[0], np.int64).astype(np.int64), mask,
                               n_groups, op)
    at = T.to_arrow(f.data_type)
    return from_numpy(out.astype(at.to_pandas_dtype()), seen, at)


# ============================================================================ picking rows
@builtin("first", "first_value", "last", "last_value", "any_value", kind="aggregate",
         group="agg_funcs")
def _first_last(args, call):
    name = _name(call, "first")
    _arity(name, args, (1, 2))
    ignore = bool(getattr(call, "ignore_nulls", False))
    if len(args) == 2:
        flag = args[1]
        if not flag.foldable or not isinstance(flag.data_type, T.BooleanType):
            raise AnalysisException(
                "DATATYPE_MISMATCH.UNEXPECTED_INPUT_TYPE", sqlExpr=_q(_sql_of(name, args)),
                paramIndex="second", inputSql=_q(flag.pretty_sql()),
                inputType=_q(flag.data_type.sql()), requiredType='"BOOLEAN"')
        ignore = bool(_constant(flag)) or ignore
    k = "last" if name.startswith("last") else "first"
    return _agg(k, call, name, [args[0]], args[0].data_type, options=(ignore,),
                sees_nulls=not ignore)


@kind("first", "last")
def _first_last_impl(f, args, ids, n_groups, mask, ctx):
    from ember.engine.kernels.aggregate_stats import pick_row
    rows = pick_row(ids, mask, n_groups, f.kind == "last")
    return _take_rows(args[0], rows)


def _take_rows(arr, rows):
    """Values at `rows` (NULL where the row index is -1)."""
    idx = pa.array(rows, pa.int64(), mask=rows < 0)
    return arr.take(idx)


def _ranks(arr):
    """Dense ranks of the values in Spark's ordering (NaN above every number)."""
    if len(arr) == 0:
        return np.zeros(0, dtype=np.int64)
    return np.asarray(pc.rank(arr, sort_keys="ascending", tiebreaker="dense")
                      .to_numpy(zero_copy_only=False), dtype=np.int64)


@builtin("max_by", "min_by", kind="aggregate", group="agg_funcs")
def _max_min_by(args, call):
    name = _name(call, "max_by")
    _arity(name, args, (2, 3))
    if len(args) == 3:
        n = _constant(args[2])
        return _agg(name, call, name, args, T.ArrayType(args[0].data_type, True),
                    nullable=False, options=(int(n),), sees_nulls=True)
    return _agg(name, call, name, args, args[0].data_type, sees_nulls=True)


@kind("max_by", "min_by")
def _max_min_by_impl(f, args, ids, n_groups, mask, ctx):
    from ember.engine.kernels.aggregate_stats import arg_extreme
    order = args[1]
    valid = mask & np.asarray(order.is_valid().to_numpy(zero_copy_only=False), dtype=bool)
    ranks = _ranks(order)
    want_max = f.kind == "max_by"
    if not f.options:
        return _take_rows(args[0], arg_extreme(ids, ranks, valid, n_groups, want_max))
    limit = f.options[0]
    heaps = [_TopK(limit, not want_max) for _ in range(n_groups)]
    for r in np.nonzero(valid)[0]:
        heaps[ids[r]].insert(r, int(ranks[r]))
    out_rows, out_ids = [], []
    for g, h in enumerate(heaps):
        final = _TopK(limit, not want_max)          # the final phase merges the partial heap
        for i in range(h.size):
            j = h.heap[i]
            final.insert(h.rows[j], h.ords[j])
        for row in final.result():
            out_rows.append(row)
            out_ids.append(g)
    rows = np.asarray(out_rows, dtype=np.int64)
    return _lists(args[0], rows, ids, n_groups)


class _TopK:
    """Spark's MaxMinByK buffer: slots of (row, ordering) and a binary heap of slot indices
    with the worst kept element on top; a new element replaces it only when strictly better."""

    def __init__(self, k, reverse):
        self.k, self.reverse = k, reverse
        self.rows, self.ords, self.heap, self.size = [], [], [], 0

    def _cmp(self, a, b):
        c = (a > b) - (a < b)
        return -c if self.reverse else c

    def insert(self, row, ordv):
        if self.size < self.k:
            self.rows.append(row)
            self.ords.append(ordv)
            self.heap.append(self.size)
            cur = self.size
            while cur > 0:
                parent = (cur - 1) // 2
                if self._cmp(self.ords[self.heap[cur]], self.ords[self.heap[parent]]) < 0:
                    self.heap[cur], self.heap[parent] = self.heap[parent], self.heap[cur]
                    cur = parent
                else:
                    break
            self.size += 1
        elif self._cmp(ordv, self.ords[self.heap[0]]) > 0:
            idx = self.heap[0]
            self.rows[idx], self.ords[idx] = row, ordv
            cur = 0
            while 2 * cur + 1 < self.size:
                left, right = 2 * cur + 1, 2 * cur + 2
                pref = right if right < self.size and self._cmp(
                    self.ords[self.heap[right]], self.ords[self.heap[left]]) < 0 else left
                if self._cmp(self.ords[self.heap[cur]], self.ords[self.heap[pref]]) <= 0:
                    break
                self.heap[cur], self.heap[pref] = self.heap[pref], self.heap[cur]
                cur = pref

    def result(self):
        """Rows sorted best first (a stable sort over the slots, as Spark's eval)."""
        slots = sorted(range(self.size), key=lambda i: self.ords[i],
                       reverse=not self.reverse)
        return [self.rows[i] for i in slots]


def _lists(arr, rows, ids, n_groups):
    """One list per group of arr[rows], `rows` already in the wanted order per group."""
    grp = ids[rows]
    perm = np.argsort(grp, kind="stable")
    rows = rows[perm]
    counts = np.bincount(grp, minlength=n_groups) if len(grp) else np.zeros(n_groups, np.int64)
    offsets = np.zeros(n_groups + 1, dtype=np.int32)
    np.cumsum(counts, out=offsets[1:])
    values = arr.take(pa.array(rows, pa.int64()))
    return pa.ListArray.from_arrays(pa.array(offsets, pa.int32()), values)


# ============================================================================ collections
@builtin("collect_list", "array_agg", "collect_set", kind="aggregate", group="agg_funcs")
def _collect(args, call):
    name = _name(call, "collect_list")
    _arity(name, args, (1,))
    k = "collect_set" if name == "collect_set" else "collect_list"
    return _agg(k, call, k, args, T.ArrayType(args[0].data_type, False), nullable=False,
                name=k)


@kind("collect_list", "collect_set")
def _collect_impl(f, args, ids, n_groups, mask, ctx):
    from ember.engine.encoding import dense_ids
    rows = np.nonzero(mask)[0]
    if f.kind == "collect_set" and len(rows):
        sel = pa.array(rows)
        _, first, _ = dense_ids([pa.array(ids[rows]), args[0].take(sel)], len(rows))
        rows = rows[np.sort(first)]
    out = _lists(args[0], rows, ids, n_groups)
    return out.cast(T.to_arrow(f.data_type))


@builtin("mode", kind="aggregate", group="agg_funcs")
def _mode(args, call):
    _arity("mode", args, (0, 1, 2))
    order = getattr(call, "order_by", ())
    if order:
        if args:
            raise AnalysisException("INVALID_INVERSE_DISTRIBUTION_FUNCTION.WITHIN_GROUP_MISSING",
                                    funcName=_q("mode"))
        so = order[0]
        # Spark prints the reversed direction here
        text = "mode() WITHIN GROUP (ORDER BY {0}" + (" DESC" if so.ascending else "") + ")"
        return _agg("mode", call, "mode", [so.child], so.child.data_type,
                    options=(so.ascending,), sql_text=text)
    if not args:
        raise AnalysisException("INVALID_INVERSE_DISTRIBUTION_FUNCTION.WITHIN_GROUP_MISSING",
                                funcName=_q("mode"))
    if len(args) == 2 and _constant(args[1]):
        return _agg("mode", call, "mode", [args[0]], args[0].data_type, options=(True,),
                    sql_text="mode() WITHIN GROUP (ORDER BY {0} DESC)")
    return _agg("mode", call, "mode", [args[0]], args[0].data_type, options=(None,))


@kind("mode")
def _mode_impl(f, args, ids, n_groups, mask, ctx):
    from ember.engine.encoding import dense_ids
    arr = args[0]
    out = np.full(n_groups, -1, dtype=np.int64)
    rows = np.nonzero(mask)[0]
    if len(rows):
        sel = pa.array(rows)
        pair_ids, first, n_pairs = dense_ids([pa.array(ids[rows]), arr.take(sel)], len(rows))
        counts = np.bincount(pair_ids, minlength=n_pairs)
        rep = rows[first]                       # a row of each (group, value)
        grp = ids[rep]
        ranks = _ranks(arr.take(pa.array(rep)))
        ascending = f.options[0]
        tie = -ranks if ascending in (True, None) else ranks
        order = np.lexsort((tie, counts, grp))   # last of each group wins
        last = np.r_[grp[order][1:] != grp[order][:-1], True]
        out[grp[order][last]] = rep[order][last]
        if ascending is None:
            _mode_hash_ties(f.children[0].data_type, arr, rep, grp, counts, out)
    return _take_rows(arr, out)


def _java_hash_code(v, dt):
    """The hashCode of Spark's internal (boxed) value, or None when not modelled."""
    from ember.engine.functions.hash_funcs import murmur3_bytes
    if isinstance(dt, (T.ByteType, T.ShortType, T.IntegerType, T.DateType,
                       T.YearMonthIntervalType)):
        return _int32(v)
    if isinstance(dt, (T.LongType, T.TimestampType, T.TimestampNTZType,
                       T.DayTimeIntervalType)):
        v &= 0xFFFFFFFFFFFFFFFF
        return _int32(v ^ (v >> 32))
    if isinstance(dt, T.BooleanType):
        return 1231 if v else 1237
    if isinstance(dt, T.StringType):
        return _int32(murmur3_bytes(v.encode("utf-8"), 42))
    if isinstance(dt, (T.DoubleType, T.FloatType)):
        import struct
        if isinstance(dt, T.FloatType):
            return _int32(struct.unpack(">i", struct.pack(">f", v))[0])
        bits = struct.unpack(">q", struct.pack(">d", v))[0] & 0xFFFFFFFFFFFFFFFF
        return _int32(bits ^ (bits >> 32))
    return None


def _open_hash_order(keys, hashes):
    """Iteration order of Spark's OpenHashSet after inserting `keys` (64 slots, doubling
    past a 0.7 load factor, quadratic probing over murmur3 of the key's hashCode)."""
    from ember.engine.functions.hash_funcs import murmur3_int
    capacity, slots = 64, {}
    hash_of = dict(zip(keys, hashes))

    def place(table, cap, key, h):
        pos = murmur3_int(h, 0) & (cap - 1)
        delta = 1
        while pos in table:
            pos = (pos + delta) & (cap - 1)
            delta += 1
        table[pos] = key

    for k, h in zip(keys, hashes):
        place(slots, capacity, k, h)
        if len(slots) > int(0.7 * capacity):
            capacity *= 2
            new = {}
            for pos in sorted(slots):
                key = slots[pos]
                place(new, capacity, key, hash_of[key])
            slots = new
    return [slots[p] for p in sorted(slots)]


def _mode_hash_ties(dt, arr, rep, grp, counts, out):
    """mode(col) without a deterministic order: Spark returns the first most frequent value
    in its hash map's iteration order (built once per partial and once per final phase)."""
    for g in np.unique(grp):
        sel = np.nonzero(grp == g)[0]
        c = counts[sel]
        if (c == c.max()).sum() < 2:
            continue
        sel = sel[np.argsort(rep[sel], kind="stable")]        # first-appearance order
        values = arr.take(pa.array(rep[sel])).to_pylist()
        if isinstance(dt, (T.TimestampType, T.TimestampNTZType, T.DayTimeIntervalType)):
            values = arr.take(pa.array(rep[sel])).cast(pa.int64()).to_pylist()
        elif isinstance(dt, T.DateType):
            values = arr.take(pa.array(rep[sel])).cast(pa.int32()).to_pylist()
        hashes = [_java_hash_code(v, dt) for v in values]
        if any(h is None for h in hashes):
            continue
        idx = list(range(len(sel)))
        partial = _open_hash_order(idx, hashes)
        final = _open_hash_order(partial, [hashes[i] for i in partial])
        best = max(counts[sel])
        winner = next(i for i in final if counts[sel[i]] == best)
        out[g] = rep[sel[winner]]


@builtin("listagg", "string_agg", kind="aggregate", group="agg_funcs")
def _listagg(args, call):
    name = _name(call, "listagg")
    _arity(name, args, (1, 2))
    delim = args[1] if len(args) == 2 else Literal(None, T.NullType())
    value = args[0]
    if isinstance(value.data_type, T.NullType):
        value = _cast(value, T.StringType())
    if not isinstance(value.data_type, (T.StringType, T.BinaryType)):
        raise _type_error(name, args, 0, '("STRING" or "BINARY")')
    order = tuple(getattr(call, "order_by", ()))
    text = None
    children = [value, delim]
    if order:
        so = order[0]
        text = ("listagg({0}, {1}) WITHIN GROUP (ORDER BY {2} " + so.direction + " "
                + so.null_ordering + ")")
        children.append(so.child)
    return _agg("listagg", call, name, children, value.data_type,
                options=tuple((so.ascending, so.nulls_first) for so in order), sql_text=text,
                sees_nulls=True)


@kind("listagg")
def _listagg_impl(f, args, ids, n_groups, mask, ctx):
    arr = args[0]
    valid = np.asarray(arr.is_valid().to_numpy(zero_copy_only=False), dtype=bool) & mask
    rows = np.nonzero(valid)[0]
    if f.options:
        asc, nulls_first = f.options[0]
        r = _ranks(args[2].take(pa.array(rows))) if len(rows) else np.zeros(0, np.int64)
        rows = rows[np.argsort(r if asc else -r, kind="stable")]
    lists = _lists(arr, rows, ids, n_groups).to_pylist()
    d = args[1][0].as_py() if len(args[1]) else None
    d = d if d is not None else ("" if not pa.types.is_binary(arr.type) else b"")
    out = [d.join(v) if v else None for v in lists]
    return pa.array(out, arr.type)


@builtin("approx_count_distinct", kind="aggregate", group="agg_funcs")
def _approx_count_distinct(args, call):
    _arity("approx_count_distinct", args, (1, 2))
    return _agg("approx_count_distinct", call, "approx_count_distinct", args[:1], T.LongType(),
                nullable=False)


@kind("approx_count_distinct")
def _acd_impl(f, args, ids, n_groups, mask, ctx):
    from ember.engine.encoding import dense_ids
    rows = np.nonzero(mask)[0]
    counts = np.zeros(n_groups, dtype=np.int64)
    if len(rows):
        sel = pa.array(rows)
        _, first, _ = dense_ids([pa.array(ids[rows]), args[0].take(sel)], len(rows))
        counts = np.bincount(ids[rows[first]], minlength=n_groups).astype(np.int64)
    return pa.array(counts, pa.int64())


# ============================================================================ grouping()
@builtin("grouping", group="agg_funcs")
def _grouping(args, call):
    from ember.optimizer.expressions.grouping import Grouping
    _arity("grouping", args, (1,))
    return Grouping(args[0])


@builtin("grouping_id", group="agg_funcs")
def _grouping_id(args, call):
    from ember.optimizer.expressions.grouping import GroupingID
    return GroupingID(args)


# ============================================================================ histogram_numeric
@builtin("histogram_numeric", kind="aggregate", group="agg_funcs")
def _histogram_numeric(args, call):
    _arity("histogram_numeric", args, (2,))
    a = args[0]
    if not isinstance(a.data_type, (T.NumericType, T.DateType, T.TimestampType,
                                    T.TimestampNTZType, T.YearMonthIntervalType,
                                    T.DayTimeIntervalType)):
        raise _type_error("histogram_numeric", args, 0,
                          '("NUMERIC" or "TIMESTAMP" or "INTERVAL")')
    nb = _constant(args[1], "nb")
    if nb is None or int(nb) < 2:
        raise AnalysisException(
            "DATATYPE_MISMATCH.VALUE_OUT_OF_RANGE", exprName="nb", valueRange="[2, 2147483647]",
            currentValue=str(nb), sqlExpr=_q(_sql_of("histogram_numeric", args)))
    item = T.StructType([T.StructField("x", a.data_type, True),
                         T.StructField("y", T.DoubleType(), True)])
    return _agg("histogram_numeric", call, "histogram_numeric", args,
                T.ArrayType(item, True), options=(int(nb),))


class _JavaRandom:
    """java.util.Random, for the tie-breaking Hive's NumericHistogram does with it."""

    def __init__(self, seed):
        self.seed = (seed ^ 0x5DEECE66D) & ((1 << 48) - 1)

    def _next(self, bits):
        self.seed = (self.seed * 0x5DEECE66D + 0xB) & ((1 << 48) - 1)
        return self.seed >> (48 - bits)

    def next_double(self):
        return ((self._next(26) << 27) + self._next(27)) * (1.0 / (1 << 53))


def _numeric_histogram(values, nb):
    """Spark's NumericHistogram (Ben-Haim & Tom-Tov), ties broken by Random(31183)."""
    import bisect
    prng = _JavaRandom(31183)
    xs, ys = [], []
    for v in values:
        i = bisect.bisect_left(xs, v)
        if i < len(xs) and xs[i] == v:
            ys[i] += 1.0
            continue
        xs.insert(i, v)
        ys.insert(i, 1.0)
        while len(xs) > nb:
            best, loc, count = xs[1] - xs[0], 0, 1
            for j in range(1, len(xs) - 1):
                d = xs[j + 1] - xs[j]
                if d < best:
                    best, loc, count = d, j, 1
                elif d == best:
                    count += 1
                    if prng.next_double() <= 1.0 / count:
                        loc = j
            h = ys[loc] + ys[loc + 1]
            xs[loc] = (xs[loc] * ys[loc] + xs[loc + 1] * ys[loc + 1]) / h
            ys[loc] = h
            del xs[loc + 1], ys[loc + 1]
    return xs, ys


@kind("histogram_numeric")
def _histogram_numeric_impl(f, args, ids, n_groups, mask, ctx):
    arr = args[0]
    xt = f.data_type.elementType.fields[0].dataType
    if isinstance(xt, T.DecimalType):      # to_numpy_filled would give unscaled values
        vals = np.asarray(arr.cast(pa.float64()).fill_null(0).to_numpy(zero_copy_only=False))
    else:
        vals = to_numpy_filled(arr, np.float64).astype(np.float64)
    rows = np.nonzero(mask)[0]
    per_group = [[] for _ in range(n_groups)]
    for r in rows:
        per_group[ids[r]].append(float(vals[r]))
    out = []
    for values in per_group:
        if not values:
            out.append(None)
            continue
        xs, ys = _numeric_histogram(values, f.options[0])
        out.append([{"x": _hist_x(x, xt), "y": y} for x, y in zip(xs, ys)])
    storage = pa.list_(pa.struct([pa.field("x", _hist_storage(xt)), pa.field("y", pa.float64())]))
    return pa.array(out, storage).cast(T.to_arrow(f.data_type))


def _hist_storage(xt):
    at = T.to_arrow(xt)
    if pa.types.is_timestamp(at) or pa.types.is_duration(at):
        return pa.int64()
    if pa.types.is_date32(at):
        return pa.int32()
    return at


def _hist_x(x, xt):
    if isinstance(xt, (T.DoubleType, T.FloatType)):
        return x
    if isinstance(xt, T.DecimalType):
        import decimal
        return decimal.Decimal(repr(x)).quantize(decimal.Decimal(1).scaleb(-xt.scale),
                                                rounding=decimal.ROUND_HALF_UP)
    return int(x)


# ============================================================================ count_min_sketch
@builtin("count_min_sketch", kind="aggregate", group="agg_funcs")
def _count_min_sketch(args, call):
    _arity("count_min_sketch", args, (4,))
    a = args[0]
    if not isinstance(a.data_type, (T.IntegralType, T.StringType, T.BinaryType, T.NullType)):
        raise _type_error("count_min_sketch", args, 0,
                          '("INTEGRAL" or "STRING" or "BINARY")')
    eps, confidence, seed = (_constant(x) for x in args[1:])
    if eps is None or confidence is None or seed is None:
        raise AnalysisException("DATATYPE_MISMATCH.UNEXPECTED_NULL",
                                exprName="eps or confidence or seed",
                                sqlExpr=_q(_sql_of("count_min_sketch", args)))
    if float(eps) <= 0 or not 0 < float(confidence) < 1:
        raise AnalysisException("DATATYPE_MISMATCH.VALUE_OUT_OF_RANGE",
                                exprName="eps" if float(eps) <= 0 else "confidence",
                                valueRange="(0, 1)" if float(eps) > 0 else "(0, +inf)",
                                currentValue=str(eps if float(eps) <= 0 else confidence),
                                sqlExpr=_q(_sql_of("count_min_sketch", args)))
    return _agg("count_min_sketch", call, "count_min_sketch", args, T.BinaryType(),
                nullable=False, options=(float(eps), float(confidence), int(seed)))


def _int32(v):
    v &= 0xFFFFFFFF
    return v - (1 << 32) if v >= 1 << 31 else v


def _java_next_int(rnd, bound):
    """java.util.Random.nextInt(bound) for a non-power-of-two bound."""
    while True:
        u = rnd._next(31)
        r = u % bound
        if _int32(u - r + bound - 1) >= 0:
            return r


class _CountMinSketch:
    """Spark's CountMinSketchImpl (its serialized form is the aggregate's value)."""

    def __init__(self, eps, confidence, seed):
        self.width = math.ceil(2 / eps)
        self.depth = math.ceil(-math.log(1 - confidence) / math.log(2))
        rnd = _JavaRandom(seed)
        self.hash_a = [_java_next_int(rnd, 2**31 - 1) for _ in range(self.depth)]
        self.table = [[0] * self.width for _ in range(self.depth)]
        self.total = 0

    def add_long(self, item):
        for i in range(self.depth):
            h = (self.hash_a[i] * item) & 0xFFFFFFFFFFFFFFFF
            h = h - (1 << 64) if h >= 1 << 63 else h
            h += h >> 32
            h &= (1 << 31) - 1
            self.table[i][h % self.width] += 1
        self.total += 1

    def add_bytes(self, b):
        from ember.engine.functions.hash_funcs import murmur3_bytes
        h1 = _int32(murmur3_bytes(b, 0))
        h2 = _int32(murmur3_bytes(b, h1 & 0xFFFFFFFF))
        for i in range(self.depth):
            v = _int32(h1 + _int32(i * h2))
            self.table[i][abs(v) % self.width] += 1     # Java: abs((h1 + i*h2) % width)
        self.total += 1

    def serialize(self):
        import struct
        out = [struct.pack(">iqii", 1, self.total, self.depth, self.width)]
        out.extend(struct.pack(">q", a) for a in self.hash_a)
        for row in self.table:
            out.extend(struct.pack(">q", c) for c in row)
        return b"".join(out)


@kind("count_min_sketch")
def _count_min_sketch_impl(f, args, ids, n_groups, mask, ctx):
    sketches = [_CountMinSketch(*f.options) for _ in range(n_groups)]
    arr = args[0]
    values = arr.to_pylist()
    for r in np.nonzero(mask)[0]:
        v = values[r]
        s = sketches[ids[r]]
        if isinstance(v, str):
            s.add_bytes(v.encode("utf-8"))
        elif isinstance(v, (bytes, bytearray)):
            s.add_bytes(bytes(v))
        else:
            s.add_long(int(v))
    return pa.array([s.serialize() for s in sketches], pa.binary())
