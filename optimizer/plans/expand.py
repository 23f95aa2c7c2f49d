"""The Expand logical node (Spark's `Expand(projections, output, child)`): every input row
comes out once per projection. GROUPING SETS, ROLLUP and CUBE sit on it: one projection per
grouping set, with the columns outside the set replaced by NULL and a grouping id appended."""
from __future__ import annotations

from typing import Sequence

from ember.optimizer.expressions.base import Expression
from ember.optimizer.plans.logical import LogicalPlan, UnaryNode, _list


class Expand(UnaryNode):
    _expr_fields = ("flat_projections",)

    def __init__(self, projections: Sequence[Sequence[Expression]], output: Sequence,
                 child: LogicalPlan):
        self.projections = [list(p) for p in projections]
        self.expand_output = list(output)
        self.children = (child,)

    @property
    def flat_projections(self):
        return [e for p in self.projections for e in p]

    def map_expressions(self, fn):
        new = [[fn(e) for e in p] for p in self.projections]
        if all(a is b for p, q in zip(new, self.projections) for a, b in zip(p, q)):
            return self
        return self.copy_with(projections=new)

    @property
    def output(self):
        return list(self.expand_output)

    def describe(self):
        return f"Expand [{', '.join(_list(p) for p in self.projections)}], {_list(self.expand_output)}"
