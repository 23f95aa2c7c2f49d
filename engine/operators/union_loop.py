"""Recursive CTEs at run time (Spark's UnionLoopExec): emit the anchor's rows, then run the
recursive plan over the previous step's rows until a step yields none. More than
spark.sql.cteRecursionLevelLimit steps is RECURSION_LEVEL_LIMIT_EXCEEDED."""
from __future__ import annotations

from ember.errors import SparkRuntimeException
from ember.engine.operators.base import ExecContext, PhysicalPlan


def _loop_tables(ctx: ExecContext) -> dict:
    tables = getattr(ctx, "loop_tables", None)
    if tables is None:
        tables = ctx.loop_tables = {}
    return tables


class UnionLoopExec(PhysicalPlan):
    def __init__(self, loop_id, anchor, recursive, output):
        self.loop_id = loop_id
        self.children = (anchor, recursive)
        self.output = list(output)

    def execute(self, ctx: ExecContext):
        limit = int(ctx.conf.get("spark.sql.cteRecursionLevelLimit", "100"))
        tables = _loop_tables(ctx)
        prev = self.children[0].collect_table(ctx)
        level = 0
        try:
            while prev.num_rows:
                for batch in prev.to_batches():
                    yield self.make_batch(batch.columns)
                if limit >= 0 and level >= limit:
                    raise SparkRuntimeException("RECURSION_LEVEL_LIMIT_EXCEEDED",
                                                levelLimit=str(limit))
                level += 1
                tables[self.loop_id] = prev
                prev = self.children[1].collect_table(ctx)
        finally:
            tables.pop(self.loop_id, None)
        yield self.empty_batch()

    def simple_string(self):
        return f"UnionLoop {self.loop_id}"


class UnionLoopRefExec(PhysicalPlan):
    def __init__(self, loop_id, output):
        self.loop_id = loop_id
        self.output = list(output)

    def execute(self, ctx: ExecContext):
        table = _loop_tables(ctx)[self.loop_id]
        for batch in table.to_batches():
            yield self.make_batch(batch.columns)
        yield self.empty_batch()

    def simple_string(self):
        return f"UnionLoopRef {self.loop_id}"
