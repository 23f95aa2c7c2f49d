"""ExpandExec: each input batch comes out once per projection (GROUPING SETS, ROLLUP, CUBE)."""
from __future__ import annotations

from ember.engine.operators.base import PhysicalPlan, _fmt
from ember.engine.operators.basic import evaluate_column


class ExpandExec(PhysicalPlan):
    def __init__(self, projections, bound, output, child: PhysicalPlan):
        self.projections = projections        # for EXPLAIN
        self.bound = bound                    # per projection, bound to the child's columns
        self.children = (child,)
        self.output = list(output)

    def execute(self, ctx):
        for batch in self.children[0].execute(ctx):
            for exprs in self.bound:
                yield self.make_batch([evaluate_column(e, batch, ctx) for e in exprs])

    def simple_string(self):
        return f"Expand [{', '.join(_fmt(p) for p in self.projections)}], {_fmt(self.output)}"
