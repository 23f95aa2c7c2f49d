"""WindowExec: window functions over one (partitioning, ordering).

The input is gathered and sorted by partition keys then order keys. The `Layout` holds, for
every row of the sorted input, its partition's row range and its peer group's (rows with equal
order keys) row range. Each window expression then gets its frame as a row range per row
(ROWS: offsets from the row; RANGE: peer groups or a binary search on the order key) and is
evaluated:
- window-only functions by their implementation in engine/functions/windows.py;
- aggregates generically: every distinct frame becomes a group and the aggregate's grouped
  implementation (engine/functions/aggregates.py) runs over the gathered frame rows; count,
  and sum/avg of integers, use prefix sums instead (any frame shape in one pass).
"""
from __future__ import annotations

from typing import List

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from numba import njit

from ember import types as T
from ember.engine.encoding import dense_ids
from ember.engine.operators.base import PhysicalPlan, table_to_batch, _fmt
from ember.engine.operators.basic import evaluate_column
from ember.engine.operators.sort import sort_indices
from ember.optimizer.expressions import SortOrder
from ember.optimizer.expressions.aggregates import AggregateExpression, Average, Count, Sum


class Layout:
    """Partition and peer-group boundaries of every row of a sorted window input."""

    def __init__(self, n: int, part_keys: List[pa.Array], order_keys: List[pa.Array]):
        self.n = n
        self.index = np.arange(n, dtype=np.int64)
        self.pid, self.pstart, self.pend = _runs(part_keys, n)
        self.peer_id, self.peer_start, self.peer_end = _runs(part_keys + order_keys, n)


def _runs(keys: List[pa.Array], n: int):
    """For sorted rows: run id, run start and run end (exclusive) of each row."""
    if n == 0:
        z = np.zeros(0, dtype=np.int64)
        return z, z, z
    if keys:
        ids, _, _ = dense_ids(keys, n)
        change = np.empty(n, dtype=bool)
        change[0] = True
        change[1:] = ids[1:] != ids[:-1]
    else:
        change = np.zeros(n, dtype=bool)
        change[0] = True
    run = np.cumsum(change) - 1
    starts = np.nonzero(change)[0]
    ends = np.append(starts[1:], n)
    return run, starts[run], ends[run]


class WindowExec(PhysicalPlan):
    def __init__(self, window_expressions, bound_functions, bound_args, partition_spec,
                 order_spec, bound_partition, bound_order, child: PhysicalPlan):
        self.window_expressions = list(window_expressions)   # Alias(WindowExpression)
        self.bound_functions = list(bound_functions)         # per expression: function
        self.bound_args = list(bound_args)                   # per expression: (args, filter)
        self.partition_spec = list(partition_spec)
        self.order_spec = list(order_spec)
        self.bound_partition = list(bound_partition)
        self.bound_order = list(bound_order)
        self.children = (child,)
        self.output = list(child.output) + [e.to_attribute() for e in self.window_expressions]

    def execute(self, ctx):
        batch = table_to_batch(self.children[0].collect_table(ctx))
        n = batch.num_rows
        if n == 0:
            yield self.empty_batch()
            return
        sort_keys = [SortOrder(p) for p in self.bound_partition] + [
            SortOrder(o.child, o.direction, o.null_ordering) for o in self.bound_order]
        if sort_keys:
            idx = sort_indices(batch, sort_keys, [s.child for s in sort_keys], ctx)
            batch = batch.take(idx)
        part = [_plain(evaluate_column(e, batch, ctx)) for e in self.bound_partition]
        order = [_plain(evaluate_column(o.child, batch, ctx)) for o in self.bound_order]
        layout = Layout(n, part, order)
        columns = list(batch.columns)
        for alias, fn, (args, filt) in zip(self.window_expressions, self.bound_functions,
                                           self.bound_args):
            w = alias.child
            start, end = frame_bounds(w.spec.frame, layout, order, self.bound_order)
            values = [_plain(evaluate_column(a, batch, ctx)) for a in args]
            if isinstance(fn, AggregateExpression):
                mask = None
                if filt is not None:
                    f = pc.fill_null(evaluate_column(filt, batch, ctx), False)
                    mask = np.asarray(f.to_numpy(zero_copy_only=False), dtype=bool)
                col = aggregate_over_frames(fn, values, mask, start, end, n, ctx)
            else:
                from ember.engine.functions.windows import WINDOW_IMPLEMENTATIONS
                impl = WINDOW_IMPLEMENTATIONS.get(type(fn))
                if impl is None:
                    from ember.errors import not_supported
                    raise not_supported(f"the window function {fn.pretty_name}")
                col = impl(fn, values, layout, start, end)
            columns.append(col)
        yield self.make_batch(columns)

    def simple_string(self):
        return (f"Window {_fmt(self.window_expressions)}, {_fmt(self.partition_spec)}, "
                f"{_fmt(self.order_spec)}")


def _plain(a):
    if isinstance(a, pa.ChunkedArray):
        a = a.combine_chunks()
    if pa.types.is_dictionary(a.type):
        a = a.dictionary_decode()
    return a


# ---------------------------------------------------------------------------- frames
def frame_bounds(frame, layout: Layout, order_keys, bound_order):
    """Row range [start, end) of every row's frame."""
    n = layout.n
    if frame.frame_type == "ROWS":
        start = _rows_bound(frame.lower, layout, True)
        end = _rows_bound(frame.upper, layout, False)
    else:
        start = _range_bound(frame.lower, layout, order_keys, bound_order, True)
        end = _range_bound(frame.upper, layout, order_keys, bound_order, False)
    end = np.maximum(end, start)
    return start.astype(np.int64), end.astype(np.int64)


def _offset_value(bound) -> object:
    kind, v = bound
    value = v.value
    return -value if kind == "PRECEDING" else value


def _rows_bound(bound, layout, is_lower):
    kind = bound[0]
    if kind == "UNBOUNDED_PRECEDING":
        return layout.pstart
    if kind == "UNBOUNDED_FOLLOWING":
        return layout.pend
    off = 0 if kind == "CURRENT" else int(_offset_value(bound))
    pos = layout.index + off + (0 if is_lower else 1)
    return np.clip(pos, layout.pstart, layout.pend)


def _range_bound(bound, layout, order_keys, bound_order, is_lower):
    kind = bound[0]
    if kind == "UNBOUNDED_PRECEDING":
        return layout.pstart
    if kind == "UNBOUNDED_FOLLOWING":
        return layout.pend
    peers = layout.peer_start if is_lower else layout.peer_end
    if kind == "CURRENT":
        return peers
    so = bound_order[0]
    key = order_keys[0]
    valid = np.ones(layout.n, dtype=bool) if key.null_count == 0 else np.asarray(
        key.is_valid().to_numpy(zero_copy_only=False), dtype=bool)
    keys, targets = _range_targets(key, bound[1], _offset_value(bound), so.ascending)
    # the non-NULL rows of each partition: NULL keys sit at one end of it
    nulls = np.bincount(layout.pid, weights=(~valid).astype(np.float64),
                        minlength=int(layout.pid[-1]) + 1).astype(np.int64)[layout.pid]
    if so.nulls_first:
        seg_s, seg_e = layout.pstart + nulls, layout.pend
    else:
        seg_s, seg_e = layout.pstart, layout.pend - nulls
    if not so.ascending:
        keys, targets = -keys, -targets
    found = _search(keys, targets, seg_s, seg_e, not is_lower)
    return np.where(valid, found, peers)


def _range_targets(key: pa.Array, lit, signed, ascending):
    """Order keys and each row's bound value (key + offset in the ordering's direction)."""
    sign = 1 if ascending else -1
    t = key.type
    if pa.types.is_date32(t) or pa.types.is_timestamp(t):
        base = key.cast(pa.int32() if pa.types.is_date32(t) else pa.int64())
        keys = base.fill_null(0).to_numpy(zero_copy_only=False).astype(np.int64)
        dt = lit.data_type
        if isinstance(dt, T.YearMonthIntervalType):
            return keys, _add_months(keys, sign * int(signed), pa.types.is_date32(t))
        if isinstance(dt, T.DayTimeIntervalType) and pa.types.is_date32(t):
            return keys, keys + sign * (int(signed) // 86_400_000_000)
        return keys, keys + sign * int(signed)
    if pa.types.is_decimal(t) or pa.types.is_floating(t):
        keys = key.cast(pa.float64()).fill_null(0).to_numpy(zero_copy_only=False)
        keys = np.where(np.isnan(keys), np.inf, keys)     # NaN sorts above every number
        return keys, keys + sign * float(signed)
    if pa.types.is_duration(t):
        key = key.cast(pa.int64())
    keys = key.fill_null(0).to_numpy(zero_copy_only=False).astype(np.int64)
    if isinstance(signed, int):
        return keys, keys + sign * signed
    keys = keys.astype(np.float64)
    return keys, keys + sign * float(signed)


def _add_months(values: np.ndarray, months: int, is_date: bool) -> np.ndarray:
    """Spark's add_months: the day of month is clamped to the target month's length."""
    day_us = 86_400_000_000
    days = values if is_date else np.floor_divide(values, day_us)
    rest = 0 if is_date else values - days * day_us
    d = days.astype("datetime64[D]")
    m = d.astype("datetime64[M]")
    dom = (d - m).astype(np.int64)
    target_m = m + np.timedelta64(months, "M")
    month_len = ((target_m + np.timedelta64(1, "M")).astype("datetime64[D]")
                 - target_m.astype("datetime64[D]")).astype(np.int64)
    out = target_m.astype("datetime64[D]").astype(np.int64) + np.minimum(dom, month_len - 1)
    return out if is_date else out * day_us + rest


@njit(cache=True, nogil=True)
def _search(keys, targets, seg_s, seg_e, right):
    """Per row, the first index in [seg_s, seg_e) whose key is >= target (> with `right`)."""
    n = targets.shape[0]
    out = np.empty(n, dtype=np.int64)
    for i in range(n):
        lo = seg_s[i]
        hi = seg_e[i]
        t = targets[i]
        while lo < hi:
            mid = (lo + hi) >> 1
            if keys[mid] < t or (right and keys[mid] == t):
                lo = mid + 1
            else:
                hi = mid
        out[i] = lo
    return out


# ---------------------------------------------------------------------------- aggregates
def aggregate_over_frames(agg: AggregateExpression, values, filter_mask, start, end, n, ctx):
    f = agg.function
    mask = np.ones(n, dtype=bool) if filter_mask is None else filter_mask.copy()
    for a in (() if getattr(f, "sees_null_arguments", False) else values):
        if a.null_count:
            mask &= np.asarray(a.is_valid().to_numpy(zero_copy_only=False), dtype=bool)
    fast = _prefix_aggregate(f, values, mask, start, end)
    if fast is None:
        fast = _running_aggregate(f, values, mask, start, end)
    if fast is not None:
        return fast
    from ember.engine.functions.aggregates import IMPLEMENTATIONS
    impl = IMPLEMENTATIONS.get(type(f))
    if impl is None:
        from ember.errors import not_supported
        raise not_supported(f"the aggregate function {f.pretty_name} over a window")
    # one group per distinct frame: rows of a partition or of a peer group share theirs
    key = start * (n + 1) + end
    uniq, inverse = np.unique(key, return_inverse=True)
    u_start, u_end = uniq // (n + 1), uniq % (n + 1)
    lengths = u_end - u_start
    # frames are gathered in chunks of at most _GATHER_ROWS rows to bound memory
    cum = np.cumsum(lengths)
    parts = []
    lo = 0
    while lo < len(uniq):
        base = cum[lo - 1] if lo else 0
        hi = max(lo + 1, int(np.searchsorted(cum, base + _GATHER_ROWS, "right")))
        parts.append(_gather_frames(impl, f, values, mask, u_start[lo:hi], lengths[lo:hi],
                                    ctx))
        lo = hi
    result = parts[0] if len(parts) == 1 else pa.concat_arrays(parts)
    return result.take(pa.array(inverse.reshape(-1).astype(np.int64)))


_GATHER_ROWS = 8_000_000


def _gather_frames(impl, f, values, mask, starts, lengths, ctx):
    total = int(lengths.sum())
    ids = np.repeat(np.arange(len(starts), dtype=np.int64), lengths)
    offsets = np.cumsum(lengths) - lengths
    gather = np.arange(total, dtype=np.int64) - np.repeat(offsets, lengths) + \
        np.repeat(starts, lengths)
    take = pa.array(gather, pa.int64())
    args = [a.take(take) for a in values]
    result = impl(f, args, ids, len(starts), mask[gather], ctx.eval_ctx)
    if isinstance(result, pa.ChunkedArray):
        result = result.combine_chunks()
    return result


def _prefix_aggregate(f, values, mask, start, end):
    """count, and sum / avg of integers, over any frames from prefix sums."""
    counts = np.zeros(len(mask) + 1, dtype=np.int64)
    np.cumsum(mask, out=counts[1:])
    c = counts[end] - counts[start]
    if isinstance(f, Count):
        return pa.array(c, pa.int64())
    if isinstance(f, Sum) and isinstance(f.child.data_type, T.DecimalType):
        return _prefix_decimal_sum(f, values[0], mask, start, end, c)
    if not isinstance(f, (Sum, Average)) or not isinstance(f.child.data_type, T.IntegralType):
        return None
    v = values[0]
    raw = v.fill_null(0).to_numpy(zero_copy_only=False).astype(np.int64)
    raw = np.where(mask, raw, 0)
    if len(raw) and float(np.abs(raw).astype(np.float64).sum()) >= 2.0 ** 62:
        return None          # exact overflow handling: the generic path
    sums = np.zeros(len(raw) + 1, dtype=np.int64)
    np.cumsum(raw, out=sums[1:])
    s = sums[end] - sums[start]
    ok = c > 0
    if isinstance(f, Sum):
        return pa.array(s, pa.int64(), mask=~ok)
    with np.errstate(invalid="ignore", divide="ignore"):
        avg = s / np.maximum(c, 1)
    return pa.array(avg, pa.float64(), mask=~ok)


def plan_window(p, child: PhysicalPlan, bind) -> WindowExec:
    """The physical Window for a logical Window node over the planned `child`."""
    attrs = child.output
    functions, args = [], []
    for alias in p.window_expressions:
        fn = alias.child.function
        functions.append(fn)
        if isinstance(fn, AggregateExpression):
            args.append(([bind(c, attrs) for c in fn.function.children],
                         bind(fn.filter, attrs) if fn.filter is not None else None))
        else:
            args.append(([bind(c, attrs) for c in fn.children], None))
    return WindowExec(p.window_expressions, functions, args, p.partition_spec, p.order_spec,
                      [bind(e, attrs) for e in p.partition_spec],
                      [SortOrder(bind(o.child, attrs), o.direction, o.null_ordering)
                       for o in p.order_spec], child)


@njit(cache=True, nogil=True)
def _running(values, mask, seg_start, op):
    """acc[j] = sum (op 0) / min (1) / max (2) of the masked values in [seg_start[j], j]."""
    n = values.shape[0]
    acc = np.zeros(n, dtype=values.dtype)
    cnt = np.zeros(n, dtype=np.int64)
    for j in range(n):
        if j == seg_start[j] or j == 0:
            a = values[j] * 0
            c = 0
        else:
            a = acc[j - 1]
            c = cnt[j - 1]
        if mask[j]:
            v = values[j]
            if c == 0:
                a = v
            elif op == 0:
                a = a + v
            elif op == 1:
                if v < a:
                    a = v
            elif v > a:
                a = v
            c += 1
        acc[j] = a
        cnt[j] = c
    return acc, cnt


def _running_aggregate(f, values, mask, start, end):
    """min / max, and sum / avg of floating point, over frames that all start at their
    partition's first row (or all end at its last): one pass, as Spark computes them."""
    from ember.optimizer.expressions.aggregates import Max, Min
    from ember.engine.arrow_util import from_numpy
    if not isinstance(f, (Min, Max, Sum, Average)) or len(values) != 1:
        return None
    dt = f.children[0].data_type
    if isinstance(f, (Sum, Average)) and not isinstance(dt, (T.FloatType, T.DoubleType)):
        return None
    by_rank = isinstance(dt, (T.StringType, T.BinaryType))
    if not by_rank and not isinstance(dt, (T.IntegralType, T.FloatType, T.DoubleType,
                                           T.DateType, T.TimestampType, T.TimestampNTZType,
                                           T.DecimalType)):
        return None
    n = len(mask)
    if n == 0:
        return None
    pstart = _frame_group_starts(start, end)
    pend_rows = None if pstart is not None else _frame_group_ends(start, end)
    if pstart is None and pend_rows is None:
        return None
    arr = values[0]
    as_float = isinstance(dt, (T.FloatType, T.DoubleType))
    if by_rank:
        # strings compare as their ranks among the distinct values (UTF-8 byte order)
        enc = pc.dictionary_encode(arr)
        order = pc.sort_indices(enc.dictionary).to_numpy()
        rank = np.empty(len(order), dtype=np.int64)
        rank[order] = np.arange(len(order))
        codes = enc.indices.fill_null(0).to_numpy(zero_copy_only=False).astype(np.int64)
        vals = rank[codes] if len(rank) else codes
    elif isinstance(dt, T.DecimalType):
        from ember.engine import decimals as D
        vals = D.unscaled(arr)
        if vals.dtype == object:
            return None
        vals = vals.astype(np.int64)
    else:
        raw = arr.cast(pa.float64()) if as_float else arr.cast(
            pa.int32() if isinstance(dt, T.DateType) else pa.int64()) if not isinstance(
            dt, T.IntegralType) else arr.cast(pa.int64())
        vals = raw.fill_null(0).to_numpy(zero_copy_only=False).astype(
            np.float64 if as_float else np.int64)
        if as_float and not isinstance(f, (Sum, Average)) and np.isnan(vals[mask]).any():
            return None             # NaN orders above every number: the generic path
    op = 0 if isinstance(f, (Sum, Average)) else (2 if isinstance(f, Max) else 1)
    if pstart is not None:                       # frames [partition start, end)
        acc, cnt = _running(vals, mask, pstart, op)
        last = end - 1
    elif pend_rows is not None:                  # frames [start, partition end)
        rv, rm = vals[::-1].copy(), mask[::-1].copy()
        acc, cnt = _running(rv, rm, (n - pend_rows[::-1]).astype(np.int64), op)
        acc, cnt = acc[::-1], cnt[::-1]
        last = start
    else:
        return None
    nonempty = end > start
    idx = np.where(nonempty, last, 0)
    c = np.where(nonempty, cnt[idx], 0)
    out = acc[idx]
    ok = c > 0
    if isinstance(f, Average):
        with np.errstate(invalid="ignore", divide="ignore"):
            return from_numpy(out / np.maximum(c, 1), ok, pa.float64())
    at = T.to_arrow(f.data_type)
    if by_rank:
        picked = order[np.where(ok, out, 0)] if len(order) else np.zeros(len(out), np.int64)
        taken = enc.dictionary.take(pa.array(picked)) if len(order) else pa.nulls(len(out), at)
        return pc.if_else(pa.array(ok), taken, pa.scalar(None, taken.type)).cast(at)
    if isinstance(dt, T.DecimalType):
        from ember.engine import decimals as D
        return D.from_unscaled(np.where(ok, out, 0), ok, dt.precision, dt.scale)
    if as_float:
        return from_numpy(out, ok, pa.float64()).cast(at)
    if pa.types.is_date32(at):
        return from_numpy(out.astype(np.int32), ok, pa.int32()).cast(at)
    return from_numpy(out, ok, pa.int64()).cast(at)


def _frame_group_starts(start, end):
    """`start` when the frames' starts cut the rows into runs that each begin at their start
    and each frame ends inside its own run, else None."""
    idx = np.arange(len(start))
    if np.any(start > idx):
        return None
    change = np.r_[True, start[1:] != start[:-1]]
    if not np.all(start[change] == idx[change]):
        return None
    nonempty = end > start
    if np.any(start[np.where(nonempty, end - 1, 0)][nonempty] != start[nonempty]):
        return None
    return start.astype(np.int64)


def _frame_group_ends(start, end):
    """The mirror image: runs that each end at their frames' common end."""
    idx = np.arange(len(end))
    if np.any(end <= idx):
        return None
    last = np.r_[end[1:] != end[:-1], True]
    if not np.all(end[last] == idx[last] + 1):
        return None
    nonempty = end > start
    if np.any(end[np.where(nonempty, start, 0)][nonempty] != end[nonempty]):
        return None
    return end.astype(np.int64)


def _prefix_decimal_sum(f, arr, mask, start, end, c):
    """Exact decimal sums from prefix sums of the unscaled values when they fit in 62 bits;
    None (the generic path, which raises Spark's overflow errors) otherwise."""
    from ember.engine import decimals as D
    un = D.unscaled(arr)
    if un.dtype == object:
        return None
    raw = np.where(mask, un, 0).astype(np.int64)
    if len(raw) and float(np.abs(raw).astype(np.float64).sum()) >= 2.0 ** 62:
        return None
    sums = np.zeros(len(raw) + 1, dtype=np.int64)
    np.cumsum(raw, out=sums[1:])
    s = sums[end] - sums[start]
    ok = c > 0
    out_t = f.data_type
    if not np.all(D.fits(s, out_t.precision) | ~ok):
        return None
    return D.from_unscaled(np.where(ok, s, 0), ok, out_t.precision, out_t.scale)
