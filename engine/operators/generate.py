"""GenerateExec: runs a generator (explode, inline, stack, ...) over each input row and
emits the row's columns joined with every generated row (Spark's GenerateExec)."""
from __future__ import annotations

import numpy as np
import pyarrow as pa

from ember import types as T
from ember.engine.evaluator import eval_array
from ember.engine.operators.base import PhysicalPlan, _fmt


class GenerateExec(PhysicalPlan):
    def __init__(self, generator, bound, outer: bool, generator_output, child: PhysicalPlan,
                 keep=None):
        self.generator = generator          # for EXPLAIN
        self.bound = bound                  # bound to the child's columns
        self.outer = outer
        self.generator_output = list(generator_output)
        self.children = (child,)
        self.keep = list(range(len(child.output))) if keep is None else list(keep)
        self.required_child_output = [child.output[i] for i in self.keep]
        self.output = self.required_child_output + self.generator_output

    def execute(self, ctx):
        for batch in self.children[0].execute(ctx):
            if batch.num_rows == 0:
                continue
            args = [eval_array(c, batch, ctx.eval_ctx) for c in self.bound.children]
            parents, cols = self.bound.generate(args, batch.num_rows)
            parents = np.asarray(parents, dtype=np.int64)
            if self.outer:
                parents, cols = self._add_outer_rows(parents, cols, batch.num_rows)
            if len(parents) == 0:
                continue
            base = batch.select(self.keep).take(pa.array(parents))
            yield self.make_batch(list(base.columns) + list(cols))

    def _add_outer_rows(self, parents, cols, n):
        """Rows that generated nothing appear once, with NULL generated columns."""
        counts = np.bincount(parents, minlength=n) if len(parents) else np.zeros(n, np.int64)
        missing = np.nonzero(counts == 0)[0]
        if len(missing) == 0:
            return parents, cols
        all_parents = np.concatenate([parents, missing])
        order = np.argsort(all_parents, kind="stable")
        new_cols = []
        for c, a in zip(cols, self.generator_output):
            if isinstance(c, pa.ChunkedArray):
                c = c.combine_chunks()
            at = T.to_arrow(a.data_type)
            if c.type != at:
                c = c.cast(at)
            nulls = pa.nulls(len(missing), at)
            new_cols.append(pa.concat_arrays([c, nulls]).take(pa.array(order)))
        return all_parents[order], new_cols

    def simple_string(self):
        return (f"Generate {self.generator}, {_fmt(self.required_child_output)}, "
                f"{str(self.outer).lower()}, {_fmt(self.generator_output)}")
