"""HashAggregateExec: GROUP BY with Numba hash kernels.

The input is gathered (aggregation is a pipeline breaker), key columns are encoded to dense
group ids by the hash kernel, and each aggregate runs its grouped kernel over
(group id, value, participating-row mask). DISTINCT aggregates first drop repeated
(group, value) pairs. The result expressions then read the group keys and aggregate values.
"""
from __future__ import annotations

from typing import List, Sequence, Tuple

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from ember.engine.encoding import dense_ids
from ember.engine.operators.base import ExecContext, PhysicalPlan, table_to_batch, _fmt
from ember.engine.operators.basic import evaluate_column


class AggregateCall:
    """One aggregate to compute: the function, its bound arguments and filter."""

    def __init__(self, expression, bound_args, bound_filter, result_attr):
        self.expression = expression          # AggregateExpression (for EXPLAIN)
        self.function = expression.function
        self.is_distinct = expression.is_distinct
        self.bound_args = list(bound_args)
        self.bound_filter = bound_filter
        self.result_attr = result_attr


class HashAggregateExec(PhysicalPlan):
    def __init__(self, grouping, group_bound, calls: Sequence[AggregateCall], results,
                 results_bound, child: PhysicalPlan):
        self.grouping = list(grouping)        # named grouping expressions (attributes out)
        self.group_bound = list(group_bound)
        self.calls = list(calls)
        self.results = list(results)
        self.results_bound = list(results_bound)
        self.children = (child,)
        self.output = [e.to_attribute() for e in self.results]

    def execute(self, ctx: ExecContext):
        from ember.engine.functions.aggregates import IMPLEMENTATIONS
        child = self.children[0]
        batch = table_to_batch(child.collect_table(ctx))
        n_rows = batch.num_rows
        keys = [evaluate_column(e, batch, ctx) for e in self.group_bound]
        if self.group_bound:
            ids, first, n_groups = dense_ids(keys, n_rows)
        else:
            ids = np.zeros(n_rows, dtype=np.int64)
            first = np.zeros(1, dtype=np.int64)
            n_groups = 1
        columns = []
        if self.group_bound:
            take = pa.array(first)
            columns.extend(k.take(take) for k in keys)
        for call in self.calls:
            args = [evaluate_column(a, batch, ctx) for a in call.bound_args]
            mask = np.ones(n_rows, dtype=bool)
            for a in (() if getattr(call.function, "sees_null_arguments", False) else args):
                if a.null_count:
                    mask &= np.asarray(a.is_valid().to_numpy(zero_copy_only=False), dtype=bool)
            if call.bound_filter is not None:
                f = pc.fill_null(evaluate_column(call.bound_filter, batch, ctx), False)
                mask &= np.asarray(f.to_numpy(zero_copy_only=False), dtype=bool)
            if call.is_distinct:
                mask = _first_of_distinct(ids, args, mask)
            impl = IMPLEMENTATIONS.get(type(call.function))
            if impl is None:
                from ember.errors import not_supported
                raise not_supported(f"the aggregate function {call.function.pretty_name}")
            columns.append(impl(call.function, args, ids, n_groups, mask, ctx.eval_ctx))
        if not columns:
            inter = pa.RecordBatch.from_arrays([pa.nulls(n_groups)], names=["_"]).select([])
        else:
            inter = pa.RecordBatch.from_arrays(
                [c.combine_chunks() if isinstance(c, pa.ChunkedArray) else c for c in columns],
                names=[f"c{i}" for i in range(len(columns))])
        if n_groups == 0:
            yield self.empty_batch()
            return
        out = [evaluate_column(e, inter, ctx) for e in self.results_bound]
        yield self.make_batch(out)

    def simple_string(self):
        keys = _fmt(self.grouping)
        fns = _fmt([c.expression for c in self.calls])
        return f"HashAggregate(keys={keys}, functions={fns}, output={_fmt(self.output)})"


def _first_of_distinct(ids: np.ndarray, args: List[pa.Array], mask: np.ndarray) -> np.ndarray:
    """Keep only the first participating row of each distinct (group, arguments) tuple."""
    idx = np.nonzero(mask)[0]
    out = np.zeros(len(mask), dtype=bool)
    if len(idx) == 0:
        return out
    sel = pa.array(idx)
    cols = [pa.array(ids[idx])] + [a.take(sel) for a in args]
    _, first, _ = dense_ids(cols, len(idx))
    out[idx[first]] = True
    return out
