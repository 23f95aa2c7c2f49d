"""Joins. Equi-joins encode both sides' keys to shared dense ids (the hash kernel), index the
build side by id, and expand matching pairs with NumPy; any non-equi part of the condition is
evaluated on the candidate pairs. Joins without equi-keys use a nested loop over pairs."""
from __future__ import annotations

from typing import List, Optional, Sequence

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from ember import types as T
from ember.engine.encoding import joint_ids
from ember.engine.operators.base import ExecContext, PhysicalPlan, table_to_batch, _fmt
from ember.engine.operators.basic import evaluate_column


def _take(batch: pa.RecordBatch, idx: np.ndarray, outer_null: bool = False) -> List[pa.Array]:
    """Columns of `batch` at `idx`; with outer_null, -1 positions become NULL."""
    if outer_null:
        mask = idx < 0
        safe = pa.array(np.where(mask, 0, idx))
        if batch.num_rows == 0:
            return [pa.nulls(len(idx), c.type) for c in batch.columns]
        out = []
        for c in batch.columns:
            taken = c.take(safe)
            out.append(pc.if_else(pa.array(~mask), taken, pa.scalar(None, c.type))
                       if mask.any() else taken)
        return out
    sel = pa.array(idx, pa.int64())
    return [c.take(sel) for c in batch.columns]


class JoinExec(PhysicalPlan):
    """Shared pair handling for hash and nested-loop joins."""
    join_type = "Inner"

    def _matching(self, ctx, left, right, li, ri):
        """The candidate pairs for which the residual condition holds."""
        if self.bound_condition is None or not len(li):
            return li, ri
        cols = _take(left, li) + _take(right, ri)
        pairs = pa.RecordBatch.from_arrays(cols, names=[f"c{i}" for i in range(len(cols))])
        keep = pc.fill_null(evaluate_column(self.bound_condition, pairs, ctx), False)
        keep = np.asarray(keep.to_numpy(zero_copy_only=False), dtype=bool)
        return li[keep], ri[keep]

    def _finish(self, ctx, left, right, li: np.ndarray, ri: np.ndarray, tested=False):
        """Apply the residual condition to candidate pairs (unless `tested`) and produce the
        join's output."""
        if not tested:
            li, ri = self._matching(ctx, left, right, li, ri)
        jt = self.join_type
        nl, nr = left.num_rows, right.num_rows
        if jt == "ExistenceJoin":       # every left row once, with whether it matched
            matched = np.zeros(nl, dtype=bool)
            matched[li] = True
            return self.make_batch(_take(left, np.arange(nl, dtype=np.int64)) +
                                   [pa.array(matched, pa.bool_())])
        if jt == "LeftSingle":          # a correlated scalar subquery: at most one match
            if len(li) and np.bincount(li, minlength=nl).max() > 1:
                from ember.errors import SparkRuntimeException
                raise SparkRuntimeException("SCALAR_SUBQUERY_TOO_MANY_ROWS")
            jt = "LeftOuter"
        if jt in ("LeftSemi", "LeftAnti"):
            matched = np.zeros(nl, dtype=bool)
            matched[li] = True
            rows = np.nonzero(matched if jt == "LeftSemi" else ~matched)[0]
            return self.make_batch(_take(left, rows))
        if jt in ("LeftOuter", "FullOuter"):
            matched = np.zeros(nl, dtype=bool)
            matched[li] = True
            missing = np.nonzero(~matched)[0]
            li = np.concatenate([li, missing])
            ri = np.concatenate([ri, np.full(len(missing), -1)])
        if jt in ("RightOuter", "FullOuter"):
            matched = np.zeros(nr, dtype=bool)
            matched[ri[ri >= 0]] = True
            missing = np.nonzero(~matched)[0]
            li = np.concatenate([li, np.full(len(missing), -1)])
            ri = np.concatenate([ri, missing])
        outer_l = jt in ("RightOuter", "FullOuter")
        outer_r = jt in ("LeftOuter", "FullOuter")
        return self.make_batch(_take(left, li, outer_l) + _take(right, ri, outer_r))


class HashJoinExec(JoinExec):
    def __init__(self, left_keys, right_keys, left_bound, right_bound, null_safe, join_type,
                 condition, bound_condition, left: PhysicalPlan, right: PhysicalPlan,
                 output, broadcast: bool):
        self.left_keys, self.right_keys = list(left_keys), list(right_keys)
        self.left_bound, self.right_bound = list(left_bound), list(right_bound)
        self.null_safe = list(null_safe)
        self.join_type = join_type
        self.condition = condition
        self.bound_condition = bound_condition
        self.children = (left, right)
        self.output = list(output)
        self.broadcast = broadcast

    def execute(self, ctx: ExecContext):
        left = table_to_batch(self.children[0].collect_table(ctx))
        right = table_to_batch(self.children[1].collect_table(ctx))
        lk = [evaluate_column(e, left, ctx) for e in self.left_bound]
        rk = [evaluate_column(e, right, ctx) for e in self.right_bound]
        if self.join_type == "NullAwareLeftAnti":
            yield self._null_aware_anti(left, right, lk[0], rk[0])
            return
        lids, rids, n = joint_ids(lk, rk, self.null_safe)
        li, ri = match_pairs(lids, rids, n)
        yield self._finish(ctx, left, right, li, ri)

    def _null_aware_anti(self, left, right, lkey, rkey):
        """`v NOT IN (subquery)`: with no subquery rows every row stays; a NULL among them
        keeps none; otherwise rows whose v is NULL or found go."""
        if right.num_rows == 0:
            return self.make_batch(list(left.columns))
        if rkey.null_count:
            return self.make_batch(_take(left, np.zeros(0, dtype=np.int64)))
        lids, rids, n = joint_ids([lkey], [rkey], [False])
        li, _ = match_pairs(lids, rids, n)
        keep = np.ones(left.num_rows, dtype=bool)
        keep[li] = False
        if lkey.null_count:
            keep &= ~np.asarray(lkey.is_null().to_numpy(zero_copy_only=False), dtype=bool)
        return self.make_batch(_take(left, np.nonzero(keep)[0]))

    def node_name(self):
        return "BroadcastHashJoin" if self.broadcast else "ShuffledHashJoin"

    def simple_string(self):
        null_aware = self.join_type == "NullAwareLeftAnti"
        jt = "LeftAnti" if null_aware else self.join_type
        text = f"{self.node_name()} {_fmt(self.left_keys)}, {_fmt(self.right_keys)}, {jt}, BuildRight"
        if self.condition is not None:
            text += f", {self.condition}"
        return text + ((", true" if null_aware else ", false") if self.broadcast else "")


def match_pairs(lids: np.ndarray, rids: np.ndarray, n: int):
    """All (left row, right row) pairs with equal ids (id -1 matches nothing)."""
    rvalid = rids >= 0
    rsel = np.nonzero(rvalid)[0]
    order = rsel[np.argsort(rids[rsel], kind="stable")]
    counts = np.bincount(rids[rsel], minlength=n) if n else np.zeros(0, dtype=np.int64)
    starts = np.concatenate([[0], np.cumsum(counts)[:-1]]) if n else np.zeros(0, np.int64)
    lvalid = lids >= 0
    cnt = np.zeros(len(lids), dtype=np.int64)
    cnt[lvalid] = counts[lids[lvalid]]
    total = int(cnt.sum())
    li = np.repeat(np.arange(len(lids), dtype=np.int64), cnt)
    if total == 0:
        return li, np.zeros(0, dtype=np.int64)
    base = np.repeat(np.where(lvalid, starts[np.where(lvalid, lids, 0)], 0), cnt)
    within = np.arange(total, dtype=np.int64) - np.repeat(np.cumsum(cnt) - cnt, cnt)
    ri = order[base + within]
    return li, ri


class NestedLoopJoinExec(JoinExec):
    def __init__(self, join_type, condition, bound_condition, left, right, output):
        self.join_type = join_type
        self.condition = condition
        self.bound_condition = bound_condition
        self.children = (left, right)
        self.output = list(output)

    PAIRS_PER_BLOCK = 1 << 20

    def execute(self, ctx: ExecContext):
        left = table_to_batch(self.children[0].collect_table(ctx))
        right = table_to_batch(self.children[1].collect_table(ctx))
        nl, nr = left.num_rows, right.num_rows
        if self.bound_condition is None or nl * nr <= self.PAIRS_PER_BLOCK:
            li = np.repeat(np.arange(nl, dtype=np.int64), nr)
            ri = np.tile(np.arange(nr, dtype=np.int64), nl)
            yield self._finish(ctx, left, right, li, ri)
            return
        # bound memory: test the condition on blocks of left rows
        step = max(1, self.PAIRS_PER_BLOCK // max(nr, 1))
        keep_l, keep_r = [], []
        for start in range(0, nl, step):
            stop = min(nl, start + step)
            li = np.repeat(np.arange(start, stop, dtype=np.int64), nr)
            ri = np.tile(np.arange(nr, dtype=np.int64), stop - start)
            li, ri = self._matching(ctx, left, right, li, ri)
            keep_l.append(li)
            keep_r.append(ri)
        yield self._finish(ctx, left, right, np.concatenate(keep_l), np.concatenate(keep_r),
                           tested=True)

    def node_name(self):
        return "BroadcastNestedLoopJoin" if self.condition is not None else "CartesianProduct"

    def simple_string(self):
        text = f"{self.node_name()} {self.join_type}" if self.condition is not None else \
            self.node_name()
        if self.condition is not None:
            text += f", {self.condition}"
        return text


class UnionExec(PhysicalPlan):
    def __init__(self, children, output):
        self.children = tuple(children)
        self.output = list(output)

    def execute(self, ctx):
        produced = False
        for child in self.children:
            for batch in child.execute(ctx):
                produced = True
                yield self.make_batch(batch.columns)
        if not produced:
            yield self.empty_batch()

    def simple_string(self):
        return "Union"
