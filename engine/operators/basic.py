"""Row-wise operators: projection and filtering."""
from __future__ import annotations

import pyarrow as pa
import pyarrow.compute as pc

from ember.engine.evaluator import eval_array
from ember.engine.operators.base import ExecContext, PhysicalPlan, _fmt


def evaluate_column(expr, batch: pa.RecordBatch, ctx: ExecContext) -> pa.Array:
    """Interpreted evaluation, or a fused Numba kernel when the batch is large enough to
    repay compiling one (the tiered policy of DESIGN.md)."""
    if batch.num_rows >= ctx.fuse_threshold:
        from ember.engine.kernels.fused import run_fused, worth_fusing
        if worth_fusing(expr):
            out = run_fused(expr, batch, ctx.eval_ctx)
            if out is not None:
                return out
    return eval_array(expr, batch, ctx.eval_ctx)


class ProjectExec(PhysicalPlan):
    def __init__(self, project_list, bound, child: PhysicalPlan):
        self.project_list = list(project_list)      # for EXPLAIN
        self.bound = list(bound)                    # expressions bound to the child's columns
        self.children = (child,)
        self.output = [e.to_attribute() for e in self.project_list]

    def execute(self, ctx):
        for batch in self.children[0].execute(ctx):
            cols = [evaluate_column(e, batch, ctx) for e in self.bound]
            if not cols:
                yield pa.RecordBatch.from_arrays([pa.nulls(batch.num_rows)],
                                                 names=["_"]).select([])
                continue
            yield self.make_batch(cols)

    def simple_string(self):
        return f"Project {_fmt(self.project_list)}"


class FilterExec(PhysicalPlan):
    def __init__(self, condition, bound, child: PhysicalPlan):
        self.condition = condition
        self.bound = bound
        self.children = (child,)
        self.output = child.output

    def execute(self, ctx):
        for batch in self.children[0].execute(ctx):
            if batch.num_rows == 0:
                yield batch
                continue
            mask = evaluate_column(self.bound, batch, ctx)
            mask = pc.fill_null(mask, False)
            yield batch.filter(mask)

    def simple_string(self):
        return f"Filter {self.condition}"
