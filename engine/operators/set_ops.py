"""INTERSECT and EXCEPT, DISTINCT and ALL.

Both inputs' rows are encoded to shared dense ids over all columns with null-safe equality
(NULL equals NULL, NaN equals NaN, as Spark's set operations compare rows). Then per id:

  INTERSECT DISTINCT  one row where the id occurs on both sides (Spark: distinct left-semi join)
  EXCEPT DISTINCT     one row where the id occurs only on the left (distinct left-anti join)
  INTERSECT ALL       min(left count, right count) copies
  EXCEPT ALL          max(left count - right count, 0) copies

Each surviving row is taken from the left input (its first occurrences), so the values and
types are the left child's, as in Spark.
"""
from __future__ import annotations

import numpy as np
import pyarrow as pa

from ember.engine.encoding import joint_ids
from ember.engine.operators.base import ExecContext, PhysicalPlan, table_to_batch


def set_operation_rows(lids: np.ndarray, rids: np.ndarray, n: int, intersect: bool,
                       is_all: bool) -> np.ndarray:
    """Row positions of the left input that the set operation outputs."""
    lcount = np.bincount(lids, minlength=n) if n else np.zeros(0, dtype=np.int64)
    rcount = np.bincount(rids, minlength=n) if n else np.zeros(0, dtype=np.int64)
    if is_all:
        keep = np.minimum(lcount, rcount) if intersect else np.maximum(lcount - rcount, 0)
    else:
        keep = ((lcount > 0) & ((rcount > 0) if intersect else (rcount == 0))).astype(np.int64)
    # the k-th occurrence (0-based) of each id on the left survives while k < keep[id]
    order = np.argsort(lids, kind="stable")
    starts = np.cumsum(lcount) - lcount
    occurrence = np.empty(len(lids), dtype=np.int64)
    occurrence[order] = np.arange(len(lids), dtype=np.int64) - np.repeat(starts, lcount)
    return np.nonzero(occurrence < keep[lids])[0]


class SetOperationExec(PhysicalPlan):
    """Shared execution of INTERSECT / EXCEPT over two equally typed children."""
    intersect = True

    def __init__(self, is_all: bool, left: PhysicalPlan, right: PhysicalPlan, output):
        self.is_all = is_all
        self.children = (left, right)
        self.output = list(output)

    def execute(self, ctx: ExecContext):
        left = table_to_batch(self.children[0].collect_table(ctx))
        if left.num_rows == 0:
            yield self.empty_batch()
            return
        right = table_to_batch(self.children[1].collect_table(ctx))
        if right.num_rows == 0 and self.intersect:
            yield self.empty_batch()
            return
        if not left.num_columns:
            lids = np.zeros(left.num_rows, dtype=np.int64)
            rids = np.zeros(right.num_rows, dtype=np.int64)
            n = 1
        else:
            lids, rids, n = joint_ids(list(left.columns), list(right.columns),
                                      [True] * left.num_columns)
        rows = set_operation_rows(lids, rids, n, self.intersect, self.is_all)
        if not left.num_columns:
            yield pa.RecordBatch.from_arrays([pa.nulls(len(rows))], names=["_"]).select([])
            return
        sel = pa.array(rows, pa.int64())
        yield self.make_batch([c.take(sel) for c in left.columns])

    def simple_string(self):
        return f"{self.node_name()}{' All' if self.is_all else ''}"


class IntersectExec(SetOperationExec):
    intersect = True


class ExceptExec(SetOperationExec):
    intersect = False
