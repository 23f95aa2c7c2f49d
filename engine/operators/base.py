"""Physical operator base: a tree node that produces a stream of Arrow record batches whose
columns follow its `output` attributes."""
from __future__ import annotations

from typing import Iterator, List, Sequence

import pyarrow as pa

from ember import types as T
from ember.optimizer.trees import TreeNode


def _fmt(exprs) -> str:
    return "[" + ", ".join(str(e) for e in exprs) + "]"


class ExecContext:
    """What operators need while running: the evaluation context and execution settings."""

    def __init__(self, conf, eval_ctx, batch_size: int = 65536):
        self.conf = conf
        self.eval_ctx = eval_ctx
        self.batch_size = batch_size
        self.fuse_threshold = int(conf.get("spark.ember.kernel.fuseThreshold", "100000"))


class PhysicalPlan(TreeNode):
    children: tuple = ()
    output: List = []

    def execute(self, ctx: ExecContext) -> Iterator[pa.RecordBatch]:
        raise NotImplementedError(type(self).__name__)

    @property
    def arrow_schema(self) -> pa.Schema:
        return pa.schema([pa.field(f"c{i}", T.to_arrow(a.data_type), a.nullable)
                          for i, a in enumerate(self.output)])

    def empty_batch(self) -> pa.RecordBatch:
        return pa.RecordBatch.from_arrays(
            [pa.array([], T.to_arrow(a.data_type)) for a in self.output],
            schema=self.arrow_schema)

    def make_batch(self, columns: Sequence) -> pa.RecordBatch:
        cols = []
        for c, a in zip(columns, self.output):
            if isinstance(c, pa.ChunkedArray):
                c = c.combine_chunks()
            at = T.to_arrow(a.data_type)
            if c.type != at:
                c = c.cast(at)
            cols.append(c)
        return pa.RecordBatch.from_arrays(cols, schema=self.arrow_schema) if cols else \
            pa.RecordBatch.from_pydict({})

    def collect_table(self, ctx: ExecContext) -> pa.Table:
        """All of this operator's output as one table (for blocking parents)."""
        batches = [b for b in self.execute(ctx) if b.num_rows or True]
        if not batches:
            return pa.Table.from_batches([], schema=self.arrow_schema)
        return pa.Table.from_batches(batches, schema=self.arrow_schema)

    def node_name(self) -> str:
        name = type(self).__name__
        return name[:-4] if name.endswith("Exec") else name

    def simple_string(self) -> str:
        return self.node_name()


def table_to_batch(table: pa.Table) -> pa.RecordBatch:
    table = table.combine_chunks()
    batches = table.to_batches()
    if len(batches) == 1:
        return batches[0]
    if not batches:
        return pa.RecordBatch.from_arrays([pa.array([], f.type) for f in table.schema],
                                          schema=table.schema)
    return pa.concat_batches(batches) if hasattr(pa, "concat_batches") else \
        pa.Table.from_batches(batches).combine_chunks().to_batches()[0]


def num_rows_batch(n: int) -> pa.RecordBatch:
    """A batch with `n` rows and no columns (input for constant projections)."""
    return pa.RecordBatch.from_arrays([pa.nulls(n)], names=["_"]).select([]) if n else \
        pa.RecordBatch.from_arrays([pa.nulls(0)], names=["_"]).select([])
