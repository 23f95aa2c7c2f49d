"""Sorting (SortExec, TakeOrderedAndProjectExec), limits and offsets.

Spark's order: NULLS FIRST/LAST per key, NaN above every number, strings by their UTF-8
bytes. Arrow sorts NaN after numbers in both directions, so float keys get a NaN indicator
key in front of them.
"""
from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from ember.engine.operators.base import ExecContext, PhysicalPlan, table_to_batch, _fmt
from ember.engine.operators.basic import evaluate_column


def sort_indices(batch: pa.RecordBatch, orders, bound_keys, ctx: ExecContext) -> pa.Array:
    columns = []
    keys = []
    for i, (so, key) in enumerate(zip(orders, bound_keys)):
        arr = evaluate_column(key, batch, ctx)
        if isinstance(arr, pa.ChunkedArray):
            arr = arr.combine_chunks()
        direction = "ascending" if so.ascending else "descending"
        nulls = "at_start" if so.nulls_first else "at_end"
        if pa.types.is_floating(arr.type):
            nan = pc.cast(pc.is_nan(arr), pa.int8())     # NULL stays NULL: placed as nulls
            columns.append(nan)
            keys.append((f"f{i}", direction, nulls))
            arr = pc.if_else(pc.fill_null(pc.is_nan(arr), False), pa.scalar(0.0, arr.type), arr)
        if pa.types.is_dictionary(arr.type):
            arr = arr.dictionary_decode()
        if pa.types.is_nested(arr.type):      # arrays and structs: sort by their rank
            from ember.engine.nested import sort_rank
            arr = sort_rank(arr, key.data_type)
        columns.append(arr)
        keys.append((f"k{i}", direction, nulls))
    names = [k[0] for k in keys]
    table = pa.Table.from_arrays(columns, names=names)
    return pc.sort_indices(table, sort_keys=keys)


class SortExec(PhysicalPlan):
    def __init__(self, order, bound_keys, is_global: bool, child: PhysicalPlan):
        self.order = list(order)
        self.bound_keys = list(bound_keys)
        self.is_global = is_global
        self.children = (child,)
        self.output = child.output

    def execute(self, ctx):
        batch = table_to_batch(self.children[0].collect_table(ctx))
        if batch.num_rows == 0:
            yield batch
            return
        idx = sort_indices(batch, self.order, self.bound_keys, ctx)
        yield batch.take(idx)

    def simple_string(self):
        return f"Sort {_fmt(self.order)}, {str(self.is_global).lower()}, 0"


class TakeOrderedAndProjectExec(PhysicalPlan):
    def __init__(self, limit: int, order, bound_keys, project_list, project_bound,
                 child: PhysicalPlan):
        self.limit = limit
        self.order = list(order)
        self.bound_keys = list(bound_keys)
        self.project_list = list(project_list)
        self.project_bound = list(project_bound)
        self.children = (child,)
        self.output = [e.to_attribute() for e in self.project_list]

    def execute(self, ctx):
        batch = table_to_batch(self.children[0].collect_table(ctx))
        if batch.num_rows:
            idx = sort_indices(batch, self.order, self.bound_keys, ctx)
            batch = batch.take(idx.slice(0, self.limit))
        cols = [evaluate_column(e, batch, ctx) for e in self.project_bound]
        yield self.make_batch(cols) if cols else batch.select([])

    def simple_string(self):
        return (f"TakeOrderedAndProject(limit={self.limit}, orderBy={_fmt(self.order)}, "
                f"output={_fmt(self.project_list)})")


class LimitExec(PhysicalPlan):
    """GlobalLimit/LocalLimit (one process: both keep the first n rows)."""

    def __init__(self, limit: int, child: PhysicalPlan, kind: str = "GlobalLimit"):
        self.limit = limit
        self.kind = kind
        self.children = (child,)
        self.output = child.output

    def execute(self, ctx):
        remaining = self.limit
        produced = False
        if remaining <= 0:
            yield self.empty_batch()
            return
        for batch in self.children[0].execute(ctx):
            if batch.num_rows >= remaining:
                yield batch.slice(0, remaining)
                return
            remaining -= batch.num_rows
            produced = True
            yield batch
        if not produced:
            yield self.empty_batch()

    def simple_string(self):
        return f"{self.kind} {self.limit}"


class OffsetExec(PhysicalPlan):
    def __init__(self, offset: int, child: PhysicalPlan):
        self.offset = offset
        self.children = (child,)
        self.output = child.output

    def execute(self, ctx):
        skip = self.offset
        for batch in self.children[0].execute(ctx):
            if skip >= batch.num_rows:
                skip -= batch.num_rows
                continue
            yield batch.slice(skip)
            skip = 0
        yield self.empty_batch()

    def simple_string(self):
        return f"Offset {self.offset}"
